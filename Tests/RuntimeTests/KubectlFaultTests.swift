import Foundation
import Core
import XCTest
@testable import Runtime

/// kubectl killed by a signal, missing, or not executable: each is an E2011 that says which and how it
/// ended, that a script's `try` catches, and that never shows a secret.
final class KubectlFaultTests: XCTestCase {
    typealias Rule = FakeKubectl.Rule

    func testKilledBySignalSaysWhichSignal() throws {
        let t = try TestRoot.tutorMade()
        let secret = try XCTUnwrap(t.config()["MYSQL_ROOT_PASSWORD"]?.displayString)
        _ = try FakeKubectl(t, rules: [Rule(argv_prefix: ["get", "pods"], signal: "SIGKILL"),
                                       Rule(argv_prefix: ["scale"], stderr: "stopping\n", signal: "SIGTERM")])
        let r = t.run("""
            try { kubectl get pods "--token=\(secret)" } catch err { print $err.code $err.exit_code $err.signal $err.message }
            try { scale lms 2 } catch err { print $err.signal $err.stderr $err.message }
            kubectl get pods
            """)
        XCTAssertEqual(r.status, 1)
        XCTAssertFalse((r.out + r.err).contains(secret), r.out + r.err)
        XCTAssertTrue(r.out.contains("\nE2011 null SIGKILL kubectl was killed by signal 9 (SIGKILL) while running `kubectl get pods --token=********`\n"), r.out)
        XCTAssertTrue(r.out.contains("\nSIGTERM stopping\n kubectl was killed by signal 15 (SIGTERM) while running `kubectl scale --namespace openedx --replicas=2 deployment/lms`\n"), r.out)
        XCTAssertTrue(r.err.hasPrefix("error[E2011]: kubectl was killed by signal 9 (SIGKILL) while running `kubectl get pods`\n"), r.err)
        XCTAssertTrue(r.err.contains("help: SIGKILL comes from outside the program: the kernel's out-of-memory killer, a container limit, or `kill -9`"), r.err)
    }

    /// Every way of not finding or not being able to start kubectl, each caught by `try` with its own message.
    func testMissingOrUnrunnableKubectlSaysWhy() throws {
        let t = try TestRoot.tutorMade()
        let bin = t.dir + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        func file(_ name: String, _ text: String, mode: Int) throws -> String {
            let path = bin + "/" + name
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
            return path
        }
        let notExecutable = try file("kubectl-0644", "#!/bin/sh\necho hi\n", mode: 0o644)
        let badInterpreter = try file("kubectl-bad-interpreter", "#!/no/such/interpreter\n", mode: 0o755)
        let empty = t.dir + "/empty"
        let cases: [(environment: [String: String?], message: String)] = [
            (["PATH": empty, "KUBECTL": nil], "kubectl not found: no \"kubectl\" in PATH (\(empty))"),
            (["KUBECTL": t.dir + "/no-such-kubectl"], "kubectl not found: $KUBECTL is \(t.dir)/no-such-kubectl, which does not exist"),
            (["KUBECTL": notExecutable], "cannot run \(notExecutable): permission denied (not executable)"),
            (["KUBECTL": bin], "cannot run \(bin): it is a directory"),
            (["KUBECTL": badInterpreter], "cannot run \(badInterpreter): the system could not start it"),
        ]
        for c in cases {
            for (k, v) in c.environment { t.extraEnvironment[k] = v }
            // `stop` runs one kubectl, `wait` several at once: both say the same.
            let r = t.run("""
                try { stop } catch err { print $err.code $err.message }
                try { wait lms cms } catch err { print $err.message }
                stop
                """, cluster: ClusterOptions(quiet: true))
            XCTAssertEqual(r.status, 1, c.message)
            XCTAssertEqual(r.out, "E2011 \(c.message)\n\(c.message)\n")
            XCTAssertTrue(r.err.hasPrefix("error[E2011]: \(c.message)\n --> <-c>:3:1"), r.err)
        }
        XCTAssertTrue(t.run("stop").err.contains("help: a `#!` first line naming an interpreter that is not installed does this"))
        t.extraEnvironment["KUBECTL"] = notExecutable
        XCTAssertTrue(t.run("stop").err.contains("help: make it executable (`chmod +x \(notExecutable)`), or set $KUBECTL to another kubectl"))
        t.extraEnvironment["KUBECTL"] = nil
        t.extraEnvironment["PATH"] = empty
        XCTAssertTrue(t.run("stop").err.contains("help: install kubectl, or set $KUBECTL to its path"))
        // A `kubectl` on PATH without the x bit is named, as a shell would name it.
        try FileManager.default.moveItem(atPath: notExecutable, toPath: bin + "/kubectl")
        t.extraEnvironment["PATH"] = empty + ":" + bin
        XCTAssertTrue(t.run("stop").err.hasPrefix("error[E2011]: cannot run \(bin)/kubectl: permission denied (not executable)\n"))
    }
}
