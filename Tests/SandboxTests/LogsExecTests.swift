import Foundation
import Glibc
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

    func testLogsTimestampsAndSince() throws {
        let stamped = try ok(["logs", "-n", "demo", "lms-1", "--timestamps"]).stdout.split(separator: "\n")
        XCTAssertEqual(stamped.count, 3)
        for line in stamped {
            XCTAssertNotNil(line.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \[sandbox\] "#, options: .regularExpression), String(line))
        }
        // The history is as old as the pod's start: a window that starts after it is empty; one that reaches back has it all.
        try ok(["wait", "-n", "demo", "--for=jsonpath={.status.phase}=Running", "pod/lms-1", "--timeout=20s"])
        let startTime = try ok(["get", "-n", "demo", "pod/lms-1", "-o", "jsonpath={.status.startTime}"]).stdout
        let started = try XCTUnwrap(ISO8601DateFormatter().date(from: startTime), startTime)
        let rfc3339 = { (d: Date) in ISO8601DateFormatter().string(from: d) }
        XCTAssertEqual(try ok(["logs", "-n", "demo", "lms-1", "--since-time", rfc3339(started.addingTimeInterval(1))]).stdout, "")
        XCTAssertEqual(try ok(["logs", "-n", "demo", "lms-1", "--since-time", rfc3339(started.addingTimeInterval(-1))]).stdout.split(separator: "\n").count, 3)
        XCTAssertEqual(try ok(["logs", "-n", "demo", "lms-1", "--since", "1h"]).stdout.split(separator: "\n").count, 3)
    }

    /// A client may fragment a WebSocket message; the channel byte is on the first fragment only (kubectl never
    /// does this, so a raw client sends it).
    func testExecReassemblesFragmentedFrames() throws {
        let fd = try RawHTTP.connect(port: port)
        defer { close(fd) }
        func send(_ bytes: [UInt8]) { RawHTTP.send(fd, bytes) }
        send(Array(("GET /api/v1/namespaces/demo/pods/lms-1/exec?command=cat&stdin=true&stdout=true&stderr=true HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\nAuthorization: Bearer \(sandbox.token)\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n").utf8))
        /// A masked client frame.
        func frame(fin: Bool, opcode: UInt8, _ payload: [UInt8]) -> [UInt8] {
            let mask: [UInt8] = [1, 2, 3, 4]
            return [(fin ? 0x80 : 0) | opcode, 0x80 | UInt8(payload.count)] + mask + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        }
        send(frame(fin: false, opcode: 2, [0] + Array("hel".utf8)))   // stdin, first fragment
        send(frame(fin: false, opcode: 0, Array("lo, ".utf8)))
        send(frame(fin: true, opcode: 0, Array("world".utf8)))
        send(frame(fin: true, opcode: 2, [255, 0]))                   // close stdin
        let received = RawHTTP.receiveAll(fd)
        // Skip the 101 head, then read the server's (unmasked) frames.
        let text = String(decoding: received, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("HTTP/1.1 101"), text)
        guard let headEnd = received.indices.first(where: { received[$0...].starts(with: Array("\r\n\r\n".utf8)) }) else { return XCTFail(text) }
        var frames: [(UInt8, [UInt8])] = []
        var i = headEnd + 4
        while i + 2 <= received.count {
            let opcode = received[i] & 0x0F
            var length = Int(received[i + 1] & 0x7F), start = i + 2
            if length == 126 { length = Int(received[i + 2]) << 8 | Int(received[i + 3]); start = i + 4 }
            guard start + length <= received.count else { break }
            frames.append((opcode, Array(received[start..<(start + length)])))
            i = start + length
        }
        let stdout = frames.filter { $0.0 == 2 && $0.1.first == 1 }.map { String(decoding: $0.1.dropFirst(), as: UTF8.self) }.joined()
        XCTAssertEqual(stdout, "hello, world")
        let status = frames.first { $0.0 == 2 && $0.1.first == 3 }.map { String(decoding: $0.1.dropFirst(), as: UTF8.self) } ?? ""
        XCTAssertTrue(status.contains("\"Success\""), status)
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
