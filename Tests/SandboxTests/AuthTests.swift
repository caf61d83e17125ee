import Foundation
import XCTest
@testable import Sandbox

/// The bearer token: only the kubeconfig (0600) has it, and every route refuses a request without it.
final class AuthTests: SandboxTestCase {
    /// The exact body a real API server's authentication filter answers.
    static let unauthorized = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#

    func testKubeconfigHoldsTheTokenAndOnlyItsOwnerCanReadIt() throws {
        XCTAssertEqual(sandbox.token.count, 64)
        XCTAssertTrue(sandbox.token.allSatisfy { "0123456789abcdef".contains($0) }, sandbox.token)
        let text = try String(contentsOfFile: kubeconfig, encoding: .utf8)
        XCTAssertTrue(text.contains("  user:\n    token: \(sandbox.token)\n"), text)
        let mode = try FileManager.default.attributesOfItem(atPath: kubeconfig)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        // kubectl reads it and is let in.
        XCTAssertEqual(try ok(["get", "namespaces", "default", "-o", "name"]).stdout, "namespace/default\n")
    }

    func testEveryRouteRefusesARequestWithoutTheToken() throws {
        try ok(["create", "namespace", "demo"])
        try ok(["run", "web", "-n", "demo", "--image=nginx"])
        let paths = ["/version", "/api", "/apis", "/api/v1", "/apis/apps/v1", "/apis/batch/v1", "/openapi/v3", "/openapi/v3/api/v1",
                     "/api/v1/namespaces", "/api/v1/namespaces/demo/pods", "/api/v1/namespaces/demo/pods/web",
                     "/api/v1/namespaces/demo/pods?watch=true", "/apis/apps/v1/deployments?watch=1&resourceVersion=0",
                     "/api/v1/namespaces/demo/pods/web/log?follow=true", "/api/v1/namespaces/demo/pods/web/exec?command=true",
                     "/apis/apps/v1/namespaces/demo/deployments/web/scale", "/no/such/path", "/"]
        let wrong = String(repeating: "0", count: 64)
        for authorization in [nil, "Bearer", "Bearer ", "Bearer \(wrong)", "Bearer \(sandbox.token.dropLast())",
                              "Bearer \(sandbox.token)0", "Basic \(sandbox.token)", sandbox.token] {
            let client = RawHTTP(port: port, authorization: authorization)
            for path in paths {
                let r = try client.request("GET", path)
                XCTAssertEqual(r.status, 401, "\(authorization ?? "no header") GET \(path)")
                XCTAssertEqual(r.text, Self.unauthorized, "GET \(path)")
                XCTAssertTrue(r.head.contains("Content-Type: application/json"), r.head)
            }
            let post = try client.request("POST", "/api/v1/namespaces/demo/configmaps", json: #"{"metadata":{"name":"sneaky"}}"#)
            XCTAssertEqual(post.status, 401)
            XCTAssertEqual(try client.request("DELETE", "/api/v1/namespaces/demo").status, 401)
        }
        XCTAssertNotEqual(try kubectl(["get", "configmap", "sneaky", "-n", "demo"]).status, 0, "nothing was written")
        XCTAssertEqual(try ok(["get", "namespace", "demo", "-o", "name"]).stdout, "namespace/demo\n")
        // The scheme is case-insensitive, as for a real server; the token is not.
        XCTAssertEqual(try RawHTTP(port: port, authorization: "bearer \(sandbox.token)").request("GET", "/version").status, 200)
        XCTAssertEqual(try RawHTTP(port: port, authorization: "Bearer \(sandbox.token.uppercased())").request("GET", "/version").status, 401)
    }

    /// The exec upgrade is refused before any 101: without the token the request never becomes a WebSocket.
    func testExecUpgradeWithoutTheTokenIsRefusedBeforeUpgrading() throws {
        try ok(["create", "namespace", "demo"])
        try ok(["run", "web", "-n", "demo", "--image=nginx"])
        let upgrade = [("Connection", "Upgrade"), ("Upgrade", "websocket"), ("Sec-WebSocket-Version", "13"),
                       ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Sec-WebSocket-Protocol", "v5.channel.k8s.io")]
        for authorization in [nil, "Bearer nope"] {
            let r = try RawHTTP(port: port, authorization: authorization)
                .request("GET", "/api/v1/namespaces/demo/pods/web/exec?command=echo&command=hi&stdout=true", headers: upgrade)
            XCTAssertEqual(r.status, 401, r.head)
            XCTAssertFalse(r.head.lowercased().contains("sec-websocket-accept"), r.head)
            XCTAssertEqual(r.text, Self.unauthorized)
        }
        let allowed = try http.request("GET", "/api/v1/namespaces/demo/pods/web/exec?command=echo&command=hi&stdout=true", headers: upgrade)
        XCTAssertEqual(allowed.status, 101, allowed.head)
    }

    /// A restarted sandbox has a new token and a new kubeconfig; the old token no longer opens it.
    func testEachStartHasItsOwnToken() throws {
        let first = sandbox.token
        sandbox.stop()
        sandbox = Sandbox(directory: dir)
        (port, kubeconfig) = try sandbox.start()
        XCTAssertNotEqual(sandbox.token, first)
        XCTAssertEqual(try RawHTTP(port: port, authorization: "Bearer \(first)").request("GET", "/version").status, 401)
        XCTAssertEqual(try http.request("GET", "/version").status, 200)
        try ok(["get", "namespaces"])
    }

    func testBearerTokenComparison() {
        let token = BearerToken("abc123")
        XCTAssertTrue(token.authorizes("Bearer abc123"))
        XCTAssertTrue(token.authorizes("BEARER abc123 trailing words"))
        for header in [nil, "", "Bearer", "Bearer  abc123", "Bearer abc12", "Bearer abc1234", "Bearer abc124", "Token abc123", "abc123"] {
            XCTAssertFalse(token.authorizes(header), header ?? "nil")
        }
        XCTAssertNotEqual(BearerToken.random().value, BearerToken.random().value)
    }
}
