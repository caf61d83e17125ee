import Core
import Foundation
import XCTest
@testable import Sandbox

/// `kubectl patch --type=json` (RFC 6902) on objects and on the scale and status subresources, with the real server's
/// errors; and the operations themselves, without a server.
final class JSONPatchTests: SandboxTestCase {
    /// kubectl's words for the 422 a real server gives every operation that does not apply (no "error: " before them).
    static let notApplicable = "The request is invalid: the server rejected our request due to an error in our request"

    override func setUpWithError() throws {
        try super.setUpWithError()
        try ok(["create", "configmap", "cfg", "--from-literal=a=1", "--from-literal=b=2"])
        try ok(["annotate", "configmap", "cfg", "example.com/owner=me"])
    }

    private func data(_ name: String = "cfg") throws -> String {
        try ok(["get", "configmap", name, "-o", "jsonpath={.data}"]).stdout
    }

    private func patch(_ target: String, _ ops: String, _ extra: [String] = []) throws -> Result {
        try kubectl(["patch", target, "--type=json", "-p", ops] + extra)
    }

    func testEachOperationThroughKubectl() throws {
        let r = try patch("configmap/cfg", """
            [{"op":"test","path":"/data/a","value":"1"},
             {"op":"replace","path":"/data/a","value":"one"},
             {"op":"add","path":"/data/n","value":"new"},
             {"op":"remove","path":"/data/b"},
             {"op":"move","from":"/data/n","path":"/data/moved"},
             {"op":"copy","from":"/data/a","path":"/data/copied"},
             {"op":"replace","path":"/metadata/annotations/example.com~1owner","value":"you"}]
            """)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "configmap/cfg patched\n")
        XCTAssertEqual(try data(), #"{"a":"one","copied":"one","moved":"new"}"#)
        XCTAssertEqual(try ok(["get", "configmap", "cfg", "-o", "jsonpath={.metadata.annotations.example\\.com/owner}"]).stdout, "you")

        // Lists: `-` appends, an index inserts before, remove by index.
        try ok(["create", "deployment", "web", "--image=nginx"])
        let args = "/spec/template/spec/containers/0/args"
        XCTAssertEqual(try patch("deployment/web", #"[{"op":"add","path":"\#(args)","value":["b"]},{"op":"add","path":"\#(args)/-","value":"c"},{"op":"add","path":"\#(args)/0","value":"a"}]"#).status, 0)
        XCTAssertEqual(try ok(["get", "deployment/web", "-o", "jsonpath={.spec.template.spec.containers[0].args}"]).stdout, #"["a","b","c"]"#)
        XCTAssertEqual(try patch("deployment/web", #"[{"op":"remove","path":"\#(args)/1"}]"#).status, 0)
        XCTAssertEqual(try ok(["get", "deployment/web", "-o", "jsonpath={.spec.template.spec.containers[0].args}"]).stdout, #"["a","c"]"#)
        // `replace` of a missing member of an existing object adds it, as the server's json-patch library does.
        XCTAssertEqual(try patch("deployment/web", #"[{"op":"replace","path":"/metadata/annotations","value":{"x":"y"}}]"#).status, 0)
        XCTAssertEqual(try ok(["get", "deployment/web", "-o", "jsonpath={.metadata.annotations.x}"]).stdout, "y")
    }

    func testOperationsThatDoNotApplyAre422AndChangeNothing() throws {
        let before = try data()
        for ops in [#"[{"op":"test","path":"/data/a","value":"2"},{"op":"replace","path":"/data/a","value":"x"}]"#,
                    #"[{"op":"replace","path":"/nope/a","value":"x"}]"#,
                    #"[{"op":"remove","path":"/data/missing"}]"#,
                    #"[{"op":"add","path":"data/a","value":"x"}]"#,
                    #"[{"op":"add","path":"/data/a~2","value":"x"}]"#,
                    #"[{"op":"jump","path":"/data/a"}]"#] {
            let r = try patch("configmap/cfg", ops)
            XCTAssertEqual(r.status, 1, ops)
            XCTAssertEqual(r.stderr, "\(Self.notApplicable)\n", ops)
        }
        XCTAssertEqual(try data(), before)
    }

    func testABodyThatIsNoListOfOperationsIs400() throws {
        let r = try patch("configmap/cfg", #"{"op":"add"}"#)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "Error from server (BadRequest): json: cannot unmarshal object into Go value of type jsonpatch.Patch\n")
        let raw = try http.request("PATCH", "/api/v1/namespaces/default/configmaps/cfg", json: "[1]", contentType: "application/json-patch+json")
        XCTAssertEqual(raw.status, 400)
        XCTAssertEqual(raw.json?[path: "message"]?.stringValue, "json: cannot unmarshal number into Go value of type jsonpatch.Operation")
        // With strict field validation the server decodes into its own type first, and says so.
        let strict = try http.request("PATCH", "/api/v1/namespaces/default/configmaps/cfg?fieldValidation=Strict", json: #"{"op":"add"}"#,
                                      contentType: "application/json-patch+json")
        XCTAssertEqual(strict.json?[path: "message"]?.stringValue,
                       "error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp")
        let wrong = try http.request("PATCH", "/api/v1/namespaces/default/configmaps/cfg", json: "{}", contentType: "text/plain")
        XCTAssertEqual(wrong.status, 415)
        XCTAssertEqual(wrong.json?[path: "message"]?.stringValue,
                       "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json")
    }

    func testScaleAndStatusSubresources() throws {
        try ok(["create", "deployment", "web", "--image=nginx"])
        let scaled = try patch("deployment/web", #"[{"op":"replace","path":"/spec/replicas","value":3}]"#, ["--subresource=scale"])
        XCTAssertEqual(scaled.status, 0, scaled.stderr)
        XCTAssertEqual(try ok(["get", "deployment/web", "-o", "jsonpath={.spec.replicas}"]).stdout, "3")
        let failed = try patch("deployment/web", #"[{"op":"test","path":"/spec/replicas","value":5}]"#, ["--subresource=scale"])
        XCTAssertEqual(failed.stderr, "\(Self.notApplicable)\n")

        try ok(["run", "pod", "--image=busybox"])
        let status = try patch("pod/pod", #"[{"op":"add","path":"/status/message","value":"hello"},{"op":"replace","path":"/spec/containers/0/image","value":"ignored"}]"#,
                               ["--subresource=status"])
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertEqual(try ok(["get", "pod/pod", "-o", "jsonpath={.status.message} {.spec.containers[0].image} {.metadata.generation}"]).stdout,
                       "hello busybox 1")
    }

    // MARK: - Without a server

    private func apply(_ doc: String, _ ops: String) throws -> String {
        try JSONWriter.encode(try JSONPatch(decoding: ops, strict: true).apply(to: try JSONParser.parse(doc)))
    }

    func testOperationsAsTheRFCDescribesThem() throws {
        XCTAssertEqual(try apply(#"{"a":[1,2]}"#, #"[{"op":"add","path":"/a/1","value":9}]"#), #"{"a":[1,9,2]}"#)
        XCTAssertEqual(try apply(#"{"a":[1,2]}"#, #"[{"op":"add","path":"/a/2","value":9}]"#), #"{"a":[1,2,9]}"#)
        XCTAssertThrowsError(try apply(#"{"a":[1,2]}"#, #"[{"op":"add","path":"/a/3","value":9}]"#))
        XCTAssertThrowsError(try apply(#"{"a":[1,2]}"#, #"[{"op":"replace","path":"/a/01","value":9}]"#))
        XCTAssertEqual(try apply(#"{"a":{"b":1}}"#, #"[{"op":"move","from":"/a/b","path":"/c"}]"#), #"{"a":{},"c":1}"#)
        XCTAssertEqual(try apply(#"{"a":{"b":[1]}}"#, #"[{"op":"copy","from":"/a/b","path":"/a/c"},{"op":"add","path":"/a/c/-","value":2}]"#),
                       #"{"a":{"b":[1],"c":[1,2]}}"#)
        XCTAssertEqual(try apply(#"{"":1,"a/b":2,"m~n":3}"#, #"[{"op":"test","path":"/","value":1},{"op":"test","path":"/a~1b","value":2},{"op":"test","path":"/m~0n","value":3}]"#),
                       #"{"":1,"a/b":2,"m~n":3}"#)
        // A missing member tests equal to null; members set to null are left out, as Go's decoding leaves them out.
        XCTAssertEqual(try apply(#"{"a":1}"#, #"[{"op":"test","path":"/b","value":null},{"op":"add","path":"/c","value":{"d":null}}]"#), #"{"a":1,"c":{}}"#)
        XCTAssertThrowsError(try apply(#"{"a":1}"#, #"[{"op":"test","path":"/a","value":2}]"#)) {
            XCTAssertEqual($0 as? JSONPatch.Failure, JSONPatch.Failure(reason: "testing value /a failed"))
        }
        XCTAssertThrowsError(try apply(#"{"a":1}"#, #"[{"op":"remove","path":""}]"#))
        XCTAssertEqual(try apply(#"{"a":1}"#, "null"), #"{"a":1}"#)
    }
}
