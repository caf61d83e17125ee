import Core
import Foundation
import Lang
import XCTest
@testable import Runtime

/// Cluster builtins against a recording fake kubectl: Tutor 22's argv, quoting,
/// dry runs, errors, secrets.
final class ClusterTests: XCTestCase {
    typealias Rule = FakeKubectl.Rule

    /// Runs `code` on a Tutor-made root with the fake kubectl and returns the calls (kubectl and docker).
    private func calls(_ code: String, rules: [Rule] = [], file: StaticString = #filePath, line: UInt = #line) throws -> [FakeKubectl.Call] {
        let t = try TestRoot.tutorMade()
        let fake = try FakeKubectl(t, rules: rules)
        let r = t.run(code)
        XCTAssertEqual(r.status, 0, "tk8s failed:\n\(r.err)", file: file, line: line)
        return try fake.calls()
    }

    private func argv(_ calls: [FakeKubectl.Call]) -> [[String]] { calls.map { ($0.program == "docker" ? ["docker"] : []) + $0.argv } }

    func testSimpleCommandsGiveTutorsArgv() throws {
        let namespaceMissing = Rule(argv_prefix: ["get", "namespaces"], stderr: "Error from server (NotFound)", exit: 1)
        let cases: [(code: String, fixture: String, rules: [Rule])] = [
            ("start", "start", []),
            ("start", "start-no-namespace", [namespaceMissing]),
            ("start lms", "start-lms", []),
            ("start lms cms", "start-lms-cms", []),
            ("start --prune-configmaps", "start-prune-configmaps", []),
            ("stop", "stop", []),
            ("stop lms", "stop-lms", []),
            ("reboot", "reboot", []),
            ("delete --yes", "delete", []),
            ("status", "status", []),
            ("logs lms", "logs", []),
            ("logs lms --follow --tail 10 -c lms", "logs-follow", []),
            ("logs lms --max-log-requests 5", "logs-max-log-requests", []),
            ("scale lms 3", "scale", []),
            ("wait lms", "wait", []),
            ("apply --dry-run=client", "apply-dry-run", []),
            ("images push openedx", "images-push-openedx", []),
        ]
        for c in cases {
            let ours = argv(try calls(c.code, rules: c.rules))
            let tutors = argv(try FakeKubectl.tutor(c.fixture))
            XCTAssertEqual(ours, tutors, "`\(c.code)` differs from Tutor's \(c.fixture)")
        }
    }

    func testImagesBuildGivesTutorsArgv() throws {
        let t = try TestRoot.tutorMade()
        let fake = try FakeKubectl(t)
        try FileManager.default.createDirectory(atPath: t.root + "/env/build/openedx", withIntermediateDirectories: true)
        XCTAssertEqual(t.ok("print (images build openedx)"), "docker buildx build --tag=docker.io/overhangio/openedx:22.0.3 --output=type=docker --cache-from=type=registry,ref=docker.io/overhangio/openedx:22.0.3-cache \(t.root)/env/build/openedx\ndocker.io/overhangio/openedx:22.0.3\n")
        XCTAssertEqual(argv(try fake.calls()), argv(try FakeKubectl.tutor("images-build-openedx")))
    }

    func testDeleteExcludingTheNamespaceDeletesWhatKustomizeLists() throws {
        let tutors = try FakeKubectl.tutor("delete-exclude-namespace")
        let listed = (["namespace/openedx"] + tutors[1].argv.filter { $0.contains("/") && !$0.hasPrefix("--") }).joined(separator: "\n") + "\n"
        let ours = try calls("delete --yes --exclude-namespace",
                             rules: [Rule(argv_prefix: ["delete", "-k"], argv_contains: ["--dry-run=client"], stdout: listed)])
        XCTAssertEqual(argv(ours), argv(tutors))
    }

    func testExecFindsThePodAndPassesWordsUnchanged() throws {
        let pod = Rule(argv_prefix: ["get", "pods"], stdout: "lms-5f7b8c9d6-x7k2p")
        // Spaces, quotes, $(…) and a newline reach kubectl exactly as written: no shell in between.
        let tricky = "echo \"a b\" 'c d' $(id -u) $HOME\necho done"
        let t = try TestRoot.tutorMade()
        let fake = try FakeKubectl(t, rules: [pod])
        let r = t.run("exec lms sh -c \(CommandRunnerQuoting.tk8sLiteral(tricky))")
        XCTAssertEqual(r.status, 0, r.err)
        let ours = try fake.calls()
        XCTAssertEqual(ours.count, 2)
        XCTAssertEqual(ours[0].argv, ["get", "pods", "--namespace", "openedx", "--selector=app.kubernetes.io/name=lms",
                                      "-o", "jsonpath={.items[0].metadata.name}"])
        // Tutor always asks for a TTY; tk8s only when it has one (the tests have none).
        let tutors = try FakeKubectl.tutor("exec-quoting")[0].argv.filter { $0 != "--tty" }
        XCTAssertEqual(ours[1].argv, tutors)
        // The echo is shell-quoted, so it can be pasted back into a shell.
        XCTAssertTrue(r.out.contains("kubectl exec --stdin --namespace openedx lms-5f7b8c9d6-x7k2p -- sh -c 'echo \"a b\" '\"'\"'c d'\"'\"' $(id -u) $HOME\necho done'"), r.out)
    }

    func testInitRunsTutorsJobsAndWaitsWithoutPolling() throws {
        let rules = [Rule(argv_contains: ["--for=condition=failed"], stderr: "timed out", exit: 1)]
        let ours = try calls("init", rules: rules)
        let applied = ours.filter { $0.argv.first == "apply" }
        let tutorsApplied = try FakeKubectl.tutor("init").filter { $0.argv.first == "apply" }
        // Tutor also runs mounted-directories.sh, which only matters for bind mounts (docker compose dev), not on Kubernetes.
        XCTAssertEqual(applied.count, tutorsApplied.count - 1)
        let names = try applied.map { try jobName($0) }
        XCTAssertEqual(names.map { String($0.prefix { $0 != "-" }) }, ["mysql", "lms", "lms", "cms"])
        for call in applied { try checkJob(call, against: tutorsApplied[0]) }
        // Each job is waited for with `kubectl wait` on both conditions, not polled.
        for name in names {
            XCTAssertTrue(ours.contains { $0.argv.starts(with: ["wait", "--namespace", "openedx", "--timeout=-1s", "job/\(name)"]) && $0.argv.last == "--for=condition=complete" })
        }
        XCTAssertFalse(ours.contains { $0.argv.first == "get" && $0.argv.contains("job/") })
    }

    func testInitLimitAndDoCreateuser() throws {
        let rules = [Rule(argv_contains: ["--for=condition=failed"], exit: 1)]
        let mysql = try calls("init --limit mysql", rules: rules)
        XCTAssertEqual(try mysql.filter { $0.argv.first == "apply" }.map { try jobName($0) }.map { String($0.prefix(9)) }, ["mysql-job"])

        let password = "p a$(x)\"ss'"
        let t = try TestRoot.tutorMade()
        let fake = try FakeKubectl(t, rules: rules)
        let r = t.run("do createuser --staff --superuser admin admin@example.com --password \(CommandRunnerQuoting.tk8sLiteral(password))")
        XCTAssertEqual(r.status, 0, r.err)
        let ours = try fake.calls()
        let tutors = try FakeKubectl.tutor("do-createuser")
        // The same waits first (tk8s runs them in parallel), then one lms job.
        XCTAssertEqual(Set(ours.filter { $0.argv.first == "wait" && $0.argv.last == "deployment" }.map(\.argv)),
                       Set(tutors.filter { $0.argv.first == "wait" }.map(\.argv)))
        let applied = ours.filter { $0.argv.first == "apply" }
        XCTAssertEqual(applied.count, 1)
        try checkJob(applied[0], against: tutors.first { $0.argv.first == "apply" }!)
        // The password travels as an environment value of the job, byte for byte, never inside the script.
        let job = try YAMLCodec.decode(applied[0].files.values.first!)
        let container = try XCTUnwrap(job.at("spec", "template", "spec", "containers").flatMap { v -> Value? in
            if case .list(let l) = v { return l.first }; return nil })
        guard case .list(let env)? = container.at("env") else { return XCTFail("no env") }
        XCTAssertTrue(env.contains { $0.at("name")?.displayString == "TK8S_PASSWORD" && $0.at("value")?.displayString == password })
        guard case .list(let args)? = container.at("args") else { return XCTFail("no args") }
        XCTAssertFalse(args.last!.displayString.contains(password))
        XCTAssertFalse(r.out.contains(password), "the password is never printed")
    }

    private func jobName(_ call: FakeKubectl.Call) throws -> String {
        let manifest = try XCTUnwrap(call.files.values.first)
        return try XCTUnwrap((try YAMLCodec.decode(manifest)).at("metadata", "name")?.displayString)
    }

    /// Our job has Tutor's shape: name and name label `<svc>-job-<14 digits>`, Tutor's labels, backoffLimit 1, ttl 3600, `sh -e -c`.
    private func checkJob(_ ours: FakeKubectl.Call, against tutors: FakeKubectl.Call, file: StaticString = #filePath, line: UInt = #line) throws {
        let job = try YAMLCodec.decode(try XCTUnwrap(ours.files.values.first))
        let reference = try YAMLCodec.decode(try XCTUnwrap(tutors.files.values.first))
        let name = try jobName(ours)
        XCTAssertNotNil(name.range(of: #"^[a-z]+-job-[0-9]{14}(-[0-9]+)?$"#, options: .regularExpression), name, file: file, line: line)
        XCTAssertEqual(job.at("metadata", "labels", "app.kubernetes.io/name")?.displayString, name, file: file, line: line)
        for label in ["app.kubernetes.io/instance", "app.kubernetes.io/managed-by", "app.kubernetes.io/part-of", "app.kubernetes.io/component"] {
            XCTAssertEqual(job.at("metadata", "labels", label)?.literal, reference.at("metadata", "labels", label)?.literal, label, file: file, line: line)
        }
        XCTAssertEqual(job.at("spec", "backoffLimit")?.literal, "1", file: file, line: line)
        XCTAssertEqual(job.at("spec", "ttlSecondsAfterFinished")?.literal, "3600", file: file, line: line)
        guard case .list(let containers)? = job.at("spec", "template", "spec", "containers"),
              case .list(let args)? = containers[0].at("args") else { return XCTFail("no container args", file: file, line: line) }
        XCTAssertEqual(args.prefix(3).map(\.displayString), ["sh", "-e", "-c"], file: file, line: line)
    }

    func testDryRunChangesNothing() throws {
        let t = try TestRoot.tutorMade()
        let fake = try FakeKubectl(t)
        let context = "start\nstop\nreboot\nscale lms 2\nwait lms cms\ndelete --yes\napply\ninit\ndo createuser a a@b.c\nexec lms ls\n"
            + "images push openedx\nkubectl delete pod x\nprint (kubectl get pods -o json)\nprint (status)\nprint (logs lms)"
        let r = t.runDry(context)
        XCTAssertEqual(r.status, 0, r.err)
        // Only the local `kubectl kustomize` (for the jobs) ran; nothing reached a cluster or docker.
        XCTAssertEqual(Set(try fake.calls().map { $0.argv.first ?? "" }), ["kustomize"])
        XCTAssertTrue(r.out.contains("kubectl scale --namespace openedx --replicas=2 deployment/lms   # dry run: not run"), r.out)
        XCTAssertTrue(r.out.contains("kubectl get pods -o json   # dry run: not run, read as empty\nnull\n"), r.out)
        XCTAssertTrue(r.out.contains("docker push docker.io/overhangio/openedx:22.0.3   # dry run: not run"), r.out)
    }

    func testSecretsAreRedactedInEchoesAndErrors() throws {
        let t = try TestRoot.tutorMade()
        let secret = try XCTUnwrap(t.config()["MYSQL_ROOT_PASSWORD"]?.displayString)
        _ = try FakeKubectl(t, rules: [Rule(argv_prefix: ["scale"], stderr: "error: login as root with \(secret) refused\n", exit: 2),
                                       Rule(argv_prefix: ["get", "pods"], stdout: "mysql-0")])
        // A secret typed into a command is hidden in its echo; one in kubectl's stderr is hidden live and in the error.
        let r = t.run("""
            exec mysql mysql -u root "--password=\(secret)"
            try { scale mysql 2 } catch err { print $err.code $err.exit_code $err.stderr $err.argv }
            scale mysql 3
            """)
        XCTAssertEqual(r.status, 1)
        XCTAssertFalse((r.out + r.err).contains(secret), r.out + r.err)
        XCTAssertTrue(r.out.contains("kubectl exec --stdin --namespace openedx mysql-0 -- mysql -u root --password=********\n"), r.out)
        XCTAssertTrue(r.out.contains("E2011 2 error: login as root with ******** refused\n [\"kubectl\", \"scale\""), r.out)
        XCTAssertTrue(r.err.contains("error[E2011]: kubectl exited with status 2 while running `kubectl scale --namespace openedx --replicas=3 deployment/mysql`"), r.err)
        XCTAssertTrue(r.err.contains("= help: kubectl said: error: login as root with ******** refused"), r.err)
    }

    func testKubectlGivesStructuredValuesAndStatusSummaries() throws {
        let pods = #"{"items": [{"kind": "Pod", "metadata": {"name": "lms-1"}, "status": {"phase": "Running", "containerStatuses": [{"ready": true, "restartCount": 2}]}}]}"#
        let deployments = #"{"items": [{"kind": "Deployment", "metadata": {"name": "lms"}, "spec": {"replicas": 2}, "status": {"readyReplicas": 1}}]}"#
        let t = try TestRoot.tutorMade()
        let fake = try FakeKubectl(t, rules: [Rule(argv_prefix: ["get", "pods"], stdout: pods),
                                              Rule(argv_prefix: ["get", "all"], stdout: deployments)])
        let out = t.ok("""
            let p = (kubectl get pods --namespace openedx -o json)
            print $p.items[0].metadata.name
            for r in (status) { print $r.kind $r.name $r.ready $r.status }
            """)
        XCTAssertTrue(out.contains("\nlms-1\n") && out.hasSuffix("\nDeployment lms 1/2 Progressing\n"), out)
        XCTAssertEqual(try fake.calls().map(\.argv).last, ["get", "all", "--namespace", "openedx", "-o", "json"])
    }

    func testDeleteNeedsYesInAScript() throws {
        let t = try TestRoot.tutorMade()
        let fake = try FakeKubectl(t)
        let r = t.run("delete")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("error[E2009]: `delete` removes volumes and data: a script must say `delete --yes`"), r.err)
        XCTAssertTrue(try fake.calls().isEmpty)
    }

    func testContextAndKubeconfigReachEveryCall() throws {
        let t = try TestRoot.tutorMade()
        let fake = try FakeKubectl(t)
        let r = t.run("stop\nwait lms", cluster: ClusterOptions(context: "staging", kubeconfig: "/etc/kube/config"))
        XCTAssertEqual(r.status, 0, r.err)
        for call in try fake.calls() {
            XCTAssertEqual(Array(call.argv.prefix(4)), ["--context", "staging", "--kubeconfig", "/etc/kube/config"])
        }
    }

    /// Ctrl-C at the terminal reaches kubectl (same process group) and ends `logs --follow`; the script goes on.
    func testInterruptStopsKubectlAndReturnsControl() throws {
        let binary = try tk8sBinary()
        let t = try TestRoot.tutorMade()
        let fake = try FakeKubectl(t)
        t.extraEnvironment["TK8S_FAKE_KUBECTL_SLEEP"] = "30"
        let proc = Process()
        proc.executableURL = URL(fileURLWithPath: binary)
        proc.arguments = ["--root", t.root, "-c", "logs lms --follow\nprint after"]
        proc.environment = ProcessInfo.processInfo.environment.merging(t.environment) { $1 }
        let out = Pipe()
        proc.standardOutput = out
        proc.standardInput = FileHandle.nullDevice
        try proc.run()
        // Wait until the fake has logged the call (it then sleeps), then Ctrl-C the whole group like a terminal does.
        let deadline = Date().addingTimeInterval(20)
        while (try fake.calls()).isEmpty && Date() < deadline { usleep(50_000) }
        XCTAssertFalse(try fake.calls().isEmpty, "kubectl logs never started")
        usleep(200_000)
        kill(-proc.processIdentifier, SIGINT)
        let started = Date()
        proc.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "tk8s did not come back after Ctrl-C")
        XCTAssertEqual(proc.terminationStatus, 0, text)
        XCTAssertTrue(text.hasSuffix("--follow\nafter\n"), text)
    }
}

/// Writes test strings as tk8s string literals.
enum CommandRunnerQuoting {
    static func tk8sLiteral(_ s: String) -> String { Value.string(s).literal }
}

extension TestRoot {
    func runDry(_ code: String) -> Run { run(code, cluster: ClusterOptions(dryRun: true)) }
}
