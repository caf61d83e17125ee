import Foundation
import Lang

/// Python's string formatting, as templates use it: `"%s:%d" % (host, port)`,
/// `"%(name)s"|format(name=…)` and `"{}:{}".format(host, port)`.
enum TemplateFormat {
    private static func fail(_ message: String, at span: Span?) -> Diagnostic {
        Diagnostic(.templateError, message, at: span)
    }

    /// `format % values`: a list gives the positional values, a mapping the `%(key)s` ones.
    static func percent(_ format: String, _ values: Value, at span: Span?) throws -> String {
        switch values {
        // Templates cannot tell a tuple from a list. A list fills the fields when it has one value
        // per field (`'%s:%s' % (host, port)`); otherwise it is one value, as Python formats a list.
        case .list(let l): return try percent(format, positional: l.count == fieldCount(format) ? l : [values], named: nil, at: span)
        case .map: return try percent(format, positional: [values], named: values, at: span)
        default: return try percent(format, positional: [values], named: nil, at: span)
        }
    }

    /// `format % (positional…)`, or `format % named` when `named` is a mapping.
    static func percent(_ format: String, positional: [Value], named: Value?, at span: Span?) throws -> String {
        var out = ""
        var chars = Array(format)[...]
        var used = 0
        while let c = chars.popFirst() {
            guard c == "%" else { out.append(c); continue }
            var key: String?
            if chars.first == "(" {
                guard let close = chars.firstIndex(of: ")") else { throw fail("format: unclosed `%(`", at: span) }
                key = String(chars[chars.index(after: chars.startIndex)..<close])
                chars = chars[chars.index(after: close)...]
            }
            var flags = "", width = "", precision: String?
            while let f = chars.first, "-+ 0#".contains(f) { flags.append(f); chars.removeFirst() }
            while let d = chars.first, d.isASCII, d.isNumber { width.append(d); chars.removeFirst() }
            if chars.first == "." {
                chars.removeFirst()
                var p = ""
                while let d = chars.first, d.isASCII, d.isNumber { p.append(d); chars.removeFirst() }
                precision = p
            }
            guard let conversion = chars.popFirst() else { throw fail("format: incomplete `%` at the end", at: span) }
            if conversion == "%" { out.append("%"); continue }
            let value: Value
            if let key {
                guard let named, let v = TemplateValues.attribute(named, key) else { throw fail("format: no value for `%(\(key))`", at: span) }
                value = v
            } else {
                guard used < positional.count else { throw fail("format: not enough values for the format string", at: span) }
                value = positional[used]
                used += 1
            }
            out += try convert(value, conversion, flags: flags, width: Int(width) ?? 0, precision: precision.map { Int($0) ?? 0 }, at: span)
        }
        if named == nil, used < positional.count {
            throw fail("format: not all values were used by the format string", at: span)
        }
        return out
    }

    /// How many values `format` takes: its `%` fields other than `%%`.
    private static func fieldCount(_ format: String) -> Int {
        var n = 0
        var chars = format.unicodeScalars[...]
        while let c = chars.popFirst() {
            guard c == "%" else { continue }
            if chars.first == "%" { chars.removeFirst() } else { n += 1 }
        }
        return n
    }

    private static func convert(_ v: Value, _ c: Character, flags: String, width: Int, precision: Int?, at span: Span?) throws -> String {
        var body: String
        var numeric = false
        switch c {
        case "s": body = TemplateStrings.str(v); if let precision { body = TemplateStrings.prefix(body, precision) }
        case "r": body = TemplateStrings.repr(v)
        case "d", "i", "u":
            guard let d = TemplateValues.number(v) else { throw fail("format: %\(c) needs a number, got \(v.typeName)", at: span) }
            body = String(TemplateValues.integer(v) ?? Int(d.rounded(.towardZero)))
            numeric = true
        case "f", "F", "e", "E", "g", "G":
            guard let d = TemplateValues.number(v) else { throw fail("format: %\(c) needs a number, got \(v.typeName)", at: span) }
            body = String(format: "%.\(precision ?? 6)\(c)", d)
            numeric = true
        case "x", "X", "o":
            guard let i = TemplateValues.integer(v) else { throw fail("format: %\(c) needs an integer, got \(v.typeName)", at: span) }
            body = String(i.magnitude, radix: c == "o" ? 8 : 16, uppercase: c == "X")
            if flags.contains("#") { body = (c == "o" ? "0o" : c == "X" ? "0X" : "0x") + body }
            if i < 0 { body = "-" + body }
            numeric = true
        default:
            throw fail("format: unsupported conversion `%\(c)`", at: span)
        }
        if numeric, !body.hasPrefix("-") {
            if flags.contains("+") { body = "+" + body } else if flags.contains(" ") { body = " " + body }
        }
        let pad = width - TemplateStrings.codePointCount(body)
        guard pad > 0 else { return body }
        if flags.contains("-") { return body + String(repeating: " ", count: pad) }
        if numeric, flags.contains("0") {
            let sign = body.first.map { "+- ".contains($0) } == true ? String(body.removeFirst()) : ""
            return sign + String(repeating: "0", count: pad) + body
        }
        return String(repeating: " ", count: pad) + body
    }

    /// `str.format` with `{}`, `{0}` and `{name}` fields; format specs other than empty are refused.
    static func braces(_ format: String, _ args: [Value], _ kwargs: [(String, Value)]) throws -> String {
        var out = ""
        var chars = Array(format)[...]
        var auto = 0
        while let c = chars.popFirst() {
            if c == "}" {
                guard chars.first == "}" else { throw fail("format(): single `}` in the format string", at: nil) }
                chars.removeFirst()
                out.append("}")
                continue
            }
            guard c == "{" else { out.append(c); continue }
            if chars.first == "{" { chars.removeFirst(); out.append("{"); continue }
            guard let close = chars.firstIndex(of: "}") else { throw fail("format(): unclosed `{`", at: nil) }
            let field = String(chars[..<close])
            chars = chars[chars.index(after: close)...]
            guard !field.contains(":"), !field.contains("!") else {
                throw fail("format(): format specs like `{\(field)}` are not supported; use the `format` filter", at: nil)
            }
            let value: Value?
            if field.isEmpty {
                value = auto < args.count ? args[auto] : nil
                auto += 1
            } else if let i = Int(field) {
                value = i < args.count ? args[i] : nil
            } else {
                value = kwargs.first { $0.0 == field }?.1
            }
            guard let value else { throw fail("format(): no value for `{\(field)}`", at: nil) }
            out += TemplateStrings.str(value)
        }
        return out
    }
}
