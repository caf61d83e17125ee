import Core
import Foundation
import XCTest
@testable import Sandbox

/// `kubectl rollout restart|status|history|undo` against the simulated deployment controller, judged by the real
/// kubectl: new ReplicaSets and revisions, old ones scaled down, undo back to an old ReplicaSet, history pruning.
final class RolloutTests: SandboxTestCase {
    /// A 2-replica Deployment `x` in `default`.
    private func deploy(historyLimit: Int? = nil) throws {
        let limit = historyLimit.map { "  revisionHistoryLimit: \($0)\n" } ?? ""
        let dir = try writeDirectory("app", ["app.yml": """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: x, labels: {app: x}}
            spec:
              replicas: 2
            \(limit)  selector: {matchLabels: {app: x}}
              template:
                metadata: {labels: {app: x}}
                spec:
                  containers: [{name: x, image: docker.io/overhangio/openedx:22.0.0}]

            """])
        try ok(["apply", "-f", dir + "/app.yml"])
        try rolledOut()
    }

    /// `rollout status` returns 0 with kubectl's words once the rollout is complete.
    @discardableResult
    private func rolledOut(file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let r = try ok(["rollout", "status", "deployment/x", "--timeout=30s"], file: file, line: line)
        XCTAssertTrue(r.stdout.hasSuffix("deployment \"x\" successfully rolled out\n"), r.stdout, file: file, line: line)
        return r
    }

    /// The Deployment's ReplicaSets by revision: hash, spec replicas, revision-history.
    private func replicaSets() throws -> [Int: (hash: String, replicas: Int, history: String)] {
        let out = try ok(["get", "rs", "-l", "app=x", "-o", #"jsonpath={range .items[*]}{.metadata.annotations.deployment\.kubernetes\.io/revision} {.metadata.labels.pod-template-hash} {.spec.replicas} {.metadata.annotations.deployment\.kubernetes\.io/revision-history}{"\n"}{end}"#]).stdout
        var sets: [Int: (String, Int, String)] = [:]
        for line in out.split(separator: "\n") {
            let f = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            sets[Int(f[0]) ?? -1] = (f[1], Int(f[2]) ?? -1, f.count > 3 ? f[3] : "")
        }
        return sets
    }

    private func deploymentRevision() throws -> String {
        try ok(["get", "deployment/x", "-o", #"jsonpath={.metadata.annotations.deployment\.kubernetes\.io/revision}"#]).stdout
    }

    /// The pod-template-hash of every pod of the Deployment.
    private func podHashes() throws -> [String] {
        try ok(["get", "pods", "-l", "app=x", "-o", "jsonpath={.items[*].metadata.labels.pod-template-hash}"]).stdout.split(separator: " ").map(String.init)
    }

    func testRestartMakesANewReplicaSetAndStatusWaitsForIt() throws {
        try deploy()
        let first = try XCTUnwrap(try replicaSets()[1]).hash
        XCTAssertEqual(try deploymentRevision(), "1")
        XCTAssertEqual(try ok(["rollout", "restart", "deployment/x"]).stdout, "deployment.apps/x restarted\n")
        try rolledOut()
        let sets = try replicaSets()
        XCTAssertEqual(sets.keys.sorted(), [1, 2])
        let second = try XCTUnwrap(sets[2])
        XCTAssertNotEqual(second.hash, first)
        XCTAssertEqual(second.replicas, 2)
        XCTAssertEqual(sets[1]?.replicas, 0)
        XCTAssertEqual(try deploymentRevision(), "2")
        // Complete means the old pods are gone, not only scaled down.
        XCTAssertEqual(try podHashes(), [second.hash, second.hash])
        let status = try ok(["get", "deployment/x", "-o",
                             "jsonpath={.metadata.generation} {.status.observedGeneration} {.status.replicas} {.status.updatedReplicas} {.status.availableReplicas}"])
        XCTAssertEqual(status.stdout, "2 2 2 2 2")
    }

    func testHistoryAndUndoBackToTheSameReplicaSet() throws {
        try deploy()
        let first = try XCTUnwrap(try replicaSets()[1]).hash
        try ok(["rollout", "restart", "deployment/x"])
        try rolledOut()
        let second = try XCTUnwrap(try replicaSets()[2]).hash

        let history = try ok(["rollout", "history", "deployment/x"]).stdout
        XCTAssertEqual(history.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") },
                       ["deployment.apps/x", "REVISION CHANGE-CAUSE", "1 <none>", "2 <none>"], history)
        let one = try ok(["rollout", "history", "deployment/x", "--revision=1"]).stdout
        XCTAssertTrue(one.contains("deployment.apps/x with revision #1"), one)
        XCTAssertTrue(one.contains("pod-template-hash=\(first)"), one)

        // kubectl sends a JSON patch of the old template (hash label removed) and annotations; the controller finds
        // the old ReplicaSet by its template and makes it revision 3.
        XCTAssertEqual(try ok(["rollout", "undo", "deployment/x"]).stdout, "deployment.apps/x rolled back\n")
        try rolledOut()
        var sets = try replicaSets()
        XCTAssertEqual(sets.keys.sorted(), [2, 3])
        XCTAssertEqual(sets[3]?.hash, first)
        XCTAssertEqual(sets[3]?.replicas, 2)
        XCTAssertEqual(sets[3]?.history, "1")
        XCTAssertEqual(sets[2]?.replicas, 0)
        XCTAssertEqual(try deploymentRevision(), "3")
        XCTAssertEqual(try podHashes(), [first, first])
        XCTAssertEqual(try ok(["get", "rs", "-l", "app=x", "-o", "name"]).stdout.split(separator: "\n").count, 2)

        // To a given revision, and to one that is gone.
        try ok(["rollout", "undo", "deployment/x", "--to-revision=2"])
        try rolledOut()
        sets = try replicaSets()
        XCTAssertEqual(sets.keys.sorted(), [3, 4])
        XCTAssertEqual(sets[4]?.hash, second)
        XCTAssertEqual(sets[4]?.history, "2")
        let gone = try kubectl(["rollout", "undo", "deployment/x", "--to-revision=1"])
        XCTAssertEqual(gone.status, 1)
        XCTAssertEqual(gone.stderr, "error: unable to find specified revision 1 in history\n")
    }

    func testUndoWithoutHistoryFailsAsKubectlSays() throws {
        try deploy()
        let r = try kubectl(["rollout", "undo", "deployment/x"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "error: no rollout history found for deployment \"x\"\n")
    }

    func testRevisionHistoryLimitPrunesOldReplicaSets() throws {
        try deploy(historyLimit: 1)
        for n in 1...3 {
            try ok(["set", "env", "deployment/x", "ROUND=\(n)"])
            try rolledOut()
        }
        // Revision 4 runs; only one old ReplicaSet (revision 3) is kept.
        let sets = try replicaSets()
        XCTAssertEqual(sets.keys.sorted(), [3, 4])
        XCTAssertEqual(sets[3]?.replicas, 0)
    }

    // MARK: - Without a server

    /// The template kubectl sends back at an undo — Go's key order, `creationTimestamp: null`, no hash label — is the
    /// same pod as the ReplicaSet's, with the same hash.
    func testTheHashIgnoresHowTheTemplateIsWritten() throws {
        let stored = try JSONParser.parse(#"{"metadata":{"labels":{"app":"x","pod-template-hash":"abc"}},"spec":{"containers":[{"name":"x","image":"i","env":[{"name":"A","value":""}]}],"dnsPolicy":"ClusterFirst"}}"#)
        let sent = try JSONParser.parse(#"{"metadata":{"creationTimestamp":null,"labels":{"app":"x"}},"spec":{"dnsPolicy":"ClusterFirst","containers":[{"image":"i","name":"x","env":[{"name":"A"}]}]}}"#)
        XCTAssertTrue(PodTemplate.equalIgnoringHash(stored, sent))
        XCTAssertEqual(PodTemplate.hash(stored), PodTemplate.hash(sent))
        XCTAssertNotEqual(PodTemplate.hash(stored), PodTemplate.hash(try JSONParser.parse(#"{"metadata":{"labels":{"app":"y"}}}"#)))
    }

    /// RollingUpdate with the defaults (25% surge, 25% unavailable) on 4 replicas: one pod more at a time, at most one
    /// unavailable.
    func testRollingStepsStayWithinSurgeAndUnavailability() {
        let d: Value = ["metadata": ["name": "x", "generation": 2],
                        "spec": ["replicas": 4, "template": ["metadata": ["labels": ["app": "x", "v": "2"]]]]]
        func rs(_ name: String, _ v: String, spec: Int, available: Int, revision: String) -> Value {
            ["metadata": ["name": .string(name), "uid": .string(name), "creationTimestamp": .string("2026-01-01T00:00:0\(revision)Z"),
                          "annotations": ["deployment.kubernetes.io/revision": .string(revision)]],
             "spec": ["replicas": .int(spec), "template": ["metadata": ["labels": ["app": "x", "v": .string(v), "pod-template-hash": .string(name)]]]],
             "status": ["replicas": .int(spec), "availableReplicas": .int(available)]]
        }
        let old = rs("old", "1", spec: 4, available: 4, revision: "1")
        var rollout = DeploymentRollout(deployment: d, owned: [old])
        XCTAssertNil(rollout.new)
        XCTAssertEqual(rollout.newRevision, 2)
        XCTAssertEqual(rollout.newReplicas(current: 0), 1)   // 4 + 1 surge - 4 running
        // The new pod not ready yet: one old pod may go (maxUnavailable 1).
        XCTAssertEqual(rollout.oldScaleDowns(newSpec: 1, newAvailable: 0).map(\.to), [3])
        let new = rs("new", "2", spec: 1, available: 1, revision: "2")
        rollout = DeploymentRollout(deployment: d, owned: [rs("old", "1", spec: 3, available: 3, revision: "1"), new])
        XCTAssertEqual(rollout.new?.name, "new")
        XCTAssertEqual(rollout.newReplicas(current: 1), 2)
        XCTAssertEqual(rollout.oldScaleDowns(newSpec: 2, newAvailable: 1).map(\.to), [2])
        XCTAssertEqual(rollout.newReplicaSetAnnotations(["deployment.kubernetes.io/revision": "1"])["deployment.kubernetes.io/revision-history"], "1")
    }
}
