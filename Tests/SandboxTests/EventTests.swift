import Core
import Foundation
import XCTest
@testable import Sandbox

/// The story `kubectl get events` and `kubectl describe` tell about what the simulated controllers did.
final class EventTests: SandboxTestCase {
    /// `kubectl get events -n demo` as rows of "TYPE REASON OBJECT MESSAGE" (LAST SEEN dropped; columns are split on
    /// runs of two or more spaces, which no message here contains).
    private func eventRows() throws -> [String] {
        let lines = try ok(["get", "events", "-n", "demo"]).stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first?.split(separator: " ").filter { !$0.isEmpty }, ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"])
        return lines.dropFirst().map { line in
            line.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                .dropFirst().joined(separator: " | ")
        }
    }

    func testDeploymentJobAndLoadBalancerTellTheirStory() throws {
        let env = try writeDirectory("env", ControllerTests.app)
        try ok(["apply", "-k", env])
        try ok(["wait", "-n", "demo", "--for=condition=Available=True", "--timeout=20s", "deployment/x"])
        try ok(["wait", "-n", "demo", "--for=jsonpath={.status.loadBalancer.ingress[0].ip}", "--timeout=20s", "service/caddy"])
        let rs = try ok(["get", "rs", "-n", "demo", "-o", "jsonpath={.items[0].metadata.name}"]).stdout
        let pods = try ok(["get", "pods", "-n", "demo", "-l", "app=x", "-o", "jsonpath={.items[*].metadata.name}"]).stdout.split(separator: " ")
        XCTAssertEqual(pods.count, 2)
        guard let firstPod = pods.first else { return }
        // Every pod gets its events once it runs; wait for the last one.
        let deadline = Date().addingTimeInterval(10)
        var rows: [String] = []
        repeat {
            rows = try eventRows()
            if rows.filter({ $0.contains("Started container") }).count == 2 { break }
            usleep(50_000)
        } while Date() < deadline

        XCTAssertTrue(rows.contains("Normal | ScalingReplicaSet | deployment/x | Scaled up replica set \(rs) from 0 to 2"), "\(rows)")
        for pod in pods {
            XCTAssertTrue(rows.contains("Normal | SuccessfulCreate | replicaset/\(rs) | Created pod: \(pod)"), "\(rows)")
            XCTAssertTrue(rows.contains("Normal | Scheduled | pod/\(pod) | Successfully assigned demo/\(pod) to sandbox"), "\(rows)")
            for reason in ["Pulled", "Created", "Started"] {
                XCTAssertEqual(rows.filter { $0.hasPrefix("Normal | \(reason) | pod/\(pod) | ") }.count, 1, "\(reason) once: \(rows)")
            }
        }
        XCTAssertTrue(rows.contains("Normal | EnsuredLoadBalancer | service/caddy | Ensured load balancer"), "\(rows)")

        // describe shows the object's own events (kubectl selects them by involvedObject fields).
        let described = try ok(["describe", "deployment", "x", "-n", "demo"]).stdout
        XCTAssertTrue(described.contains("ScalingReplicaSet") && described.contains("Scaled up replica set \(rs) from 0 to 2"), described)
        XCTAssertFalse(described.contains("SuccessfulCreate"), "only the deployment's own events:\n\(described)")
        let pod = try ok(["describe", "pod", String(firstPod), "-n", "demo"]).stdout
        XCTAssertTrue(pod.contains("Started") && pod.contains("kubelet"), pod)

        // Scaling down is told too, and which pods went.
        try ok(["scale", "deployment/x", "-n", "demo", "--replicas=1"])
        try ok(["wait", "-n", "demo", "--for=jsonpath={.status.replicas}=1", "--timeout=20s", "deployment/x"])
        rows = try eventRows()
        XCTAssertTrue(rows.contains("Normal | ScalingReplicaSet | deployment/x | Scaled down replica set \(rs) from 2 to 1"), "\(rows)")
        XCTAssertEqual(rows.filter { $0.hasPrefix("Normal | SuccessfulDelete | replicaset/\(rs) | Deleted pod: ") }.count, 1, "\(rows)")
    }

    func testJobsRecordCompletionOrFailure() throws {
        let d = try writeDirectory("jobs", ["jobs.yaml": [Manifests.namespace(), Manifests.job("ok"),
                                                          Manifests.job("broken", annotations: #"{sandbox.tk8s/fail: "true"}"#)].joined(separator: "---\n")])
        try ok(["apply", "-f", d + "/jobs.yaml"])
        try ok(["wait", "-n", "demo", "--for=condition=complete", "--timeout=20s", "job/ok"])
        try ok(["wait", "-n", "demo", "--for=condition=failed", "--timeout=20s", "job/broken"])
        let rows = try eventRows()
        XCTAssertTrue(rows.contains("Normal | Completed | job/ok | Job completed"), "\(rows)")
        XCTAssertTrue(rows.contains("Warning | BackoffLimitExceeded | job/broken | Job has reached the specified backoff limit"), "\(rows)")
        XCTAssertEqual(rows.filter { $0.hasPrefix("Normal | SuccessfulCreate | job/ok | Created pod: ok-") }.count, 1, "\(rows)")
        // Field selectors on the subject, as `kubectl get events --field-selector` uses them.
        let warnings = try ok(["get", "events", "-n", "demo", "--field-selector", "type=Warning", "-o", "jsonpath={.items[*].reason}"]).stdout
        XCTAssertEqual(warnings, "BackoffLimitExceeded")
        let aboutOK = try ok(["get", "events", "-n", "demo", "--field-selector", "involvedObject.kind=Job,involvedObject.name=ok",
                              "-o", "jsonpath={.items[*].reason}"]).stdout
        XCTAssertEqual(aboutOK, "SuccessfulCreate Completed")
    }

    /// Only the newest events are kept: the store is trimmed every 50 records.
    func testOnlyTheNewestEventsAreKept() throws {
        let store = ObjectStore()
        _ = try store.create(ResourceCatalog.namespaces, namespace: "", object: ["metadata": ["name": "demo"]])
        var recorder = EventRecorder(store: store)
        recorder.limit = 60
        let subject: Value = ["metadata": ["name": "x", "namespace": "demo", "uid": "u1"]]
        for i in 1...120 { recorder.record(subject, ResourceCatalog.namespaces, "Tick", "tick \(i)", component: "test") }
        let kept = store.list(.all(ResourceCatalog.events, namespace: "demo")).items
        // Trimmed to 60 at the 100th record, then 20 more.
        XCTAssertEqual(kept.count, 80)
        XCTAssertEqual(kept.compactMap { $0[path: "message"]?.stringValue }.first, "tick 41")
        XCTAssertEqual(kept.compactMap { $0[path: "message"]?.stringValue }.last, "tick 120")
    }
}
