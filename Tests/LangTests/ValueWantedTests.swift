import XCTest
import Core
@testable import Lang

/// A builtin learns whether its value is used, so one that wraps a program can
/// show the program's output as a statement and capture it as a value.
final class ValueWantedTests: XCTestCase {
    func testStatementsDoNotWantTheirValue() {
        let rt = Interpreter()
        var out = ""
        rt.output = { out += $0 }
        rt.registry.register(Signature("probe", "Says how it was called.")) { args, rt in
            rt.output(args.valueWanted ? "value\n" : "statement\n")
            return .string("v")
        }
        let status = rt.execute(SourceFile(name: "t", text: """
            probe
            let x = (probe)
            (probe)
            print (probe)
            if true { probe }
            fn f() { probe }
            f
            """), errors: { out += $0 })
        XCTAssertEqual(status, 0, out)
        XCTAssertEqual(out, "statement\nvalue\nvalue\nvalue\nv\nstatement\nstatement\n")
    }
}
