import Lang
import Core
import XCTest
@testable import Runtime

/// Query commands print their value when they are a statement, as Tutor's commands do; typed parameters of the
/// cluster commands are checked by `tk8s check`.
final class QueryStatementTests: XCTestCase {
    func testConfigGetPrintsWhatTutorPrintvaluePrints() throws {
        let t = try TestRoot()
        t.ok("config save")
        t.ok("config set LMS_HOST learn.example.com")
        XCTAssertEqual(t.ok("config get LMS_HOST\nconfig get ENABLE_HTTPS\nconfig get OPENEDX_EXTRA_PIP_REQUIREMENTS"),
                       "learn.example.com\nfalse\n[]\n")
        XCTAssertEqual(t.ok("config get CMS_HOST"), t.ok("config printvalue CMS_HOST"))
        // As a value nothing is printed.
        XCTAssertEqual(t.ok("let host = (config get LMS_HOST)"), "")
    }

    func testConfigListPrintsATable() throws {
        let t = try TestRoot()
        t.ok("config save")
        let out = t.ok("config list")
        let lines = out.split(separator: "\n")
        XCTAssertTrue(lines.first?.hasPrefix("KEY") == true, out)
        XCTAssertTrue(lines.contains { $0.hasPrefix("ENABLE_HTTPS") && $0.hasSuffix(" false") }, out)
        XCTAssertTrue(lines.contains { $0.hasPrefix("K8S_NAMESPACE") && $0.hasSuffix(" openedx") }, out)
    }

    func testPluginsListPrintsTutorsTable() throws {
        let t = try TestRoot()
        t.ok("config save")
        t.ok("plugins enable minio")
        let out = t.ok("plugins list")
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertTrue(lines.first?.hasPrefix("NAME") == true, out)
        XCTAssertTrue(lines.first?.contains("\tSTATUS") == true, out)
        XCTAssertTrue(lines.contains { $0.hasPrefix("minio") && $0.contains("\t✅ enabled") }, out)
        XCTAssertEqual(PluginBuiltins.formatTable([["NAME", "STATUS", "VERSION"], ["mfe", "✅ enabled", "22.0.0"]]),
                       "NAME\tSTATUS   \tVERSION\nmfe \t✅ enabled\t22.0.0")
    }

    func testCheckRejectsScaleWithAWord() throws {
        let rt = Interpreter()
        let context = RuntimeContext(rootOption: "/nonexistent", environment: [:], status: { _ in })
        Runtime.register(into: rt.registry, context: context)
        var err = ""
        let status = rt.checkAll([SourceFile(name: "ops.tk8s", text: "scale lms 2\nscale lms three\n")], errors: { err += $0 })
        XCTAssertEqual(status, 1)
        XCTAssertEqual(err, """
            error[E1010]: `scale` wants an integer for REPLICAS, got string "three"
             --> ops.tk8s:2:11
              |
            2 | scale lms three
              |           ^^^^^
              = help: usage: scale DEPLOYMENT REPLICAS

            """)
    }
}
