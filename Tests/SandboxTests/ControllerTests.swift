import Foundation
import XCTest
@testable import Sandbox

/// The simulated controllers, judged by the real kubectl: `wait` returns, pods appear and go away, statuses fill in.
final class ControllerTests: SandboxTestCase {
    static let app = [
        "kustomization.yml": "resources: [namespace.yml, app.yml]\n",
        "namespace.yml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: demo}\n",
        "app.yml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: x, namespace: demo, labels: {app: x}}
        spec:
          replicas: 2
          selector: {matchLabels: {app: x}}
          template:
            metadata: {labels: {app: x}}
            spec:
              containers: [{name: x, image: docker.io/overhangio/openedx:22.0.0}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: caddy, namespace: demo}
        spec:
          type: LoadBalancer
          ports: [{port: 80, protocol: TCP}]
          selector: {app: caddy}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: other-lb, namespace: demo}
        spec:
          type: LoadBalancer
          ports: [{port: 81, protocol: TCP}]
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data, namespace: demo}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 5Gi}}
        """,
    ]

    /// Polls `get` until it prints `expected` (or the deadline passes, then fails with the last output).
    func eventually(_ args: [String], _ expected: String, timeout: TimeInterval = 10, file: StaticString = #filePath, line: UInt = #line) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try kubectl(args).stdout
            if last == expected { return }
            usleep(50_000)
        }
        XCTFail("kubectl \(args.joined(separator: " ")) printed \(last.debugDescription), not \(expected.debugDescription)", file: file, line: line)
    }

    func podPhases(_ selector: String) -> [String] {
        ["get", "pods", "-n", "demo", "-l", selector, "-o", "jsonpath={range .items[*]}{.status.phase} {end}"]
    }

    func testDeploymentBecomesAvailableScalesRollsAndCascades() throws {
        let env = try writeDirectory("env", Self.app)
        try ok(["apply", "-k", env])
        let started = Date()
        let wait = try ok(["wait", "-n", "demo", "--for=condition=Available=True", "--timeout=20s", "deployment/x"])
        XCTAssertTrue(wait.stdout.contains("deployment.apps/x condition met"), wait.stdout)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        try eventually(podPhases("app=x"), "Running Running ")

        let d = try ok(["get", "deployment/x", "-n", "demo", "-o",
                        "jsonpath={.metadata.generation} {.status.observedGeneration} {.status.replicas} {.status.readyReplicas} {.status.availableReplicas} {.status.updatedReplicas}"])
        XCTAssertEqual(d.stdout, "1 1 2 2 2 2")
        let rs = try ok(["get", "replicasets", "-n", "demo", "-o",
                         "jsonpath={.items[0].metadata.ownerReferences[0].kind}/{.items[0].metadata.ownerReferences[0].name} {.items[0].metadata.labels.pod-template-hash}"])
        XCTAssertTrue(rs.stdout.hasPrefix("Deployment/x "), rs.stdout)
        let hash = String(rs.stdout.split(separator: " ").last ?? "")
        XCTAssertNotNil(hash.range(of: "^[4-9b-df]{1,10}$", options: .regularExpression), hash)
        let ready = try ok(["get", "pods", "-n", "demo", "-l", "app=x", "-o",
                            "jsonpath={range .items[*]}{.metadata.ownerReferences[0].name} {.status.containerStatuses[0].ready}|{end}"])
        XCTAssertEqual(ready.stdout, "x-\(hash) true|x-\(hash) true|")

        try ok(["scale", "-n", "demo", "deployment/x", "--replicas=3"])
        try ok(["wait", "-n", "demo", "--for=condition=Available=True", "--timeout=20s", "deployment/x"])
        try eventually(podPhases("app=x"), "Running Running Running ")

        // A pod-template change (update-images' date label) rolls: a new ReplicaSet, the old pods go.
        try ok(["patch", "-n", "demo", "deployment/x", "--patch", #"{"spec":{"template":{"metadata":{"labels":{"date":"20260101-000000"}}}}}"#])
        try ok(["wait", "-n", "demo", "--for=condition=Available=True", "--timeout=20s", "deployment/x"])
        try eventually(["get", "pods", "-n", "demo", "-l", "app=x", "-o", "jsonpath={range .items[*]}{.metadata.labels.date} {end}"],
                       "20260101-000000 20260101-000000 20260101-000000 ")
        let after = try ok(["get", "deployment/x", "-n", "demo", "-o", "jsonpath={.metadata.generation} {.status.observedGeneration}"])
        XCTAssertEqual(after.stdout, "3 3")
        XCTAssertEqual(try ok(["get", "replicasets", "-n", "demo", "-o", "name"]).stdout.split(separator: "\n").count, 2)

        try ok(["delete", "-n", "demo", "deployment/x", "--wait"])
        try eventually(["get", "pods,replicasets", "-n", "demo", "-o", "name"], "")
    }

    func testLoadBalancerIPsAndBoundClaims() throws {
        let env = try writeDirectory("env", Self.app)
        try ok(["apply", "-k", env])
        try eventually(["get", "service", "caddy", "-n", "demo", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}"], "127.0.0.1")
        try eventually(["get", "service", "other-lb", "-n", "demo", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}"], "127.0.0.2")
        try eventually(["get", "pvc", "data", "-n", "demo", "-o", "jsonpath={.status.phase} {.status.capacity.storage}"], "Bound 5Gi")
        // Status writes leave generation alone, and a second apply is still "unchanged".
        XCTAssertEqual(try ok(["get", "service", "caddy", "-n", "demo", "-o", "jsonpath={.metadata.generation}"]).stdout, "1")
        let again = try ok(["apply", "-k", env])
        XCTAssertEqual(again.stdout.split(separator: "\n").filter { !$0.hasSuffix(" unchanged") }, [], again.stdout)
    }

    static func job(_ name: String, _ extra: String = "") -> String {
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: \(name), namespace: demo, labels: {app: \(name)}}
        spec:
          backoffLimit: 1
          template:
            spec:
              restartPolicy: Never
              containers:
              - name: main
                image: docker.io/library/busybox
        \(extra)
        """
    }

    func testJobsCompleteOrFailOnRequest() throws {
        let env = try writeDirectory("jobs", [
            "kustomization.yml": "resources: [namespace.yml, jobs.yml]\n",
            "namespace.yml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: demo}\n",
            "jobs.yml": [Self.job("ok", "        args: [sh, -e, -c, echo hello]"),
                         Self.job("bad", "        args: [sh, -e, -c, \"echo oops; exit 1\"]")].joined(separator: "\n---\n"),
        ])
        try ok(["apply", "-k", env])
        let started = Date()
        let done = try ok(["wait", "-n", "demo", "--for=condition=complete", "--timeout=20s", "job/ok"])
        XCTAssertTrue(done.stdout.contains("job.batch/ok condition met"), done.stdout)
        let failed = try ok(["wait", "-n", "demo", "--for=condition=failed", "--timeout=20s", "job/bad"])
        XCTAssertTrue(failed.stdout.contains("job.batch/bad condition met"), failed.stdout)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)

        let ok1 = try ok(["get", "job/ok", "-n", "demo", "-o", "jsonpath={.status.succeeded}|{.status.startTime}|{.status.completionTime}"])
        let fields = ok1.stdout.split(separator: "|", omittingEmptySubsequences: false)
        XCTAssertEqual(fields.count, 3, ok1.stdout)
        XCTAssertEqual(fields.first, "1", ok1.stdout)
        XCTAssertTrue(fields.allSatisfy { !$0.isEmpty }, ok1.stdout)
        XCTAssertEqual(try ok(["get", "job/bad", "-n", "demo", "-o", "jsonpath={.status.failed}"]).stdout, "1")
        XCTAssertEqual(try ok(["get", "pods", "-n", "demo", "-l", "job-name=ok", "-o", "jsonpath={.items[*].status.phase}"]).stdout, "Succeeded")
        XCTAssertEqual(try ok(["get", "pods", "-n", "demo", "-l", "job-name=bad", "-o", "jsonpath={.items[*].status.phase}"]).stdout, "Failed")

        try ok(["delete", "-n", "demo", "job/ok", "--wait"])
        try eventually(["get", "pods", "-n", "demo", "-l", "job-name=ok", "-o", "name"], "")
    }

    func testFailAnnotation() {
        XCTAssertTrue(Controllers.shouldFail(["metadata": ["annotations": ["sandbox.tk8s/fail": "true"]]]))
        XCTAssertTrue(Controllers.shouldFail(["spec": ["template": ["spec": ["containers": [["command": ["sh", "-c", "exit 3"]]]]]]]))
        XCTAssertFalse(Controllers.shouldFail(["spec": ["template": ["spec": ["containers": [["command": ["sh", "-c", "exit 0"]]]]]]]))
    }

    /// The env tk8s renders for the Tutor 22 fixture: applies twice ("unchanged"), then `wait` on Tutor's selector returns.
    func testRenderedTutorEnvBecomesAvailable() throws {
        let binary = tk8sBinaryPath()
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw XCTSkip("tk8s binary not built") }
        let root = dir.appendingPathComponent("root")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("RuntimeTests/Fixtures/tutor22/default/config.yml")
        let config = try String(contentsOf: fixture, encoding: .utf8)
        try config.write(to: root.appendingPathComponent("config.yml"), atomically: true, encoding: .utf8)
        let id = try XCTUnwrap(config.split(separator: "\n").first { $0.hasPrefix("ID: ") }?.dropFirst(4))
        let render = Process()
        render.executableURL = URL(fileURLWithPath: binary)
        render.arguments = ["--root", root.path, "-c", "render"]
        render.environment = ProcessInfo.processInfo.environment.merging(["HOME": dir.path, "TK8S_TUTOR": "none"]) { $1 }
        render.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try render.run()
        render.waitUntilExit()
        XCTAssertEqual(render.terminationStatus, 0)

        let env = root.appendingPathComponent("env").path
        try ok(["apply", "-k", env])
        let again = try ok(["apply", "-k", env])
        XCTAssertEqual(again.stdout.split(separator: "\n").filter { !$0.hasSuffix(" unchanged") }, [], again.stdout)
        let started = Date()
        let wait = try ok(["wait", "--namespace", "openedx", "--selector=app.kubernetes.io/instance=openedx-\(id),app.kubernetes.io/name=lms",
                           "--for=condition=Available=True", "--timeout=20s", "deployment"])
        XCTAssertTrue(wait.stdout.contains("deployment.apps/lms condition met"), wait.stdout)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        try ok(["wait", "--namespace", "openedx", "--for=condition=Available=True", "--timeout=20s", "deployment", "--all"])
        let ip = try ok(["get", "services/caddy", "-n", "openedx", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}"])
        XCTAssertTrue(ip.stdout.hasPrefix("127.0.0."), ip.stdout)
        let claims = try ok(["get", "pvc", "-n", "openedx", "-o", "jsonpath={.items[*].status.phase}"])
        XCTAssertEqual(Set(claims.stdout.split(separator: " ")), ["Bound"], claims.stdout)
    }
}
