import Core

struct TemplateToken {
    enum Kind: Equatable {
        case text(String)
        /// `{{` and `}}`.
        case outputStart, outputEnd
        /// `{%` and `%}`.
        case tagStart, tagEnd
        case name(String)
        case int(Int)
        case float(Double)
        case string(String)
        case op(String)
        case end
    }

    let kind: Kind
    let span: Span
}

/// Splits a template into text and the tokens inside `{{ }}` and `{% %}`, as
/// Jinja's lexer does with Tutor's settings: `{%-`/`-%}` strip whitespace,
/// no trim_blocks or lstrip_blocks, one trailing newline dropped, `\r\n` read
/// as `\n`, comments and `{% raw %}` handled here.
struct TemplateLexer {
    private let file: SourceFile
    private let b: [UInt8]
    /// Where lexing stops: the end of the text without its final newline.
    private let end: Int
    private var pos = 0
    private var stripNextText = false
    private(set) var tokens: [TemplateToken] = []

    private static let operators: [String] = ["//", "**", "==", "!=", "<=", ">=",
                                              "+", "-", "*", "/", "%", "~", "<", ">", "=", "(", ")",
                                              "[", "]", "{", "}", ",", ".", ":", "|", ";"]

    init(_ file: SourceFile) {
        self.file = file
        b = file.bytes
        var e = b.count
        if e > 0, b[e - 1] == UInt8(ascii: "\n") {
            e -= 1
            if e > 0, b[e - 1] == UInt8(ascii: "\r") { e -= 1 }
        } else if e > 0, b[e - 1] == UInt8(ascii: "\r") {
            e -= 1
        }
        end = e
    }

    static func tokenize(_ file: SourceFile) throws -> [TemplateToken] {
        var lexer = TemplateLexer(file)
        try lexer.run()
        lexer.tokens.append(TemplateToken(kind: .end, span: Span(file, lexer.end, lexer.end)))
        return lexer.tokens
    }

    private func span(_ s: Int, _ e: Int) -> Span { Span(file, s, e) }

    private func fail(_ message: String, _ s: Int, _ e: Int, help: String? = nil) -> TemplateError {
        TemplateError(.templateError, message, at: span(s, e), help: help)
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (0x09...0x0D).contains(c) }

    private mutating func run() throws {
        while pos < end {
            var i = pos
            while i + 1 < end {
                if b[i] == UInt8(ascii: "{"), b[i + 1] == UInt8(ascii: "{") || b[i + 1] == UInt8(ascii: "%") || b[i + 1] == UInt8(ascii: "#") { break }
                i += 1
            }
            if i + 1 >= end {
                emitText(pos, end, stripEnd: false)
                pos = end
                break
            }
            let minus = i + 2 < end && b[i + 2] == UInt8(ascii: "-")
            // `{%+`, `{{+` and `{#+` turn off lstrip_blocks, which Tutor leaves off anyway: the `+` is dropped.
            let plus = i + 2 < end && b[i + 2] == UInt8(ascii: "+")
            emitText(pos, i, stripEnd: minus)
            let content = i + 2 + (minus || plus ? 1 : 0)
            switch b[i + 1] {
            case UInt8(ascii: "#"):
                guard let close = find("#}", from: content) else {
                    throw fail("unclosed comment: `{#` has no `#}`", i, i + 2)
                }
                stripNextText = close > content && b[close - 1] == UInt8(ascii: "-")
                pos = close + 2
            case UInt8(ascii: "%"):
                if try lexRaw(open: i, content: content) { continue }
                tokens.append(TemplateToken(kind: .tagStart, span: span(i, content)))
                try lexExpression(from: content, closer: UInt8(ascii: "%"), open: i)
            default:
                tokens.append(TemplateToken(kind: .outputStart, span: span(i, content)))
                try lexExpression(from: content, closer: UInt8(ascii: "}"), open: i)
            }
        }
    }

    private mutating func emitText(_ start: Int, _ stop: Int, stripEnd: Bool) {
        var s = start, e = stop
        if stripNextText {
            while s < e, Self.isSpace(b[s]) { s += 1 }
            stripNextText = false
        }
        if stripEnd { while e > s, Self.isSpace(b[e - 1]) { e -= 1 } }
        guard s < e else { return }
        var text = String(decoding: b[s..<e], as: UTF8.self)
        if b[s..<e].contains(UInt8(ascii: "\r")) {
            text = text.replacingAll("\r\n", with: "\n").replacingAll("\r", with: "\n")
        }
        tokens.append(TemplateToken(kind: .text(text), span: span(s, e)))
    }

    private func find(_ needle: String, from start: Int) -> Int? {
        let n = Array(needle.utf8)
        var i = start
        while i + n.count <= b.count {
            if b[i] == n[0], Array(b[i..<i + n.count]) == n { return i }
            i += 1
        }
        return nil
    }

    /// Index after `word` when the bytes at `i` (after optional spaces) spell it as a whole word.
    private func word(_ word: String, at start: Int) -> Int? {
        var i = start
        while i < b.count, Self.isSpace(b[i]) { i += 1 }
        let w = Array(word.utf8)
        guard i + w.count <= b.count, Array(b[i..<i + w.count]) == w else { return nil }
        let after = i + w.count
        if after < b.count, b[after] == UInt8(ascii: "_") || isAlnum(b[after]) { return nil }
        return after
    }

    /// Index after `%}`, `+%}` or `-%}` (and whether it was `-%}`) when only spaces come first.
    /// Jinja's `{% raw %}` opens with `%}` or `-%}` only (`{% raw +%}` is the unknown tag `raw`); `endraw` takes all three.
    private func tagClose(at start: Int, allowPlus: Bool = true) -> (Int, Bool)? {
        var i = start
        while i < b.count, Self.isSpace(b[i]) { i += 1 }
        if i + 1 < b.count, b[i] == UInt8(ascii: "%"), b[i + 1] == UInt8(ascii: "}") { return (i + 2, false) }
        if i + 2 < b.count, b[i] == UInt8(ascii: "-") || (allowPlus && b[i] == UInt8(ascii: "+")), b[i + 1] == UInt8(ascii: "%"), b[i + 2] == UInt8(ascii: "}") {
            return (i + 3, b[i] == UInt8(ascii: "-"))
        }
        return nil
    }

    /// `{% raw %}…{% endraw %}`: the text between is output as written.
    private mutating func lexRaw(open: Int, content: Int) throws -> Bool {
        guard let afterWord = word("raw", at: content), let (bodyStart, strip) = tagClose(at: afterWord, allowPlus: false) else { return false }
        var search = bodyStart
        while let candidate = find("{%", from: search) {
            let minus = candidate + 2 < b.count && b[candidate + 2] == UInt8(ascii: "-")
            let plus = candidate + 2 < b.count && b[candidate + 2] == UInt8(ascii: "+")
            if let w = word("endraw", at: candidate + 2 + (minus || plus ? 1 : 0)), let (after, stripAfter) = tagClose(at: w) {
                stripNextText = strip
                emitText(bodyStart, candidate, stripEnd: minus)
                stripNextText = stripAfter
                pos = after
                return true
            }
            search = candidate + 2
        }
        throw fail("`{% raw %}` is never closed by `{% endraw %}`", open, bodyStart)
    }

    private func isAlnum(_ c: UInt8) -> Bool {
        (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) || c >= 0x80
    }

    private mutating func lexExpression(from start: Int, closer: UInt8, open: Int) throws {
        var p = start
        var brackets: [(UInt8, Int)] = []
        let closeText = closer == UInt8(ascii: "}") ? "}}" : "%}"
        while true {
            while p < b.count, Self.isSpace(b[p]) { p += 1 }
            guard p < b.count else {
                if let (c, at) = brackets.last {
                    throw fail("`\(Character(Unicode.Scalar(c)))` is never closed", at, at + 1)
                }
                throw fail("`\(closeText == "}}" ? "{{" : "{%")` is never closed by `\(closeText)`", open, open + 2)
            }
            let c = b[p]
            if brackets.isEmpty {
                if c == UInt8(ascii: "-"), p + 2 < b.count, b[p + 1] == closer, b[p + 2] == UInt8(ascii: "}") {
                    tokens.append(TemplateToken(kind: closer == UInt8(ascii: "}") ? .outputEnd : .tagEnd, span: span(p, p + 3)))
                    pos = p + 3
                    stripNextText = true
                    return
                }
                // `+%}` turns off trim_blocks, which Tutor leaves off anyway.
                if closer == UInt8(ascii: "%"), c == UInt8(ascii: "+"), p + 2 < b.count, b[p + 1] == closer, b[p + 2] == UInt8(ascii: "}") {
                    tokens.append(TemplateToken(kind: .tagEnd, span: span(p, p + 3)))
                    pos = p + 3
                    return
                }
                if c == closer, p + 1 < b.count, b[p + 1] == UInt8(ascii: "}") {
                    tokens.append(TemplateToken(kind: closer == UInt8(ascii: "}") ? .outputEnd : .tagEnd, span: span(p, p + 2)))
                    pos = p + 2
                    return
                }
            }
            let s = p
            if c == UInt8(ascii: "_") || (isAlnum(c) && !(0x30...0x39).contains(c)) {
                while p < b.count, b[p] == UInt8(ascii: "_") || isAlnum(b[p]) { p += 1 }
                tokens.append(TemplateToken(kind: .name(String(decoding: b[s..<p], as: UTF8.self)), span: span(s, p)))
            } else if (0x30...0x39).contains(c) {
                try lexNumber(&p)
            } else if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
                try lexString(&p)
            } else if let op = Self.operators.first(where: { matches($0, at: p) }) {
                p += op.utf8.count
                switch op {
                case "(", "[", "{": brackets.append((c, s))
                case ")", "]", "}":
                    let want: UInt8 = op == ")" ? UInt8(ascii: "(") : op == "]" ? UInt8(ascii: "[") : UInt8(ascii: "{")
                    guard let last = brackets.last, last.0 == want else {
                        throw fail("unexpected `\(op)`", s, p, help: brackets.last.map { "the open `\(Character(Unicode.Scalar($0.0)))` needs closing first" })
                    }
                    brackets.removeLast()
                default: break
                }
                tokens.append(TemplateToken(kind: .op(op), span: span(s, p)))
            } else {
                let scalarEnd = min(b.count, p + max(1, utf8Length(c)))
                throw fail("unexpected character `\(String(decoding: b[p..<scalarEnd], as: UTF8.self))` in a template expression", p, scalarEnd)
            }
        }
    }

    private func utf8Length(_ c: UInt8) -> Int { c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4 }

    private func matches(_ op: String, at p: Int) -> Bool {
        var i = p
        for u in op.utf8 {
            guard i < b.count, b[i] == u else { return false }
            i += 1
        }
        return true
    }

    /// `0x1f`, `0o17`, `0b101`, with `_` before any digit, as Jinja 3 reads them.
    private mutating func lexPrefixedInteger(_ p: inout Int) throws -> Bool {
        guard b[p] == UInt8(ascii: "0"), p + 1 < b.count else { return false }
        let radix: Int
        switch b[p + 1] | 0x20 {
        case UInt8(ascii: "x"): radix = 16
        case UInt8(ascii: "o"): radix = 8
        case UInt8(ascii: "b"): radix = 2
        default: return false
        }
        func digit(_ i: Int) -> Bool {
            guard i < b.count, let d = Int(String(UnicodeScalar(b[i])), radix: 36) else { return false }
            return d < radix
        }
        var q = p + 2
        var digits = ""
        while true {
            let at = q < b.count && b[q] == UInt8(ascii: "_") ? q + 1 : q
            guard digit(at) else { break }
            digits.append(Character(UnicodeScalar(b[at])))
            q = at + 1
        }
        guard !digits.isEmpty else { return false }
        guard let v = Int(digits, radix: radix) else {
            throw fail("invalid number `\(String(decoding: b[p..<q], as: UTF8.self))`", p, q, help: "integers must fit in 64 bits")
        }
        tokens.append(TemplateToken(kind: .int(v), span: span(p, q)))
        p = q
        return true
    }

    private mutating func lexNumber(_ p: inout Int) throws {
        if try lexPrefixedInteger(&p) { return }
        let s = p
        func digits() { while p < b.count, (0x30...0x39).contains(b[p]) || b[p] == UInt8(ascii: "_") { p += 1 } }
        digits()
        var isFloat = false
        if p + 1 < b.count, b[p] == UInt8(ascii: "."), (0x30...0x39).contains(b[p + 1]) {
            isFloat = true
            p += 1
            digits()
        }
        if p < b.count, b[p] == UInt8(ascii: "e") || b[p] == UInt8(ascii: "E") {
            var q = p + 1
            if q < b.count, b[q] == UInt8(ascii: "+") || b[q] == UInt8(ascii: "-") { q += 1 }
            if q < b.count, (0x30...0x39).contains(b[q]) {
                isFloat = true
                p = q
                digits()
            }
        }
        let text = String(decoding: b[s..<p], as: UTF8.self).replacingAll("_", with: "")
        if !isFloat, text.count > 1, text.hasPrefix("0"), text.contains(where: { $0 != "0" }) {
            throw fail("leading zeros are not allowed in an integer: `\(String(decoding: b[s..<p], as: UTF8.self))`", s, p,
                       help: "write it without them, or `0o…` for octal")
        }
        if isFloat, let d = Double(text) {
            tokens.append(TemplateToken(kind: .float(d), span: span(s, p)))
        } else if !isFloat, let i = Int(text) {
            tokens.append(TemplateToken(kind: .int(i), span: span(s, p)))
        } else {
            throw fail("invalid number `\(String(decoding: b[s..<p], as: UTF8.self))`", s, p,
                       help: isFloat ? nil : "integers must fit in 64 bits")
        }
    }

    /// A Python string literal: `'…'` or `"…"` with backslash escapes.
    private mutating func lexString(_ p: inout Int) throws {
        let s = p
        let quote = b[p]
        p += 1
        var out: [UInt8] = []
        while true {
            guard p < b.count else { throw fail("unterminated string", s, s + 1) }
            let c = b[p]
            if c == quote { p += 1; break }
            // Jinja normalizes newlines written in a string, as in text: `\r\n` and `\r` become `\n`.
            if c == 0x0D {
                out.append(0x0A)
                p += p + 1 < b.count && b[p + 1] == 0x0A ? 2 : 1
                continue
            }
            if c != UInt8(ascii: "\\") { out.append(c); p += 1; continue }
            guard p + 1 < b.count else { throw fail("unterminated string", s, s + 1) }
            let e = b[p + 1]
            p += 2
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "0"): out.append(0x00)
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "v"): out.append(0x0B)
            case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): out.append(e)
            case UInt8(ascii: "\n"): break
            case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                let n = e == UInt8(ascii: "x") ? 2 : e == UInt8(ascii: "u") ? 4 : 8
                guard p + n <= b.count, let v = UInt32(String(decoding: b[p..<p + n], as: UTF8.self), radix: 16),
                      let scalar = Unicode.Scalar(v) else {
                    throw fail("invalid escape `\\\(Character(Unicode.Scalar(e)))` in a string", p - 2, min(b.count, p + n))
                }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
                p += n
            default:
                out.append(UInt8(ascii: "\\"))
                out.append(e)
            }
        }
        tokens.append(TemplateToken(kind: .string(String(decoding: out, as: UTF8.self)), span: span(s, p)))
    }
}
