import Core

/// Python's text forms of values, because Jinja prints with `str()`:
/// `True`, `None`, `['a', 1]`, `{'k': 'v'}`, `1.0`.
enum TemplateStrings {
    /// `str(v)`.
    static func str(_ v: Value) -> String {
        switch v {
        case .string(let s): return s
        case .error(let e): return e.message
        default: return repr(v)
        }
    }

    /// A string's characters as Python counts them: code points, not Swift's grapheme clusters
    /// (`len('e\u0301')` is 2), for lengths, indexes, slices and loops.
    static func codePoints(_ s: String) -> [String] { s.unicodeScalars.map { String($0) } }

    static func codePointCount(_ s: String) -> Int { s.unicodeScalars.count }

    /// Where `sub` first starts in `s`, in code points (Swift's own search matches whole grapheme clusters only).
    static func find(_ s: String, _ sub: String) -> Int? {
        let hay = Array(s.unicodeScalars), needle = Array(sub.unicodeScalars)
        guard needle.count <= hay.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i..<i + needle.count].elementsEqual(needle) { return i }
        return nil
    }

    /// Where `sub` last starts in `s`, in code points.
    static func findLast(_ s: [Unicode.Scalar], _ sub: [Unicode.Scalar], before end: Int) -> Int? {
        guard sub.count <= end else { return nil }
        for i in stride(from: end - sub.count, through: 0, by: -1) where s[i..<i + sub.count].elementsEqual(sub) { return i }
        return nil
    }

    /// Python's `str.isspace()` for one code point (what `split()` and `strip()` drop): the ASCII
    /// whitespace, the information separators `\x1c`–`\x1f`, `\x85` and the Unicode spaces.
    static func isSpace(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// Python's `ascii()` of a repr: non-ASCII code points as `\xXX`, `\uXXXX` or `\UXXXXXXXX`.
    static func ascii(_ repr: String) -> String {
        var out = ""
        for u in repr.unicodeScalars {
            if u.value < 0x80 {
                out.unicodeScalars.append(u)
            } else {
                out += u.value <= 0xFF ? "\\x" + hex(u.value, 2) : u.value <= 0xFFFF ? "\\u" + hex(u.value, 4) : "\\U" + hex(u.value, 8)
            }
        }
        return out
    }

    /// The first `n` code points of `s`.
    static func prefix(_ s: String, _ n: Int) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.prefix(max(0, n))))
    }

    /// `repr(v)`; `sortKeys` for `pprint.pformat`, which sorts mappings (but, unlike
    /// pprint, never wraps long values over several lines).
    static func repr(_ v: Value, sortKeys: Bool = false) -> String {
        switch v {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let d): return float(d)
        case .string(let s): return repr(s)
        case .list(let l): return "[" + l.map { repr($0, sortKeys: sortKeys) }.joined(separator: ", ") + "]"
        case .map(let m):
            let keys = sortKeys ? m.dict.keys.sorted() : Array(m.dict.keys)
            return "{" + keys.map { repr($0) + ": " + repr(m.dict[$0]!, sortKeys: sortKeys) }.joined(separator: ", ") + "}"
        case .error(let e): return repr(e.message)
        }
    }

    /// Python's `repr(float)`: shortest round-trip digits, `1.0` for integral values, `inf`, `nan`.
    static func float(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        let s = "\(d)"
        // Swift and Python agree on digits and on when to use exponents; only the exponent's form differs (1e-05).
        guard let e = s.firstIndex(where: { $0 == "e" }) else { return s }
        var mantissa = String(s[..<e])
        if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
        var exponent = String(s[s.index(after: e)...])
        let sign = exponent.hasPrefix("-") ? "-" : "+"
        if exponent.hasPrefix("-") || exponent.hasPrefix("+") { exponent.removeFirst() }
        if exponent.count < 2 { exponent = "0" + exponent }
        return mantissa + "e" + sign + exponent
    }

    /// Python's `repr(str)`: single quotes unless the text has `'` and no `"`.
    static func repr(_ s: String) -> String {
        let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(u) == quote {
                    out += "\\" + String(quote)
                } else if u.value < 0x7F ? u.value < 0x20 : !isPrintable(u) {
                    out += u.value <= 0xFF ? "\\x" + hex(u.value, 2) : u.value <= 0xFFFF ? "\\u" + hex(u.value, 4) : "\\U" + hex(u.value, 8)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out.append(quote)
        return out
    }

    /// Python's `str.isprintable()` for one character: not a control, format, separator
    /// (other than the space), private-use or unassigned character.
    private static func isPrintable(_ u: Unicode.Scalar) -> Bool {
        switch u.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }

    static func hex(_ v: UInt32, _ width: Int) -> String {
        let h = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - h.count)) + h
    }

    /// Jinja's `tojson`: `json.dumps(v, sort_keys=True)` with `<`, `>`, `&`, `'` escaped for HTML.
    static func json(_ v: Value) throws -> String {
        var out = ""
        try writeJSON(v, into: &out, depth: 0)
        return out
    }

    private static func writeJSON(_ v: Value, into out: inout String, depth: Int) throws {
        guard depth < 512 else { throw TemplateError(.templateError, "tojson: value nested more than 512 levels", at: nil) }
        switch v {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .float(let d):
            if d.isNaN { out += "NaN" } else if d.isInfinite { out += d < 0 ? "-Infinity" : "Infinity" } else { out += float(d) }
        case .string(let s): jsonString(s, into: &out)
        case .error(let e): jsonString(e.message, into: &out)
        case .list(let l):
            out += "["
            for (i, x) in l.enumerated() {
                if i > 0 { out += ", " }
                try writeJSON(x, into: &out, depth: depth + 1)
            }
            out += "]"
        case .map(let m):
            out += "{"
            for (i, k) in m.dict.keys.sorted().enumerated() {
                if i > 0 { out += ", " }
                jsonString(k, into: &out)
                out += ": "
                try writeJSON(m.dict[k]!, into: &out, depth: depth + 1)
            }
            out += "}"
        }
    }

    /// `json.dumps` with `ensure_ascii`: non-ASCII as `\uXXXX` (surrogate pairs above the BMP).
    private static func jsonString(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<", ">", "&", "'": out += "\\u" + hex(u.value, 4)
            default:
                if u.value < 0x20 || (u.value > 0x7E && u.value <= 0xFFFF) {
                    out += "\\u" + hex(u.value, 4)
                } else if u.value > 0xFFFF {
                    let v = u.value - 0x10000
                    out += "\\u" + hex(0xD800 + (v >> 10), 4) + "\\u" + hex(0xDC00 + (v & 0x3FF), 4)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}
