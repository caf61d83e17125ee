import Foundation
import XCTest
@testable import Sandbox

/// The sandbox refuses what a real API server refuses, in its words: 422 `Invalid` with one cause per broken rule,
/// 400 for a body Go could not decode, 404 for a missing namespace. kubectl prints the messages as they come.
final class ValidationTests: SandboxTestCase {
    static let subdomainRule = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let labelRule = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"

    override func setUpWithError() throws {
        try super.setUpWithError()
        try ok(["create", "namespace", "demo"])
    }

    /// `kubectl apply -f` of one manifest; its result.
    private func apply(_ yaml: String) throws -> Result {
        let d = try writeDirectory("m-\(UUID().uuidString)", ["m.yaml": yaml])
        return try kubectl(["apply", "-f", d + "/m.yaml"])
    }

    private func deployment(name: String = "web", replicas: String = "1", container: String = "{name: web, image: nginx}",
                            labels: String = "{app: web}") -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: \(name), namespace: demo}
        spec:
          replicas: \(replicas)
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: \(labels)}
            spec: {containers: [\(container)]}
        """
    }

    func testInvalidNamesAreRefusedAsARealServerWordsIt() throws {
        let bad = try apply(deployment(name: "Bad_Name"))
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.stderr, "The Deployment \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": \(Self.subdomainRule)\n")

        let ns = try kubectl(["create", "namespace", "team.a"])
        XCTAssertEqual(ns.stderr, "The Namespace \"team.a\" is invalid: metadata.name: Invalid value: \"team.a\": must not contain dots\n")
        let upper = try kubectl(["create", "namespace", "Team"])
        XCTAssertEqual(upper.stderr, "The Namespace \"Team\" is invalid: metadata.name: Invalid value: \"Team\": \(Self.labelRule)\n")

        // Services are DNS-1035 labels: a leading digit is refused.
        let svc = try kubectl(["create", "service", "clusterip", "1web", "--tcp=80", "-n", "demo"])
        XCTAssertEqual(svc.stderr, "error: failed to create ClusterIP service: Service \"1web\" is invalid: metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')\n")

        let long = String(repeating: "a", count: 254)
        let tooLong = try kubectl(["create", "configmap", long, "-n", "demo"])
        XCTAssertEqual(tooLong.stderr, "error: failed to create configmap: ConfigMap \"\(long)\" is invalid: metadata.name: Invalid value: \"\(long)\": must be no more than 253 characters\n")
        XCTAssertEqual(try ok(["get", "configmaps", "-n", "demo", "-o", "name"]).stdout, "", "nothing was stored")
    }

    /// The Status body itself: code, reason, details with group, kind, name and one cause per error; several
    /// errors are joined in brackets.
    func testInvalidStatusCarriesEveryCause() throws {
        let body = #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"bad key":"ok","tier":"-x"}},"spec":{"replicas":-1,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web"}]}}}}"#
        let r = try http.request("POST", "/apis/apps/v1/namespaces/demo/deployments", json: body)
        XCTAssertEqual(r.status, 422)
        let status = try XCTUnwrap(r.json)
        XCTAssertEqual(status[path: "kind"]?.stringValue, "Status")
        XCTAssertEqual(status[path: "reason"]?.stringValue, "Invalid")
        XCTAssertEqual(status[path: "code"]?.intValue, 422)
        XCTAssertEqual(status[path: "details", "name"]?.stringValue, "web")
        XCTAssertEqual(status[path: "details", "group"]?.stringValue, "apps")
        XCTAssertEqual(status[path: "details", "kind"]?.stringValue, "Deployment")
        let causes = (status[path: "details", "causes"]?.listValue ?? []).map {
            [$0[path: "reason"]?.stringValue ?? "", $0[path: "field"]?.stringValue ?? "", $0[path: "message"]?.stringValue ?? ""]
        }
        let qualified = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        let value = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        XCTAssertEqual(causes, [
            ["FieldValueInvalid", "metadata.labels", "Invalid value: \"bad key\": name part \(qualified)"],
            ["FieldValueInvalid", "metadata.labels", "Invalid value: \"-x\": \(value)"],
            ["FieldValueInvalid", "spec.replicas", "Invalid value: -1: must be greater than or equal to 0"],
            ["FieldValueRequired", "spec.template.spec.containers[0].image", "Required value"],
        ])
        XCTAssertEqual(status[path: "message"]?.stringValue,
                       "Deployment.apps \"web\" is invalid: [metadata.labels: Invalid value: \"bad key\": name part \(qualified), metadata.labels: Invalid value: \"-x\": \(value), spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.template.spec.containers[0].image: Required value]")
    }

    /// Annotation keys are qualified names whatever their case; all annotations together hold at most 256 KiB.
    func testAnnotations() throws {
        let big = String(repeating: "x", count: 256 << 10)
        let r = try http.request("POST", "/api/v1/namespaces/demo/configmaps",
                                 json: #"{"metadata":{"name":"big","annotations":{"Example.com/Key":"\#(big)"}}}"#)
        XCTAssertEqual(r.status, 422)
        XCTAssertEqual(r.json?[path: "message"]?.stringValue, "ConfigMap \"big\" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes")
        XCTAssertEqual(r.json?[path: "details", "causes"]?.listValue?.first?[path: "reason"]?.stringValue, "FieldValueTooLong")
        XCTAssertEqual(try http.request("POST", "/api/v1/namespaces/demo/configmaps",
                                        json: #"{"metadata":{"name":"ok","annotations":{"Example.com/Key":"x"}}}"#).status, 201)
    }

    func testWorkloadSpecsAreChecked() throws {
        let negative = try apply(deployment(replicas: "-2"))
        XCTAssertEqual(negative.stderr, "The Deployment \"web\" is invalid: spec.replicas: Invalid value: -2: must be greater than or equal to 0\n")
        let typed = try apply(deployment(replicas: "two"))
        XCTAssertTrue(typed.stderr.hasPrefix("Error from server (BadRequest): error when creating "), typed.stderr)
        XCTAssertTrue(typed.stderr.hasSuffix(": Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32\n"), typed.stderr)
        let mismatch = try apply(deployment(labels: "{app: other}"))
        XCTAssertEqual(mismatch.stderr, "The Deployment \"web\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`\n")
        let container = try apply(deployment(container: "{name: Web_1, image: nginx, ports: [{containerPort: 70000}]}"))
        XCTAssertTrue(container.stderr.hasPrefix("The Deployment \"web\" is invalid: \n* spec.template.spec.containers[0].name: Invalid value: \"Web_1\": \(Self.labelRule)\n* spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive\n"), container.stderr)
        XCTAssertEqual(try kubectl(["get", "deployment", "web", "-n", "demo"]).status, 1, "nothing was stored")

        let job = try apply("""
            apiVersion: batch/v1
            kind: Job
            metadata: {name: migrate, namespace: demo}
            spec:
              backoffLimit: -1
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: main, image: busybox}, {name: main, image: busybox}]
            """)
        XCTAssertTrue(job.stderr.hasPrefix("The Job \"migrate\" is invalid: \n* spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0\n* spec.template.spec.containers[1].name: Duplicate value: \"main\"\n"), job.stderr)

        // An update is held to the same rules: scaling below zero is refused and leaves the object alone.
        XCTAssertEqual(try apply(deployment()).status, 0)
        let scale = try kubectl(["scale", "deployment", "web", "-n", "demo", "--replicas=-1"])
        XCTAssertNotEqual(scale.status, 0)
        let patch = try kubectl(["patch", "deployment", "web", "-n", "demo", "--type", "merge", "-p", #"{"spec":{"replicas":-3}}"#])
        XCTAssertEqual(patch.stderr, "The Deployment \"web\" is invalid: spec.replicas: Invalid value: -3: must be greater than or equal to 0\n")
        XCTAssertEqual(try ok(["get", "deployment", "web", "-n", "demo", "-o", "jsonpath={.spec.replicas}"]).stdout, "1")
    }

    /// `kubectl apply` of a Service `web` in `demo` with this `spec` (a YAML flow map).
    private func applyService(_ spec: String) throws -> Result {
        try apply("apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: demo}\nspec: \(spec)\n")
    }

    func testServicePortsAndTypes() throws {
        let svc = try applyService("{type: Internal, ports: [{port: 80, nodePort: 80}, {port: 0, targetPort: Http_Port}]}")
        XCTAssertEqual(svc.stderr, """
            The Service "web" is invalid: \n\
            * spec.ports[0].name: Required value
            * spec.ports[1].name: Required value
            * spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive
            * spec.ports[1].targetPort: Invalid value: "Http_Port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)
            * spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"

            """)
        let clusterIP = try applyService("{ports: [{port: 80, nodePort: 30080}]}")
        XCTAssertEqual(clusterIP.stderr, "The Service \"web\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'\n")
        let nodePort = try applyService("{type: NodePort, ports: [{port: 80, nodePort: 80}]}")
        XCTAssertEqual(nodePort.stderr, "The Service \"web\" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767\n")
        XCTAssertEqual(try applyService("{type: NodePort, ports: [{name: http, port: 80, nodePort: 30080}, {name: https, port: 443, targetPort: https}]}").status, 0)
    }

    func testConfigMapAndSecretData() throws {
        // kubectl turns the YAML into JSON with sorted keys, so the causes come in that order.
        let cm = try apply("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: demo}
            data: {"bad key": "x", "..": "y"}
            """)
        XCTAssertEqual(cm.stderr, """
            The ConfigMap "settings" is invalid: \n\
            * data[..]: Invalid value: "..": must not be '..'
            * data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')

            """)
        let secret = try http.request("POST", "/api/v1/namespaces/demo/secrets",
                                      json: #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"password":"c2Vj*mV0"}}"#)
        XCTAssertEqual(secret.status, 400)
        XCTAssertEqual(secret.json?[path: "message"]?.stringValue,
                       "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 4")
        XCTAssertEqual(secret.json?[path: "reason"]?.stringValue, "BadRequest")
        XCTAssertNil(secret.json?[path: "details"], "a BadRequest has no details")
        try ok(["create", "secret", "generic", "s", "-n", "demo", "--from-literal=password=secret"])
    }

    /// `generateName` gets five characters of the generated-name alphabet; a bad one is reported twice, as the prefix
    /// and as the name made from it.
    func testGenerateName() throws {
        let d = try writeDirectory("gen", ["cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: settings-, namespace: demo}\n",
                                           "bad.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: Settings-, namespace: demo}\n",
                                           "none.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {namespace: demo}\n"])
        let made = try ok(["create", "-f", d + "/cm.yaml", "-o", "name"]).stdout
        XCTAssertNotNil(made.range(of: #"^configmap/settings-[bcdfghjklmnpqrstvwxz2456789]{5}\n$"#, options: .regularExpression), made)
        let bad = try kubectl(["create", "-f", d + "/bad.yaml"])
        XCTAssertTrue(bad.stderr.hasPrefix("The ConfigMap \"Settings-"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("* metadata.generateName: Invalid value: \"Settings-\": \(Self.subdomainRule)\n* metadata.name: Invalid value: \"Settings-"), bad.stderr)
        let none = try kubectl(["create", "-f", d + "/none.yaml"])
        XCTAssertEqual(none.stderr, "The ConfigMap \"\" is invalid: metadata.name: Required value: name or generateName is required\n")
        let longPrefix = String(repeating: "p", count: 80)
        let cut = try XCTUnwrap(http.request("POST", "/api/v1/namespaces/demo/configmaps",
                                             json: #"{"metadata":{"generateName":"\#(longPrefix)"}}"#).json)
        XCTAssertEqual(cut.name.count, 63, "the prefix is cut to 58 characters: \(cut.name)")
    }

    func testNamespacesMustExistAndTheSystemOnesStay() throws {
        let missing = try kubectl(["create", "configmap", "x", "-n", "nope"])
        XCTAssertEqual(missing.stderr, "error: failed to create configmap: namespaces \"nope\" not found\n")
        let r = try http.request("POST", "/api/v1/namespaces/nope/configmaps", json: #"{"metadata":{"name":"x"}}"#)
        XCTAssertEqual(r.status, 404)
        XCTAssertEqual(r.json?[path: "message"]?.stringValue, "namespaces \"nope\" not found")
        XCTAssertEqual(r.json?[path: "details", "kind"]?.stringValue, "namespaces")
        XCTAssertEqual(try ok(["get", "namespaces", "-o", "name"]).stdout,
                       "namespace/default\nnamespace/demo\n")
        let delete = try kubectl(["delete", "namespace", "default"])
        XCTAssertEqual(delete.stderr, "Error from server (Forbidden): namespaces \"default\" is forbidden: this namespace may not be deleted\n")
        let elsewhere = try http.request("POST", "/api/v1/namespaces/demo/configmaps", json: #"{"metadata":{"name":"x","namespace":"default"}}"#)
        XCTAssertEqual(elsewhere.status, 400)
        XCTAssertEqual(elsewhere.json?[path: "message"]?.stringValue, "the namespace of the provided object does not match the namespace sent on the request")
    }

    // MARK: - The formats, word for word

    func testNameFormats() {
        XCTAssertEqual(NameFormat.dns1123Subdomain("web.example-1"), [])
        XCTAssertEqual(NameFormat.dns1123Subdomain("a..b"), [Self.subdomainRule])
        XCTAssertEqual(NameFormat.dns1123Label("web-1"), [])
        XCTAssertEqual(NameFormat.dns1123Label(String(repeating: "a", count: 64)), ["must be no more than 63 characters"])
        XCTAssertEqual(NameFormat.dns1123Label("-a"), [Self.labelRule])
        XCTAssertEqual(NameFormat.dns1035Label("a1"), [])
        XCTAssertEqual(NameFormat.qualifiedName("example.com/My_Name.1"), [])
        XCTAssertEqual(NameFormat.qualifiedName("/x"), ["prefix part must be non-empty"])
        XCTAssertEqual(NameFormat.qualifiedName("Example.com/x"), ["prefix part " + Self.subdomainRule])
        XCTAssertEqual(NameFormat.qualifiedName("a/b/c").first?.hasPrefix("a qualified name must consist of"), true)
        XCTAssertEqual(NameFormat.labelValue(""), [])
        XCTAssertEqual(NameFormat.configMapKey(".env"), [])
        XCTAssertEqual(NameFormat.configMapKey("..data"), ["must not start with '..'"])
        XCTAssertEqual(NameFormat.portName("http"), [])
        XCTAssertEqual(NameFormat.portName("8080"), ["must contain at least one letter (a-z)"])
        XCTAssertEqual(NameFormat.maskTrailingDash("web-"), "wea")
        XCTAssertEqual(GoFormat.quote("a\"b\\c\n\u{1}é"), #""a\"b\\c\n\x01é""#)
    }

    /// Go's base64 decoder stops at the same byte in each of these.
    func testBase64ErrorOffsets() {
        let cases: [(String, Int?)] = [("", nil), ("aGk=", nil), ("aGk", 0), ("aG", 0), ("a", 0), ("aGk*", 3), ("aGk=x", 4),
                                       ("a===", 1), ("aG=x", 2), ("aG=", 3), ("aGk=\n", nil), ("aG\nk=", nil), ("aGVsbG8gd29ybGQ=", nil)]
        for (input, offset) in cases {
            XCTAssertEqual(GoBase64.firstError(Array(input.utf8)), offset, input.debugDescription)
        }
    }
}
