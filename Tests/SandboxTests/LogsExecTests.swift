import Foundation
import XCTest
@testable import Sandbox

/// `kubectl logs` and `kubectl exec` (WebSocket v5) against sandbox pods created directly with `spec.containers`.
final class LogsExecTests: SandboxTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        // A faster heartbeat than the default 1 s keeps `logs --follow` tests short.
        sandbox.stop()
        sandbox = Sandbox(directory: dir)
        sandbox.logHeartbeatSeconds = 0.3
        (port, kubeconfig) = try sandbox.start()
        try ok(["create", "namespace", "demo"])
        let pods = try writeDirectory("pods", ["pods.yml": """
            apiVersion: v1
            kind: Pod
            metadata: {name: lms-1, namespace: demo, labels: {app: x}}
            spec:
              containers:
              - name: lms
                image: docker.io/overhangio/openedx:22.0.3
                env: [{name: SERVICE_VARIANT, value: lms}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: cms-1, namespace: demo, labels: {app: x}}
            spec:
              containers: [{name: cms, image: docker.io/overhangio/openedx:22.0.3}]
            """])
        try ok(["apply", "-f", pods + "/pods.yml"])
    }

    func testLogsHistoryTailAndSelector() throws {
        let all = try ok(["logs", "-n", "demo", "lms-1"])
        XCTAssertEqual(all.stdout, """
            [sandbox] pulling image docker.io/overhangio/openedx:22.0.3
            [sandbox] pulled image docker.io/overhangio/openedx:22.0.3
            [sandbox] started container lms

            """)
        XCTAssertEqual(try ok(["logs", "-n", "demo", "lms-1", "--tail", "1"]).stdout, "[sandbox] started container lms\n")
        let both = try ok(["logs", "-n", "demo", "--selector", "app=x", "--prefix"])
        XCTAssertTrue(both.stdout.contains("[pod/lms-1/lms] [sandbox] started container lms"), both.stdout)
        XCTAssertTrue(both.stdout.contains("[pod/cms-1/cms] [sandbox] started container cms"), both.stdout)
        let missing = try kubectl(["logs", "-n", "demo", "nope"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("pods \"nope\" not found"), missing.stderr)
    }

    func testLogsFollowStreamsHeartbeatsUntilTheClientLeaves() throws {
        let (process, out, _) = try startKubectl(["logs", "-n", "demo", "lms-1", "--follow"])
        let deadline = Date().addingTimeInterval(5)
        var text = ""
        while Date() < deadline {
            text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
            if text.components(separatedBy: "heartbeat").count - 1 >= 2 { break }
            usleep(50_000)
        }
        XCTAssertTrue(process.isRunning, "kubectl logs --follow ended early: \(text)")
        process.terminate()
        process.waitUntilExit()
        XCTAssertTrue(text.hasPrefix("[sandbox] pulling image"), text)
        XCTAssertGreaterThanOrEqual(text.components(separatedBy: "[sandbox] lms heartbeat").count - 1, 2, text)
        try ok(["get", "pods", "-n", "demo", "lms-1"])   // still healthy after the client went away
    }

    func testLogsFollowEndsWhenThePodIsDeleted() throws {
        let (process, out, _) = try startKubectl(["logs", "-n", "demo", "cms-1", "-f"])
        usleep(500_000)
        XCTAssertTrue(process.isRunning)
        try ok(["delete", "pod", "-n", "demo", "cms-1", "--wait=false"])
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        XCTAssertFalse(process.isRunning, "the stream did not end")
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        XCTAssertTrue(try String(contentsOf: out, encoding: .utf8).contains("started container cms"))
    }

    func testExecBuiltins() throws {
        let hi = try ok(["exec", "-n", "demo", "lms-1", "--", "echo", "hi", "there"])
        XCTAssertEqual(hi.stdout, "hi there\n")
        XCTAssertEqual(try ok(["exec", "-n", "demo", "lms-1", "--", "hostname"]).stdout, "lms-1\n")
        let env = try ok(["exec", "-n", "demo", "lms-1", "-c", "lms", "--", "env"])
        XCTAssertEqual(env.stdout, "HOSTNAME=lms-1\nSERVICE_VARIANT=lms\n")
        XCTAssertEqual(try kubectl(["exec", "-n", "demo", "lms-1", "--", "false"]).status, 1)
        let seven = try kubectl(["exec", "-n", "demo", "lms-1", "--", "exit", "7"])
        XCTAssertEqual(seven.status, 7)
        XCTAssertTrue(seven.stderr.contains("command terminated with exit code 7"), seven.stderr)
        let rm = try kubectl(["exec", "-n", "demo", "lms-1", "--", "rm", "-rf", "/"])
        XCTAssertEqual(rm.status, 126)
        XCTAssertTrue(rm.stderr.contains("rm: not available in the sandbox"), rm.stderr)
        XCTAssertTrue(rm.stderr.contains("command terminated with exit code 126"), rm.stderr)
        let script = try kubectl(["exec", "-n", "demo", "lms-1", "--", "sh", "-c", "echo \"a $HOSTNAME\"; false && echo no; echo b && exit 3"])
        XCTAssertEqual(script.stdout, "a lms-1\nb\n")
        XCTAssertEqual(script.status, 3)
        let missing = try kubectl(["exec", "-n", "demo", "nope", "--", "true"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("pods \"nope\" not found"), missing.stderr)
    }

    func testExecCatEchoesStdin() throws {
        let input = dir.appendingPathComponent("stdin.txt")
        try "line one\nline two\n".write(to: input, atomically: true, encoding: .utf8)
        let r = try kubectl(["exec", "-i", "-n", "demo", "lms-1", "--", "cat"], stdin: input.path)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "line one\nline two\n")
    }

    func testExecRefusedInACompletedPod() throws {
        try ok(["patch", "pod", "cms-1", "-n", "demo", "--type", "merge", "-p", #"{"status":{"phase":"Succeeded"}}"#])
        let r = try kubectl(["exec", "-n", "demo", "cms-1", "--", "true"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("completed pod"), r.stderr)
    }

    func testScriptInterpreter() {
        let ctx = ExecContext(pod: ["metadata": ["name": "p"]], container: ["env": [["name": "A", "value": "1"]]])
        XCTAssertEqual(ExecCommands.run(["sh", "-e", "-c", "echo $A; false; echo no"], in: ctx), ExecOutcome(stdout: "1\n", exitCode: 1))
        XCTAssertEqual(ExecCommands.run(["sh", "-c", "true && echo 'x  y'\nexit"], in: ctx), ExecOutcome(stdout: "x  y\n"))
        XCTAssertEqual(ExecCommands.run(["curl", "x"], in: ctx).exitCode, 126)
    }
}
