import XCTest

import Core
@testable import Lang

private typealias LangScanner = Lang.Scanner

/// The scanner on its own: token kinds and values in both modes, strings, trivia and errors.
final class ScannerTests: XCTestCase {
    /// Every token of `source` in one mode, up to and including `eof`.
    private func scanAll(_ source: String, _ mode: ScanMode, skipNewlines: Bool = false) -> (tokens: [Token], scanner: LangScanner) {
        let file = SourceFile(name: "t.tk8s", text: source)
        let scanner = LangScanner(file: file)
        var out: [Token] = []
        var pos = 0
        while true {
            let t = scanner.scan(at: pos, mode: mode, skipNewlines: skipNewlines)
            out.append(t)
            if t.kind == .eof || out.count > 10_000 { break }
            XCTAssertGreaterThan(t.end, pos, "the scanner must make progress")
            pos = t.end
        }
        return (out, scanner)
    }

    private func kinds(_ source: String, _ mode: ScanMode, skipNewlines: Bool = false) -> [TokenKind] {
        scanAll(source, mode, skipNewlines: skipNewlines).tokens.map(\.kind)
    }

    private func texts(_ source: String, _ mode: ScanMode) -> [String] {
        scanAll(source, mode).tokens.filter { $0.kind != .eof }.map(\.text)
    }

    private func codes(_ source: String, _ mode: ScanMode) -> [String] {
        scanAll(source, mode).scanner.diagnostics.map(\.code.rawValue)
    }

    // MARK: Expression mode

    func testExpressionOperators() {
        XCTAssertEqual(kinds("+ - * / % == != < <= > >= = += -=", .expression),
                       [.plus, .minus, .star, .slash, .percent, .equal, .notEqual, .less, .lessEqual,
                        .greater, .greaterEqual, .assign, .plusAssign, .minusAssign, .eof])
        XCTAssertEqual(kinds("( ) [ ] { } , : . ... ;", .expression),
                       [.lparen, .rparen, .lbracket, .rbracket, .lbrace, .rbrace, .comma, .colon, .dot, .spread, .semicolon, .eof])
    }

    func testExpressionWithoutSpacesIsStillOperators() {
        XCTAssertEqual(kinds("$a-1", .expression), [.variable, .minus, .int, .eof])
        XCTAssertEqual(kinds("a+b*c", .expression), [.ident, .plus, .ident, .star, .ident, .eof])
        XCTAssertEqual(kinds("$x<=2", .expression), [.variable, .lessEqual, .int, .eof])
    }

    func testIdentifiersKeywordsAndVariables() {
        let toks = scanAll("let x_1 = $name_2 and not café", .expression).tokens
        XCTAssertEqual(toks.map(\.kind), [.ident, .ident, .assign, .variable, .ident, .ident, .ident, .eof])
        XCTAssertEqual(toks.map(\.text), ["let", "x_1", "", "name_2", "and", "not", "café", ""])
        XCTAssertTrue(toks[0].isKeyword("let"))
        XCTAssertTrue(toks[0].isAnyKeyword)
        XCTAssertFalse(toks[1].isAnyKeyword)
        XCTAssertTrue(toks[4].isKeyword("and"))
        XCTAssertEqual(Token.keywords.count, 19)
    }

    func testNumbers() {
        let toks = scanAll("0 42 1_000 1.5 2e3 2.5e-2 7E+1", .expression).tokens
        XCTAssertEqual(toks.map(\.kind), [.int, .int, .int, .float, .float, .float, .float, .eof])
        XCTAssertEqual(toks[0].intValue, 0)
        XCTAssertEqual(toks[1].intValue, 42)
        XCTAssertEqual(toks[2].intValue, 1000)
        XCTAssertEqual(toks[3].floatValue, 1.5)
        XCTAssertEqual(toks[4].floatValue, 2000)
        XCTAssertEqual(toks[5].floatValue, 0.025)
        XCTAssertEqual(toks[6].floatValue, 70)
        // In an expression `-` is an operator, not part of the number.
        XCTAssertEqual(kinds("-3", .expression), [.minus, .int, .eof])
        // `1.` is an int followed by a dot; `1.x` too.
        XCTAssertEqual(kinds("1.x", .expression), [.int, .dot, .ident, .eof])
        XCTAssertEqual(scanAll("9223372036854775807", .expression).tokens[0].intValue, Int.max)
    }

    func testIntegerOverflowIsE0006() {
        let (toks, scanner) = scanAll("9223372036854775808", .expression)
        XCTAssertEqual(toks[0].kind, .invalid)
        XCTAssertEqual(scanner.diagnostics.map(\.code), [.invalidNumber])
        XCTAssertEqual(scanner.diagnostics[0].message, "integer `9223372036854775808` does not fit in 64 bits")
        XCTAssertEqual(scanner.diagnostics[0].span?.start, 0)
        XCTAssertEqual(scanner.diagnostics[0].span?.end, 19)
    }

    func testUnexpectedCharacterInExpressionIsE0005() {
        let (toks, scanner) = scanAll("1 @ 2", .expression)
        XCTAssertEqual(toks.map(\.kind), [.int, .invalid, .int, .eof])
        XCTAssertEqual(toks[1].text, "@")
        XCTAssertEqual(scanner.diagnostics.map(\.code), [.unexpectedCharacter])
        XCTAssertEqual(scanner.diagnostics[0].message, "unexpected character `@` in an expression")
        // A multi-byte character is reported whole.
        XCTAssertEqual(codes("€", .expression), [])  // identifier start: bytes >= 0x80 are letters
        XCTAssertEqual(codes("!", .expression), ["E0005"])
        XCTAssertEqual(codes("$", .expression), ["E0005"])
        XCTAssertEqual(codes("&", .expression), ["E0005"])
    }

    // MARK: Argument mode

    func testArgumentWords() {
        let toks = scanAll("./manage.py learn.example.com KEY=VALUE 10Gi 1.2.3 a-b *.yml", .argument).tokens
        XCTAssertEqual(toks.map(\.kind), [.word, .word, .word, .word, .word, .word, .word, .eof])
        XCTAssertEqual(toks.dropLast().map(\.text), ["./manage.py", "learn.example.com", "KEY=VALUE", "10Gi", "1.2.3", "a-b", "*.yml"])
    }

    func testArgumentNumbers() {
        let toks = scanAll("20 -3 1.5 -0.5 1_000", .argument).tokens
        XCTAssertEqual(toks.map(\.kind), [.int, .int, .float, .float, .int, .eof])
        XCTAssertEqual(toks[1].intValue, -3)
        XCTAssertEqual(toks[3].floatValue, -0.5)
        XCTAssertEqual(toks[4].intValue, 1000)
    }

    func testArgumentFlags() {
        let toks = scanAll("--tail 20 --since=1h -f --dry-run -- -", .argument).tokens
        XCTAssertEqual(toks.map(\.kind), [.flag, .int, .flag, .flag, .flag, .word, .word, .eof])
        XCTAssertEqual(toks[0].text, "tail")
        XCTAssertFalse(toks[0].isShortFlag)
        XCTAssertNil(toks[0].inlineValue)
        XCTAssertEqual(toks[2].text, "since")
        XCTAssertEqual(toks[2].inlineValue?.text, "1h")
        XCTAssertEqual(toks[2].inlineValue?.start, 18)
        XCTAssertEqual(toks[2].end, 20)
        XCTAssertEqual(toks[3].text, "f")
        XCTAssertTrue(toks[3].isShortFlag)
        XCTAssertEqual(toks[4].text, "dry-run")
        XCTAssertEqual(toks[5].text, "--")
        XCTAssertEqual(toks[6].text, "-")
    }

    func testArgumentSpreadNeedsAValueRightAfter() {
        XCTAssertEqual(kinds("...$list", .argument), [.spread, .variable, .eof])
        XCTAssertEqual(kinds("...(range 3)", .argument), [.spread, .lparen, .word, .int, .rparen, .eof])
        XCTAssertEqual(kinds("...", .argument), [.word, .eof])
        XCTAssertEqual(kinds("...x", .argument), [.word, .eof])
        XCTAssertEqual(kinds("...", .expression), [.spread, .eof])
    }

    func testArgumentDelimitersEndWords() {
        let toks = scanAll("a(b)c[d]e{f}g;h,i\"j\"k'l'", .argument).tokens
        XCTAssertEqual(toks.map(\.kind),
                       [.word, .lparen, .word, .rparen, .word, .lbracket, .word, .rbracket, .word, .lbrace, .word, .rbrace,
                        .word, .semicolon, .word, .comma, .word, .string, .word, .string, .eof])
    }

    func testSameTextDifferentModes() {
        XCTAssertEqual(kinds("a-b", .argument), [.word, .eof])
        XCTAssertEqual(kinds("a-b", .expression), [.ident, .minus, .ident, .eof])
        XCTAssertEqual(kinds("--x", .argument), [.flag, .eof])
        XCTAssertEqual(kinds("--x", .expression), [.minus, .minus, .ident, .eof])
        XCTAssertEqual(kinds("1.2.3", .argument), [.word, .eof])
        XCTAssertEqual(kinds("1.2.3", .expression), [.float, .dot, .int, .eof])
        XCTAssertEqual(kinds("@", .argument), [.word, .eof])
        XCTAssertEqual(codes("@", .argument), [])
    }

    // MARK: Trivia

    func testCommentsNewlinesAndContinuations() {
        XCTAssertEqual(kinds("a # comment\nb", .argument), [.word, .newline, .word, .eof])
        XCTAssertEqual(kinds("a # comment\nb", .argument, skipNewlines: true), [.word, .word, .eof])
        XCTAssertEqual(kinds("a \\\n b", .argument), [.word, .word, .eof])
        XCTAssertEqual(kinds("a \\\r\n b", .argument), [.word, .word, .eof])
        // `#` inside a word is not a comment.
        XCTAssertEqual(texts("a#b", .argument), ["a#b"])
        XCTAssertEqual(kinds("\t a\r\n", .argument), [.word, .newline, .eof])
    }

    func testSpaceBefore() {
        let toks = scanAll("$m.key $l[0] (x)", .expression).tokens
        XCTAssertEqual(toks.map(\.kind), [.variable, .dot, .ident, .variable, .lbracket, .int, .rbracket, .lparen, .ident, .rparen, .eof])
        XCTAssertTrue(toks[0].spaceBefore)
        XCTAssertFalse(toks[1].spaceBefore)
        XCTAssertFalse(toks[2].spaceBefore)
        XCTAssertTrue(toks[3].spaceBefore)
        XCTAssertFalse(toks[4].spaceBefore)
        XCTAssertTrue(toks[8].spaceBefore, "right after `(` counts as spaced")
    }

    // MARK: Strings

    func testDoubleQuotedEscapes() {
        let toks = scanAll(#""a\n\t\r\0\\\"\$\u{1F600}\u{41}\'""#, .expression).tokens
        XCTAssertEqual(toks.map(\.kind), [.string, .eof])
        XCTAssertEqual(toks[0].parts, [.text("a\n\t\r\0\\\"$😀A'")])
    }

    func testInterpolationParts() {
        let src = #""a $b-c $(len $x) d""#
        let toks = scanAll(src, .expression).tokens
        XCTAssertEqual(toks.count, 2)
        XCTAssertEqual(toks[0].parts, [.text("a "), .variable("b", start: 3, end: 5), .text("-c "),
                                       .code(start: 10, end: 16), .text(" d")])
        XCTAssertEqual(toks[0].end, src.utf8.count)
        // `$` not followed by a name or `(` is text.
        XCTAssertEqual(scanAll(#""$ $1 $""#, .expression).tokens[0].parts, [.text("$ $1 $")])
    }

    func testNestedInterpolationFindsTheRightParen() {
        let src = #""x $(f ")" '(' "$(g ")")") y""#
        let toks = scanAll(src, .expression).tokens
        XCTAssertEqual(toks.map(\.kind), [.string, .eof])
        guard case .code(let s, let e) = toks[0].parts[1] else { return XCTFail("no code part: \(toks[0].parts)") }
        XCTAssertEqual(String(decoding: Array(src.utf8)[s..<e], as: UTF8.self), #"f ")" '(' "$(g ")")""#)
        XCTAssertEqual(toks[0].parts.last, .text(" y"))
    }

    func testRawStrings() {
        let toks = scanAll(#"'a $b \n $(c)' 'x'"#, .expression).tokens
        XCTAssertEqual(toks.map(\.kind), [.string, .string, .eof])
        XCTAssertEqual(toks[0].parts, [.text(#"a $b \n $(c)"#)])
        XCTAssertEqual(toks[1].parts, [.text("x")])
    }

    func testTripleQuotedStripsTheClosingIndentation() {
        let src = "\"\"\"\n    a: 1\n      b: $x\n    \"\"\""
        let toks = scanAll(src, .expression).tokens
        XCTAssertEqual(toks.map(\.kind), [.string, .eof])
        XCTAssertEqual(toks[0].parts, [.text("a: 1\n  b: "), .variable("x", start: 22, end: 24)])
        XCTAssertEqual(scanAll("\"\"\"one line\"\"\"", .expression).tokens[0].parts, [.text("one line")])
        XCTAssertEqual(scanAll("\"\"\"\n\"\"\"", .expression).tokens[0].parts, [])
        XCTAssertEqual(scanAll("\"\"\"\nkeep\n  \"\"\"", .expression).tokens[0].parts, [.text("keep")])
        XCTAssertEqual(scanAll("\"\"\"\r\nx\n\"\"\"", .expression).tokens[0].parts, [.text("x")])
    }

    func testUnterminatedStringsAreE0003() {
        for src in ["\"abc", "'abc", "\"\"\"\nabc\n", "\"a\\\"", "\"\"\""] {
            let (toks, scanner) = scanAll(src, .expression)
            XCTAssertEqual(toks.map(\.kind), [.string, .eof], src)
            XCTAssertEqual(scanner.diagnostics.map(\.code), [.unterminatedString], src)
            XCTAssertEqual(scanner.diagnostics.first?.span?.start, 0, src)
            XCTAssertEqual(scanner.diagnostics.first?.span?.end, src.utf8.count, src)
        }
    }

    func testUnclosedInterpolationIsE0101() {
        let (_, scanner) = scanAll(#""a $(b"#, .expression)
        XCTAssertEqual(scanner.diagnostics.map(\.code), [.unclosedDelimiter])
        XCTAssertEqual(scanner.diagnostics[0].message, "unclosed `$(` in string")
        XCTAssertEqual(scanner.diagnostics[0].span?.start, 3)
        XCTAssertEqual(scanner.diagnostics[0].span?.end, 5)
    }

    func testInvalidEscapesAreE0004() {
        let (_, scanner) = scanAll(#""\q \u{zz} \u{110000} \u{D800}""#, .expression)
        XCTAssertEqual(scanner.diagnostics.map(\.code), [.invalidEscape, .invalidEscape, .invalidEscape, .invalidEscape])
        XCTAssertEqual(scanner.diagnostics[0].message, "invalid escape sequence `\\q`")
        XCTAssertEqual(scanner.diagnostics[1].message, "invalid unicode escape")
        // A backslash at the very end of the input is reported, not read past.
        let (toks, s2) = scanAll("\"\\", .expression)
        XCTAssertEqual(toks.map(\.kind), [.string, .eof])
        XCTAssertEqual(Set(s2.diagnostics.map(\.code)), [.invalidEscape, .unterminatedString])
        for d in s2.diagnostics { XCTAssertLessThanOrEqual(d.span!.end, 2) }
    }

    // MARK: Bytes

    func testNulByteIsE0002() {
        let file = SourceFile(name: "t", bytes: [UInt8(ascii: "a"), 0, UInt8(ascii: "b")])
        let scanner = LangScanner(file: file)
        let a = scanner.scan(at: 0, mode: .argument, skipNewlines: false)
        XCTAssertEqual(a.kind, .word)
        XCTAssertEqual(a.text, "a")
        let nul = scanner.scan(at: a.end, mode: .argument, skipNewlines: false)
        XCTAssertEqual(nul.kind, .invalid)
        XCTAssertEqual(nul.start, 1)
        XCTAssertEqual(nul.end, 2)
        XCTAssertEqual(scanner.diagnostics.map(\.code), [.nulByte])
        // In a string.
        let s = LangScanner(file: SourceFile(name: "t", bytes: Array("\"a".utf8) + [0] + Array("b\"".utf8)))
        let str = s.scan(at: 0, mode: .expression, skipNewlines: false)
        XCTAssertEqual(str.parts, [.text("ab")])
        XCTAssertEqual(s.diagnostics.map(\.code), [.nulByte])
        XCTAssertEqual(s.diagnostics[0].message, "NUL byte in string")
    }

    func testInvalidUTF8IsReportedOncePerSequence() {
        let file = SourceFile(name: "t", bytes: [0x61, 0xFF, 0x62, 0xC3, 0x28])
        XCTAssertEqual(file.invalidUTF8Offsets, [1, 5])
        XCTAssertEqual(file.bytes, [0x61, 0xEF, 0xBF, 0xBD, 0x62, 0xEF, 0xBF, 0xBD, 0x28])
        let scanner = LangScanner(file: file)
        XCTAssertEqual(scanner.diagnostics.map(\.code), [.invalidUTF8, .invalidUTF8])
        XCTAssertEqual(scanner.diagnostics.map { $0.span!.start }, [1, 5])
        XCTAssertEqual(scanner.diagnostics.map { $0.span!.end }, [4, 8])
    }

    func testScannerWithALimitStopsThere() {
        let file = SourceFile(name: "t", text: "abc def ghi")
        let scanner = LangScanner(file: file, start: 4, limit: 7)
        let t = scanner.scan(at: 4, mode: .argument, skipNewlines: false)
        XCTAssertEqual(t.text, "def")
        XCTAssertEqual(scanner.scan(at: t.end, mode: .argument, skipNewlines: false).kind, .eof)
    }

    func testMatchingParen() {
        let file = SourceFile(name: "t", text: "(a (b) \")\" ')' c) d")
        let scanner = LangScanner(file: file)
        XCTAssertEqual(scanner.matchingParen(from: 1), 16)
        XCTAssertNil(LangScanner(file: SourceFile(name: "t", text: "(a (b)")).matchingParen(from: 1))
    }
}
