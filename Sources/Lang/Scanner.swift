import Core

/// Turns source bytes into tokens, one at a time, in the mode the parser asks for.
///
/// The scanner is positional rather than a pre-made token list because the
/// same characters mean different things in a command's arguments and in an
/// expression (`a-b`, `./x.py`, `--tail`); the parser knows which it is in.
final class Scanner {
    let file: SourceFile
    let bytes: [UInt8]
    /// Where scanning stops: the end of the file, or of a `$(…)` inside a string.
    let limit: Int
    private(set) var diagnostics: [Diagnostic] = []
    /// The `#` comments met so far, start offset to end (the parser may scan a place twice).
    private(set) var comments: [Int: Int] = [:]

    /// Takes in the comments a scanner of the same file found (the code inside `$(…)`).
    func noteComments(of other: Scanner) { comments.merge(other.comments) { a, _ in a } }
    private var reported: Set<String> = []

    init(file: SourceFile, start: Int = 0, limit: Int? = nil) {
        self.file = file
        self.bytes = file.bytes
        self.limit = limit ?? file.bytes.count
        // One error per run of bad bytes (each became a 3-byte U+FFFD), not per byte: a binary file read as a
        // script would otherwise bury its first real error under hundreds of these.
        var run: (start: Int, end: Int, count: Int)?
        func flush() {
            guard let r = run else { return }
            report(.invalidUTF8, r.count == 1 ? "invalid UTF-8 byte sequence" : "\(r.count) bytes of invalid UTF-8",
                   r.start, r.end, help: "save the file as UTF-8; the bytes were replaced by U+FFFD")
        }
        for off in file.invalidUTF8Offsets where off >= start && off < self.limit {
            if let r = run, r.end == off {
                run = (r.start, off + 3, r.count + 1)
            } else {
                flush()
                run = (off, off + 3, 1)
            }
        }
        flush()
    }

    func report(_ code: ErrorCode, _ message: String, _ start: Int, _ end: Int, help: String? = nil) {
        guard reported.insert("\(code.rawValue)@\(start)").inserted else { return }
        diagnostics.append(Diagnostic(code, message, at: Span(file, start, end), help: help))
    }

    @inline(__always) private func byte(_ i: Int) -> UInt8 { i < limit ? bytes[i] : 0 }

    private static func isIdentStart(_ c: UInt8) -> Bool {
        (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95 || c >= 0x80
    }
    private static func isIdentChar(_ c: UInt8) -> Bool { isIdentStart(c) || isDigit(c) }
    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    /// Characters that end a bare word in argument mode.
    private static func endsWord(_ c: UInt8) -> Bool {
        switch c {
        case 32, 9, 10, 13, 0, UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"),
             UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: ";"), UInt8(ascii: ","),
             UInt8(ascii: "\""), UInt8(ascii: "'"):
            return true
        default: return false
        }
    }

    /// Skips blanks, comments and (when asked) newlines. Returns whether anything was skipped.
    private func skipTrivia(_ pos: inout Int, newlines: Bool) -> Bool {
        let begin = pos
        while pos < limit {
            let c = bytes[pos]
            if c == 32 || c == 9 || c == 13 {
                pos += 1
            } else if c == 92, byte(pos + 1) == 10 {  // backslash-newline continues the line
                pos += 2
            } else if c == 92, byte(pos + 1) == 13, byte(pos + 2) == 10 {
                pos += 3
            } else if c == UInt8(ascii: "#"), pos == 0 || pos == begin || isBlank(bytes[pos - 1]) {
                let start = pos
                while pos < limit, bytes[pos] != 10 { pos += 1 }
                comments[start] = pos
            } else if c == 10, newlines {
                pos += 1
            } else {
                break
            }
        }
        return pos > begin
    }

    private func isBlank(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 }

    /// Scans the token at `pos`.
    func scan(at start: Int, mode: ScanMode, skipNewlines: Bool) -> Token {
        var pos = start
        let skipped = skipTrivia(&pos, newlines: skipNewlines)
        var tok = scanToken(&pos, mode: mode)
        tok.spaceBefore = skipped || pos == 0 || start == 0 || isBlank(byte(tok.start - 1))
            || (tok.start > 0 && bytes[tok.start - 1] == UInt8(ascii: "("))
        return tok
    }

    private func make(_ kind: TokenKind, _ s: Int, _ e: Int) -> Token { Token(kind: kind, start: s, end: e) }

    private func scanToken(_ pos: inout Int, mode: ScanMode) -> Token {
        let s = pos
        guard pos < limit else { return make(.eof, limit, limit) }
        let c = bytes[pos]
        func single(_ k: TokenKind) -> Token { pos += 1; return make(k, s, pos) }
        switch c {
        case 0:
            report(.nulByte, "NUL byte in source", s, s + 1, help: "remove the NUL byte; tk8s scripts are text")
            pos += 1
            var t = make(.invalid, s, pos)
            t.text = "\0"
            return t
        case 10: return single(.newline)
        case UInt8(ascii: ";"): return single(.semicolon)
        case UInt8(ascii: "("): return single(.lparen)
        case UInt8(ascii: ")"): return single(.rparen)
        case UInt8(ascii: "["): return single(.lbracket)
        case UInt8(ascii: "]"): return single(.rbracket)
        case UInt8(ascii: "{"): return single(.lbrace)
        case UInt8(ascii: "}"): return single(.rbrace)
        case UInt8(ascii: ","): return single(.comma)
        case UInt8(ascii: "\""):
            if byte(pos + 1) == 34, byte(pos + 2) == 34 { return scanTripleString(&pos) }
            return scanDoubleString(&pos)
        case UInt8(ascii: "'"): return scanRawString(&pos)
        case UInt8(ascii: "$"):
            if Scanner.isIdentStart(byte(pos + 1)) {
                pos += 1
                while Scanner.isIdentChar(byte(pos)) { pos += 1 }
                var t = make(.variable, s, pos)
                t.text = String(decoding: bytes[s + 1..<pos], as: UTF8.self)
                return t
            }
        case UInt8(ascii: "."):
            if byte(pos + 1) == 46, byte(pos + 2) == 46,
               mode == .expression || byte(pos + 3) == 36 || byte(pos + 3) == 40 || byte(pos + 3) == 91 {
                pos += 3
                return make(.spread, s, pos)
            }
        default: break
        }
        return mode == .expression ? scanExpressionToken(&pos) : scanArgumentToken(&pos)
    }

    // MARK: Expression mode

    private func scanExpressionToken(_ pos: inout Int) -> Token {
        let s = pos
        let c = bytes[pos]
        func op(_ k: TokenKind, _ n: Int) -> Token { pos += n; return make(k, s, pos) }
        let next = byte(pos + 1)
        switch c {
        case UInt8(ascii: "+"): return next == 61 ? op(.plusAssign, 2) : op(.plus, 1)
        case UInt8(ascii: "-"): return next == 61 ? op(.minusAssign, 2) : op(.minus, 1)
        case UInt8(ascii: "*"): return op(.star, 1)
        case UInt8(ascii: "/"): return op(.slash, 1)
        case UInt8(ascii: "%"): return op(.percent, 1)
        case UInt8(ascii: "="): return next == 61 ? op(.equal, 2) : op(.assign, 1)
        case UInt8(ascii: "!"):
            if next == 61 { return op(.notEqual, 2) }
        case UInt8(ascii: "<"): return next == 61 ? op(.lessEqual, 2) : op(.less, 1)
        case UInt8(ascii: ">"): return next == 61 ? op(.greaterEqual, 2) : op(.greater, 1)
        case UInt8(ascii: ":"): return op(.colon, 1)
        case UInt8(ascii: "."): return op(.dot, 1)
        default:
            if Scanner.isDigit(c) { return scanNumber(&pos, wordMode: false) }
            if Scanner.isIdentStart(c) {
                while Scanner.isIdentChar(byte(pos)) { pos += 1 }
                var t = make(.ident, s, pos)
                t.text = String(decoding: bytes[s..<pos], as: UTF8.self)
                return t
            }
        }
        // Skip one whole scalar so the message shows the character.
        pos += 1
        while pos < limit, bytes[pos] & 0xC0 == 0x80 { pos += 1 }
        let ch = String(decoding: bytes[s..<pos], as: UTF8.self)
        report(.unexpectedCharacter, "unexpected character `\(ch)` in an expression", s, pos,
               help: "quote it if it is part of a string: \"\(ch)\"")
        var t = make(.invalid, s, pos)
        t.text = ch
        return t
    }

    private func scanNumber(_ pos: inout Int, wordMode: Bool) -> Token {
        let s = pos
        if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        while Scanner.isDigit(byte(pos)) || byte(pos) == 95 { pos += 1 }
        var isFloat = false
        if byte(pos) == 46, Scanner.isDigit(byte(pos + 1)) {
            isFloat = true
            pos += 1
            while Scanner.isDigit(byte(pos)) || byte(pos) == 95 { pos += 1 }
        }
        if byte(pos) == 101 || byte(pos) == 69 {
            var p = pos + 1
            if byte(p) == 43 || byte(p) == 45 { p += 1 }
            if Scanner.isDigit(byte(p)) {
                isFloat = true
                pos = p
                while Scanner.isDigit(byte(pos)) { pos += 1 }
            }
        }
        if wordMode, !Scanner.endsWord(byte(pos)) { return scanWord(from: s, &pos) }
        let text = String(decoding: bytes[s..<pos], as: UTF8.self).replacingUnderscores()
        var t = make(isFloat ? .float : .int, s, pos)
        t.text = text
        if isFloat {
            if let d = Double(text) { t.floatValue = d } else {
                report(.invalidNumber, "invalid number `\(text)`", s, pos)
            }
        } else if let i = Int(text) {
            t.intValue = i
        } else {
            report(.invalidNumber, "integer `\(text)` does not fit in 64 bits", s, pos,
                   help: "write it as a float (\(text).0) or a string (\"\(text)\")")
            t.kind = .invalid
        }
        return t
    }

    // MARK: Argument mode

    private func scanArgumentToken(_ pos: inout Int) -> Token {
        let s = pos
        let c = bytes[pos]
        if c == UInt8(ascii: "-") {
            let n1 = byte(pos + 1)
            if n1 == 45, Scanner.isIdentStart(byte(pos + 2)) { return scanFlag(&pos, dashes: 2) }
            if Scanner.isIdentStart(n1), n1 < 0x80 { return scanFlag(&pos, dashes: 1) }
            if Scanner.isDigit(n1) { return scanNumber(&pos, wordMode: true) }
        }
        if Scanner.isDigit(c) { return scanNumber(&pos, wordMode: true) }
        return scanWord(from: s, &pos)
    }

    private func scanFlag(_ pos: inout Int, dashes: Int) -> Token {
        let s = pos
        pos += dashes
        let nameStart = pos
        while pos < limit, !Scanner.endsWord(bytes[pos]), bytes[pos] != UInt8(ascii: "=") { pos += 1 }
        var t = make(.flag, s, pos)
        t.text = String(decoding: bytes[nameStart..<pos], as: UTF8.self)
        t.isShortFlag = dashes == 1
        if byte(pos) == UInt8(ascii: "=") {
            pos += 1
            let vs = pos
            while pos < limit, !Scanner.endsWord(bytes[pos]) { pos += 1 }
            t.inlineValue = (String(decoding: bytes[vs..<pos], as: UTF8.self), vs)
            t.end = pos
        }
        return t
    }

    private func scanWord(from s: Int, _ pos: inout Int) -> Token {
        while pos < limit, !Scanner.endsWord(bytes[pos]) { pos += 1 }
        if pos == s {  // a lone delimiter we do not know: make progress
            pos += 1
            while pos < limit, bytes[pos] & 0xC0 == 0x80 { pos += 1 }
        }
        var t = make(.word, s, pos)
        t.text = String(decoding: bytes[s..<pos], as: UTF8.self)
        return t
    }

    // MARK: Strings

    private func scanRawString(_ pos: inout Int) -> Token {
        let s = pos
        pos += 1
        while pos < limit, bytes[pos] != UInt8(ascii: "'") { pos += 1 }
        guard pos < limit else {
            report(.unterminatedString, "unterminated string", s, limit, help: "add the closing `'`")
            var t = make(.string, s, limit)
            t.parts = [.text(String(decoding: bytes[s + 1..<limit], as: UTF8.self))]
            return t
        }
        pos += 1
        var t = make(.string, s, pos)
        t.parts = [.text(String(decoding: bytes[s + 1..<pos - 1], as: UTF8.self))]
        return t
    }

    private func scanDoubleString(_ pos: inout Int) -> Token {
        let s = pos
        pos += 1
        let parts = scanInterpolated(&pos, quote: s, triple: false, indent: 0)
        var t = make(.string, s, pos)
        t.parts = parts
        return t
    }

    /// `"""` strings: the first newline is dropped and the closing line's indentation is
    /// removed from every line, so YAML can be indented with the code around it.
    private func scanTripleString(_ pos: inout Int) -> Token {
        let s = pos
        pos += 3
        // Find the closing delimiter first to learn the indentation to strip.
        var indent = 0
        var p = pos
        var closing = -1
        while p < limit {
            if bytes[p] == 92 { p += 2; continue }
            if bytes[p] == 34, byte(p + 1) == 34, byte(p + 2) == 34 { closing = p; break }
            p += 1
        }
        if closing >= 0 {
            var q = closing
            while q > pos, bytes[q - 1] == 32 || bytes[q - 1] == 9 { q -= 1 }
            if q > pos, bytes[q - 1] == 10 { indent = closing - q }
        }
        if byte(pos) == 13, byte(pos + 1) == 10 { pos += 2 } else if byte(pos) == 10 { pos += 1 }
        let parts = scanInterpolated(&pos, quote: s, triple: true, indent: indent)
        var t = make(.string, s, pos)
        t.parts = parts
        return t
    }

    private func scanInterpolated(_ pos: inout Int, quote s: Int, triple: Bool, indent: Int) -> [StringPart] {
        var parts: [StringPart] = []
        var buf: [UInt8] = []
        func flush() {
            if !buf.isEmpty { parts.append(.text(String(decoding: buf, as: UTF8.self))); buf.removeAll() }
        }
        var atLineStart = triple
        while true {
            guard pos < limit else {
                report(.unterminatedString, "unterminated string", s, limit,
                       help: triple ? "add the closing `\"\"\"`" : "add the closing `\"`")
                flush()
                return parts
            }
            if atLineStart {
                var k = 0
                while k < indent, pos < limit, bytes[pos] == 32 || bytes[pos] == 9 { pos += 1; k += 1 }
                atLineStart = false
                continue
            }
            let c = bytes[pos]
            if triple, c == 34, byte(pos + 1) == 34, byte(pos + 2) == 34 {
                // The newline before the closing delimiter's own line is not content.
                if buf.last == 10, indent >= 0, closingLineIsBlank(pos) { buf.removeLast() }
                pos += 3
                flush()
                return parts
            }
            if !triple, c == 34 {
                pos += 1
                flush()
                return parts
            }
            if c == 0 {
                report(.nulByte, "NUL byte in string", pos, pos + 1, help: "write it as \\0")
                pos += 1
                continue
            }
            if c == 10 { atLineStart = true }
            if c == 92 {
                scanEscape(&pos, into: &buf)
                continue
            }
            if c == 36 {
                let n = byte(pos + 1)
                if Scanner.isIdentStart(n) {
                    flush()
                    let vs = pos
                    pos += 1
                    while Scanner.isIdentChar(byte(pos)) { pos += 1 }
                    parts.append(.variable(String(decoding: bytes[vs + 1..<pos], as: UTF8.self), start: vs, end: pos))
                    continue
                }
                if n == 40 {
                    flush()
                    let codeStart = pos + 2
                    guard let close = matchingParen(from: codeStart) else {
                        if interpolationTooDeep {
                            report(.nestingTooDeep, "`$(` nested deeper than \(Parser.maxNesting) levels", pos, pos + 2,
                                   help: "build the string in steps with `let`")
                        } else {
                            report(.unclosedDelimiter, "unclosed `$(` in string", pos, pos + 2, help: "add the closing `)`")
                        }
                        pos = limit
                        return parts
                    }
                    parts.append(.code(start: codeStart, end: close))
                    pos = close + 1
                    continue
                }
            }
            buf.append(c)
            pos += 1
        }
    }

    private func closingLineIsBlank(_ quotePos: Int) -> Bool {
        var q = quotePos
        while q > 0, bytes[q - 1] == 32 || bytes[q - 1] == 9 { q -= 1 }
        return q > 0 && bytes[q - 1] == 10
    }

    private func scanEscape(_ pos: inout Int, into buf: inout [UInt8]) {
        let s = pos
        let e = byte(pos + 1)
        pos += 2
        switch e {
        case UInt8(ascii: "n"): buf.append(10)
        case UInt8(ascii: "t"): buf.append(9)
        case UInt8(ascii: "r"): buf.append(13)
        case UInt8(ascii: "0"): buf.append(0)
        case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "$"), UInt8(ascii: "'"): buf.append(e)
        case 10: break  // backslash-newline joins lines
        case UInt8(ascii: "u"):
            if byte(pos) == UInt8(ascii: "{") {
                var p = pos + 1
                var v: UInt32 = 0
                var digits = 0
                while let d = hexValue(byte(p)), digits < 8 { v = v * 16 + d; p += 1; digits += 1 }
                if byte(p) == UInt8(ascii: "}"), digits > 0, let scalar = Unicode.Scalar(v) {
                    buf.append(contentsOf: Array(String(Character(scalar)).utf8))
                    pos = p + 1
                    return
                }
            }
            report(.invalidEscape, "invalid unicode escape", s, min(pos + 1, limit),
                   help: "write a code point as \\u{1F600}")
        default:
            let end = e == 0 ? min(pos, limit) : pos
            report(.invalidEscape, "invalid escape sequence `\\\(String(decoding: [e], as: UTF8.self))`", s, end,
                   help: "valid escapes: \\n \\t \\r \\0 \\\\ \\\" \\$ \\u{…}")
            if pos > limit { pos = limit }
        }
    }

    private func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 48...57: return UInt32(c - 48)
        case 97...102: return UInt32(c - 87)
        case 65...70: return UInt32(c - 55)
        default: return nil
        }
    }

    /// The offset of the `)` closing a `$(` whose code starts at `from`, skipping nested strings.
    /// Set when `matchingParen` gave up because of the nesting limit rather than a missing `)`.
    private var interpolationTooDeep = false

    func matchingParen(from: Int, nesting: Int = 0) -> Int? {
        guard nesting < Parser.maxNesting else { interpolationTooDeep = true; return nil }
        var depth = 1
        var p = from
        while p < limit {
            let c = bytes[p]
            switch c {
            case 40: depth += 1
            case 41:
                depth -= 1
                if depth == 0 { return p }
            case 39:
                p += 1
                while p < limit, bytes[p] != 39 { p += 1 }
            case 34:
                let triple = byte(p + 1) == 34 && byte(p + 2) == 34
                p += triple ? 3 : 1
                while p < limit {
                    if bytes[p] == 92 { p += 2; continue }
                    if bytes[p] == 34 && (!triple || (byte(p + 1) == 34 && byte(p + 2) == 34)) {
                        if triple { p += 2 }
                        break
                    }
                    if bytes[p] == 36, byte(p + 1) == 40 {
                        // An unclosed inner `$(` leaves this one unclosed too: no rescan (which is exponential).
                        guard let inner = matchingParen(from: p + 2, nesting: nesting + 1) else { return nil }
                        p = inner
                    }
                    p += 1
                }
            default: break
            }
            p += 1
        }
        return nil
    }
}

extension String {
    func replacingUnderscores() -> String { contains("_") ? String(filter { $0 != "_" }) : self }
}
