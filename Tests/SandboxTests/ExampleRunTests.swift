import Foundation
import XCTest
@testable import Sandbox

/// The seed's routines in Examples/, run by the tk8s binary against a sandbox through the real kubectl,
/// with the cluster's state checked afterwards.
final class ExampleRunTests: SandboxTestCase {
    private var binary: String { tk8sBinaryPath() }

    private var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    private var root: String { dir.appendingPathComponent("root").path }

    override func setUpWithError() throws {
        try super.setUpWithError()
        sandbox.delays = SandboxDelays(podStart: 0.05, jobRun: 0.05)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: repository.appendingPathComponent("Tests/RuntimeTests/Fixtures/tutor22/default/config.yml").path,
                                         toPath: root + "/config.yml")
        try tk8s(["-c", "render"])
    }

    /// Runs tk8s on the test root against this sandbox; it must succeed.
    @discardableResult
    private func tk8s(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: binary) else { XCTFail("tk8s binary not built at \(binary)"); return "" }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["--quiet", "--root", root] + args
        p.environment = ProcessInfo.processInfo.environment.merging(
            ["KUBECONFIG": kubeconfig, "KUBECACHEDIR": dir.appendingPathComponent("cache").path, "HOME": dir.path]) { $1 }
        let outPath = dir.appendingPathComponent("tk8s-\(UUID().uuidString)").path
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        p.standardError = p.standardOutput
        p.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try p.run()
        let deadline = Date().addingTimeInterval(120)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        let out = try String(contentsOfFile: outPath, encoding: .utf8)
        XCTAssertEqual(p.terminationStatus, 0, out, file: file, line: line)
        return out
    }

    private func json(_ args: [String]) throws -> [String: Any] {
        let r = try kubectl(args + ["-o", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    private func items(_ args: [String]) throws -> [[String: Any]] { try json(args)["items"] as? [[String: Any]] ?? [] }

    private func names(_ objects: [[String: Any]]) -> [String] {
        objects.compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String }.sorted()
    }

    func testBlankSlateRecreatesDeploymentsAndKeepsTheLoadBalancerAndVolumes() throws {
        try tk8s(["-c", "start\nwait caddy"])
        let lb = try json(["get", "service", "caddy", "-n", "openedx"])
        let uid = (lb["metadata"] as? [String: Any])?["uid"] as? String
        let claims = names(try items(["get", "pvc", "-n", "openedx"]))
        let out = try tk8s([repository.appendingPathComponent("Examples/blank-slate.tk8s").path])
        XCTAssertTrue(out.contains("blank slate done: caddy, lms, cms re-created"), out)
        XCTAssertEqual(names(try items(["get", "deployments", "-n", "openedx"])).count, 10)
        let after = try json(["get", "service", "caddy", "-n", "openedx"])
        XCTAssertEqual((after["metadata"] as? [String: Any])?["uid"] as? String, uid, "the load balancer was not re-created")
        XCTAssertEqual(names(try items(["get", "pvc", "-n", "openedx"])), claims)
        XCTAssertEqual(claims.count, 5)
    }

    func testK8sOverrideAsksFor10Gi() throws {
        try tk8s([repository.appendingPathComponent("Examples/k8s-override.tk8s").path])
        try tk8s(["-c", "start"])
        let pvc = try json(["get", "pvc", "mongodb", "-n", "openedx"])
        let storage = ((pvc["spec"] as? [String: Any])?["resources"] as? [String: Any]).flatMap { ($0["requests"] as? [String: Any])?["storage"] as? String }
        XCTAssertEqual(storage, "10Gi")
    }

    func testUpdateImagesLabelsEveryPodTemplate() throws {
        try tk8s(["-c", "start"])
        try tk8s([repository.appendingPathComponent("Examples/update-images.tk8s").path])
        let deployments = try items(["get", "deployments", "-n", "openedx"])
        XCTAssertEqual(deployments.count, 10)
        for d in deployments {
            let labels = (((d["spec"] as? [String: Any])?["template"] as? [String: Any])?["metadata"] as? [String: Any])?["labels"] as? [String: Any]
            let date = labels?["date"] as? String ?? ""
            XCTAssertNotNil(date.range(of: #"^[0-9]{8}-[0-9]{6}$"#, options: .regularExpression), "\(names([d])): \(date)")
        }
    }
}
