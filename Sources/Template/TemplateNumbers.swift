import Foundation

/// Python's number functions that Jinja's filters call. `int(text, base)` and
/// `float(text)`: surrounding whitespace, a sign, `0x`/`0o`/`0b` prefixes,
/// single `_` between digits, nil where Python raises ValueError (a base
/// outside 0 and 2…36 included) so the filter falls back to its default.
/// `round(x, n)`: ties to even, as Python rounds.
enum TemplateNumbers {
    static func int(_ raw: String, base: Int) -> Int? {
        guard base == 0 || (2...36).contains(base) else { return nil }
        var s = Substring(raw.trimmingCharacters(in: .whitespacesAndNewlines))
        var negative = false
        if let sign = s.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            s.removeFirst()
        }
        var radix = base
        var prefixed = false
        let lower = s.lowercased()
        for (r, p) in [(16, "0x"), (8, "0o"), (2, "0b")] where lower.hasPrefix(p) && (base == r || base == 0) {
            radix = r
            prefixed = true
            s.removeFirst(2)
            // Python allows one `_` right after the prefix: `0x_ff`.
            if s.first == "_" { s.removeFirst() }
        }
        if radix == 0 { radix = 10 }
        guard let digits = withoutUnderscores(s) else { return nil }
        // Base 0 reads decimals as Python source does: no leading zeros (`010` is an error, `000` is not).
        if base == 0, !prefixed, digits.count > 1, digits.first == "0", digits.contains(where: { $0 != "0" }) { return nil }
        guard let magnitude = UInt64(digits, radix: radix) else { return nil }
        if negative { return magnitude <= UInt64(Int.max) + 1 ? Int(truncatingIfNeeded: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int.max) ? Int(magnitude) : nil
    }

    static func float(_ raw: String) -> Double? {
        let s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let body = s.hasPrefix("-") || s.hasPrefix("+") ? s.dropFirst() : Substring(s)
        switch body.lowercased() {
        case "inf", "infinity": return s.hasPrefix("-") ? -.infinity : .infinity
        case "nan": return .nan
        default: break
        }
        // Swift also reads hex floats (`0x1p3`) and bare `.`-less exponents; Python reads only decimal.
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && ($0.isNumber || "._eE+-".contains($0)) }),
              let text = withoutUnderscores(Substring(s)) else { return nil }
        return Double(text)
    }

    /// The text without its `_` separators, or nil when one is not between two digits.
    private static func withoutUnderscores(_ s: Substring) -> String? {
        guard !s.isEmpty else { return nil }
        let chars = Array(s)
        var out = ""
        for (i, c) in chars.enumerated() {
            guard c == "_" else { out.append(c); continue }
            guard i > 0, i < chars.count - 1, chars[i - 1].isHexDigit, chars[i + 1].isHexDigit else { return nil }
        }
        return out
    }

    /// Python's `round(int, n)`: unchanged for n >= 0, else to a multiple of 10**-n, ties to even.
    static func round(_ i: Int, _ precision: Int) throws -> Int {
        guard precision < 0 else { return i }
        guard precision > -19 else { return 0 }
        var m = 1
        for _ in 0..<(-precision) { m *= 10 }
        var q = i / m, r = i % m
        if r < 0 { q -= 1; r += m }
        if 2 * r > m || (2 * r == m && q & 1 == 1) { q += 1 }
        let (result, overflow) = q.multipliedReportingOverflow(by: m)
        guard !overflow else { throw TemplateError(.integerOverflow, "integer overflow", at: nil) }
        return result
    }

    /// Python's `round(float, n)`: correctly rounded, as printf's `%.nf` rounds (ties to even on the exact value).
    static func round(_ d: Double, _ precision: Int) -> Double {
        guard d.isFinite else { return d }
        if precision >= 0 {
            guard precision <= 320 else { return d }
            return Double(String(format: "%.\(precision)f", d)) ?? d
        }
        guard precision > -309 else { return 0 * d }
        let scale = pow(10, Double(-precision))
        return (d / scale).rounded(.toNearestOrEven) * scale
    }
}
