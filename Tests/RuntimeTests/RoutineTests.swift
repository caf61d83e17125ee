import Foundation
import Lang
import Core
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import Runtime

/// What operators' routines need beyond `tutor k8s`: local programs (`run`), command output streamed to files
/// (`exec/logs/run --to`), rolling restarts and rollbacks — with their failure paths.
final class RoutineTests: XCTestCase {
    typealias Rule = FakeKubectl.Rule

    private func mode(_ path: String) -> mode_t {
        var st = stat()
        return stat(path, &st) == 0 ? st.st_mode & 0o7777 : 0
    }

    private func leftovers(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.contains(".tmp-") }
    }

    // MARK: run

    func testRunCapturesStandardOutputAsAValue() throws {
        let t = try TestRoot()
        let out = t.ok("""
            let v = (run printf "%s|%s" "a b" '$HOME')
            print "[$v]"
            print (run --input "line 1\\nline 2\\n" wc -l)
            print (run --env GREETING=hi --env EMPTY= sh -c 'echo $GREETING-$EMPTY-')
            """)
        // No shell in between: "a b" stays one argument and "$HOME" reaches printf as written.
        XCTAssertTrue(out.contains("[a b|$HOME]\n"), out)
        XCTAssertTrue(out.contains("printf '%s|%s' 'a b' '$HOME'\n"), "the echo is pasteable into a shell: \(out)")
        XCTAssertTrue(out.contains("\n2\n"), out)
        XCTAssertTrue(out.contains("hi--\n"), out)
        XCTAssertFalse(out.contains("GREETING=hi"), "--env is not echoed: \(out)")
    }

    func testAFailingProgramIsAnErrorWithItsExitCodeAndStandardError() throws {
        let t = try TestRoot()
        let out = t.ok("""
            try { run sh -c "echo partial; echo 'gzip: backups/x.sql: No such file' >&2; exit 3" } catch err {
                print $err.code $err.exit_code $err.signal
                print $err.message
                print $err.help
                print $err.stderr
                print $err.argv
            }
            try { run sh -c "kill -TERM $$" } catch err { print $err.exit_code $err.signal }
            """)
        XCTAssertTrue(out.contains("""
            E2011 3 null
            sh exited with status 3 while running `sh -c 'echo partial; echo '"'"'gzip: backups/x.sql: No such file'"'"' >&2; exit 3'`
            sh said: gzip: backups/x.sql: No such file
            gzip: backups/x.sql: No such file

            ["sh", "-c", "echo partial; echo 'gzip: backups/x.sql: No such file' >&2; exit 3"]
            """), out)
        XCTAssertTrue(out.hasSuffix("null SIGTERM\n"), out)
        // Uncaught, the script stops with exit 1 and the error.
        let r = t.run("run false\nprint after")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.hasPrefix("error[E2011]: false exited with status 1 while running `false`\n"), r.err)
        XCTAssertFalse(r.out.contains("after"))
    }

    func testProgramsThatCannotRunSayWhy() throws {
        let t = try TestRoot()
        let missing = t.run("run no-such-program-tk8s")
        XCTAssertTrue(missing.err.hasPrefix("error[E2011]: no-such-program-tk8s not found: no \"no-such-program-tk8s\" in PATH"), missing.err)
        XCTAssertTrue(missing.err.contains("help: install no-such-program-tk8s, or give its path (`run ./no-such-program-tk8s …`)"), missing.err)
        XCTAssertTrue(t.run("run \(t.dir)/none.sh").err.hasPrefix("error[E2011]: cannot run \(t.dir)/none.sh: it does not exist"))
        let script = t.dir + "/script.sh"
        try "#!/bin/sh\necho hi\n".write(toFile: script, atomically: true, encoding: .utf8)
        XCTAssertTrue(t.run("run \(script)").err.contains("cannot run \(script): permission denied (not executable)"))
        chmod(script, 0o755)
        XCTAssertEqual(t.ok("print (run \(script))"), "\(script)\nhi\n\n")
        XCTAssertEqual(t.run("run").err.components(separatedBy: "\n").first, "error[E1002]: `run` needs a program to run, such as `run gzip FILE`")
        XCTAssertTrue(t.run("run --env NOEQUALS true").err.contains("`run --env` wants NAME=VALUE, got \"NOEQUALS\""))
    }

    func testRunHidesTheConfigsSecretsAndHonoursDryRun() throws {
        let t = try TestRoot.tutorMade()
        let secret = try XCTUnwrap(t.config()["MYSQL_ROOT_PASSWORD"]?.displayString)
        let r = t.run("""
            try { run sh -c "echo \(secret) >&2; exit 1" "--password=\(secret)" } catch err { print $err.message; print $err.stderr; print $err.argv }
            """)
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertFalse((r.out + r.err).contains(secret), r.out)
        XCTAssertTrue(r.out.contains("sh -c 'echo ******** >&2; exit 1' --password=********\n"), r.out)
        let marker = t.dir + "/ran"
        let dry = t.runDry("run touch \(marker)\nprint (run echo hi)")
        XCTAssertEqual(dry.out, "touch \(marker)   # dry run: not run\necho hi   # dry run: not run\n\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker))
    }

    /// Ctrl-C reaches the program (tk8s's process group), and the script stops with E2012.
    func testInterruptReachesTheProgram() throws {
        let binary = try tk8sBinary()
        let t = try TestRoot()
        let started = t.dir + "/started"
        let proc = Process()
        proc.executableURL = URL(fileURLWithPath: binary)
        proc.arguments = ["--root", t.root, "-c", "run sh -c \"touch \(started); sleep 30\"\nprint after"]
        proc.environment = ProcessInfo.processInfo.environment.merging(t.environment) { $1 }
        let out = Pipe(), err = Pipe()
        proc.standardOutput = out
        proc.standardError = err
        proc.standardInput = FileHandle.nullDevice
        try proc.run()
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: started) && Date() < deadline { usleep(50_000) }
        kill(-proc.processIdentifier, SIGINT)
        proc.waitUntilExit()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(proc.terminationStatus, 1, text)
        XCTAssertTrue(text.contains("error[E2012]: interrupted while running `sh -c"), text)
        XCTAssertFalse(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("after"))
    }

    /// As a statement the program's output is shown as it comes (the tk8s binary, so standard output is real).
    func testRunAsAStatementShowsTheProgramsOutput() throws {
        let binary = try tk8sBinary()
        let t = try TestRoot()
        let r = try Tools.run([binary, "--root", t.root, "-c", "run sh -c \"echo out; echo err >&2\"\nprint done"], environment: t.environment)
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(r.out, "sh -c 'echo out; echo err >&2'\nout\ndone\n")
        XCTAssertEqual(r.err, "err\n")
    }

    // MARK: --to FILE

    func testRunToAFileStreamsItAndReportsTheBytes() throws {
        let t = try TestRoot()
        let dir = t.dir + "/out"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let out = t.ok("""
            let r = (run --to "\(dir)/big.txt" sh -c "head -c 3000000 /dev/zero | tr '\\\\0' x")
            print $r.bytes ($r.path == "\(dir)/big.txt") (type $r.seconds)
            run --to "\(dir)/small.txt" echo hello
            """)
        XCTAssertTrue(out.contains("sh -c 'head -c 3000000 /dev/zero | tr '\"'\"'\\0'\"'\"' x' > \(dir)/big.txt\n3000000 true float\n"), out)
        XCTAssertTrue(out.contains("echo hello > \(dir)/small.txt\nWrote 6 bytes to \(dir)/small.txt in "), out)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/big.txt")), Data(repeating: UInt8(ascii: "x"), count: 3_000_000))
        XCTAssertEqual(mode(dir + "/big.txt"), 0o600, "new output files are private")
        XCTAssertEqual(leftovers(dir), [])
    }

    func testAFailedCommandLeavesNoFileUnderTheFinalName() throws {
        let t = try TestRoot()
        let dir = t.dir + "/out"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let halfway = "head -c 100000 /dev/zero; echo 'mysqldump: Error 2013: Lost connection' >&2; exit 2"
        var r = t.run("run --to \"\(dir)/new.sql\" sh -c \(CommandRunnerQuoting.tk8sLiteral(halfway))")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("help: sh said: mysqldump: Error 2013: Lost connection; nothing was written to \(dir)/new.sql\n"), r.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/new.sql"))
        // An earlier file of that name keeps its content.
        try "yesterday".write(toFile: dir + "/old.sql", atomically: true, encoding: .utf8)
        r = t.run("try { run --to \"\(dir)/old.sql\" sh -c \(CommandRunnerQuoting.tk8sLiteral(halfway)) } catch err { print $err.help }")
        XCTAssertTrue(r.out.contains("nothing was written to \(dir)/old.sql (it keeps its old content)"), r.out)
        XCTAssertEqual(try String(contentsOfFile: dir + "/old.sql", encoding: .utf8), "yesterday")
        XCTAssertEqual(leftovers(dir), [])
        // A missing folder is refused before anything runs.
        r = t.run("run --to \"\(dir)/none/x.sql\" touch \(t.dir)/ran")
        XCTAssertTrue(r.err.hasPrefix("error[E2017]: cannot write \(dir)/none/x.sql: the folder \(dir)/none does not exist"), r.err)
        XCTAssertTrue(r.err.contains("help: make the folder first: `file mkdir \(dir)/none`"), r.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: t.dir + "/ran"))
    }

    func testExecAndLogsToAFile() throws {
        let t = try TestRoot.tutorMade()
        let dump = "-- MySQL dump\nINSERT INTO auth_user VALUES (1);\n"
        let fake = try FakeKubectl(t, rules: [Rule(argv_prefix: ["get", "pods"], stdout: "mysql-0"),
                                              Rule(argv_prefix: ["exec"], stdout: dump),
                                              Rule(argv_prefix: ["logs"], stdout: "log line\n")])
        let dir = t.dir
        let out = t.ok("""
            let r = (exec mysql --to "\(dir)/db.sql" mysqldump --all-databases)
            print $r.bytes
            logs lms --tail 5 --to "\(dir)/lms.log"
            """)
        XCTAssertTrue(out.contains("kubectl exec --namespace openedx mysql-0 -- mysqldump --all-databases > \(dir)/db.sql\n\(dump.utf8.count)\n"), out)
        XCTAssertTrue(out.contains("Wrote 9 bytes to \(dir)/lms.log in "), out)
        XCTAssertEqual(try String(contentsOfFile: dir + "/db.sql", encoding: .utf8), dump)
        XCTAssertEqual(try String(contentsOfFile: dir + "/lms.log", encoding: .utf8), "log line\n")
        let calls = try fake.calls().map(\.argv)
        // No --stdin, no --tty: the output is a file, not a terminal.
        XCTAssertTrue(calls.contains(["exec", "--namespace", "openedx", "mysql-0", "--", "mysqldump", "--all-databases"]), "\(calls)")
        XCTAssertTrue(calls.contains(["logs", "--namespace", "openedx", "--selector=app.kubernetes.io/instance=openedx-\(try t.config()["ID"]!.displayString),app.kubernetes.io/name=lms", "--tail", "5"]), "\(calls)")
        // A dry run writes nothing.
        let dry = t.runDry("print (exec mysql --to \"\(dir)/dry.sql\" mysqldump)")
        XCTAssertTrue(dry.out.contains("-- mysqldump > \(dir)/dry.sql   # dry run: not run\nnull\n"), dry.out)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/dry.sql"))
    }

    func testADumpThatFailsHalfwayLeavesNoFile() throws {
        let t = try TestRoot.tutorMade()
        _ = try FakeKubectl(t, rules: [Rule(argv_prefix: ["get", "pods"], stdout: "mysql-0"),
                                       Rule(argv_prefix: ["exec"], stdout: String(repeating: "INSERT …;\n", count: 5000),
                                            stderr: "mysqldump: Error 2013: Lost connection to server during query\n", exit: 2)])
        let r = t.run("""
            try { exec mysql --to "\(t.dir)/db.sql" mysqldump openedx } catch err { print $err.code $err.exit_code; print $err.help }
            """)
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("E2011 2\nkubectl said: mysqldump: Error 2013: Lost connection to server during query; nothing was written to \(t.dir)/db.sql\n"), r.out)
        XCTAssertFalse(FileManager.default.fileExists(atPath: t.dir + "/db.sql"))
        XCTAssertEqual(leftovers(t.dir), [])
    }

    // MARK: restart, rollback

    func testRestartAndRollbackRunKubectlRollout() throws {
        let t = try TestRoot.tutorMade()
        let fake = try FakeKubectl(t)
        t.ok("restart lms cms\nrollback lms --to-revision 2\nrestart lms-worker --no-wait --timeout 5\nrollback cms --timeout 30")
        let calls = try fake.calls().map(\.argv)
        // The status calls of one command run at once, so only their set is fixed.
        XCTAssertEqual(calls.first, ["rollout", "restart", "--namespace", "openedx", "deployment/lms", "deployment/cms"])
        XCTAssertEqual(calls.count, 8)
        XCTAssertEqual(Set(calls.map { $0.joined(separator: " ") }), Set([
            ["rollout", "restart", "--namespace", "openedx", "deployment/lms", "deployment/cms"],
            ["rollout", "status", "--namespace", "openedx", "deployment/lms", "--timeout=600s"],
            ["rollout", "status", "--namespace", "openedx", "deployment/cms", "--timeout=600s"],
            ["rollout", "undo", "--namespace", "openedx", "deployment/lms", "--to-revision=2"],
            ["rollout", "status", "--namespace", "openedx", "deployment/lms", "--timeout=600s"],
            ["rollout", "restart", "--namespace", "openedx", "deployment/lms-worker"],
            ["rollout", "undo", "--namespace", "openedx", "deployment/cms"],
            ["rollout", "status", "--namespace", "openedx", "deployment/cms", "--timeout=30s"],
        ].map { $0.joined(separator: " ") }))
    }

    func testARollbackWithNoPreviousRevisionFails() throws {
        let t = try TestRoot.tutorMade()
        _ = try FakeKubectl(t, rules: [Rule(argv_prefix: ["rollout", "undo"], stderr: "error: no rollout history found for deployment \"lms\"\n", exit: 1)])
        let r = t.run("try { rollback lms } catch err { print $err.code; print $err.help }\nrollback lms")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.out.contains("E2011\nkubectl said: error: no rollout history found for deployment \"lms\"\n"), r.out)
        XCTAssertTrue(r.err.hasPrefix("error[E2011]: kubectl exited with status 1 while running `kubectl rollout undo --namespace openedx deployment/lms`"), r.err)
        XCTAssertTrue(t.run("restart").err.contains("`restart` needs at least one deployment name"))
        XCTAssertTrue(t.run("rollback lms --to-revision 0").err.contains("`--to-revision` must be 1 or more, got 0"))
    }
}
