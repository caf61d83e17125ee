import Foundation
import Core
import XCTest
@testable import Runtime

/// `config save` + `render` killed with SIGKILL at many moments: config.yml is the old file or the new
/// one, env/ the old tree or the new one, never a mix; the next `render` cleans up and succeeds.
final class KilledWriteTests: XCTestCase {
    private let script = "config save --set LMS_HOST=new.example.com\nrender"
    private let kills = 30

    func testKilledConfigSaveAndRenderLeaveOldOrNew() throws {
        let binary = try tk8sBinary()
        let template = try TestRoot.tutorMade()
        // A build file of the user's, which every render carries over: both trees hold it.
        try template.write("env/build/openedx/Dockerfile", "FROM docker.io/overhangio/openedx:22.0.3\nRUN mine\n")
        let old = RootSnapshot(template.root)

        // The new state, and how long a whole run takes: the kills spread from 0 to that.
        var durations: [TimeInterval] = []
        var new: RootSnapshot?
        for _ in 0..<3 {
            let t = try copy(template)
            let started = Date()
            let p = try launch(binary, t, script)
            p.waitUntilExit()
            durations.append(Date().timeIntervalSince(started))
            XCTAssertEqual(p.terminationStatus, 0)
            XCTAssertEqual(RootSnapshot.leftovers(t.root), [])
            new = RootSnapshot(t.root)
        }
        let newState = try XCTUnwrap(new)
        XCTAssertNotEqual(old.config, newState.config)
        XCTAssertNotEqual(old.env, newState.env)
        XCTAssertEqual(newState.env["build/openedx/Dockerfile"], old.env["build/openedx/Dockerfile"])
        let length = durations.sorted()[durations.count / 2]

        var outcomes: [String: Int] = [:]
        var withLeftovers = 0
        for i in 0..<kills {
            let t = try copy(template)
            let delay = length * Double(i) / Double(kills - 1)
            let p = try launch(binary, t, script)
            usleep(UInt32(delay * 1_000_000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let now = RootSnapshot(t.root)
            let at = "kill \(i) after \(Int(delay * 1000)) ms"
            let config = now.config == old.config ? "old" : now.config == newState.config ? "new" : nil
            let env = now.env == old.env ? "old" : now.env == newState.env ? "new" : nil
            XCTAssertNotNil(config, "\(at): config.yml is neither the old nor the new file")
            XCTAssertNotNil(env, "\(at): env/ is neither the old tree (\(now.difference(from: old))) nor the new one (\(now.difference(from: newState)))")
            XCTAssertFalse(config == "old" && env == "new", "\(at): env/ was rendered from a config.yml that was never saved")
            XCTAssertNoThrow(try ConfigFile.parse(String(decoding: now.config ?? [], as: UTF8.self), file: .init(name: "config.yml", text: "")))
            let finished = p.terminationReason == .exit
            outcomes["config \(config ?? "mixed"), env \(env ?? "mixed")\(finished ? " (had finished)" : "")", default: 0] += 1
            if !RootSnapshot.leftovers(t.root).isEmpty { withLeftovers += 1 }

            // The next render succeeds, removes what the killed one left, and gives the env of the config on disk.
            let next = try launch(binary, t, "render")
            next.waitUntilExit()
            XCTAssertEqual(next.terminationStatus, 0, "\(at): the next render failed")
            XCTAssertEqual(RootSnapshot.leftovers(t.root), [], at)
            XCTAssertEqual(RootSnapshot(t.root).env, config == "new" ? newState.env : old.env, at)
        }
        let summary = outcomes.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: "; ")
        print("killed `config save` + `render` (a run takes \(Int(length * 1000)) ms) \(kills) times: \(summary); \(withLeftovers) left temporary files for the next render")
    }

    /// A copy of `template`'s root in a new test directory.
    private func copy(_ template: TestRoot) throws -> TestRoot {
        let t = try TestRoot()
        try FileManager.default.copyItem(atPath: template.root, toPath: t.root)
        return t
    }

    private func launch(_ binary: String, _ t: TestRoot, _ code: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["--root", t.root, "-c", code]
        p.environment = t.environment
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }
}

/// What a writer killed between two steps leaves, and how the next writer recovers it.
final class LeftoverRecoveryTests: XCTestCase {
    /// Killed between the two renames of a kernel without RENAME_EXCHANGE: no env/, the whole old env in
    /// `.env.old-PID`, maybe a new tree and a temporary config.yml. The next write puts the old env back
    /// (your build files with it) and removes the rest.
    func testTheNextWriteRestoresAnEnvMovedAside() throws {
        let t = try TestRoot.tutorMade()
        try t.write("env/build/openedx/Dockerfile", "FROM mine\n")
        let before = RootSnapshot(t.root)
        XCTAssertEqual(rename(t.root + "/env", t.root + "/.env.old-99999"), 0)
        try t.write(".env.tmp-99999/k8s/deployments.yml", "half of a ")
        try t.write(".config.yml.tmp-99999-1", "LMS_HOST: half")
        XCTAssertTrue(t.run("start").err.hasPrefix("error[E2007]: \(t.root)/env has no rendered environment"), "without env/, cluster commands say to render")

        t.ok("config set LMS_HOST recovered.example.com")
        XCTAssertEqual(RootSnapshot(t.root).env, before.env)
        XCTAssertEqual(RootSnapshot.leftovers(t.root), [])
        t.ok("render")
        XCTAssertEqual(try t.read("env/build/openedx/Dockerfile"), "FROM mine\n")
        XCTAssertTrue(try t.read("env/apps/openedx/config/lms.env.yml").contains("recovered.example.com"))
    }

    /// Killed while removing the old tree after the swap: env/ is whole and new, the half-removed old tree goes.
    func testARenderThatChangesNothingStillRemovesLeftovers() throws {
        let t = try TestRoot.tutorMade()
        let before = RootSnapshot(t.root)
        try t.write(".env.old-99999/k8s/services.yml", "half")
        try t.write(".env.tmp-99998/version", "22")
        t.ok("render")
        XCTAssertEqual(RootSnapshot(t.root), before)
        XCTAssertEqual(RootSnapshot.leftovers(t.root), [])
    }

    /// Where the kernel cannot exchange two directories, the old tree is moved aside and removed after the rename.
    func testReplaceWithoutExchange() throws {
        let t = try TestRoot()
        try t.write("env/old.txt", "old")
        try t.write("fresh/new.txt", "new")
        try Files.replaceDirectory(t.root + "/env", with: t.root + "/fresh", aside: t.root + "/.env.old-1", exchange: { _, _ in false })
        XCTAssertEqual(Files.walk(t.root + "/env"), ["new.txt"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: t.root), ["env"])
    }
}
