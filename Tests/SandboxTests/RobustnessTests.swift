import Core
import Foundation
import XCTest
@testable import Sandbox

/// No request, state file or frame can stop the server: each test here once crashed it (the input is in the test's
/// comment) or checks that a malformed request gets a 4xx Status and the server goes on.
final class RobustnessTests: SandboxTestCase {
    private let deployment = #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":REPLICAS,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}}}"#

    private func alive(file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try http.request("GET", "/version").status, 200, "the server still answers", file: file, line: line)
    }

    /// Crash: `"replicas": 1e300` was stored, and the controllers' `Int(1e300)` trapped; `"readyReplicas": 1e300` in
    /// a status did the same in `kubectl get`'s printer. A spec count must now be an int32; a status number out of
    /// range reads as no number.
    func testHugeNumbersNeitherCrashNorConfuse() throws {
        try ok(["create", "namespace", "demo"])
        for replicas in ["1e300", "3000000000", "2.5", "\"2\""] {
            let r = try http.request("POST", "/apis/apps/v1/namespaces/demo/deployments",
                                     json: deployment.replacingOccurrences(of: "REPLICAS", with: replicas))
            XCTAssertEqual(r.status, 400, replicas)
            let message = r.json?[path: "message"]?.stringValue ?? ""
            XCTAssertTrue(message.hasPrefix("Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal "), message)
            XCTAssertTrue(message.hasSuffix(" into Go struct field DeploymentSpec.spec.replicas of type int32"), message)
        }
        XCTAssertEqual(try http.request("POST", "/apis/apps/v1/namespaces/demo/deployments",
                                        json: deployment.replacingOccurrences(of: "REPLICAS", with: "3000000000")).json?[path: "message"]?.stringValue,
                       "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32")
        XCTAssertEqual(try http.request("POST", "/apis/apps/v1/namespaces/demo/deployments",
                                        json: deployment.replacingOccurrences(of: "REPLICAS", with: "1")).status, 201)
        let patched = try http.request("PATCH", "/apis/apps/v1/namespaces/demo/deployments/web",
                                       json: #"{"status":{"readyReplicas":1e300,"replicas":-1e300}}"#, contentType: "application/merge-patch+json")
        XCTAssertEqual(patched.status, 200)
        let table = try http.request("GET", "/apis/apps/v1/namespaces/demo/deployments",
                                     headers: [("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io")])
        XCTAssertEqual(table.status, 200)
        XCTAssertEqual(table.json?[path: "kind"]?.stringValue, "Table")
        try ok(["get", "deployments", "-n", "demo"])
        try alive()
        XCTAssertNil(Value.float(1e300).intValue)
        XCTAssertEqual(Value.float(2.9).intValue, 2)
    }

    /// Was a hang: `replicas: 2000000000` is a valid int32, and the ReplicaSet controller set out to make two billion
    /// pods. The sandbox runs at most `maxPodsPerReplicaSet` per ReplicaSet.
    func testAHugeReplicaCountIsCapped() throws {
        try ok(["create", "namespace", "demo"])
        XCTAssertEqual(try http.request("POST", "/apis/apps/v1/namespaces/demo/deployments",
                                        json: deployment.replacingOccurrences(of: "REPLICAS", with: "2000000000")).status, 201)
        let deadline = Date().addingTimeInterval(60)
        var count = 0
        while Date() < deadline {
            count = (try ok(["get", "pods", "-n", "demo", "-o", "name"]).stdout).split(separator: "\n").count
            if count >= Controllers.maxPodsPerReplicaSet { break }
            usleep(200_000)
        }
        XCTAssertEqual(count, Controllers.maxPodsPerReplicaSet)
        try alive()
    }

    /// Crash: a followed log of a pod whose name holds `(` built the selector `metadata.name=a(b` and `try!`-parsed it.
    /// Names are validated now, so such a pod can only come from a state file.
    func testFollowingTheLogOfAPodWithAnOddNameFromAStateFile() throws {
        let pod: Value = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "a(b", "namespace": "default", "uid": "u1"],
                          "spec": ["containers": [["name": "main", "image": "busybox"]]], "status": ["phase": "Running"]]
        try restart(with: [pod])
        let fd = try RawHTTP.connect(port: port, timeout: 3)
        defer { close(fd) }
        RawHTTP.send(fd, Array("GET /api/v1/namespaces/default/pods/a%28b/log?follow=true HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(sandbox.token)\r\n\r\n".utf8))
        var received = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !received.contains("started container main") {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received += String(decoding: buffer[0..<n], as: UTF8.self)
        }
        XCTAssertTrue(received.hasPrefix("HTTP/1.1 200 OK"), received)
        XCTAssertTrue(received.contains("[sandbox] started container main"), received)
        try alive()
    }

    /// Crash: a restored pod IP `10.244.9223372036854775807.1` overflowed `parts[2] * 250` when the controllers
    /// started. Only octets are read now.
    func testAStateFileWithAnAbsurdPodIPStillStarts() throws {
        let pod: Value = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "old", "namespace": "default", "uid": "u1"],
                          "spec": ["containers": [["name": "main", "image": "busybox"]]],
                          "status": ["phase": "Running", "podIP": "10.244.9223372036854775807.1"]]
        try restart(with: [pod])
        try ok(["run", "new", "--image=nginx"])
        try ok(["wait", "--for=jsonpath={.status.phase}=Running", "pod/new", "--timeout=20s"])
        XCTAssertEqual(try ok(["get", "pod", "new", "-o", "jsonpath={.status.podIP}"]).stdout, "10.244.0.3")
    }

    /// Crashes: counts anyone may write were added up or incremented unchecked — a revision annotation of
    /// 9223372036854775807 on a Deployment's ReplicaSet (`revision + 1` at the next rollout), two containers'
    /// `restartCount` of 9223372036854775807 in a pod's status (the RESTARTS cell), a restored `generation` of
    /// Int.max (`+ 1` at the next spec change), a restored `resourceVersion` of Int.max (the store's counter).
    func testCountsAtTheEndOfTheRangeDoNotOverflow() throws {
        try ok(["create", "deployment", "web", "--image=nginx"])
        try ok(["wait", "--for=condition=Available", "deployment/web", "--timeout=20s"])
        let rs = try ok(["get", "rs", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}"]).stdout
        try ok(["annotate", "rs", rs, "deployment.kubernetes.io/revision=9223372036854775807", "--overwrite"])
        try ok(["set", "image", "deployment/web", "nginx=nginx:2"])
        try ok(["rollout", "status", "deployment/web", "--timeout=20s"])
        XCTAssertEqual(try ok(["get", "rs", "-l", "app=web", "-o", "name"]).stdout.split(separator: "\n").count, 2)

        let big = "9223372036854775807"
        try ok(["run", "done", "--image=busybox"])
        try ok(["patch", "pod", "done", "--type", "merge", "-p", #"{"status":{"phase":"Succeeded","containerStatuses":[{"name":"a","restartCount":\#(big)},{"name":"b","restartCount":\#(big)}]}}"#])
        XCTAssertEqual(try ok(["get", "pod", "done", "--no-headers"]).status, 0)
        XCTAssertEqual(Value.int(Int.max).countValue, Int(Int32.max))
        XCTAssertEqual(Value.string("-9223372036854775808").countValue, Int(Int32.min))

        let svc: Value = ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "old", "namespace": "default", "uid": "u1", "generation": .int(Int.max)],
                          "spec": ["ports": [["port": 80]]]]
        try restart(with: [svc])
        try ok(["patch", "service", "old", "--type", "merge", "-p", #"{"spec":{"selector":{"app":"x"}}}"#])
        XCTAssertEqual(try ok(["get", "service", "old", "-o", "jsonpath={.metadata.generation} {.spec.selector.app}"]).stdout, "\(Int.max) x")

        XCTAssertThrowsError(try restart(with: [], resourceVersion: Int.max)) {
            XCTAssertTrue("\($0)".hasSuffix("state.json: resourceVersion must be a non-negative integer below 2^53"), "\($0)")
        }
    }

    /// Stops this test's sandbox and starts one on a state file holding `items`.
    private func restart(with items: [Value], resourceVersion: Int = 10) throws {
        sandbox.stop()
        let state = dir.appendingPathComponent("state.json").path
        try StateFile.encode(items, resourceVersion: resourceVersion).write(toFile: state, atomically: true, encoding: .utf8)
        sandbox = Sandbox(directory: dir, stateFile: state)
        sandbox.delays = .fast
        (port, kubeconfig) = try sandbox.start()
    }

    /// Malformed requests get a 4xx `Status` with a real server's reason, and the server goes on.
    func testMalformedRequestsGetAStatus() throws {
        try ok(["create", "namespace", "demo"])
        let cases: [(String, String, String?, String, Int, String)] = [
            ("POST", "/api/v1/namespaces/demo/configmaps", "application/json", "{\"metadata\":", 400, "BadRequest"),
            ("POST", "/api/v1/namespaces/demo/configmaps", "application/json", "[1, 2]", 400, "BadRequest"),
            ("POST", "/api/v1/namespaces/demo/configmaps", "application/json", String(repeating: "[", count: 100_000), 400, "BadRequest"),
            ("POST", "/api/v1/namespaces/demo/configmaps", "application/vnd.kubernetes.protobuf", "k8s\0\u{0A}\u{FF}", 400, "BadRequest"),
            ("POST", "/api/v1/namespaces/demo/configmaps", "application/json", #"{"metadata":{"name":"x","labels":[1]}}"#, 400, "BadRequest"),
            ("POST", "/api/v1/namespaces/demo/pods", "application/json", #"{"metadata":{"name":"p"},"spec":{"containers":"web"}}"#, 400, "BadRequest"),
            ("PATCH", "/api/v1/namespaces/demo", "application/json", "{}", 415, "UnsupportedMediaType"),
            ("PATCH", "/api/v1/namespaces/demo", "application/json-patch+json", "{}", 400, "BadRequest"),
            ("PATCH", "/api/v1/namespaces/demo", "application/json-patch+json", #"[{"op":"test","path":"/x","value":1}]"#, 422, "Invalid"),
            ("PUT", "/api/v1/namespaces/demo/configmaps", "application/json", "{}", 405, "MethodNotAllowed"),
            ("GET", "/api/v1/namespaces/demo/pods?labelSelector=a+in+(b", nil, "", 400, "BadRequest"),
            ("GET", "/api/v1/namespaces/demo/pods?fieldSelector=%21", nil, "", 400, "BadRequest"),
            ("GET", "/api/v1/namespaces/demo/pods/nope/log?tailLines=-1", nil, "", 404, "NotFound"),
            ("GET", "/api/v1/namespaces/demo/pods/nope/exec?command=true", nil, "", 404, "NotFound"),
            ("GET", "/api/v1/namespaces/%ZZ/pods/%00", nil, "", 404, "NotFound"),
            ("GET", "/apis/apps/v1/namespaces/demo/deployments/nope/scale", nil, "", 404, "NotFound"),
            ("DELETE", "/apis/batch/v1/namespaces/demo/jobs/nope", nil, "", 404, "NotFound"),
            ("GET", "/openapi/v3/apis/nope/v9", nil, "", 404, "NotFound"),
        ]
        for (method, path, contentType, body, code, reason) in cases {
            let r = try http.request(method, path, headers: contentType.map { [("Content-Type", $0)] } ?? [], body: Array(body.utf8))
            XCTAssertEqual(r.status, code, "\(method) \(path) \(body.prefix(40))")
            XCTAssertEqual(r.json?[path: "kind"]?.stringValue, "Status", r.text)
            XCTAssertEqual(r.json?[path: "reason"]?.stringValue, reason, r.text)
            XCTAssertEqual(r.json?[path: "code"]?.intValue, code, r.text)
        }
        let containers = try http.request("POST", "/api/v1/namespaces/demo/pods", json: #"{"metadata":{"name":"p"},"spec":{"containers":"web"}}"#)
        XCTAssertEqual(containers.json?[path: "message"]?.stringValue,
                       "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container")
        try alive()
    }

    /// What escapes a request's handling unexpected is a 500 `InternalError`, worded as `errors.NewInternalError`.
    func testInternalErrorStatus() throws {
        struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }
        let status = APIError.internalError(Boom()).status
        XCTAssertEqual(try JSONWriter.encode(status),
                       #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Internal error occurred: boom","reason":"InternalError","details":{"causes":[{"message":"boom"}]},"code":500}"#)
    }

    /// A protobuf timestamp at the end of time must not trap the date formatter.
    func testProtobufTimestampsAtTheEdges() throws {
        for seconds in [Int64.max, Int64.min, 253_402_300_800] {
            var time: [UInt8] = [0x08]
            var v = UInt64(bitPattern: seconds)
            repeat {
                time.append(UInt8(v & 0x7F) | (v > 0x7F ? 0x80 : 0))
                v >>= 7
            } while v > 0
            let meta: [UInt8] = [0x0A, 0x01, UInt8(ascii: "x"), 0x42, UInt8(time.count)] + time   // name = 1, creationTimestamp = 8
            let raw: [UInt8] = [0x0A, UInt8(meta.count)] + meta
            let typeMeta: [UInt8] = [0x0A, 0x02] + Array("v1".utf8) + [0x12, 0x09] + Array("ConfigMap".utf8)
            let body = Protobuf.magic + [0x0A, UInt8(typeMeta.count)] + typeMeta + [0x12, UInt8(raw.count)] + raw
            let o = try Protobuf.decodeObject(body)
            XCTAssertEqual(o.name, "x")
        }
    }
}
