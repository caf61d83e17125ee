import Core
import Foundation
import XCTest
@testable import Sandbox

/// `Sandbox(stateFile:)` / `tk8s sandbox serve --state FILE`: the objects outlive a restart.
final class StateFileTests: SandboxTestCase {
    private var statePath: String { dir.appendingPathComponent("state/cluster.json").path }

    /// Stops the current sandbox and starts another one on `statePath` (the harness's kubectl follows it).
    private func restart(jobRun: Double = 0.05) throws {
        XCTAssertNil(sandbox.stop())
        sandbox = Sandbox(directory: dir, stateFile: statePath)
        sandbox.delays = SandboxDelays(podStart: 0.05, jobRun: jobRun)
        (port, kubeconfig) = try sandbox.start()
    }

    private func json(_ args: [String]) throws -> Value {
        try JSONParser.parse(try ok(args + ["-o", "json"]).stdout)
    }

    private let manifests = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: demo}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: demo}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: lb, namespace: demo}
        spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data, namespace: demo}
        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
        """

    func testObjectsUIDsAndLoadBalancerIPSurviveARestart() throws {
        try restart()
        let d = try writeDirectory("m", ["all.yaml": manifests])
        try ok(["apply", "-f", d + "/all.yaml"])
        try ok(["wait", "--for=condition=Available", "deployment/web", "-n", "demo", "--timeout=20s"])
        try ok(["wait", "--for=jsonpath={.status.loadBalancer.ingress[0].ip}", "service/lb", "-n", "demo", "--timeout=20s"])
        let before = try json(["get", "deployments,services,pvc,pods", "-n", "demo"])
        let versionBefore = sandbox.resourceVersion
        try restart()

        let after = try json(["get", "deployments,services,pvc,pods", "-n", "demo"])
        func summary(_ list: Value) -> [String] {
            (list[path: "items"]?.listValue ?? []).map { "\($0[path: "kind"]!.stringValue!)/\($0.name) \($0.uid)" }.sorted()
        }
        XCTAssertEqual(summary(after), summary(before))
        XCTAssertEqual(summary(after).count, 5, "deployment, service, pvc and two pods: \(summary(after))")
        let ip = { (list: Value) in
            list[path: "items"]?.listValue?.first { $0[path: "kind"]?.stringValue == "Service" }?[path: "status", "loadBalancer", "ingress"]?.listValue?.first?[path: "ip"]?.stringValue
        }
        XCTAssertEqual(ip(after), "127.0.0.1")
        XCTAssertEqual(ip(after), ip(before))
        // Versions continue: nothing a client saw before the restart is handed out again.
        XCTAssertGreaterThanOrEqual(sandbox.resourceVersion, versionBefore)
        try ok(["apply", "-f", d + "/all.yaml"])
        XCTAssertGreaterThanOrEqual(sandbox.resourceVersion, versionBefore)

        // The restored cluster is live: the controllers pick its objects up again.
        try ok(["scale", "deployment/web", "-n", "demo", "--replicas=3"])
        try ok(["wait", "--for=jsonpath={.status.availableReplicas}=3", "deployment/web", "-n", "demo", "--timeout=20s"])
        let pods = try json(["get", "pods", "-n", "demo", "-l", "app=web"])[path: "items"]?.listValue ?? []
        XCTAssertEqual(pods.count, 3)
        XCTAssertEqual(Set(pods.compactMap { $0[path: "status", "podIP"]?.stringValue }).count, 3, "no two pods share an IP")
        // A second load balancer gets the next free IP, not the restored one's.
        let lb2 = try writeDirectory("lb2", ["svc.yaml": """
            apiVersion: v1
            kind: Service
            metadata: {name: lb2, namespace: demo}
            spec: {type: LoadBalancer, ports: [{port: 81}]}
            """])
        try ok(["apply", "-f", lb2 + "/svc.yaml"])
        try ok(["wait", "--for=jsonpath={.status.loadBalancer.ingress[0].ip}=127.0.0.2", "service/lb2", "-n", "demo", "--timeout=20s"])
    }

    /// A Job that was running when the sandbox stopped finishes after the restart (its timer did not survive it).
    func testARunningJobCompletesAfterTheRestart() throws {
        try restart(jobRun: 30)
        let d = try writeDirectory("j", ["job.yaml": Manifests.namespace() + "---\n" + Manifests.job("once")])
        try ok(["apply", "-f", d + "/job.yaml"])
        try ok(["wait", "--for=jsonpath={.status.active}=1", "job/once", "-n", "demo", "--timeout=20s"])
        try ok(["wait", "--for=jsonpath={.status.phase}=Running", "pods", "-l", "job-name=once", "-n", "demo", "--timeout=20s"])
        try restart(jobRun: 0.05)
        try ok(["wait", "--for=condition=complete", "job/once", "-n", "demo", "--timeout=20s"])
    }

    func testWritesAreAtomicPrivateAndFollowEveryChange() throws {
        try restart()
        try ok(["create", "namespace", "demo"])
        // Written within the save delay, without stopping.
        let deadline = Date().addingTimeInterval(5)
        var text = ""
        while Date() < deadline {
            text = (try? String(contentsOfFile: statePath, encoding: .utf8)) ?? ""
            if text.contains("\"demo\"") { break }
            usleep(50_000)
        }
        XCTAssertTrue(text.contains("\"demo\""), text)
        let (items, version) = try StateFile.decode(text, path: statePath)
        XCTAssertEqual(items.map { $0.1.name }, ["default", "demo"])
        XCTAssertGreaterThan(version, 0)
        let mode = try FileManager.default.attributesOfItem(atPath: statePath)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600, "Secrets live in it")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (statePath as NSString).deletingLastPathComponent)
            .filter { $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [])
    }

    /// A save scheduled by a change just before `stop` must not land after it: the file is the next owner's then
    /// (found by RobustnessTests under load, where a stopped sandbox overwrote the state file a test had just written).
    func testNothingIsWrittenAfterStop() throws {
        try restart()
        try ok(["create", "namespace", "demo"])
        XCTAssertNil(sandbox.stop())
        let mine = "written after the sandbox stopped\n"
        try mine.write(toFile: statePath, atomically: true, encoding: .utf8)
        // The store's change notices reach the state file's queue asynchronously: give a late save time to fire.
        usleep(600_000)
        XCTAssertEqual(try String(contentsOfFile: statePath, encoding: .utf8), mine)
        sandbox = Sandbox(directory: dir.appendingPathComponent("next"))
        (port, kubeconfig) = try sandbox.start()
    }

    func testABrokenOrForeignStateFileIsRefusedAndLeftAlone() throws {
        try FileManager.default.createDirectory(atPath: (statePath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        for (text, message) in [
            ("{\"kind\": 1", "cannot parse JSON"),
            ("{\"kind\": \"Pod\"}", "is not a sandbox state file"),
            ("{\"apiVersion\": \"sandbox.tk8s/v1\", \"kind\": \"SandboxState\", \"resourceVersion\": 3, \"items\": [{\"apiVersion\": \"v1\", \"kind\": \"Secretish\", \"metadata\": {\"name\": \"x\"}}]}",
             "items[0] has apiVersion \"v1\" kind \"Secretish\""),
        ] {
            try text.write(toFile: statePath, atomically: true, encoding: .utf8)
            let s = Sandbox(directory: dir.appendingPathComponent("other"), stateFile: statePath)
            XCTAssertThrowsError(try s.start()) { XCTAssertTrue("\($0)".contains(message), "\($0)") }
            XCTAssertEqual(try String(contentsOfFile: statePath, encoding: .utf8), text, "left as it was")
            s.stop()
            XCTAssertEqual(try String(contentsOfFile: statePath, encoding: .utf8), text, "stopping it does not save an empty cluster over it")
        }
    }

    /// A server killed between writing its temporary file and renaming it leaves the file behind; the next one to
    /// take the lock removes it (and only files of that pattern).
    func testLeftoversOfAKilledServerAreRemovedAtLoad() throws {
        let directory = (statePath as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in [".cluster.json.tmp-4242-17", ".cluster.json.tmp-4243-18", "keep.json", ".other.json.tmp-1-2"] {
            try "{}".write(toFile: directory + "/" + name, atomically: false, encoding: .utf8)
        }
        try restart()
        // (This process's own write, if one is in flight, is not a leftover.)
        let left = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { !$0.hasPrefix("cluster.json") && !$0.hasPrefix(".cluster.json.tmp-\(getpid())-") }.sorted()
        XCTAssertEqual(left, [".other.json.tmp-1-2", "keep.json"])
    }

    func testTwoSandboxesCannotShareAStateFile() throws {
        try restart()
        let second = Sandbox(directory: dir.appendingPathComponent("other"), stateFile: statePath)
        XCTAssertThrowsError(try second.start()) { XCTAssertTrue("\($0)".contains("another sandbox is using the state file"), "\($0)") }
    }
}
