import Foundation
import XCTest
@testable import Sandbox

/// The reference itself as a client: Tutor 22's `tutor k8s launch` (kubectl for apply, the Kubernetes Python client
/// for job status) runs to the end against the sandbox. Tutor polls each job every 5 s, so this takes ~30 s.
final class TutorOnSandboxTests: SandboxTestCase {
    func testTutorLaunchesOpenEdXOnTheSandbox() throws {
        let tutor = try tutorExecutable()
        let root = dir.appendingPathComponent("tutor-root").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("RuntimeTests/Fixtures/tutor22/default/config.yml").path
        try FileManager.default.copyItem(atPath: fixture, toPath: root + "/config.yml")

        let env = ProcessInfo.processInfo.environment.merging([
            "KUBECONFIG": kubeconfig, "KUBECACHEDIR": dir.appendingPathComponent("cache").path, "HOME": dir.path,
            "TUTOR_ROOT": root, "TUTOR_PLUGINS_ROOT": dir.appendingPathComponent("plugins").path,
            "PATH": "/usr/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "/bin"),
        ]) { $1 }
        let (status, out) = try runTool(tutor, ["k8s", "launch", "--non-interactive"], environment: env, in: dir.path, timeout: 180)
        XCTAssertEqual(status, 0, out)
        XCTAssertTrue(out.contains("All services initialised."), out)
        XCTAssertTrue(out.contains("http://local.openedx.io"), out)

        // Every init job Tutor made completed, and the platform's deployments are up.
        let jobs = try JSONSerialization.jsonObject(with: Data(try ok(["get", "jobs", "-n", "openedx", "-o", "json"]).stdout.utf8)) as? [String: Any]
        let items = jobs?["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(items.count, out.components(separatedBy: " successful.").count - 1, out)
        XCTAssertGreaterThanOrEqual(items.count, 4)
        for job in items {
            XCTAssertEqual((job["status"] as? [String: Any])?["succeeded"] as? Int, 1, "\(job["metadata"] ?? "")")
        }
        try ok(["wait", "--for=condition=Available", "deployments", "--all", "-n", "openedx", "--timeout=30s"])
    }
}
