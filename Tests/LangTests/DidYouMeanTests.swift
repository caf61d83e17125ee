import Core
import XCTest

@testable import Lang

/// Did-you-mean: transposed letters are one slip, and an unknown command suggests a command first.
final class DidYouMeanTests: XCTestCase {
    private func help(_ source: String) -> [String?] {
        Interpreter().check(SourceFile(name: "t.tk8s", text: source)).map(\.help)
    }

    func testDistanceCountsATranspositionAsOneEdit() {
        func distance(_ a: String, _ b: String) -> Int { editDistance(Array(a.unicodeScalars), Array(b.unicodeScalars)) }
        XCTAssertEqual(distance("sttaus", "status"), 1)
        XCTAssertEqual(distance("pritn", "print"), 1)
        XCTAssertEqual(distance("ab", "ba"), 1)
        XCTAssertEqual(distance("ca", "abc"), 3, "optimal string alignment edits a letter once")
        XCTAssertEqual(distance("kitten", "sitting"), 3)
        XCTAssertEqual(distance("", "abc"), 3)
        XCTAssertEqual(distance("abc", "abc"), 0)
    }

    func testClosestName() {
        XCTAssertEqual(closestName(to: "strat", in: ["start", "stop", "status"]), "start")
        XCTAssertEqual(closestName(to: "STOP", in: ["start", "stop"]), "stop")
        XCTAssertEqual(closestName(to: "lenn", in: ["len", "help"]), "len")
        XCTAssertEqual(closestName(to: "xyz", in: ["start", "stop"]), nil)
        XCTAssertEqual(closestName(to: "a", in: ["b"]), nil, "a distance equal to the length is not a suggestion")
        XCTAssertEqual(closestName(to: "od", in: ["do"]), "do", "two letters swapped is one slip")
        XCTAssertEqual(closestName(to: "ab", in: ["cd"]), nil)
        XCTAssertEqual(closestName(to: "anything", in: [String]()), nil)
        XCTAssertEqual(closestName(to: "configuration", in: ["configration", "config"]), "configration")
        XCTAssertEqual(closestName(to: "pritn", in: ["print", "pritn2"]), "print", "a swap is as close as one insertion; the first wins")
        XCTAssertEqual(closestName(to: "pritn", in: ["pritn22", "print"]), "print", "the smallest distance wins")
    }

    func testPreferredNamesWinATie() {
        XCTAssertEqual(closestName(to: "sotp", in: ["stop"], then: ["sotpx"]), "stop")
        XCTAssertEqual(closestName(to: "sotp", in: ["start"], then: ["sotpx"]), "sotpx", "a closer other name still wins")
        XCTAssertEqual(closestName(to: "sotp", in: [String](), then: ["stop"]), "stop")
    }

    func testUnknownCommandSuggestsABuiltinBeforeAFunction() {
        XCTAssertEqual(help("fn pirntx() { }\npirnt hi"), ["did you mean `print`?"])
        XCTAssertEqual(help("fn restart_all() { }\nrestrat_all"), ["did you mean `restart_all`?"])
    }

    func testUnknownCommandNeverSuggestsAVariable() {
        XCTAssertEqual(help("let lenn = [1]\nlne $lenn"), ["did you mean `len`?"])
        XCTAssertEqual(help("let uppers = 1\nupperz x"), ["did you mean `upper`?"])
    }

    func testTransposedFlagAndSubcommand() {
        XCTAssertEqual(help("print --spe \",\" a"), ["did you mean `--sep`?"])
        XCTAssertEqual(help("json prase \"{}\""), ["did you mean `json parse`?"])
    }
}
