import Core
import Foundation
import XCTest
@testable import Lang
@testable import Runtime

/// Every script in Examples/ must pass `tk8s check` and run; the generated docs must be current.
final class ExampleTests: XCTestCase {
    private var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    private var examples: URL { repository.appendingPathComponent("Examples") }

    private func source(_ name: String) throws -> SourceFile {
        let url = examples.appendingPathComponent(name)
        return SourceFile(name: name, path: url.path, bytes: Array(try Data(contentsOf: url)))
    }

    /// An interpreter with every builtin the `tk8s` command has.
    private func interpreter(_ t: TestRoot? = nil) -> Interpreter {
        let rt = Interpreter()
        Runtime.register(into: rt.registry, context: RuntimeContext(rootOption: t?.root, environment: t?.environment ?? [:]))
        return rt
    }

    func testEveryExampleChecksClean() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: examples.path).filter { $0.hasSuffix(".tk8s") }
        XCTAssertGreaterThanOrEqual(names.count, 2)
        for name in names {
            let diags = interpreter().check(try source(name))
            XCTAssertEqual(diags.map(\.message), [], name)
        }
    }

    func testTourRunsWithItsArguments() throws {
        let rt = interpreter()
        rt.scriptArguments = ["courses.example.org"]
        var out = "", err = ""
        rt.output = { out += $0 }
        let status = rt.execute(try source("tour.tk8s"), errors: { err += $0 })
        XCTAssertEqual(status, 0, err)
        XCTAssertEqual(err, "")
        let lines = out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "== platform courses.example.org")
        XCTAssertTrue(lines.contains("  lms ×2"))
        XCTAssertTrue(lines.contains("patch for mongodb asks for 10Gi"))
        XCTAssertTrue(lines.contains("  warning: mongodb is not ready after 3 tries (E2007)"))
        XCTAssertEqual(lines.last, #"{"host":"courses.example.org","services":5,"studio":"studio.courses.example.org"}"#)
    }

    func testK8sOverrideExampleEndsWith10Gi() throws {
        let t = try TestRoot()
        let r = t.run(try String(contentsOf: examples.appendingPathComponent("k8s-override.tk8s"), encoding: .utf8),
                      name: "k8s-override.tk8s")
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("mongodb volume: 10Gi"), r.out)
        let inv = try Inventory.of(try Tools.kustomize(t.root + "/env"))
        XCTAssertTrue(inv["PersistentVolumeClaim/mongodb"]?.contains("storage=10Gi") == true, inv["PersistentVolumeClaim/mongodb"] ?? "none")
    }

    // MARK: The cluster examples, against the recording fake kubectl

    private func run(_ example: String, _ t: TestRoot, dryRun: Bool = false, args: [String] = []) throws -> TestRoot.Run {
        let code = try String(contentsOf: examples.appendingPathComponent(example), encoding: .utf8)
        return t.run(code, name: example, cluster: ClusterOptions(dryRun: dryRun), args: args)
    }

    /// Every cluster example runs with --dry-run and reaches no cluster (only the local `kubectl kustomize`).
    func testClusterExamplesRunDry() throws {
        let expected: [(String, [String], String)] = [
            ("blank-slate.tk8s", [], "blank slate done: caddy, lms, cms re-created"),
            ("launch.tk8s", [], "LMS: http://local.openedx.io"),
            ("update-images.tk8s", [], "pod templates labelled date="),
            ("custom-image.tk8s", ["registry.example.com/ops"], "built and pushed registry.example.com/ops/openedx:22.0.3"),
            ("minio.tk8s", [], "files are served at files.local.openedx.io, the console at minio.local.openedx.io"),
            ("shell.tk8s", [], "kubectl exec --stdin --namespace openedx POD -- ./manage.py lms shell   # dry run: not run"),
            ("logs.tk8s", [], "cms: 0 error lines in the last 200 of each pod"),
        ]
        for (name, args, line) in expected {
            let t = try TestRoot.tutorMade()
            let fake = try FakeKubectl(t)
            let r = try run(name, t, dryRun: true, args: args)
            XCTAssertEqual(r.status, 0, "\(name): \(r.err)")
            XCTAssertTrue(r.out.contains(line), "\(name):\n\(r.out)")
            XCTAssertTrue(try fake.calls().allSatisfy { $0.argv.first == "kustomize" }, name)
        }
    }

    func testBlankSlateIsTutorsStopThenStart() throws {
        let t = try TestRoot.tutorMade()
        let fake = try FakeKubectl(t)
        let r = try run("blank-slate.tk8s", t)
        XCTAssertEqual(r.status, 0, r.err)
        let calls = try fake.calls().map(\.argv)
        let tutor = try (FakeKubectl.tutor("stop") + FakeKubectl.tutor("start")).map(\.argv)
        XCTAssertEqual(Array(calls.prefix(3)), tutor)
        XCTAssertEqual(Set(calls.dropFirst(3).map { $0[3] }), Set(["caddy", "lms", "cms"].map { "--selector=app.kubernetes.io/instance=openedx-Vuz3eeLGn1jnqv61ZONklG0r,app.kubernetes.io/name=\($0)" }))
    }

    func testLaunchPrintsTheLoadBalancerIPFirst() throws {
        let t = try TestRoot.tutorMade()
        let caddy = #"{"kind": "Service", "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.7"}]}}}"#
        let fake = try FakeKubectl(t, rules: [.init(argv_prefix: ["get", "service", "caddy"], stdout: caddy),
                                              .init(argv_contains: ["--for=condition=failed"], exit: 1)])
        let r = try run("launch.tk8s", t)
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("point local.openedx.io and studio.local.openedx.io at 203.0.113.7\n"), r.out)
        let calls = try fake.calls().map(\.argv)
        // caddy is started, then its IP read, before anything else is applied.
        let firstApply = try XCTUnwrap(calls.firstIndex { $0.first == "apply" })
        XCTAssertEqual(calls[firstApply], ["apply", "--kustomize", "<ROOT>/env", "--selector", "app.kubernetes.io/name=caddy"])
        XCTAssertEqual(calls[firstApply + 1].prefix(3), ["get", "service", "caddy"])
        XCTAssertEqual(calls.filter { $0.first == "apply" && $0[1] == "-f" }.count, 4, "the four init jobs ran")
        XCTAssertTrue(r.out.hasSuffix("The Open edX platform is running:\n    LMS: http://local.openedx.io\n    Studio: http://studio.local.openedx.io\n"), r.out)
    }

    func testUpdateImagesPatchesADateLabel() throws {
        let t = try TestRoot.tutorMade()
        let fake = try FakeKubectl(t)
        let r = try run("update-images.tk8s", t)
        XCTAssertEqual(r.status, 0, r.err)
        let call = try XCTUnwrap(try fake.calls().first?.argv)
        XCTAssertEqual(Array(call.prefix(4)), ["patch", "-k", "<ROOT>/env", "--patch"])
        XCTAssertNotNil(call[4].range(of: #"^\{"spec":\{"template":\{"metadata":\{"labels":\{"date":"[0-9]{8}-[0-9]{6}"\}\}\}\}\}$"#, options: .regularExpression), call[4])
    }

    func testLogsExampleCountsErrorLines() throws {
        let t = try TestRoot.tutorMade()
        _ = try FakeKubectl(t, rules: [.init(argv_contains: ["--selector=app.kubernetes.io/instance=openedx-Vuz3eeLGn1jnqv61ZONklG0r,app.kubernetes.io/name=lms"],
                                             stdout: "INFO up\nERROR db gone\nINFO retry\nERROR db gone again\n")])
        let r = try run("logs.tk8s", t, args: ["lms"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.hasSuffix("ERROR db gone\nERROR db gone again\nlms: 2 error lines in the last 200 of each pod\n"), r.out)
    }

    /// `docs/builtins.md` and `docs/errors.md` are generated; `TK8S_UPDATE_DOCS=1 swift test --filter ExampleTests` rewrites them.
    func testGeneratedDocsAreCurrent() throws {
        let files: [(String, String)] = [
            ("docs/builtins.md", builtinReference(interpreter().registry)),
            ("docs/errors.md", errorReference()),
        ]
        for (path, expected) in files {
            let url = repository.appendingPathComponent(path)
            if ProcessInfo.processInfo.environment["TK8S_UPDATE_DOCS"] == "1" {
                try expected.write(to: url, atomically: true, encoding: .utf8)
                continue
            }
            let current = try? String(contentsOf: url, encoding: .utf8)
            // Not XCTAssertEqual: printing both 60 KB texts would bury the one line that matters.
            XCTAssertTrue(current == expected, "\(path) is out of date: run TK8S_UPDATE_DOCS=1 swift test --filter ExampleTests")
        }
        XCTAssertTrue(files[0].1.contains("config set"))
        XCTAssertTrue(files[0].1.contains("plugins define"))
    }
}
