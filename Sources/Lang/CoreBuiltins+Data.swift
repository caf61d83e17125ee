import OrderedCollections
import Yams

/// `json` and `yaml`: text to values and back, keeping map keys in document order.
extension CoreBuiltins {
    static func registerData(_ r: Registry) {
        r.describeGroup("json", "Parse JSON text into values and write values as JSON.")
        r.register(Signature("json parse", "The value a JSON text stands for; objects become maps with their keys in order.",
                             params: [Param("text", .string, help: "a JSON document")],
                             statement: .pure, examples: ["let pods = (json parse $output)",
                                        "json parse '{\"a\": [1, 2.5, null]}'   # {a: [1, 2.5, null]}"])) { args, rt in
            try JSONParser.parse(args.string("text"), maxCount: rt.limits.maxCollectionCount, at: args.span)
        }

        r.register(Signature("json dump", "VALUE as JSON text: compact by default, indented with --indent.",
                             params: [Param("value", .any, help: "null, bools, numbers, strings, lists and maps")],
                             flags: [FlagSpec("indent", value: .int, help: "pretty-print, indenting N spaces per level")],
                             statement: .pure, examples: ["json dump {a: [1, true]}   # {\"a\":[1,true]}", "json dump $config --indent 2"])) { args, rt in
            let indent = args.optionalInt("indent") ?? 0
            guard (0...16).contains(indent) else {
                throw Diagnostic(.invalidArgument, "`json dump --indent` must be between 0 and 16, got \(indent)", at: args.span)
            }
            var out = ""
            try writeJSON(args.value("value"), indent: indent, level: 0, into: &out, span: args.span) { out in
                try rt.checkStack(args.span)
                if out.utf8.count > rt.limits.maxStringBytes { _ = try rt.checkString(out, args.span) }
            }
            return try rt.checkString(out, args.span)
        }

        r.describeGroup("yaml", "Parse YAML text into values and write values as YAML.")
        r.register(Signature("yaml parse", "The value a YAML document stands for; mappings become maps in document order.",
                             params: [Param("text", .string, help: "a YAML document")],
                             flags: [FlagSpec("all", help: "read every document of a multi-document stream into a list")],
                             statement: .pure, examples: ["let config = (yaml parse $text)",
                                        "yaml parse \"a: 1\\nb: [x, yes, ~]\"   # {a: 1, b: [\"x\", true, null]}",
                                        "yaml parse $manifests --all"])) { args, rt in
            do {
                return try YAMLCodec.decode(args.string("text"), all: args.has("all"), maxValues: rt.limits.maxCollectionCount,
                                            checkDepth: { try rt.checkStack(args.span) })
            } catch let f as YAMLCodec.Failure {
                if f.isSizeLimit { throw Diagnostic(.sizeLimit, "YAML \(f.problem)", at: args.span, help: f.help) }
                throw Diagnostic(.parseData, "cannot parse YAML: \(f.description)", at: args.span, help: f.help)
            }
        }

        r.register(Signature("yaml dump", "VALUE as a YAML document in block style, keys in map order, multi-line strings as `|` blocks.",
                             params: [Param("value", .any, help: "null, bools, numbers, strings, lists and maps")],
                             statement: .pure, examples: ["yaml dump {name: lms, ports: [80, 443]}", "print -n (yaml dump $config)"])) { args, rt in
            do {
                return try rt.checkString(try YAMLCodec.encode(args.value("value"), checkDepth: { try rt.checkStack(args.span) }), args.span)
            } catch let f as YAMLCodec.Failure {
                throw Diagnostic(.invalidArgument, "cannot write YAML: \(f.description)", at: args.span)
            }
        }
    }
}

// MARK: - JSON

/// A strict RFC 8259 parser over UTF-8 bytes that keeps object keys in order.
public struct JSONParser {
    struct Failure: Error {
        var reason: String
        var offset: Int
    }

    static let maxDepth = 512
    private let bytes: [UInt8]
    private let maxCount: Int
    private var pos = 0
    private var depth = 0

    init(text: String, maxCount: Int) {
        bytes = Array(text.utf8)
        self.maxCount = maxCount
    }

    /// 1-based line and column (in characters of the line) of a byte offset.
    func location(of offset: Int) -> (Int, Int) {
        var line = 1, lineStart = 0
        let end = min(offset, bytes.count)
        for i in 0..<end where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        var col = 1
        for i in lineStart..<end where bytes[i] & 0xC0 != 0x80 { col += 1 }
        return (line, col)
    }

    /// The value of a JSON document; a malformed one is E2010 with its line and column, at `span`.
    public static func parse(_ text: String, maxCount: Int = 16 << 20, at span: Span?) throws -> Value {
        var parser = JSONParser(text: text, maxCount: maxCount)
        do {
            return try parser.parseDocument()
        } catch let e as JSONParser.Failure {
            let (line, col) = parser.location(of: e.offset)
            throw Diagnostic(.parseData, "cannot parse JSON: \(e.reason) at line \(line) column \(col)", at: span)
        }
    }

    mutating func parseDocument() throws -> Value {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { pos = 3 }
        skipSpace()
        let v = try parseValue()
        skipSpace()
        if pos < bytes.count { throw fail("unexpected \(describe(pos)) after the JSON value") }
        return v
    }

    private func fail(_ reason: String, at offset: Int? = nil) -> Failure { Failure(reason: reason, offset: offset ?? pos) }

    /// The character at byte `i` as written, for messages.
    private func char(at i: Int) -> String {
        var end = i + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        let c = String(decoding: bytes[i..<min(end, bytes.count)], as: UTF8.self)
        if let u = c.unicodeScalars.first, u.value < 0x20 || u.value == 0x7F { return "U+" + hex4(u.value) }
        return "`\(c)`"
    }

    private func describe(_ i: Int) -> String {
        i < bytes.count ? "character \(char(at: i))" : "end of input"
    }

    private mutating func skipSpace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x09, 0x0A, 0x0D: pos += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws -> Value {
        guard pos < bytes.count else { throw fail("unexpected end of input, expected a value") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail("unexpected \(describe(pos)), expected a value")
        }
    }

    private mutating func literal(_ word: String, _ v: Value) throws -> Value {
        let w = Array(word.utf8)
        guard bytes.count - pos >= w.count, Array(bytes[pos..<pos + w.count]) == w else {
            throw fail("unexpected \(describe(pos)), expected a value")
        }
        pos += w.count
        return v
    }

    private mutating func enter() throws {
        depth += 1
        if depth > JSONParser.maxDepth { throw fail("nesting deeper than \(JSONParser.maxDepth) levels") }
    }

    private mutating func parseObject() throws -> Value {
        try enter()
        pos += 1
        var dict: OrderedDictionary<String, Value> = [:]
        skipSpace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") {
            pos += 1
            depth -= 1
            return .map(dict)
        }
        while true {
            skipSpace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else {
                throw fail("unexpected \(describe(pos)), expected a string key")
            }
            let key = try parseString()
            skipSpace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else {
                throw fail("unexpected \(describe(pos)), expected `:` after an object key")
            }
            pos += 1
            skipSpace()
            dict[key] = try parseValue()
            if dict.count > maxCount { throw fail("object has more than \(maxCount) keys") }
            skipSpace()
            guard pos < bytes.count else { throw fail("unexpected end of input, expected `,` or `}`") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; break }
            throw fail("unexpected \(describe(pos)), expected `,` or `}`")
        }
        depth -= 1
        return .map(dict)
    }

    private mutating func parseArray() throws -> Value {
        try enter()
        pos += 1
        var list: [Value] = []
        skipSpace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") {
            pos += 1
            depth -= 1
            return .list(list)
        }
        while true {
            skipSpace()
            list.append(try parseValue())
            if list.count > maxCount { throw fail("array has more than \(maxCount) elements") }
            skipSpace()
            guard pos < bytes.count else { throw fail("unexpected end of input, expected `,` or `]`") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; break }
            throw fail("unexpected \(describe(pos)), expected `,` or `]`")
        }
        depth -= 1
        return .list(list)
    }

    private mutating func parseString() throws -> String {
        let start = pos
        pos += 1
        var out: [UInt8] = []
        var runStart = pos
        while true {
            guard pos < bytes.count else { throw fail("unterminated string", at: start) }
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                out.append(contentsOf: bytes[runStart..<pos])
                pos += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b < 0x20 { throw fail("control character U+\(hex4(UInt32(b))) in a string; write it as an escape") }
            if b != UInt8(ascii: "\\") { pos += 1; continue }
            out.append(contentsOf: bytes[runStart..<pos])
            let escapeStart = pos
            pos += 1
            guard pos < bytes.count else { throw fail("unterminated string", at: start) }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hexQuad(escapeStart)
                if (0xD800...0xDBFF).contains(code) {
                    guard pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                        throw fail("lone surrogate \\u\(hex4(code)) in a string", at: escapeStart)
                    }
                    pos += 2
                    let low = try hexQuad(escapeStart)
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw fail("lone surrogate \\u\(hex4(code)) in a string", at: escapeStart)
                    }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(code) {
                    throw fail("lone surrogate \\u\(hex4(code)) in a string", at: escapeStart)
                }
                out.append(contentsOf: String(Character(Unicode.Scalar(code)!)).utf8)
            default:
                throw fail("invalid escape: \(char(at: pos - 1)) after a backslash", at: escapeStart)
            }
            runStart = pos
        }
    }

    private mutating func hexQuad(_ escapeStart: Int) throws -> UInt32 {
        guard bytes.count - pos >= 4 else { throw fail("incomplete \\u escape", at: escapeStart) }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = bytes[pos + k]
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default: throw fail("invalid \\u escape: four hex digits expected", at: escapeStart)
            }
            v = v << 4 | UInt32(d)
        }
        pos += 4
        return v
    }

    private mutating func parseNumber() throws -> Value {
        let start = pos
        func digits() -> Int {
            let s = pos
            while pos < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos]) { pos += 1 }
            return pos - s
        }
        if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        guard pos < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos]) else {
            throw fail("invalid number: a digit must follow `-`")
        }
        if bytes[pos] == UInt8(ascii: "0") {
            pos += 1
            if pos < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos]) {
                throw fail("invalid number: leading zeros are not allowed", at: start)
            }
        } else {
            _ = digits()
        }
        var isFloat = false
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            isFloat = true
            if digits() == 0 { throw fail("invalid number: a digit must follow `.`") }
        }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            pos += 1
            isFloat = true
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            if digits() == 0 { throw fail("invalid number: a digit must follow the exponent") }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        if !isFloat, let i = Int(text) { return .int(i) }
        guard let d = Double(text), d.isFinite else { throw fail("number \(text) is out of range", at: start) }
        return .float(d)
    }
}

private func hex4(_ v: UInt32) -> String {
    let h = String(v, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - h.count)) + h
}

/// JSON text of a value, for Swift callers outside the interpreter (the sandbox API server) — the same writer as `json dump`.
public enum JSONWriter {
    /// `v` as JSON text (compact when `indent` is 0); non-finite floats and error values throw a `Diagnostic`.
    public static func encode(_ v: Value, indent: Int = 0) throws -> String {
        var out = ""
        try writeJSON(v, indent: indent, level: 0, into: &out, span: nil) { _ in }
        return out
    }
}

/// Appends `v` as JSON text; `indent` 0 is compact. `check` runs before each value with the text so far,
/// so the interpreter can enforce its stack and size limits.
private func writeJSON(_ v: Value, indent: Int, level: Int, into out: inout String, span: Span?,
                       check: (String) throws -> Void) throws {
    try check(out)
    func newline(_ l: Int) {
        out.append("\n")
        out.append(String(repeating: " ", count: indent * l))
    }
    switch v {
    case .null: out.append("null")
    case .bool(let b): out.append(b ? "true" : "false")
    case .int(let i): out.append(String(i))
    case .float(let d):
        guard d.isFinite else {
            throw Diagnostic(.invalidArgument, "JSON cannot represent \(formatFloat(d))", at: span)
        }
        out.append(jsonNumber(d))
    case .string(let s): appendJSONString(s, into: &out)
    case .list(let l):
        if l.isEmpty { out.append("[]"); return }
        out.append("[")
        for (k, x) in l.enumerated() {
            if k > 0 { out.append(",") }
            if indent > 0 { newline(level + 1) }
            try writeJSON(x, indent: indent, level: level + 1, into: &out, span: span, check: check)
        }
        if indent > 0 { newline(level) }
        out.append("]")
    case .map(let m):
        if m.dict.isEmpty { out.append("{}"); return }
        out.append("{")
        var first = true
        for (k, x) in m.dict {
            if !first { out.append(",") }
            first = false
            if indent > 0 { newline(level + 1) }
            appendJSONString(k, into: &out)
            out.append(indent > 0 ? ": " : ":")
            try writeJSON(x, indent: indent, level: level + 1, into: &out, span: span, check: check)
        }
        if indent > 0 { newline(level) }
        out.append("}")
    case .error:
        throw Diagnostic(.invalidArgument, "JSON cannot represent \(v.described)", at: span)
    }
}

/// A float as JSON writes it: tk8s's float text with the exponent's leading zeros dropped (`2.5e-7`, not `2.5e-07`).
private func jsonNumber(_ d: Double) -> String {
    let text = formatFloat(d)
    guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
    var exponent = text[text.index(after: e)...]
    var sign = ""
    if let f = exponent.first, f == "+" || f == "-" { sign = String(f); exponent = exponent.dropFirst() }
    let digits = exponent.drop { $0 == "0" }
    return text[...e] + sign + (digits.isEmpty ? "0" : digits)
}

private func appendJSONString(_ s: String, into out: inout String) {
    out.append("\"")
    defer { out.append("\"") }
    // Most strings need no escape (0xE2 starts U+2028 and U+2029): append them whole.
    if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xE2 }) {
        out.append(s)
        return
    }
    for u in s.unicodeScalars {
        switch u {
        case "\"": out.append("\\\"")
        case "\\": out.append("\\\\")
        case "\n": out.append("\\n")
        case "\r": out.append("\\r")
        case "\t": out.append("\\t")
        case "\u{08}": out.append("\\b")
        case "\u{0C}": out.append("\\f")
        default:
            if u.value < 0x20 || u.value == 0x7F || u == "\u{2028}" || u == "\u{2029}" {
                out.append("\\u" + hex4(u.value).lowercased())
            } else {
                out.unicodeScalars.append(u)
            }
        }
    }
}
