/// JSON text of a value: `json dump`'s writer, and the sandbox API server's.
public enum JSONWriter {
    /// A value JSON has no form for (a non-finite float, an error): `JSON cannot represent …`. Lang reports it as E2009.
    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// `v` as JSON text (compact when `indent` is 0); non-finite floats and error values throw a `Failure`.
    public static func encode(_ v: Value, indent: Int = 0) throws -> String {
        var out = ""
        try write(v, indent: indent, into: &out) { _ in }
        return out
    }

    /// Appends `v` as JSON text; `indent` 0 is compact. `check` runs before each value with the text so far,
    /// so the interpreter can enforce its stack and size limits.
    public static func write(_ v: Value, indent: Int, into out: inout String, check: (String) throws -> Void) throws {
        try writeJSON(v, indent: indent, level: 0, into: &out, check: check)
    }
}

private func writeJSON(_ v: Value, indent: Int, level: Int, into out: inout String,
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
            throw JSONWriter.Failure(message: "JSON cannot represent \(formatFloat(d))")
        }
        out.append(jsonNumber(d))
    case .string(let s): appendJSONString(s, into: &out)
    case .list(let l):
        if l.isEmpty { out.append("[]"); return }
        out.append("[")
        for (k, x) in l.enumerated() {
            if k > 0 { out.append(",") }
            if indent > 0 { newline(level + 1) }
            try writeJSON(x, indent: indent, level: level + 1, into: &out, check: check)
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
            try writeJSON(x, indent: indent, level: level + 1, into: &out, check: check)
        }
        if indent > 0 { newline(level) }
        out.append("}")
    case .error:
        throw JSONWriter.Failure(message: "JSON cannot represent \(v.described)")
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

/// `v` as four upper-case hex digits (`00E9`), for `\u` escapes and messages.
func hex4(_ v: UInt32) -> String {
    let h = String(v, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - h.count)) + h
}
