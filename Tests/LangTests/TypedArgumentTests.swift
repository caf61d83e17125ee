import Foundation
import Core
import XCTest

@testable import Lang

/// Typed parameters (`ParamType`), statements that print a query's value, and the warning for a thrown-away value.
final class TypedArgumentTests: XCTestCase {
    private func check(_ source: String) -> [Diagnostic] {
        Interpreter().check(SourceFile(name: "t.tk8s", text: source))
    }

    /// Runs `source` as `tk8s FILE` does: (status, stdout, stderr).
    private func execute(_ source: String) -> (Int32, String, String) {
        let rt = Interpreter()
        var out = "", err = ""
        rt.output = { out += $0 }
        let status = rt.execute(SourceFile(name: "t.tk8s", text: source), errors: { err += $0 })
        return (status, out, err)
    }

    // MARK: Conversion rules

    func testConversionRules() {
        XCTAssertEqual(ParamType.int.convert(.string("3"))?.literal, "3")
        XCTAssertEqual(ParamType.int.convert(.string("-3"))?.literal, "-3")
        XCTAssertEqual(ParamType.int.convert(.float(2))?.literal, "2")
        XCTAssertNil(ParamType.int.convert(.float(2.5)))
        XCTAssertNil(ParamType.int.convert(.string("three")))
        XCTAssertNil(ParamType.int.convert(.string(" 3")))
        XCTAssertNil(ParamType.int.convert(.null))
        XCTAssertEqual(ParamType.number.convert(.string("1.5"))?.literal, "1.5")
        XCTAssertEqual(ParamType.number.convert(.string("2"))?.literal, "2")
        XCTAssertEqual(ParamType.string.convert(.int(3))?.literal, "\"3\"")
        XCTAssertEqual(ParamType.string.convert(.bool(true))?.literal, "\"true\"")
        XCTAssertNil(ParamType.string.convert(.list([])))
        XCTAssertNil(ParamType.string.convert(.null))
        XCTAssertNil(ParamType.list.convert(.string("a")))
        XCTAssertEqual(ParamType.any.convert(.null)?.literal, "null")
    }

    // MARK: Check time

    func testCheckRejectsALiteralOfTheWrongType() {
        let d = check("print 1\nrange 1 ten").filter(\.isError)
        XCTAssertEqual(d.map(\.code), [.argumentType])
        XCTAssertEqual(d.first?.message, "`range` wants an integer for END, got string \"ten\"")
        XCTAssertEqual(DiagnosticRenderer().render(d[0]), """
            error[E1010]: `range` wants an integer for END, got string "ten"
             --> t.tk8s:2:9
              |
            2 | range 1 ten
              |         ^^^
              = help: usage: range START [END] [STEP]

            """)
    }

    func testCheckRejectsAFlagValueOfTheWrongType() {
        let d = check("let parts = (split \"a b\" --limit many)")
        XCTAssertEqual(d.map(\.message), ["`split` wants an integer for --limit, got string \"many\""])
    }

    func testLiteralsThatConvertPass() {
        XCTAssertEqual(check("let a = (range \"3\")\nlet b = (range 2.0)\nsleep \"0\"\nlet u = (upper 42)").map(\.message), [])
    }

    func testUntypedParametersTakeAnything() {
        XCTAssertEqual(check("fn f(a, --b = 1) { return $a }\nlet x = (f [1] --b {k: v})").map(\.message), [])
    }

    // MARK: Run time

    func testComputedValueIsCheckedWhenBound() {
        let (status, out, err) = execute("let n = \"ten\"\nprint before\nprint (range 1 $n)")
        XCTAssertEqual(status, 1)
        XCTAssertEqual(out, "before\n")
        XCTAssertEqual(err, """
            error[E1010]: `range` wants an integer for END, got string "ten"
             --> t.tk8s:3:16
              |
            3 | print (range 1 $n)
              |                ^^
              = help: usage: range START [END] [STEP]

            """)
    }

    func testNumericStringStillConvertsAtRunTime() {
        let (status, out, _) = execute("let n = \"3\"\nprint (range $n)\nprint (slice [a, b, c] \"1\")")
        XCTAssertEqual(status, 0)
        XCTAssertEqual(out, "[0, 1, 2]\n[\"b\", \"c\"]\n")
    }

    func testSpreadValueIsReportedAtTheSpread() {
        let (_, _, err) = execute("let a = [1, x]\nprint (range ...$a)")
        XCTAssertTrue(err.hasPrefix("error[E1010]: `range` wants an integer for END, got string \"x\"\n --> t.tk8s:2:17\n"), err)
    }

    func testVariadicElementsAndRepeatedValuesAreChecked() {
        let (_, _, err) = execute("let m = {a: 1}\nprint (merge $m $m [1])")
        XCTAssertTrue(err.hasPrefix("error[E1010]: `merge` wants a map for MAPS, got list [1]\n --> t.tk8s:2:20\n"), err)
    }

    func testCatchSeesTheCode() {
        XCTAssertEqual(execute("try { sleep (upper x) } catch e { print $e.code }").1, "E1010\n")
    }

    // MARK: Statements

    func testPureCallAloneIsAWarning() {
        let d = check("let x = [1]\nlen $x\n(upper a)\nlet n = (len $x)\nprint (len $x)")
        XCTAssertEqual(d.map(\.code), [.discardedValue, .discardedValue])
        XCTAssertEqual(d.map(\.severity), [.warning, .warning])
        XCTAssertEqual(d.first?.message, "the value of `len` is thrown away")
        XCTAssertTrue(DiagnosticRenderer().render(d[0]).hasPrefix("warning[W1000]: the value of `len` is thrown away\n --> t.tk8s:2:1\n"))
    }

    func testCheckPassesWithOnlyWarningsAndShowsThem() {
        let rt = Interpreter()
        var err = ""
        let status = rt.checkAll([SourceFile(name: "t.tk8s", text: "len [1]\nupper a")], errors: { err += $0 })
        XCTAssertEqual(status, 0)
        XCTAssertTrue(err.hasPrefix("warning[W1000]"), err)
        XCTAssertTrue(err.hasSuffix("\n2 warnings\n"), err)
        let failing = rt.checkAll([SourceFile(name: "u.tk8s", text: "len [1]\nprnt")], errors: { err = $0 })
        XCTAssertEqual(failing, 1)
        XCTAssertEqual(err, "1 error, 1 warning\n")
    }

    func testScriptWithWarningsRunsQuietly() {
        XCTAssertEqual(execute("len [1]\nprint ok").0, 0)
        XCTAssertEqual(execute("len [1]\nprint ok").1, "ok\n")
        XCTAssertEqual(execute("len [1]\nprint ok").2, "")
    }

    func testQueryStatementPrintsItsValue() throws {
        let dir = NSTemporaryDirectory() + "tk8s-typed-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "one\ntwo\n".write(toFile: dir + "/f.txt", atomically: true, encoding: .utf8)
        let path = Value.string(dir + "/f.txt").literal
        XCTAssertEqual(execute("file read \(path)\nfile exists \(path)\nlet t = (file read \(path))").1, "one\ntwo\ntrue\n")
    }

    func testREPLShowsAQueryOnce() throws {
        let rt = Interpreter()
        var out = ""
        rt.output = { out += $0 }
        let module = rt.makeSessionModule()
        XCTAssertEqual(rt.compile(SourceFile(name: "<repl>", text: "file exists \"/\""), into: module).count, 0)
        let shown = try rt.runLine(module)
        XCTAssertEqual(out, "true\n")
        XCTAssertEqual(shown?.literal, "null", "printed by the statement, so the REPL has nothing more to show")
    }

    func testPrinterShowsStringsBareAndRecordsAsATable() {
        XCTAssertEqual(ValuePrinter.render(.string("learn.example.com")), "learn.example.com\n")
        XCTAssertEqual(ValuePrinter.render(.int(3)), "3\n")
        XCTAssertEqual(ValuePrinter.render(.list([.map(["name": .string("lms"), "ready": .int(1)])])), "NAME   READY\nlms    1\n")
    }
}
