import XCTest
@testable import Lang

/// Every script in Examples/ must pass `tk8s check` and run to completion.
final class ExampleTests: XCTestCase {
    private var examples: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples")
    }

    private func source(_ name: String) throws -> SourceFile {
        let url = examples.appendingPathComponent(name)
        return SourceFile(name: name, path: url.path, bytes: Array(try Data(contentsOf: url)))
    }

    func testEveryExampleChecksClean() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: examples.path).filter { $0.hasSuffix(".tk8s") }
        XCTAssertFalse(names.isEmpty)
        for name in names {
            let diags = Interpreter().check(try source(name))
            XCTAssertEqual(diags.map(\.message), [], name)
        }
    }

    func testTourRunsWithItsArguments() throws {
        let rt = Interpreter()
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
}
