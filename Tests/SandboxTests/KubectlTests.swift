import XCTest
@testable import Sandbox

/// The real kubectl against the sandbox: each test is one command flow of `tutor k8s` / tk8s.
final class KubectlTests: SandboxTestCase {
    func testVersionAndMissingNamespace() throws {
        let v = try ok(["version", "-o", "json"])
        XCTAssertTrue(v.stdout.contains("\"gitVersion\": \"v1.32.0\""), v.stdout)
        let missing = try kubectl(["get", "namespaces", "openedx"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("namespaces \"openedx\" not found"), missing.stderr)
        try ok(["create", "namespace", "openedx"])
        try ok(["get", "namespaces", "openedx"])
        let again = try kubectl(["create", "namespace", "openedx"])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("AlreadyExists") || again.stderr.contains("already exists"), again.stderr)
    }

    static let kustomization = [
        "kustomization.yml": """
        resources: [namespace.yml, app.yml]
        labels:
        - pairs: {app.kubernetes.io/instance: openedx}
          includeSelectors: false
        """,
        "namespace.yml": """
        apiVersion: v1
        kind: Namespace
        metadata: {name: openedx}
        """,
        "app.yml": """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: x-settings, namespace: openedx, labels: {app.kubernetes.io/name: x}}
        data: {a: "1"}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: x, namespace: openedx, labels: {app.kubernetes.io/name: x}}
        spec:
          selector: {matchLabels: {app.kubernetes.io/name: x}}
          template:
            metadata: {labels: {app.kubernetes.io/name: x}}
            spec:
              containers:
              - name: x
                image: docker.io/overhangio/openedx:22.0.0
                env: [{name: A, value: "1"}, {name: B, value: "2"}]
                ports: [{containerPort: 8000}]
                volumeMounts: [{mountPath: /openedx/config, name: settings}]
              volumes: [{name: settings, configMap: {name: x-settings}}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: x, namespace: openedx, labels: {app.kubernetes.io/name: x}}
        spec:
          type: ClusterIP
          ports: [{port: 8000, protocol: TCP}]
          selector: {app.kubernetes.io/name: x}
        """,
    ]

    func testApplyTwiceIsUnchangedThenGetAllAndDeleteBySelector() throws {
        let env = try writeDirectory("env", Self.kustomization)
        let first = try ok(["apply", "--kustomize", env])
        for object in ["namespace/openedx", "configmap/x-settings", "service/x", "deployment.apps/x"] {
            XCTAssertTrue(first.stdout.contains("\(object) created"), first.stdout)
        }
        let second = try ok(["apply", "--kustomize", env])
        XCTAssertEqual(second.stdout.split(separator: "\n").filter { !$0.hasSuffix(" unchanged") }, [], second.stdout)

        let all = try ok(["get", "all", "-n", "openedx"])
        XCTAssertTrue(all.stdout.contains("deployment.apps/x"), all.stdout)
        XCTAssertTrue(all.stdout.contains("service/x"), all.stdout)

        let scaled = try ok(["scale", "--namespace", "openedx", "deployment/x", "--replicas=3"])
        XCTAssertTrue(scaled.stdout.contains("scaled"), scaled.stdout)
        let replicas = try ok(["get", "deployment/x", "-n", "openedx", "-o", "jsonpath={.spec.replicas} {.metadata.generation}"])
        XCTAssertEqual(replicas.stdout, "3 2")

        let deleted = try ok(["delete", "--namespace", "openedx", "--selector=app.kubernetes.io/name=x",
                              "deployments,services,configmaps,jobs", "--wait"])
        for object in ["deployment.apps \"x\" deleted", "service \"x\" deleted", "configmap \"x-settings\" deleted"] {
            XCTAssertTrue(deleted.stdout.contains(object), deleted.stdout)
        }
        let none = try ok(["get", "deployments,services,configmaps", "-n", "openedx", "-o", "name"])
        XCTAssertEqual(none.stdout, "")
    }

    func testDeletingANamespaceTakesItsObjects() throws {
        let env = try writeDirectory("env", Self.kustomization)
        try ok(["apply", "--kustomize", env])
        try ok(["delete", "namespace", "openedx", "--wait"])
        XCTAssertEqual(try kubectl(["get", "deployment", "x", "-n", "openedx"]).status, 1)
        XCTAssertEqual(try ok(["get", "configmaps", "--all-namespaces", "-o", "name"]).stdout, "")
    }

    /// Secrets as a server stores them: `stringData` folded into base64 `data`, type Opaque; and a `default` namespace.
    func testSecretStringDataBecomesData() throws {
        let d = try writeDirectory("secret", ["s.yaml": """
            apiVersion: v1
            kind: Secret
            metadata: {name: creds, namespace: default}
            stringData: {password: "p@ss word"}
            """])
        try ok(["apply", "-f", d + "/s.yaml"])
        XCTAssertEqual(try ok(["get", "secret", "creds", "-o", "jsonpath={.data.password} {.type} {.stringData}"]).stdout,
                       Data("p@ss word".utf8).base64EncodedString() + " Opaque ")
        let table = try ok(["get", "secrets"]).stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        XCTAssertEqual(table.first, "NAME TYPE DATA AGE")
        XCTAssertTrue(table.dropFirst().first?.hasPrefix("creds Opaque 1 ") == true, "\(table)")
    }

    /// The server's defaults appear in what kubectl shows, and a second apply still changes nothing.
    func testServerDefaultsAreFilledInAndApplyStaysUnchanged() throws {
        let d = try writeDirectory("defaults", ["d.yaml": """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: default}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: default}
            spec: {selector: {app: web}, ports: [{port: 80}]}
            """])
        try ok(["apply", "-f", d + "/d.yaml"])
        XCTAssertEqual(try ok(["get", "deployment", "web", "-o", "jsonpath={.spec.replicas} {.spec.strategy.type} {.spec.strategy.rollingUpdate.maxSurge} "
                                + "{.spec.template.spec.restartPolicy} {.spec.template.spec.containers[0].imagePullPolicy} "
                                + "{.spec.template.spec.containers[0].ports[0].protocol} {.metadata.generation}"]).stdout,
                       "1 RollingUpdate 25% Always Always TCP 1")
        XCTAssertEqual(try ok(["get", "service", "web", "-o", "jsonpath={.spec.type} {.spec.ports[0].protocol} {.spec.ports[0].targetPort} {.spec.sessionAffinity}"]).stdout,
                       "ClusterIP TCP 80 None")
        XCTAssertTrue(try ok(["describe", "deployment", "web"]).stdout.contains("StrategyType:           RollingUpdate"))
        let again = try ok(["apply", "-f", d + "/d.yaml"]).stdout
        XCTAssertEqual(again, "deployment.apps/web unchanged\nservice/web unchanged\n")
        XCTAssertEqual(try ok(["get", "deployment", "web", "-o", "jsonpath={.metadata.generation}"]).stdout, "1")
        XCTAssertEqual(APIDefaults.pullPolicy("docker.io/overhangio/openedx:22.0.3"), "IfNotPresent")
        XCTAssertEqual(APIDefaults.pullPolicy("localhost:5000/openedx"), "Always", "a registry port is not a tag")
        XCTAssertEqual(APIDefaults.pullPolicy("nginx@sha256:abc"), "IfNotPresent")
    }

    /// Lists come in a real server's order (namespace, then name), whatever the order of creation.
    func testListsAreSortedByNamespaceThenName() throws {
        try ok(["create", "namespace", "zz"])
        for (ns, name) in [("zz", "b"), ("default", "c"), ("zz", "a"), ("default", "a")] {
            try ok(["create", "configmap", name, "-n", ns])
        }
        XCTAssertEqual(try ok(["get", "configmaps", "-A", "-o", "jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {end}"]).stdout,
                       "default/a default/c zz/a zz/b ")
    }

    /// A body over the 3 MiB a real server accepts is refused with 413, not read into memory; the server carries on.
    func testOversizedBodiesAreRefused() throws {
        let big = String(repeating: "x", count: 4 << 20)
        let d = try writeDirectory("big", ["cm.json": #"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big", "namespace": "default"}, "data": {"blob": "\#(big)"}}"#])
        let r = try kubectl(["create", "-f", d + "/cm.json"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("larger than 3145728 bytes") || r.stderr.contains("too large"), r.stderr)
        XCTAssertEqual(try kubectl(["get", "configmap", "big"]).status, 1)
        try ok(["create", "configmap", "small", "--from-literal=a=b"])
    }
}
