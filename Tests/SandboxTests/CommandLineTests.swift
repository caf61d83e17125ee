import Foundation
import XCTest

/// `tk8s --sandbox` and `tk8s sandbox serve`, through the built binary and the real kubectl.
final class CommandLineTests: XCTestCase {
    private var binary: String { tk8sBinaryPath() }

    private var fixtureConfig: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("RuntimeTests/Fixtures/tutor22/default/config.yml").path
    }

    private func run(_ args: [String], home: String, timeout: TimeInterval = 60) throws -> (status: Int32, out: String) {
        let env = ProcessInfo.processInfo.environment.merging(["HOME": home, "TK8S_TUTOR": "none"]) { $1 }.filter { $0.key != "KUBECONFIG" }
        let (status, output) = try runTool(binary, args, environment: env, in: home, timeout: timeout)
        return (status, output)
    }

    /// The blank slate on a sandbox: stop deletes what start made, except the load balancer (and the volumes).
    func testSandboxRunsAScriptAgainstTheRealEnv() throws {
        guard FileManager.default.isExecutableFile(atPath: binary) else { return XCTFail("tk8s binary not built at \(binary)") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tk8s-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/root", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: fixtureConfig, toPath: dir + "/root/config.yml")
        XCTAssertEqual(try run(["--root", dir + "/root", "-c", "render"], home: dir).status, 0)
        let script = """
            start
            wait lms cms
            let kinds = []
            for r in (status) { if $r.kind == "Deployment" { kinds = (append $kinds $r.name) } }
            stop
            let services = []
            for s in (kubectl get services --namespace openedx -o json).items { services = (append $services $s.metadata.name) }
            let deployments = (kubectl get deployments --namespace openedx -o json).items
            let claims = (kubectl get pvc --namespace openedx -o json).items
            print "deployments before:" (len $kinds) "after:" (len $deployments) "services after:" (join $services ",") "claims:" (len $claims)
            """
        let r = try run(["--sandbox", "--quiet", "--root", dir + "/root", "-c", script], home: dir)
        XCTAssertEqual(r.status, 0, r.out)
        XCTAssertTrue(r.out.contains("deployments before: 10 after: 0 services after: caddy claims: 5\n"), r.out)
    }

    /// A teacher slows the cluster down to show each phase: with a 60 s pod start, a started service's pod stays Pending.
    func testSandboxDelaysComeFromTheEnvironmentAndOptions() throws {
        guard FileManager.default.isExecutableFile(atPath: binary) else { return XCTFail("tk8s binary not built at \(binary)") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tk8s-delays-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/root", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: fixtureConfig, toPath: dir + "/root/config.yml")
        XCTAssertEqual(try run(["--root", dir + "/root", "-c", "render"], home: dir).status, 0)
        let script = """
            start caddy
            sleep 1
            let phases = []
            for p in (kubectl get pods --namespace openedx -o json).items { phases = (append $phases $p.status.phase) }
            print "phases:" (join $phases ",")
            """
        setenv("TK8S_SANDBOX_POD_START", "60", 1)
        defer { unsetenv("TK8S_SANDBOX_POD_START") }
        let slow = try run(["--sandbox", "--quiet", "--root", dir + "/root", "-c", script], home: dir)
        XCTAssertEqual(slow.status, 0, slow.out)
        XCTAssertTrue(slow.out.hasSuffix("phases: Pending\n"), slow.out)
        setenv("TK8S_SANDBOX_POD_START", "0", 1)
        let fast = try run(["--sandbox", "--quiet", "--root", dir + "/root", "-c", script], home: dir)
        XCTAssertTrue(fast.out.hasSuffix("phases: Running\n"), fast.out)
        setenv("TK8S_SANDBOX_POD_START", "soon", 1)
        let bad = try run(["--sandbox", "-c", "print 1"], home: dir)
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.out.contains("TK8S_SANDBOX_POD_START=soon is not a number of seconds from 0 to 3600"), bad.out)
        for (flag, value) in [("--context", "prod"), ("--kubeconfig", "other.yaml")] {
            let both = try run(["--sandbox", flag, value, "-c", "print 1"], home: dir)
            XCTAssertEqual(both.status, 2, both.out)
            XCTAssertTrue(both.out.contains("--sandbox uses its own"), both.out)
            XCTAssertFalse(both.out.contains("\n1\n"), "nothing ran")
        }
        let badOption = try run(["sandbox", "serve", "--job-run=-1"], home: dir)
        XCTAssertEqual(badOption.status, 2)
        XCTAssertTrue(badOption.out.contains("--job-run must be a number of seconds from 0 to 3600"), badOption.out)
    }

    /// The simulated dumps' knobs: `TK8S_SANDBOX_DUMP_SIZE`/`TK8S_SANDBOX_DUMP_FAIL_AFTER` for `--sandbox` and
    /// `sandbox serve`, `--dump-size`/`--dump-fail-after` for `serve`; anything that is no size is a usage error.
    func testDumpSettingsComeFromTheEnvironmentAndOptions() throws {
        guard FileManager.default.isExecutableFile(atPath: binary) else { return XCTFail("tk8s binary not built at \(binary)") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tk8s-dumps-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        defer { unsetenv("TK8S_SANDBOX_DUMP_SIZE"); unsetenv("TK8S_SANDBOX_DUMP_FAIL_AFTER") }
        setenv("TK8S_SANDBOX_DUMP_SIZE", "lots", 1)
        let bad = try run(["--sandbox", "-c", "print 1"], home: dir)
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.out.contains("error: TK8S_SANDBOX_DUMP_SIZE=lots is not a size in bytes up to 1TiB, like 65536, 64KiB, 512MB or 1GiB\n"), bad.out)
        unsetenv("TK8S_SANDBOX_DUMP_SIZE")
        let badOption = try run(["sandbox", "serve", "--dump-fail-after=2TiB"], home: dir)
        XCTAssertEqual(badOption.status, 2)
        XCTAssertTrue(badOption.out.contains("--dump-fail-after must be a size in bytes up to 1TiB, like 65536, 64KiB, 512MB or 1GiB"), badOption.out)

        /// The bytes a mysqldump in a served sandbox writes, and its exit status.
        func dump(_ args: [String]) throws -> (status: Int32, bytes: Int) {
            let served = try serve(args)
            defer { kill(served.process.processIdentifier, SIGTERM); served.process.waitUntilExit() }
            XCTAssertEqual(try kubectl(["run", "db", "--image=docker.io/mysql:8.4.0"], kubeconfig: served.kubeconfig, home: dir), 0)
            let r = try ServedSandbox.kubectl(["exec", "db", "--", "mysqldump", "openedx"], kubeconfig: served.kubeconfig, home: dir)
            return (r.status, r.stdout.utf8.count)
        }
        let options = try dump(["--dump-size", "10KiB", "--dump-fail-after", "4000"])
        XCTAssertEqual(options.status, 3)
        XCTAssertEqual(options.bytes, 4000)
        setenv("TK8S_SANDBOX_DUMP_SIZE", "3000", 1)
        XCTAssertEqual(try dump([]).bytes, 3000)
        setenv("TK8S_SANDBOX_DUMP_FAIL_AFTER", "1000", 1)
        XCTAssertEqual(try dump(["--dump-size=5000"]).bytes, 1000)
    }

    /// The README's main command: the seed's quickstart, end to end on a sandbox through the real kubectl.
    func testLaunchExampleRunsOnTheSandbox() throws {
        guard FileManager.default.isExecutableFile(atPath: binary) else { return XCTFail("tk8s binary not built at \(binary)") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tk8s-launch-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples/launch.tk8s").path
        let r = try run(["--sandbox", "--quiet", "--root", dir + "/root", example], home: dir, timeout: 120)
        XCTAssertEqual(r.status, 0, r.out)
        XCTAssertTrue(r.out.contains("point local.openedx.io and studio.local.openedx.io at 127.0.0."), r.out)
        XCTAssertEqual(r.out.components(separatedBy: "successful.").count - 1, 4, "the four init jobs completed:\n\(r.out)")
        XCTAssertTrue(r.out.hasSuffix("The Open edX platform is running:\n    LMS: http://local.openedx.io\n    Studio: http://studio.local.openedx.io\n"), r.out)
    }

    private func serve(_ args: [String]) throws -> (process: Process, kubeconfig: String, output: FileHandle) {
        let served = try ServedSandbox.start(binary: binary, args)
        return (served.process, served.kubeconfig, served.output)
    }

    private func kubectl(_ args: [String], kubeconfig: String, home: String) throws -> Int32 {
        try ServedSandbox.kubectl(args, kubeconfig: kubeconfig, home: home).status
    }

    func testSandboxServeStopsOnCtrlC() throws {
        guard FileManager.default.isExecutableFile(atPath: binary) else { return XCTFail("tk8s binary not built at \(binary)") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tk8s-serve-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (p, kubeconfig, handle) = try serve([])
        defer { if p.isRunning { p.terminate() } }
        XCTAssertEqual(try kubectl(["create", "namespace", "demo"], kubeconfig: kubeconfig, home: dir), 0)
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        XCTAssertTrue(String(decoding: handle.readDataToEndOfFile(), as: UTF8.self).contains("Sandbox stopped."))
        XCTAssertFalse(FileManager.default.fileExists(atPath: kubeconfig), "its directory is removed")
    }

    /// `--state FILE`: what one server made, the next one (after SIGTERM) still has; a second server on the file is refused.
    func testSandboxServeKeepsItsStateAcrossRestarts() throws {
        guard FileManager.default.isExecutableFile(atPath: binary) else { return XCTFail("tk8s binary not built at \(binary)") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tk8s-state-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let state = dir + "/cluster.json"
        let first = try serve(["--state", state])
        defer { if first.process.isRunning { first.process.terminate() } }
        XCTAssertEqual(try kubectl(["create", "namespace", "kept"], kubeconfig: first.kubeconfig, home: dir), 0)
        let busy = try run(["sandbox", "serve", "--state", state], home: dir, timeout: 20)
        XCTAssertEqual(busy.status, 1)
        XCTAssertTrue(busy.out.contains("another sandbox is using the state file \(state)"), busy.out)
        kill(first.process.processIdentifier, SIGTERM)
        first.process.waitUntilExit()
        XCTAssertEqual(first.process.terminationStatus, 0)

        let second = try serve(["--state", state])
        defer { if second.process.isRunning { second.process.terminate() } }
        XCTAssertEqual(try kubectl(["get", "namespace", "kept"], kubeconfig: second.kubeconfig, home: dir), 0)
        XCTAssertNotEqual(try kubectl(["get", "namespace", "never-made"], kubeconfig: second.kubeconfig, home: dir), 0)
        kill(second.process.processIdentifier, SIGINT)
        second.process.waitUntilExit()
    }
}
