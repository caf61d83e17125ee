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
            XCTAssertEqual(current, expected, "\(path) is out of date: run TK8S_UPDATE_DOCS=1 swift test --filter ExampleTests")
        }
        XCTAssertTrue(files[0].1.contains("config set"))
        XCTAssertTrue(files[0].1.contains("plugins define"))
    }
}
