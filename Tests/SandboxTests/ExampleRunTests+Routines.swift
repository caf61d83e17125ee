import Foundation
import XCTest
import TestSupport
@testable import Sandbox

/// The routines operators keep next to `tutor k8s` — backup, health check, rolling restart, rollback — run as
/// scripts by the tk8s binary against the sandbox, through the real kubectl.
extension ExampleRunTests {
    private var backups: String { dir.appendingPathComponent("backups").path }

    private func files(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    /// backup: both databases dumped into dated files (the sandbox's simulated dumps), the newest seven of each kept.
    func testBackupDumpsBothDatabasesAndKeepsTheNewestSeven() throws {
        try tk8s(["-c", "start mysql mongodb\nwait mysql mongodb"])
        try FileManager.default.createDirectory(atPath: backups, withIntermediateDirectories: true)
        for day in 1...8 {
            for name in ["mysql-2026010\(day)-030000.sql", "mongodb-2026010\(day)-030000.archive"] {
                try "old".write(toFile: backups + "/" + name, atomically: true, encoding: .utf8)
            }
        }
        let out = try tk8s([example("backup.tk8s")], environment: ["BACKUP_DIR": backups])
        let kept = files(backups)
        XCTAssertEqual(kept.filter { $0.hasPrefix("mysql-") }.count, 7, "\(kept)")
        XCTAssertEqual(kept.filter { $0.hasPrefix("mongodb-") }.count, 7, "\(kept)")
        // The two oldest of each went; today's are there, whole, marked as simulated.
        XCTAssertFalse(kept.contains("mysql-20260101-030000.sql"))
        XCTAssertFalse(kept.contains("mysql-20260102-030000.sql"))
        let mysql = try XCTUnwrap(kept.last { $0.hasPrefix("mysql-") })
        let mongodb = try XCTUnwrap(kept.last { $0.hasPrefix("mongodb-") })
        let dump = try Data(contentsOf: URL(fileURLWithPath: backups + "/" + mysql))
        XCTAssertTrue(String(decoding: dump.prefix(200), as: UTF8.self).contains("SIMULATED"), String(decoding: dump.prefix(200), as: UTF8.self))
        let archive = try Data(contentsOf: URL(fileURLWithPath: backups + "/" + mongodb))
        XCTAssertGreaterThan(archive.count, 0)
        XCTAssertTrue(out.contains("FILE"), out)
        XCTAssertTrue(out.contains("\(backups)/\(mysql)   "), out)
        XCTAssertTrue(out.contains(" \(dump.count)   "), "the table gives the size written: \(out)")
        XCTAssertTrue(out.hasSuffix("kept the newest 7 of each in \(backups); removed 4 older dump(s)\n"), out)
        // The password was in mysqldump's argv, hidden in every echo (this run is --quiet; check one that is not).
        let secret = try XCTUnwrap(try String(contentsOfFile: root + "/config.yml", encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("MYSQL_ROOT_PASSWORD: ") }?.dropFirst("MYSQL_ROOT_PASSWORD: ".count))
        let loud = try runTool(binary, ["--root", root, example("backup.tk8s")],
                               environment: ProcessInfo.processInfo.environment.merging(
                                   ["KUBECONFIG": kubeconfig, "KUBECACHEDIR": dir.appendingPathComponent("cache").path, "HOME": dir.path,
                                    "TK8S_TUTOR": "none", "BACKUP_DIR": backups]) { $1 }, in: dir.path)
        XCTAssertEqual(loud.0, 0, loud.1)
        XCTAssertFalse(loud.1.contains(String(secret)), loud.1)
        XCTAssertTrue(loud.1.contains("--password=******** > \(backups)/mysql-"), loud.1)
    }

    /// A dump that fails halfway: the script stops with mysqldump's error, and no file is left under the final name.
    func testABackupThatFailsHalfwayLeavesNoFile() throws {
        // A sandbox whose dumps lose their connection after 200 KB of 1 MiB (the setting is read when it starts).
        sandbox.stop()
        sandbox = Sandbox(directory: dir.appendingPathComponent("failing"))
        sandbox.delays = .fast
        sandbox.dumps = SandboxDumpSettings(size: 1 << 20, failAfter: 200_000)
        (port, kubeconfig) = try sandbox.start()
        try tk8s(["-c", "start mysql mongodb\nwait mysql mongodb"])
        let out = try tk8s([example("backup.tk8s")], status: 1, environment: ["BACKUP_DIR": backups])
        XCTAssertTrue(out.contains("error[E2011]: kubectl exited with status 3 while running `kubectl exec"), out)
        XCTAssertTrue(out.contains("help: kubectl said: mysqldump: Error 2013: Lost connection to MySQL server during query"), out)
        XCTAssertTrue(out.contains("; nothing was written to \(backups)/mysql-"), out)
        XCTAssertEqual(files(backups), [], "no dump, no temporary file")
    }

    /// health: the heartbeat answers 503 twice, then 200; the check retries and reports what the LMS checked.
    func testHealthRetriesTheHeartbeatUntilItIsHealthy() throws {
        try tk8s(["-c", "start caddy lms cms"])
        let server = try TestHTTPServer { _, before in
            before < 2 ? .answer(503, "Service Unavailable", body: #"{"sql": {"status": false}}"#)
                       : .answer(200, "OK", body: #"{"sql": {"status": true}, "modules": {"status": true}}"#)
        }
        defer { server.stop() }
        let out = try tk8s([example("health.tk8s")],
                           environment: ["HEALTH_URL": "http://127.0.0.1:\(server.port)/heartbeat", "HEALTH_BACKOFF": "0.05"])
        XCTAssertTrue(out.hasSuffix("LMS healthy: 200 OK after 3 attempt(s)\n  sql: true\n  modules: true\n"), out)
        XCTAssertEqual(server.requests.map(\.target), ["/heartbeat", "/heartbeat", "/heartbeat"])
    }

    /// health, unhealthy: a heartbeat that keeps answering 503, and one that refuses connections, fail the script.
    func testHealthFailsWhenTheHeartbeatStaysDown() throws {
        try tk8s(["-c", "start caddy lms cms"])
        let server = try TestHTTPServer { _, _ in .answer(503, "Service Unavailable", body: #"{"sql": {"status": false}}"#) }
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.port)/heartbeat"
        var out = try tk8s([example("health.tk8s")], status: 1,
                           environment: ["HEALTH_URL": url, "HEALTH_BACKOFF": "0.05", "HEALTH_RETRIES": "2"])
        XCTAssertTrue(out.contains("LMS unhealthy: GET \(url) answered 503 Service Unavailable (3 attempts)"), out)
        XCTAssertTrue(out.contains("error[E2007]: health check of \(url) failed"), out)
        XCTAssertEqual(server.requests.count, 3)
        let refused = "http://127.0.0.1:\(TestHTTPServer.closedPort())/heartbeat"
        out = try tk8s([example("health.tk8s")], status: 1,
                       environment: ["HEALTH_URL": refused, "HEALTH_BACKOFF": "0.05", "HEALTH_RETRIES": "1"])
        XCTAssertTrue(out.contains("LMS unhealthy: GET \(refused) failed: connection refused (2 attempts)"), out)
    }

    /// restart: a settings change reaches the ConfigMap, and every service rolls to a new ReplicaSet.
    func testRestartRollsEveryServiceOntoNewPods() throws {
        try tk8s(["-c", "start\nwait lms cms lms-worker cms-worker"])
        let before = Set(names(try items(["get", "pods", "-n", "openedx", "-l", "app.kubernetes.io/name=lms"])))
        let out = try tk8s([example("restart.tk8s"), "Campus Online"])
        XCTAssertTrue(out.hasSuffix("PLATFORM_NAME is now \"Campus Online\"; restarted lms, cms, lms-worker, cms-worker\n"), out)
        for service in ["lms", "cms", "lms-worker", "cms-worker"] {
            let sets = try items(["get", "replicasets", "-n", "openedx", "-l", "app.kubernetes.io/name=\(service)"])
            let revisions = sets.map { rs -> (Int, Int) in
                let annotations = (rs["metadata"] as? [String: Any])?["annotations"] as? [String: Any]
                let revision = Int(annotations?["deployment.kubernetes.io/revision"] as? String ?? "") ?? 0
                return (revision, ((rs["spec"] as? [String: Any])?["replicas"] as? Int) ?? -1)
            }.sorted { $0.0 < $1.0 }
            // `start` rolls what mounts the changed settings (kustomize names ConfigMaps by content), `restart` rolls again.
            XCTAssertGreaterThanOrEqual(revisions.count, 2, "\(service): \(revisions)")
            XCTAssertEqual(revisions.map(\.0), Array(1...revisions.count), "\(service): \(revisions)")
            XCTAssertEqual(revisions.last?.1, 1, "\(service): the newest ReplicaSet runs the pod: \(revisions)")
            XCTAssertEqual(Set(revisions.dropLast().map(\.1)), [0], "\(service): the older ones are scaled down: \(revisions)")
            let template = try json(["get", "deployment", service, "-n", "openedx"])
            let annotations = (((template["spec"] as? [String: Any])?["template"] as? [String: Any])?["metadata"] as? [String: Any])?["annotations"] as? [String: Any]
            XCTAssertNotNil(annotations?["kubectl.kubernetes.io/restartedAt"], "\(service) was restarted by kubectl rollout restart")
        }
        let after = Set(names(try items(["get", "pods", "-n", "openedx", "-l", "app.kubernetes.io/name=lms"])))
        XCTAssertTrue(before.isDisjoint(with: after), "new pods: \(before) → \(after)")
        let settings = try items(["get", "configmaps", "-n", "openedx"]).map { String(describing: $0["data"] ?? "") }.joined()
        XCTAssertTrue(settings.contains("Campus Online"), "the settings ConfigMap has the new name")
    }

    /// rollback: with only one revision kubectl refuses (tk8s says so and exits 1); after a restart, it goes back.
    func testRollbackNeedsAPreviousRevisionAndThenRestoresIt() throws {
        try tk8s(["-c", "start lms\nwait lms"])
        let refused = try tk8s(["-c", "rollback lms"], status: 1)
        XCTAssertTrue(refused.contains("error[E2011]: kubectl exited with status 1 while running `kubectl rollout undo --namespace openedx deployment/lms`"), refused)
        XCTAssertTrue(refused.contains("no rollout history found for deployment \"lms\""), refused)
        func hashes() throws -> [String: String] {
            var out: [String: String] = [:]
            for rs in try items(["get", "replicasets", "-n", "openedx", "-l", "app.kubernetes.io/name=lms"]) {
                let meta = rs["metadata"] as? [String: Any]
                let revision = (meta?["annotations"] as? [String: Any])?["deployment.kubernetes.io/revision"] as? String ?? "?"
                out[revision] = (meta?["labels"] as? [String: Any])?["pod-template-hash"] as? String
            }
            return out
        }
        let first = try XCTUnwrap(try hashes()["1"])
        try tk8s(["-c", "restart lms\nrollback lms"])
        let after = try hashes()
        XCTAssertEqual(after["3"], first, "the first template is back, as revision 3: \(after)")
        XCTAssertNotNil(after["2"])
        let lms = try json(["get", "deployment", "lms", "-n", "openedx"])
        XCTAssertEqual(condition(lms, "Available"), "True")
    }
}
