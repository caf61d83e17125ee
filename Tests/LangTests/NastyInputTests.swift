@testable import Core
import Foundation
import XCTest

@testable import Lang

/// Hostile input: each must end in a diagnostic with a code and a span inside
/// the file, never in a crash, a hang or a silently accepted program.
final class NastyInputTests: XCTestCase {
    struct NastyOutcome {
        var status: Int32
        var out: String
        var diagnostics: [Diagnostic]
        var codes: [ErrorCode] { diagnostics.map(\.code) }
    }

    /// Compiles and runs `bytes` with small limits and no file system, like `tk8s FILE`.
    static func nastyRun(_ bytes: [UInt8], name: String = "nasty.tk8s") -> (NastyOutcome, SourceFile) {
        let rt = Interpreter()
        rt.limits.maxCallDepth = 50
        rt.limits.maxStringBytes = 1 << 16
        rt.limits.maxCollectionCount = 1 << 12
        rt.readFile = { path in throw FileSystem.Failure(description: "no file system in nasty tests (\(path))") }
        final class Sink { var text = "" }
        let out = Sink()
        rt.output = { s in if out.text.utf8.count < 1 << 20 { out.text += s } }
        let file = SourceFile(name: name, bytes: bytes)
        let (module, diags) = rt.compile(file)
        guard let module else { return (NastyOutcome(status: 1, out: out.text, diagnostics: diags), file) }
        do {
            try rt.run(module)
            return (NastyOutcome(status: 0, out: out.text, diagnostics: []), file)
        } catch let d as Diagnostic {
            return (NastyOutcome(status: 1, out: out.text, diagnostics: [d]), file)
        } catch {
            XCTFail("a non-diagnostic error escaped: \(error)")
            return (NastyOutcome(status: 1, out: out.text, diagnostics: []), file)
        }
    }

    /// Runs `body` on a thread with a main-thread-sized stack and gives up after `seconds`
    /// (the thread is then abandoned: a hang fails the test instead of blocking the suite).
    static func nastyWithTimeout(_ seconds: Double, _ body: @escaping @Sendable () -> Void) -> Bool {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            body()
            done.signal()
        }
        thread.stackSize = 16 << 20
        thread.start()
        return done.wait(timeout: .now() + seconds) == .success
    }

    /// Every diagnostic has a span inside the bytes of its file.
    private func assertWellFormed(_ outcome: NastyOutcome, _ file: SourceFile, _ what: String,
                                  sourceFile: StaticString = #filePath, line: UInt = #line) {
        if outcome.status != 0 {
            XCTAssertFalse(outcome.diagnostics.isEmpty, "\(what): failed without a diagnostic", file: sourceFile, line: line)
        }
        for d in outcome.diagnostics {
            guard let span = d.span else {
                XCTFail("\(what): \(d.code.rawValue) \(d.message) has no span", file: sourceFile, line: line)
                continue
            }
            XCTAssertTrue(span.start >= 0 && span.start <= span.end && span.end <= span.file.bytes.count,
                          "\(what): span \(span.start)..<\(span.end) outside \(span.file.bytes.count) bytes", file: sourceFile, line: line)
            XCTAssertTrue(span.file === file, "\(what): span in another file", file: sourceFile, line: line)
            _ = DiagnosticRenderer().render(d)  // must not trap either
        }
    }

    private func expectCodes(_ bytes: [UInt8], _ expected: Set<ErrorCode>, _ what: String,
                             sourceFile: StaticString = #filePath, line: UInt = #line) {
        let (outcome, file) = Self.nastyRun(bytes)
        XCTAssertEqual(outcome.status, 1, "\(what): expected a failure", file: sourceFile, line: line)
        XCTAssertEqual(Set(outcome.codes), expected, "\(what): \(outcome.diagnostics.map { String($0.message.prefix(120)) })",
                       file: sourceFile, line: line)
        assertWellFormed(outcome, file, what, sourceFile: sourceFile, line: line)
    }

    private func repeated(_ s: String, _ n: Int) -> String { String(repeating: s, count: n) }

    // MARK: Bytes

    func testInvalidUTF8() {
        // U+FFFD then reads as a name: that it is also an unknown command is noise, but E0001 must come first.
        let (lone, _) = Self.nastyRun([0xFF])
        XCTAssertEqual(lone.status, 1)
        XCTAssertEqual(lone.codes.first, .invalidUTF8)
        expectCodes(Array("print ".utf8) + [0xFF], [.invalidUTF8], "a lone 0xFF as an argument")
        expectCodes(Array("print \"".utf8) + [0xC3] + Array("\"".utf8), [.invalidUTF8], "a truncated sequence in a string")
        expectCodes(Array("print a".utf8) + [0xED, 0xA0, 0x80], [.invalidUTF8], "an encoded surrogate")
        expectCodes(Array("print ".utf8) + [0xF0, 0x9F, 0x98], [.invalidUTF8], "a truncated emoji at the end")
        expectCodes(Array("print ".utf8) + [0xC0, 0x80], [.invalidUTF8], "an overlong NUL")
        // A run of bad bytes is one error (a binary file is not hundreds of them); separate runs are separate errors.
        let (o, _) = Self.nastyRun(Array("print x".utf8) + [0xFE, 0xFE, 0xFE])
        XCTAssertEqual(o.codes, [.invalidUTF8])
        XCTAssertEqual(o.diagnostics.first?.message, "3 bytes of invalid UTF-8")
        let (two, _) = Self.nastyRun(Array("print x".utf8) + [0xFE] + Array(" y ".utf8) + [0xFE, 0xFF])
        XCTAssertEqual(two.codes, [.invalidUTF8, .invalidUTF8])
    }

    /// A report shows the first 20 errors and counts the rest, as a compiler's error limit does.
    func testManyErrorsAreCapped() {
        let text = (1...30).map { "prnt \($0)" }.joined(separator: "\n")
        let (r, _) = Self.nastyRun(Array(text.utf8))
        XCTAssertEqual(r.codes.count, 30)
        var shown = ""
        Interpreter().report(r.diagnostics, errors: { shown += $0 }, renderer: DiagnosticRenderer())
        XCTAssertEqual(shown.components(separatedBy: "error[E1000]").count - 1, 20, shown)
        XCTAssertTrue(shown.hasSuffix("30 errors (the first 20 shown)\n"), shown)
    }

    func testNulBytes() {
        expectCodes([0], [.nulByte], "a lone NUL")
        expectCodes(Array("print \"a".utf8) + [0] + Array("b\"".utf8), [.nulByte], "NUL in a string")
        expectCodes(Array("let x = 1".utf8) + [0, 0, 0], [.nulByte], "NULs after an expression")
        expectCodes(Array("print \"$(".utf8) + [0] + Array(")\"".utf8), [.nulByte], "NUL in $(…)")
        expectCodes(Array("print \"$(@)\"".utf8), [.unexpectedCharacter], "a bad character in $(…)")
    }

    // MARK: Nesting

    func testDeepBrackets() {
        expectCodes(Array(("let x = " + repeated("[", 100_000)).utf8), [.nestingTooDeep], "100k unclosed [")
        expectCodes(Array(("let x = " + repeated("[", 100_000) + repeated("]", 100_000)).utf8), [.nestingTooDeep], "100k closed [")
        expectCodes(Array(("print " + repeated("[", 100_000)).utf8), [.nestingTooDeep], "100k [ as an argument")
    }

    func testDeepParentheses() {
        expectCodes(Array(("let x = " + repeated("(", 100_000) + "1" + repeated(")", 100_000)).utf8), [.nestingTooDeep], "100k (")
        expectCodes(Array(repeated("(", 100_000).utf8), [.nestingTooDeep], "100k ( alone")
        expectCodes(Array(("print " + repeated("(print ", 100_000)).utf8), [.nestingTooDeep], "100k nested commands")
    }

    func testDeepBraces() {
        expectCodes(Array(("let x = " + repeated("{a: ", 100_000) + "1" + repeated("}", 100_000)).utf8), [.nestingTooDeep], "100k nested maps")
        expectCodes(Array(repeated("if true {\n", 100_000).utf8), [.nestingTooDeep], "100k nested blocks")
        expectCodes(Array(repeated("fn f() {", 100_000).utf8), [.nestingTooDeep], "100k nested functions")
        expectCodes(Array(repeated("{", 100_000).utf8), [.unexpectedToken], "100k { (a map with no key)")
    }

    func testDeepOperators() {
        expectCodes(Array(("let x = " + repeated("-", 100_000) + "1").utf8), [.nestingTooDeep], "100k unary minus")
        expectCodes(Array(("let x = " + repeated("not ", 100_000) + "1").utf8), [.nestingTooDeep], "100k not")
        expectCodes(Array(("let x = $l" + repeated("[0", 100_000)).utf8), [.nestingTooDeep], "100k index")
    }

    /// 100k operands in a row would build a tree 100k levels deep that the resolver and the
    /// evaluator recurse on; each link counts towards the nesting limit, so it is E0102.
    func testLongOperatorChains() throws {
        let chains = [
            ("print (" + repeated("1 + ", 100_000) + "1)", "100001\n"),
            ("print (" + repeated("true and ", 100_000) + "1)", "1\n"),
            ("print (" + repeated("0 or ", 100_000) + "2)", "2\n"),
            ("print (" + repeated("2 * ", 100_000) + "0)", "0\n"),
            ("let m = {}\nprint $m" + repeated(".a", 100_000), ""),
        ]
        for (src, expected) in chains {
            let (o, file) = Self.nastyRun(Array(src.utf8))
            // Either it works, or it is a nesting error: never a crash.
            if o.status == 0 {
                XCTAssertEqual(o.out, expected)
            } else {
                XCTAssertTrue(Set(o.codes).isSubset(of: [.nestingTooDeep, .keyNotFound]), "\(o.codes)")
            }
            assertWellFormed(o, file, String(src.prefix(20)))
        }
    }

    func testDeepInterpolationWithClosers() {
        let src = "print " + repeated("\"$(", 100_000) + "x" + repeated(")\"", 100_000) + "\nprint after"
        final class Box: @unchecked Sendable { var result: (NastyOutcome, SourceFile)? }
        let box = Box()
        let finished = Self.nastyWithTimeout(5) { box.result = Self.nastyRun(Array(src.utf8)) }
        XCTAssertTrue(finished, "100k nested \"$( with closers: no answer within 5 s")
        guard finished, let (o, file) = box.result else { return }
        XCTAssertEqual(Set(o.codes), [.nestingTooDeep], "not a silently accepted program: status \(o.status), out \(o.out.debugDescription)")
        assertWellFormed(o, file, "deep interpolation")
    }

    func testDeepInterpolationUnclosed() {
        let src = "print " + repeated("\"$(", 100_000)
        final class Box: @unchecked Sendable { var result: (NastyOutcome, SourceFile)? }
        let box = Box()
        let finished = Self.nastyWithTimeout(5) { box.result = Self.nastyRun(Array(src.utf8)) }
        XCTAssertTrue(finished, "100k unclosed \"$(: no answer within 5 s")
        guard finished, let (o, file) = box.result else { return }
        XCTAssertEqual(o.status, 1)
        XCTAssertFalse(o.codes.isEmpty)
        XCTAssertTrue(Set(o.codes).isSubset(of: [.nestingTooDeep, .unclosedDelimiter, .unterminatedString]), "\(o.codes)")
        assertWellFormed(o, file, "unclosed deep interpolation")
    }

    // MARK: Unterminated

    func testUnterminatedAtEndOfInput() {
        expectCodes(Array("print \"abc".utf8), [.unterminatedString], "unterminated \"")
        expectCodes(Array("print \"\"\"\nabc\n".utf8), [.unterminatedString], "unterminated \"\"\"")
        expectCodes(Array("print 'abc".utf8), [.unterminatedString], "unterminated '")
        expectCodes(Array("\"".utf8), [.unterminatedString], "a lone \"")
        expectCodes(Array("'".utf8), [.unterminatedString], "a lone '")
        expectCodes(Array("\"\"\"".utf8), [.unterminatedString], "a lone \"\"\"")
        expectCodes(Array("print \"\\".utf8), [.unterminatedString, .invalidEscape], "a backslash at the very end")
        expectCodes(Array("print \"$(".utf8), [.unclosedDelimiter], "unclosed $( at the end")
        expectCodes(Array("let x = (".utf8), [.unexpectedToken], "unclosed ( at the end: an expression is missing")
        expectCodes(Array("let x = [".utf8), [.unclosedDelimiter], "unclosed [ at the end")
        expectCodes(Array("fn f() {".utf8), [.unclosedDelimiter], "unclosed { at the end")
    }

    func testLoneDollar() {
        expectCodes(Array("$".utf8), [.unexpectedCharacter], "a lone $ statement")
        expectCodes(Array("let x = $".utf8), [.unexpectedCharacter], "a lone $ value")
        // As a command argument `$` is just a word.
        let (o, _) = Self.nastyRun(Array("print $ \"$\" '$'".utf8))
        XCTAssertEqual(o.codes, [])
        XCTAssertEqual(o.out, "$ $ $\n")
    }

    func testOtherFragments() {
        expectCodes(Array("\\".utf8), [.unexpectedCharacter], "a lone backslash")
        expectCodes(Array("...".utf8), [.unexpectedToken], "a lone spread")
        expectCodes(Array("let".utf8), [.unexpectedToken], "a lone let")
        expectCodes(Array("fn".utf8), [.unexpectedToken], "a lone fn")
        expectCodes(Array("}".utf8), [.unexpectedToken], "a lone }")
        expectCodes(Array(")".utf8), [.unexpectedToken], "a lone )")
        let (empty, _) = Self.nastyRun([])
        XCTAssertEqual(empty.status, 0)
        let (blank, _) = Self.nastyRun(Array(" \n\t\r\n;;\n".utf8))
        XCTAssertEqual(blank.status, 0)
    }

    // MARK: Size

    func testOneMegabyteLine() {
        let text = repeated("a", 1 << 20)
        let (ok, _) = Self.nastyRun(Array("let s = \"\(text)\"\nprint (len $s)".utf8))
        XCTAssertEqual(ok.codes, [])
        XCTAssertEqual(ok.out, "1048576\n")
        let (word, _) = Self.nastyRun(Array("print \(text)".utf8))
        XCTAssertEqual(word.out.utf8.count, (1 << 20) + 1)
        expectCodes(Array(("let x = " + repeated("@", 1 << 20)).utf8), [.unexpectedCharacter], "a 1 MB line of @")
        expectCodes(Array(("prnt " + text).utf8), [.unknownCommand], "an error on a 1 MB line")
        expectCodes(Array(("let x = 1 + " + repeated("9", 1 << 20)).utf8), [.invalidNumber], "a 1 MB number")
    }

    // MARK: Random input

    /// SplitMix64: a tiny seeded generator, so a failure names an input that can be rebuilt.
    struct NastyRandom {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let nastyAlphabet: [[UInt8]] = {
        let fragments = [
            "let ", "x", "y", "$x", "$y", " = ", "=", "+=", "-=", "(", ")", "[", "]", "{", "}", "\"", "'", "\"\"\"", "$(", "$",
            "\\", "\n", "\r\n", ";", ",", ":", ".", "...", "--", "--f", "-", "+", "*", "/", "%", "==", "!=", "<", ">=",
            " in ", " not ", " and ", " or ", "if ", " else ", "for ", "fn ", "f", "return ", "try ", " catch ", "e",
            "break", "continue", "import ", "print ", "len ", "fail ", "help ", "type ", "json parse ", "1", "0", "-1",
            "2.5", "99999999999999999999", "1e3", "#", "#!", "true", "false", "null", " ", "  ", "\t", "a", "é", "😀",
            "\\n", "\\u{", "\\q", "@", "!", "&", "|", "~", "?",
        ]
        return fragments.map { Array($0.utf8) } + [[0], [0xFF], [0xC3], [0xE2, 0x82]]
    }()

    func testRandomByteSoup() {
        final class Progress: @unchecked Sendable {
            var index = -1
            var input: [UInt8] = []
            var failures: [String] = []
            var ran = 0
            var compiledClean = 0
        }
        let progress = Progress()
        let finished = Self.nastyWithTimeout(60) {
            var rng = NastyRandom(state: 0x746B_3873)
            for i in 0..<2000 {
                var bytes: [UInt8] = []
                let target = 1 + rng.below(200)
                while bytes.count < target {
                    if rng.below(8) == 0 {
                        bytes.append(UInt8(truncatingIfNeeded: rng.next()))
                    } else {
                        bytes += Self.nastyAlphabet[rng.below(Self.nastyAlphabet.count)]
                    }
                }
                if bytes.count > 200 { bytes.removeLast(bytes.count - 200) }
                progress.index = i
                progress.input = bytes
                let (o, file) = Self.nastyRun(bytes)
                progress.ran += 1
                if o.status == 0 { progress.compiledClean += 1 }
                if o.status != 0 && o.diagnostics.isEmpty {
                    progress.failures.append("input \(i): failed without a diagnostic: \(bytes)")
                }
                for d in o.diagnostics {
                    guard let s = d.span else {
                        progress.failures.append("input \(i): \(d.code.rawValue) without a span: \(bytes)")
                        continue
                    }
                    if !(s.start >= 0 && s.start <= s.end && s.end <= file.bytes.count) || s.file !== file {
                        progress.failures.append("input \(i): \(d.code.rawValue) span \(s.start)..<\(s.end) of \(file.bytes.count): \(bytes)")
                    }
                    _ = DiagnosticRenderer().render(d)
                }
            }
        }
        XCTAssertTrue(finished, "random input \(progress.index) did not finish within the time limit: \(progress.input)")
        XCTAssertEqual(progress.failures, [])
        if finished { XCTAssertEqual(progress.ran, 2000) }
    }
}
