import Core
import Foundation
import XCTest
@testable import Sandbox

/// kubectl's typed `create` generators POST protobuf only; these check that what they send arrives whole
/// (read back as JSON through the real kubectl), and that the decoder walks hand-built bytes correctly.
final class ProtobufTests: SandboxTestCase {
    // The generators create in `default`, which the sandbox has from the start, as every cluster does.

    /// `kubectl get … -o json`, parsed.
    func getJSON(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let r = try ok(["get"] + args + ["-o", "json"], file: file, line: line)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout, file: file, line: line)
    }

    /// Polls a jsonpath until it prints something non-empty.
    func eventuallyNonEmpty(_ args: [String], timeout: TimeInterval = 10, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let out = try kubectl(args).stdout
            if !out.isEmpty { return out }
            usleep(50_000)
        }
        XCTFail("kubectl \(args.joined(separator: " ")) stayed empty", file: file, line: line)
        return ""
    }

    // MARK: - The real kubectl

    func testCreateConfigMapKeepsData() throws {
        try ok(["create", "configmap", "x", "--from-literal=a=b", "--from-literal=c=x y"])
        let cm = try getJSON(["configmap", "x"])
        XCTAssertEqual(cm["data"] as? [String: String], ["a": "b", "c": "x y"], "\(cm)")
        XCTAssertEqual((cm["metadata"] as? [String: Any])?["name"] as? String, "x")
        XCTAssertNil((cm["metadata"] as? [String: Any])?["generateName"], "empty strings are not stored")
    }

    func testCreateConfigMapFromFileKeepsBinaryData() throws {
        let d = dir.appendingPathComponent("files")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        let binary = Data([0xFF, 0x00, 0xFE, 0x80])
        try binary.write(to: d.appendingPathComponent("blob"))
        try "hello\n".write(to: d.appendingPathComponent("text"), atomically: true, encoding: .utf8)
        try ok(["create", "configmap", "files", "--from-file=\(d.appendingPathComponent("blob").path)",
                "--from-file=\(d.appendingPathComponent("text").path)"])
        let cm = try getJSON(["configmap", "files"])
        XCTAssertEqual(cm["data"] as? [String: String], ["text": "hello\n"], "\(cm)")
        XCTAssertEqual(cm["binaryData"] as? [String: String], ["blob": binary.base64EncodedString()], "\(cm)")
    }

    func testCreateSecretGenericKeepsBase64DataAndType() throws {
        // The decoder reads Secrets (testDecoderKeepsPointerZerosAndBase64sBytes); this runs once the sandbox serves them.
        try ok(["create", "secret", "generic", "s", "--from-literal=user=admin", "--from-literal=pass=s3cr3t! x"])
        let s = try getJSON(["secret", "s"])
        XCTAssertEqual(s["data"] as? [String: String],
                       ["user": Data("admin".utf8).base64EncodedString(), "pass": Data("s3cr3t! x".utf8).base64EncodedString()], "\(s)")
        XCTAssertEqual(s["type"] as? String, "Opaque")
        let decoded = try ok(["get", "secret", "s", "-o", "jsonpath={.data.pass}"]).stdout
        XCTAssertEqual(Data(base64Encoded: decoded).map { String(decoding: $0, as: UTF8.self) }, "s3cr3t! x")
    }

    func testCreateDeploymentKeepsSpecAndBecomesAvailable() throws {
        try ok(["create", "deployment", "web", "--image=nginx", "--replicas=2", "--port=8080"])
        let d = try ok(["get", "deployment", "web", "-o",
                        "jsonpath={.spec.replicas} {.spec.selector.matchLabels.app} {.spec.template.metadata.labels.app} {.spec.template.spec.containers[0].name} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort} {.metadata.labels.app}"])
        XCTAssertEqual(d.stdout, "2 web web nginx nginx 8080 web")
        let wait = try ok(["wait", "--for=condition=Available", "deployment/web", "--timeout=20s"])
        XCTAssertTrue(wait.stdout.contains("condition met"), wait.stdout)
        let pods = try getJSON(["pods", "-l", "app=web"])
        XCTAssertEqual((pods["items"] as? [Any])?.count, 2, "\(pods)")
    }

    func testCreateDeploymentWithZeroReplicasKeepsTheZero() throws {
        try ok(["create", "deployment", "idle", "--image=nginx", "--replicas=0"])
        XCTAssertEqual(try ok(["get", "deployment", "idle", "-o", "jsonpath={.spec.replicas}"]).stdout, "0")
    }

    func testCreateJobKeepsCommandAndCompletes() throws {
        try ok(["create", "job", "j", "--image=busybox", "--", "echo", "hi"])
        let j = try ok(["get", "job", "j", "-o",
                        "jsonpath={.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].command} {.spec.template.spec.restartPolicy}"])
        XCTAssertEqual(j.stdout, "busybox [\"echo\",\"hi\"] Never")
        let wait = try ok(["wait", "--for=condition=complete", "job/j", "--timeout=20s"])
        XCTAssertTrue(wait.stdout.contains("condition met"), wait.stdout)
    }

    func testCreateJobWithAFailingCommandFails() throws {
        try ok(["create", "job", "bad", "--image=busybox", "--", "sh", "-c", "exit 3"])
        let wait = try ok(["wait", "--for=condition=failed", "job/bad", "--timeout=20s"])
        XCTAssertTrue(wait.stdout.contains("condition met"), wait.stdout)
    }

    func testCreateLoadBalancerServiceKeepsPortsAndGetsAnIngressIP() throws {
        try ok(["create", "service", "loadbalancer", "lb", "--tcp=80:8080"])
        let svc = try ok(["get", "service", "lb", "-o",
                          "jsonpath={.spec.type} {.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.ports[0].protocol} {.spec.selector.app}"])
        XCTAssertEqual(svc.stdout, "LoadBalancer 80 8080 TCP lb")
        let raw = try getJSON(["service", "lb"])
        let port = ((raw["spec"] as? [String: Any])?["ports"] as? [[String: Any]])?.first
        XCTAssertEqual(port?["targetPort"] as? Int, 8080, "targetPort is a JSON number: \(raw)")
        let ip = try eventuallyNonEmpty(["get", "service", "lb", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}"])
        XCTAssertTrue(ip.hasPrefix("127.0.0."), ip)
    }

    func testCreateClusterIPServiceWithANamedTargetPort() throws {
        try ok(["create", "service", "clusterip", "c", "--tcp=5678:http"])
        let raw = try getJSON(["service", "c"])
        let spec = raw["spec"] as? [String: Any]
        let port = (spec?["ports"] as? [[String: Any]])?.first
        XCTAssertEqual(spec?["type"] as? String, "ClusterIP", "\(raw)")
        XCTAssertEqual(port?["port"] as? Int, 5678, "\(raw)")
        XCTAssertEqual(port?["targetPort"] as? String, "http", "a string IntOrString stays a string: \(raw)")
    }

    func testCreateNamespaceThenObjectsInIt() throws {
        try ok(["create", "namespace", "demo"])
        XCTAssertEqual(try ok(["get", "namespace", "demo", "-o", "jsonpath={.status.phase}"]).stdout, "Active")
        try ok(["create", "configmap", "settings", "-n", "demo", "--from-literal=k=v"])
        XCTAssertEqual(try ok(["get", "configmap", "settings", "-n", "demo", "-o", "jsonpath={.data.k}"]).stdout, "v")
    }

    // MARK: - The decoder on hand-built bytes

    /// Protobuf encoding helpers, written out so the test does not share code with the decoder.
    static func varint(_ v: UInt64) -> [UInt8] {
        var v = v, out: [UInt8] = []
        repeat {
            var b = UInt8(v & 0x7F)
            v >>= 7
            if v != 0 { b |= 0x80 }
            out.append(b)
        } while v != 0
        return out
    }
    static func tag(_ n: Int, _ wire: Int) -> [UInt8] { varint(UInt64(n << 3 | wire)) }
    static func int(_ n: Int, _ v: Int) -> [UInt8] { tag(n, 0) + varint(UInt64(bitPattern: Int64(v))) }
    static func bytes(_ n: Int, _ b: [UInt8]) -> [UInt8] { tag(n, 2) + varint(UInt64(b.count)) + b }
    static func string(_ n: Int, _ s: String) -> [UInt8] { bytes(n, Array(s.utf8)) }
    static func entry(_ n: Int, _ k: String, _ v: String) -> [UInt8] { bytes(n, string(1, k) + string(2, v)) }
    static func envelope(apiVersion: String, kind: String, _ raw: [UInt8]) -> [UInt8] {
        Protobuf.magic + bytes(1, string(1, apiVersion) + string(2, kind)) + bytes(2, raw)
    }

    /// A Deployment with a varint over 127, nested messages, a map, a negative int32, an IntOrString of each
    /// sort, and unknown fields of every wire type in the middle.
    static let deployment: [UInt8] = {
        let meta = string(1, "big") + string(2, "") + string(3, "default") + entry(11, "app", "big")
            + bytes(8, [])  // creationTimestamp, the zero Time kubectl always sends
        let container = string(1, "c") + string(2, "img:1") + string(3, "sh") + string(3, "-c")
            + bytes(8, bytes(1, string(1, "cpu") + bytes(2, string(1, "250m"))))  // resources.limits.cpu
            + bytes(6, int(3, 8080) + string(4, "TCP"))
        let podSpec = bytes(2, container) + string(3, "Always")
            + bytes(14, int(2, 1000) + int(4, 5) + int(4, 6))  // securityContext: runAsUser, supplementalGroups
        let template = bytes(1, entry(11, "app", "big")) + bytes(2, podSpec)
        let strategy = string(1, "RollingUpdate")
            + bytes(2, bytes(1, int(1, 1) + int(2, 0) + string(3, "25%")) + bytes(2, int(1, 0) + int(2, 2)))
        let spec = int(1, 300)  // replicas: a two-byte varint
            + tag(99, 0) + varint(7) + tag(98, 1) + [UInt8](repeating: 1, count: 8)
            + tag(97, 5) + [1, 2, 3, 4] + bytes(96, [1, 2, 3])  // unknown fields, skipped
            + bytes(2, entry(1, "app", "big") + bytes(2, string(1, "tier") + string(2, "In") + string(3, "web") + string(3, "api")))
            + bytes(3, template) + bytes(4, strategy) + int(5, 0) + int(6, -1)
        return envelope(apiVersion: "apps/v1", kind: "Deployment", bytes(1, meta) + bytes(2, spec) + bytes(3, []))
    }()

    func testDecoderWalksNestedMessagesVarintsAndUnknownFields() throws {
        let o = try Protobuf.decodeObject(Self.deployment)
        func s(_ path: String...) -> String? { o.at(path)?.stringValue }
        func i(_ path: String...) -> Int? { if case .int(let v)? = o.at(path) { return v } else { return nil } }
        XCTAssertEqual(s("apiVersion"), "apps/v1")
        XCTAssertEqual(s("kind"), "Deployment")
        XCTAssertEqual(s("metadata", "name"), "big")
        XCTAssertEqual(s("metadata", "namespace"), "default")
        XCTAssertNil(o.at(["metadata", "generateName"]), "an empty non-pointer string is unset")
        XCTAssertNil(o.at(["metadata", "creationTimestamp"]), "the zero Time is left out")
        XCTAssertEqual(s("metadata", "labels", "app"), "big")
        XCTAssertEqual(i("spec", "replicas"), 300)
        XCTAssertNil(o.at(["spec", "minReadySeconds"]), "a zero non-pointer int is unset")
        XCTAssertEqual(i("spec", "revisionHistoryLimit"), -1, "negative int32s arrive sign-extended")
        XCTAssertEqual(s("spec", "selector", "matchLabels", "app"), "big")
        let expressions = o.at(["spec", "selector", "matchExpressions"])
        XCTAssertEqual(expressions.map(describe), #"[{"key":"tier","operator":"In","values":["web","api"]}]"#)
        XCTAssertEqual(s("spec", "template", "metadata", "labels", "app"), "big")
        let containers = o.at(["spec", "template", "spec", "containers"])
        XCTAssertEqual(containers.map(describe),
                       #"[{"name":"c","image":"img:1","command":["sh","-c"],"resources":{"limits":{"cpu":"250m"}},"ports":[{"containerPort":8080,"protocol":"TCP"}]}]"#)
        XCTAssertEqual(s("spec", "template", "spec", "restartPolicy"), "Always")
        XCTAssertEqual(o.at(["spec", "template", "spec", "securityContext"]).map(describe), #"{"runAsUser":1000,"supplementalGroups":[5,6]}"#)
        XCTAssertEqual(o.at(["spec", "strategy"]).map(describe), #"{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":2}}"#)
        XCTAssertNil(o.at(["status"]), "the empty status every create carries is left to the store")
    }

    func testDecoderKeepsPointerZerosAndBase64sBytes() throws {
        let secret = Self.envelope(apiVersion: "v1", kind: "Secret",
                                   Self.bytes(1, Self.string(1, "s")) + Self.int(5, 0)
                                   + Self.bytes(2, Self.string(1, "k") + Self.bytes(2, [0x00, 0xFF, 0x10]))
                                   + Self.bytes(2, Self.string(1, "empty")) + Self.string(3, "Opaque"))
        let o = try Protobuf.decodeObject(secret)
        XCTAssertEqual(o.at(["immutable"]).map(describe), "false", "a pointer field's explicit false is kept")
        XCTAssertEqual(o.at(["data"]).map(describe), #"{"k":"AP8Q","empty":""}"#)
        XCTAssertEqual(o.at(["type"])?.stringValue, "Opaque")
    }

    func testDecoderAcceptsPackedVarintsAndKeepsEmptyMessages() throws {
        let container = Self.string(1, "c") + Self.bytes(8, [])  // resources: {}, as kubectl always sends it
        let pod = Self.envelope(apiVersion: "v1", kind: "Pod",
                                Self.bytes(2, Self.bytes(14, Self.bytes(4, Self.varint(7) + Self.varint(300))) + Self.bytes(2, container))
                                + Self.bytes(3, Self.string(1, "Running")))
        let o = try Protobuf.decodeObject(pod)
        XCTAssertEqual(o.at(["spec", "securityContext", "supplementalGroups"]).map(describe), "[7,300]")
        XCTAssertEqual(o.at(["spec", "containers"]).map(describe), #"[{"name":"c","resources":{}}]"#, "an empty message is {}, as in JSON")
        XCTAssertEqual(o.at(["status"]).map(describe), #"{"phase":"Running"}"#, "a status with content stays")
    }

    func testDecoderReadsMetadataOfKindsWithoutADescriptor() throws {
        let sa = Self.envelope(apiVersion: "v1", kind: "ServiceAccount",
                               Self.bytes(1, Self.string(1, "robot") + Self.entry(12, "note", "hi")) + Self.bytes(2, Self.string(1, "ignored")))
        let o = try Protobuf.decodeObject(sa)
        XCTAssertEqual(o.at(["metadata"]).map(describe), #"{"name":"robot","annotations":{"note":"hi"}}"#)
        XCTAssertEqual(o.entries?.keys.sorted(), ["apiVersion", "kind", "metadata"])
    }

    func testDecoderRejectsTruncatedAndMalformedBytes() throws {
        XCTAssertThrowsError(try Protobuf.decodeObject(Array(Self.deployment.dropLast())), "truncated by one byte")
        XCTAssertThrowsError(try Protobuf.decodeObject(Array(Self.deployment.prefix(40))), "cut in the middle")
        XCTAssertThrowsError(try Protobuf.decodeObject([0x6B, 0x38, 0x73]), "shorter than the magic")
        XCTAssertThrowsError(try Protobuf.decodeObject(Array("{\"kind\":\"ConfigMap\"}".utf8)), "JSON is not protobuf")
        let overlong = Self.envelope(apiVersion: "v1", kind: "ConfigMap", Self.tag(1, 2) + Self.varint(50) + [1, 2])
        XCTAssertThrowsError(try Protobuf.decodeObject(overlong), "a length past the end")
        let unterminated = Self.envelope(apiVersion: "v1", kind: "ConfigMap", Self.tag(4, 0) + [0x80, 0x80])
        XCTAssertThrowsError(try Protobuf.decodeObject(unterminated), "a varint that never ends")
        let wrongWire = Self.envelope(apiVersion: "v1", kind: "ConfigMap", Self.int(1, 5))
        XCTAssertThrowsError(try Protobuf.decodeObject(wrongWire), "metadata as a varint")
        let group = Self.envelope(apiVersion: "v1", kind: "ConfigMap", Self.tag(9, 3))
        XCTAssertThrowsError(try Protobuf.decodeObject(group), "groups are not Kubernetes")
    }

    /// Every message a field names is in the table, so no kubectl body can hit a missing descriptor.
    func testSchemaReferencesResolve() {
        func referenced(_ kind: ProtobufSchema.Kind) -> String? {
            switch kind {
            case .message(let m), .inline(let m): return m
            case .repeated(let k), .map(let k): return referenced(k)
            default: return nil
            }
        }
        for (name, fields) in ProtobufSchema.messages {
            for (number, field) in fields {
                if let m = referenced(field.kind) {
                    XCTAssertNotNil(ProtobufSchema.messages[m], "\(name).\(field.name) = \(number) names \(m)")
                }
            }
        }
        for kind in ProtobufSchema.topLevelKinds {
            XCTAssertEqual(ProtobufSchema.message(forKind: kind), kind)
            XCTAssertEqual(ProtobufSchema.messages[kind]?[1]?.name, "metadata", kind)
        }
        // No message contains itself, however deep: the decoder's recursion is bounded by the schema, not by the body
        // (a 3 MiB body of nested messages cannot exhaust the stack).
        func reaches(_ target: String, from name: String, seen: inout Set<String>) -> Bool {
            for field in (ProtobufSchema.messages[name] ?? [:]).values {
                guard let m = referenced(field.kind) else { continue }
                if m == target { return true }
                if seen.insert(m).inserted, reaches(target, from: m, seen: &seen) { return true }
            }
            return false
        }
        for name in ProtobufSchema.messages.keys {
            var seen: Set<String> = []
            XCTAssertFalse(reaches(name, from: name, seen: &seen), "\(name) contains itself")
        }
    }
}

/// Compact JSON of a value, for comparing decoded trees in one assertion.
private func describe(_ v: Value) -> String {
    switch v {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .int(let i): return String(i)
    case .float(let d): return String(d)
    case .string(let s): return "\"" + s + "\""
    case .list(let l): return "[" + l.map(describe).joined(separator: ",") + "]"
    case .map(let m): return "{" + m.dict.map { "\"\($0.key)\":" + describe($0.value) }.joined(separator: ",") + "}"
    case .error: return "error"
    }
}
