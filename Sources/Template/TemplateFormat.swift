import Core
import Foundation

/// Python's string formatting, as templates use it: `"%s:%d" % (host, port)`,
/// `"%(name)s"|format(name=…)` and `"{}:{}".format(host, port)`.
enum TemplateFormat {
    private static func fail(_ message: String, at span: Span?) -> TemplateError {
        TemplateError(.templateError, message, at: span)
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
            out += try convert(value, conversion, flags: flags, width: try bounded(width, at: span),
                               precision: try precision.map { try bounded($0, at: span) }, at: span)
        }
        if named == nil, used < positional.count {
            throw fail("format: not all values were used by the format string", at: span)
        }
        return out
    }

    /// A width or precision as written (digits, maybe none); beyond `TemplateFormatSpec.maxWidth` it is a runaway
    /// template (`%999999999999d` would ask for an exabyte of padding), refused as `format()` refuses it.
    private static func bounded(_ digits: String, at span: Span?) throws -> Int {
        if digits.isEmpty { return 0 }
        guard let n = Int(digits), n <= TemplateFormatSpec.maxWidth else {  // Int() is nil past Int.max
            throw fail("format: width or precision larger than \(TemplateFormatSpec.maxWidth)", at: span)
        }
        return n
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
            if let i = TemplateValues.integer(v) {
                body = String(i)
            } else if d.isNaN || d.isInfinite {
                throw fail("format: %\(c) cannot convert float \(d.isNaN ? "NaN" : "infinity") to integer", at: span)
            } else if let i = Int(exactly: d.rounded(.towardZero)) {
                body = String(i)
            } else {
                // Python would print the float's exact integer value; tk8s's integers are 64-bit.
                throw fail("format: %\(c) of \(TemplateStrings.str(v)) is beyond 64-bit integers", at: span)
            }
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

    /// How `str.format` numbers its fields: `{}` counts up, `{0}` names one; a format string cannot mix them.
    private enum Numbering { case unknown, automatic(Int), manual }

    /// `str.format`: `{}`, `{0}`, `{name}`, `{0[key]}`, `{!r}`, `{:spec}` (TemplateFormatSpec) and
    /// specs with fields of their own (`{:{width}}`), `{{` and `}}` for braces.
    static func braces(_ format: String, _ args: [Value], _ kwargs: [(String, Value)]) throws -> String {
        var numbering = Numbering.unknown
        return try braces(format, args, kwargs, &numbering, depth: 2)
    }

    private static func braceFail(_ message: String) -> TemplateError { fail("format(): " + message, at: nil) }

    private static func braces(_ format: String, _ args: [Value], _ kwargs: [(String, Value)], _ numbering: inout Numbering,
                               depth: Int) throws -> String {
        guard depth > 0 else { throw braceFail("format specs nest too deeply") }
        let s = Array(format.unicodeScalars)
        var out = ""
        var literal = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "}" {
                guard i + 1 < s.count, s[i + 1] == "}" else { throw braceFail("single `}` in the format string") }
                literal.append("}")
                i += 2
                continue
            }
            guard c == "{" else { literal.append(c); i += 1; continue }
            if i + 1 < s.count, s[i + 1] == "{" { literal.append("{"); i += 2; continue }
            var level = 1, j = i + 1
            while j < s.count {
                if s[j] == "{" { level += 1 } else if s[j] == "}" { level -= 1; if level == 0 { break } }
                j += 1
            }
            guard j < s.count else { throw braceFail(i + 1 == s.count ? "single `{` in the format string" : "unmatched `{` in the format string") }
            out += String(literal)
            literal = String.UnicodeScalarView()
            out += try field(Array(s[(i + 1)..<j]), args, kwargs, &numbering, depth: depth)
            i = j + 1
        }
        return out + String(literal)
    }

    /// One `{…}`: `name[.attr|[key]]…[!conversion][:spec]`.
    private static func field(_ f: [Unicode.Scalar], _ args: [Value], _ kwargs: [(String, Value)], _ numbering: inout Numbering,
                              depth: Int) throws -> String {
        var k = 0
        while k < f.count {
            let c = f[k]
            if c == "{" { throw braceFail("unexpected `{` in a field name") }
            if c == "[" {
                while k < f.count, f[k] != "]" { k += 1 }
                continue
            }
            if c == ":" || c == "!" { break }
            k += 1
        }
        let name = Array(f[..<k])
        var conversion: Unicode.Scalar?
        var spec: [Unicode.Scalar] = []
        if k < f.count, f[k] == "!" {
            guard k + 1 < f.count else { throw braceFail("end of the field while looking for the conversion (`!r`, `!s` or `!a`)") }
            conversion = f[k + 1]
            if k + 2 < f.count {
                guard f[k + 2] == ":" else { throw braceFail("expected `:` after the conversion `!\(Character(f[k + 1]))`") }
                spec = Array(f[(k + 3)...])
            }
        } else if k < f.count {
            spec = Array(f[(k + 1)...])
        }
        var value = try lookup(name, args, kwargs, &numbering)
        switch conversion {
        case nil: break
        case "r"?: value = .string(TemplateStrings.repr(value))
        case "s"?: value = .string(TemplateStrings.str(value))
        case "a"?: value = .string(TemplateStrings.ascii(TemplateStrings.repr(value)))
        case let c?: throw braceFail("unknown conversion `!\(Character(c))`; use `!r`, `!s` or `!a`")
        }
        var specText = String(String.UnicodeScalarView(spec))
        if spec.contains("{") { specText = try braces(specText, args, kwargs, &numbering, depth: depth - 1) }
        return try TemplateFormatSpec.format(value, specText)
    }

    /// The value a field names: `{}` the next positional value, `{1}` one by number, `{name}` a named one,
    /// then `.attr` and `[key]` (digits are a list index) steps.
    private static func lookup(_ name: [Unicode.Scalar], _ args: [Value], _ kwargs: [(String, Value)], _ numbering: inout Numbering) throws -> Value {
        func isDigits(_ x: ArraySlice<Unicode.Scalar>) -> Bool { !x.isEmpty && x.allSatisfy { ("0"..."9").contains($0) } }
        func text(_ x: ArraySlice<Unicode.Scalar>) -> String { String(String.UnicodeScalarView(x)) }
        let firstEnd = name.firstIndex { $0 == "." || $0 == "[" } ?? name.count
        let first = name[..<firstEnd]
        var value: Value
        if first.isEmpty || isDigits(first) {
            let index: Int
            if first.isEmpty {
                if case .manual = numbering {
                    throw braceFail("cannot switch from manual field numbering (`{0}`) to automatic (`{}`)")
                }
                if case .automatic(let n) = numbering { index = n } else { index = 0 }
                numbering = .automatic(index + 1)
            } else {
                if case .automatic = numbering {
                    throw braceFail("cannot switch from automatic field numbering (`{}`) to manual (`{0}`)")
                }
                numbering = .manual
                guard let n = Int(text(first)) else { throw braceFail("field number `\(text(first))` is too large") }
                index = n
            }
            guard index < args.count else {
                throw braceFail("no value for field \(index): \(args.count) positional value\(args.count == 1 ? "" : "s") given")
            }
            value = args[index]
        } else {
            guard let v = kwargs.last(where: { $0.0 == text(first) })?.1 else { throw braceFail("no value for `{\(text(first))}`") }
            value = v
        }
        var i = firstEnd
        while i < name.count {
            if name[i] == "." {
                let end = name[(i + 1)...].firstIndex { $0 == "." || $0 == "[" } ?? name.count
                let attr = text(name[(i + 1)..<end])
                guard !attr.isEmpty else { throw braceFail("empty attribute in a format field") }
                guard case .error = value, let v = TemplateValues.attribute(value, attr) else {
                    throw braceFail("\(TemplateValues.describe(value)) has no attribute `\(attr)`")
                }
                value = v
                i = end
            } else if name[i] == "[" {
                guard let close = name[(i + 1)...].firstIndex(of: "]") else { throw braceFail("missing `]` in a format field") }
                let key = name[(i + 1)..<close]
                guard !key.isEmpty else { throw braceFail("empty index in a format field") }
                i = close + 1
                guard i == name.count || name[i] == "." || name[i] == "[" else {
                    throw braceFail("only `.` or `[` may follow `]` in a format field")
                }
                switch value {
                case .map(let m):
                    guard !isDigits(key), let v = m.dict[text(key)] else { throw braceFail("no key \(TemplateStrings.repr(text(key))) in the mapping") }
                    value = v
                case .list, .string:
                    guard isDigits(key), let n = Int(text(key)) else {
                        throw braceFail("\(value.typeName) indices must be integers, not \(TemplateStrings.repr(text(key)))")
                    }
                    value = try TemplateValues.item(value, .int(n), at: nil)
                default:
                    throw braceFail("cannot index \(TemplateValues.describe(value))")
                }
            } else {
                throw braceFail("only `.` or `[` may follow `]` in a format field")
            }
        }
        return value
    }
}
