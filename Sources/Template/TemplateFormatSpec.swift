import Core
import Foundation

/// Python's format-spec mini-language, `format(value, spec)`, which `str.format` applies to each field:
/// `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`, as `{:>5}`, `{:08,.2f}`, `{:#x}`.
/// Strings take `s`; ints `d n b o x X c` (and the float types, converting); floats `e E f F g G n %`
/// or none (repr, or `g` keeping a `.0`); bools format as ints once the spec is not empty; other
/// values accept only the empty spec. Widths and precisions count code points, as Python does.
struct TemplateFormatSpec {
    private var fill: Unicode.Scalar?
    private var align: Unicode.Scalar?
    private var sign: Unicode.Scalar?
    private var noNegativeZero = false
    private var alternate = false
    /// The `0` before the width, without an explicit fill: zero padding after the sign.
    private var zero = false
    private var width = 0
    private var grouping: Unicode.Scalar?
    private var precision: Int?
    private var type: Unicode.Scalar?

    /// Widths and precisions beyond this are a runaway template, not formatting.
    static let maxWidth = 1 << 20

    static func fail(_ message: String) -> TemplateError { TemplateError(.templateError, "format(): " + message, at: nil) }

    /// `format(value, spec)`: an empty spec is `str(value)`.
    static func format(_ v: Value, _ spec: String) throws -> String {
        if spec.isEmpty { return TemplateStrings.str(v) }
        let f = try TemplateFormatSpec(spec)
        switch v {
        case .string(let s): return try f.string(s)
        case .int(let i): return try f.integer(i, typeName: "int")
        case .bool(let b): return try f.integer(b ? 1 : 0, typeName: "bool")
        case .float(let d): return try f.float(d, typeName: "float")
        default:
            throw fail("unsupported format string `\(spec)` for \(TemplateValues.describe(v)); only numbers and strings take a format spec")
        }
    }

    init(_ spec: String) throws {
        let s = Array(spec.unicodeScalars)
        var i = 0
        func isAlign(_ c: Unicode.Scalar) -> Bool { "<>=^".unicodeScalars.contains(c) }
        func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }
        if s.count >= 2, isAlign(s[1]) {
            fill = s[0]
            align = s[1]
            i = 2
        } else if let c = s.first, isAlign(c) {
            align = c
            i = 1
        }
        if i < s.count, "+- ".unicodeScalars.contains(s[i]) { sign = s[i]; i += 1 }
        if i < s.count, s[i] == "z" { noNegativeZero = true; i += 1 }
        if i < s.count, s[i] == "#" { alternate = true; i += 1 }
        if fill == nil, i < s.count, s[i] == "0" { zero = true; i += 1 }
        func number() throws -> Int? {
            let start = i
            while i < s.count, isDigit(s[i]) { i += 1 }
            guard i > start else { return nil }
            guard let n = Int(String(String.UnicodeScalarView(s[start..<i]))), n <= Self.maxWidth else {
                throw Self.fail("width or precision larger than \(Self.maxWidth)")
            }
            return n
        }
        width = try number() ?? 0
        if i < s.count, s[i] == "," || s[i] == "_" {
            grouping = s[i]
            i += 1
            if i < s.count, s[i] == "," || s[i] == "_" { throw Self.fail("cannot specify both ',' and '_'") }
        }
        if i < s.count, s[i] == "." {
            i += 1
            guard let p = try number() else { throw Self.fail("format specifier missing precision") }
            precision = p
        }
        if i < s.count { type = s[i]; i += 1 }
        guard i == s.count else { throw Self.fail("invalid format specifier `\(spec)`") }
    }

    private func unknownCode(_ typeName: String) -> TemplateError {
        Self.fail("unknown format code '\(type.map { String(Character($0)) } ?? "")' for a value of type \(typeName)")
    }

    // MARK: Strings

    private func string(_ s: String) throws -> String {
        guard type == nil || type == "s" else { throw unknownCode("str") }
        if sign != nil { throw Self.fail("sign not allowed in string format specifier") }
        if alternate { throw Self.fail("alternate form (#) not allowed in string format specifier") }
        if align == "=" { throw Self.fail("'=' alignment not allowed in string format specifier") }
        if let g = grouping { throw Self.fail("cannot specify '\(Character(g))' with 's'") }
        var body = Array(s.unicodeScalars)
        if let precision, body.count > precision { body = Array(body[..<precision]) }
        return pad("", body, align: align ?? "<", fill: fill ?? (zero ? "0" : " "))
    }

    // MARK: Numbers

    private func integer(_ i: Int, typeName: String) throws -> String {
        switch type {
        case nil, "d", "n", "b", "o", "x", "X", "c": break
        case "e", "E", "f", "F", "g", "G", "%": return try float(Double(i), typeName: typeName)
        default: throw unknownCode(typeName)
        }
        if precision != nil { throw Self.fail("precision not allowed in integer format specifier") }
        if let g = grouping, let t = type, t != "d" && (g == "," || t == "n" || t == "c") {
            throw Self.fail("cannot specify '\(Character(g))' with '\(Character(t))'")
        }
        if type == "c" {
            if sign != nil { throw Self.fail("sign not allowed with integer format specifier 'c'") }
            if alternate { throw Self.fail("alternate form (#) not allowed with integer format specifier 'c'") }
            guard i >= 0, i <= 0x10FFFF, let u = Unicode.Scalar(UInt32(i)) else { throw Self.fail("%c arg not in range(0x110000)") }
            return pad("", [u], align: align ?? ">", fill: fill ?? (zero ? "0" : " "))
        }
        let radix: Int
        var prefix = ""
        switch type {
        case "b": radix = 2; prefix = "0b"
        case "o": radix = 8; prefix = "0o"
        case "x": radix = 16; prefix = "0x"
        case "X": radix = 16; prefix = "0X"
        default: radix = 10
        }
        if !alternate { prefix = "" }
        let digits = Array(String(i.magnitude, radix: radix, uppercase: type == "X").unicodeScalars)
        return numeric(negative: i < 0, prefix: prefix, digits: digits, rest: [], groupSize: radix == 10 ? 3 : 4)
    }

    private func float(_ d: Double, typeName: String) throws -> String {
        switch type {
        case nil, "e", "E", "f", "F", "g", "G", "n", "%": break
        default: throw unknownCode(typeName)
        }
        if type == "n", let g = grouping { throw Self.fail("cannot specify '\(Character(g))' with 'n'") }
        let magnitude = Swift.abs(d)
        let alt = alternate ? "#" : ""
        var text: String
        switch type {
        case nil:
            if let precision {
                text = Self.general(magnitude, precision: max(precision, 1), alternate: alternate)
            } else {
                text = TemplateStrings.float(magnitude)
                // `#` keeps a decimal point even in the exponent form: `1.e-07`.
                if alternate, let e = text.firstIndex(of: "e"), !text[..<e].contains(".") { text.insert(".", at: e) }
            }
        case "%":
            text = String(format: "%\(alt).\(precision ?? 6)f", magnitude * 100) + "%"
        case "n":
            text = String(format: "%\(alt).\(precision ?? 6)g", magnitude)
        default:
            text = String(format: "%\(alt).\(precision ?? 6)\(Character(type!))", magnitude)
        }
        if !magnitude.isFinite {
            text = (magnitude.isNaN ? "nan" : "inf") + (type == "%" ? "%" : "")
            if type == "E" || type == "F" || type == "G" { text = text.uppercased() }
        }
        let scalars = Array(text.unicodeScalars)
        let split = scalars.firstIndex { !("0"..."9").contains($0) } ?? scalars.count
        var negative = d.sign == .minus && !d.isNaN
        if negative, noNegativeZero, !scalars.contains(where: { ("1"..."9").contains($0) }) { negative = false }
        return numeric(negative: negative, prefix: "", digits: Array(scalars[..<split]), rest: Array(scalars[split...]), groupSize: 3)
    }

    /// The float format without a type but with a precision: like `g`, except that the exponent form
    /// is used from `p - 1` (not `p`) digits before the point, and the fixed form keeps a `.0`
    /// (`'{:.3}'.format(100.0)` is `1e+02`, `'{:.4}'.format(100.0)` is `100.0`).
    private static func general(_ d: Double, precision p: Int, alternate: Bool) -> String {
        guard d.isFinite else { return String(d) }
        let exp = String(format: "%\(alternate ? "#" : "").\(p - 1)e", d)
        let exponent = Int(exp[exp.index(after: exp.firstIndex(of: "e")!)...]) ?? 0
        func trimmed(_ mantissa: String) -> String {
            guard !alternate, mantissa.contains(".") else { return mantissa }
            var m = mantissa
            while m.hasSuffix("0") { m.removeLast() }
            if m.hasSuffix(".") { m.removeLast() }
            return m
        }
        if exponent < -4 || exponent >= p - 1 {
            let e = exp.firstIndex(of: "e")!
            return trimmed(String(exp[..<e])) + exp[e...]
        }
        let fixed = trimmed(String(format: "%\(alternate ? "#" : "").\(p - 1 - exponent)f", d))
        return fixed.contains(".") ? fixed : fixed + ".0"
    }

    /// Sign, prefix (`0x`), the integer digits grouped, then the rest (fraction, exponent, `%`), padded.
    private func numeric(negative: Bool, prefix: String, digits: [Unicode.Scalar], rest: [Unicode.Scalar], groupSize: Int) -> String {
        let signText = negative ? "-" : sign == "+" ? "+" : sign == " " ? " " : ""
        let align = self.align ?? (zero ? "=" : ">")
        let fill = self.fill ?? (zero ? "0" : " ")
        let head = signText + prefix
        // Python pads with zeros inside the digits, grouping them too, when the fill is `0` after the sign.
        var minWidth = 0
        if fill == "0", align == "=" { minWidth = width - head.unicodeScalars.count - rest.count }
        let body = Self.group(digits, size: groupSize, separator: grouping, minWidth: minWidth) + rest
        return pad(head, body, align: align, fill: fill)
    }

    /// CPython's `_PyUnicode_InsertThousandsGrouping`: groups from the right, zeros added until `minWidth`.
    private static func group(_ digits: [Unicode.Scalar], size: Int, separator: Unicode.Scalar?, minWidth: Int) -> [Unicode.Scalar] {
        guard let separator else {
            return [Unicode.Scalar](repeating: "0", count: max(0, minWidth - digits.count)) + digits
        }
        guard !digits.isEmpty else { return [] }
        var groups: [[Unicode.Scalar]] = []
        var remaining = digits.count
        var minWidth = minWidth
        var end = digits.count
        while true {
            let l = min(size, max(remaining, minWidth, 1))
            let chars = max(0, min(remaining, l))
            groups.append([Unicode.Scalar](repeating: "0", count: max(0, l - remaining)) + digits[(end - chars)..<end])
            end -= chars
            remaining -= chars
            minWidth -= l
            if remaining <= 0 && minWidth <= 0 { break }
            minWidth -= 1
        }
        return Array(groups.reversed().joined(separator: [separator]))
    }

    private func pad(_ head: String, _ body: [Unicode.Scalar], align: Unicode.Scalar, fill: Unicode.Scalar) -> String {
        let headScalars = Array(head.unicodeScalars)
        let n = width - headScalars.count - body.count
        var out = String.UnicodeScalarView()
        func fillWith(_ count: Int) { for _ in 0..<max(0, count) { out.append(fill) } }
        guard n > 0 else {
            out.append(contentsOf: headScalars)
            out.append(contentsOf: body)
            return String(out)
        }
        switch align {
        case "<": out.append(contentsOf: headScalars); out.append(contentsOf: body); fillWith(n)
        case "^": fillWith(n / 2); out.append(contentsOf: headScalars); out.append(contentsOf: body); fillWith(n - n / 2)
        case "=": out.append(contentsOf: headScalars); fillWith(n); out.append(contentsOf: body)
        default: fillWith(n); out.append(contentsOf: headScalars); out.append(contentsOf: body)
        }
        return String(out)
    }
}
