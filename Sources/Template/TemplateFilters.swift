import Core
import Foundation
import OrderedCollections

/// Jinja's built-in filters. `map`, `select` and friends call other filters
/// and tests, so the renderer implements those; `default` is here for when
/// it is called by name (`map('default', …)`), the renderer handles its
/// undefined case.
enum TemplateFilters {
    static let names = ["abs", "attr", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape",
                        "first", "float", "forceescape", "format", "indent", "int", "items", "join", "last", "length",
                        "list", "lower", "map", "max", "min", "pprint", "reject", "rejectattr", "replace", "reverse",
                        "round", "safe", "select", "selectattr", "sort", "string", "sum", "title", "tojson", "trim",
                        "truncate", "unique", "upper", "urlencode", "wordcount"]

    private typealias P = TemplateParameters

    static func filter(_ name: String) -> TemplateFilter? {
        switch name {
        case "abs": return { v, a, k in _ = try P("abs", []).bind(a, k); return try abs(v) }
        case "attr":
            return { v, a, k in
                let p = try P("attr", ["name"], required: 1).bind(a, k)
                let name = TemplateStrings.str(p[0]!)
                // Python's getattr: an error value's fields are attributes, a mapping's keys are not (Jinja gives Undefined).
                if case .error = v, let field = TemplateValues.attribute(v, name) { return field }
                throw TemplateValues.undefinedResult("\(TemplateValues.describe(v)) has no attribute `\(name)`",
                                                     help: "`attr` reads Python attributes, not keys; write `x.\(name)` or `x['\(name)']`")
            }
        case "capitalize": return { v, a, k in _ = try P("capitalize", []).bind(a, k); return .string(capitalize(TemplateStrings.str(v))) }
        case "center":
            return { v, a, k in
                let p = try P("center", ["width"]).bind(a, k)
                return .string(center(TemplateStrings.str(v), try TemplateCoerce.int(p[0], "width", default: 80)))
            }
        case "count", "length": return { v, a, k in _ = try P(name, []).bind(a, k); return .int(try length(v)) }
        case "d", "default":
            return { v, a, k in
                let p = try P(name, ["default_value", "boolean"]).bind(a, k)
                return TemplateCoerce.bool(p[1], default: false) && !v.isTruthy ? (p[0] ?? .string("")) : v
            }
        case "dictsort": return dictsort
        case "e", "escape", "forceescape": return { v, a, k in _ = try P(name, []).bind(a, k); return .string(escape(TemplateStrings.str(v))) }
        case "first", "last":
            return { v, a, k in
                _ = try P(name, []).bind(a, k)
                let list = try items(v, name)
                guard let x = name == "first" ? list.first : list.last else {
                    throw TemplateValues.undefinedResult("\(name) of an empty sequence")
                }
                return x
            }
        case "float":
            return { v, a, k in
                let p = try P("float", ["default"]).bind(a, k)
                return toFloat(v).map { .float($0) } ?? p[0] ?? .float(0)
            }
        case "int":
            return { v, a, k in
                let p = try P("int", ["default", "base"]).bind(a, k)
                return toInt(v, base: try TemplateCoerce.int(p[1], "base", default: 10)).map { .int($0) } ?? p[0] ?? .int(0)
            }
        case "format":
            return { v, a, k in
                let format = try TemplateCoerce.text(v, "format")
                if !k.isEmpty {
                    guard a.isEmpty else { throw P.fail("format() takes positional or named values, not both") }
                    return .string(try TemplateFormat.percent(format, .map(OrderedDictionary(k) { $1 }), at: nil))
                }
                return .string(try TemplateFormat.percent(format, positional: a, named: nil, at: nil))
            }
        case "indent": return indent
        case "items":
            return { v, a, k in
                _ = try P("items", []).bind(a, k)
                guard case .map(let m) = v else { throw P.fail("items works on a mapping, got \(TemplateValues.describe(v))") }
                return .list(m.dict.map { .list([.string($0.key), $0.value]) })
            }
        case "join":
            return { v, a, k in
                let p = try P("join", ["d", "attribute"]).bind(a, k)
                var list = try items(v, "join")
                if let attr = p[1] { list = try list.map { try attributeKey($0, attr) } }
                return .string(list.map(TemplateStrings.str).joined(separator: try TemplateCoerce.string(p[0], "separator", default: "")))
            }
        case "list": return { v, a, k in _ = try P("list", []).bind(a, k); return .list(try items(v, "list")) }
        case "lower": return { v, a, k in _ = try P("lower", []).bind(a, k); return .string(TemplateStrings.str(v).lowercased()) }
        case "upper": return { v, a, k in _ = try P("upper", []).bind(a, k); return .string(TemplateStrings.str(v).uppercased()) }
        case "title": return { v, a, k in _ = try P("title", []).bind(a, k); return .string(title(TemplateStrings.str(v))) }
        case "max", "min":
            return { v, a, k in
                let p = try P(name, ["case_sensitive", "attribute"]).bind(a, k)
                // Python's max and min return the first of equal items, hence a stable sort, reversed for max.
                let sorted = try sort(try items(v, name), caseSensitive: TemplateCoerce.bool(p[0], default: false), attribute: p[1], multiple: false,
                                      reverse: name == "max")
                guard let first = sorted.first else { throw TemplateValues.undefinedResult("\(name) of an empty sequence") }
                return first
            }
        case "pprint": return { v, a, k in _ = try P("pprint", []).bind(a, k); return .string(TemplateStrings.repr(v, sortKeys: true)) }
        case "replace":
            return { v, a, k in
                let p = try P("replace", ["old", "new", "count"], required: 2).bind(a, k)
                return .string(replace(TemplateStrings.str(v), TemplateStrings.str(p[0]!), TemplateStrings.str(p[1]!),
                                       count: try TemplateCoerce.int(p[2], "count", default: -1)))
            }
        case "reverse":
            return { v, a, k in
                _ = try P("reverse", []).bind(a, k)
                if case .string(let s) = v { return .string(String(String.UnicodeScalarView(s.unicodeScalars.reversed()))) }
                return .list(try items(v, "reverse").reversed())
            }
        case "round": return round
        case "safe": return { v, a, k in _ = try P("safe", []).bind(a, k); return v }
        case "sort":
            return { v, a, k in
                let p = try P("sort", ["reverse", "case_sensitive", "attribute"]).bind(a, k)
                return .list(try sort(try items(v, "sort"), caseSensitive: TemplateCoerce.bool(p[1], default: false), attribute: p[2],
                                      reverse: TemplateCoerce.bool(p[0], default: false)))
            }
        case "string": return { v, a, k in _ = try P("string", []).bind(a, k); return .string(TemplateStrings.str(v)) }
        case "sum":
            return { v, a, k in
                let p = try P("sum", ["attribute", "start"]).bind(a, k)
                var total = p[1] ?? .int(0)
                for x in try items(v, "sum") {
                    let term = try attributeKey(x, p[0])
                    total = try TemplateValues.arithmetic("+", total, term, at: nil)
                }
                return total
            }
        case "tojson":
            return { v, a, k in
                let p = try P("tojson", ["indent"]).bind(a, k)
                if let i = p[0], !TemplateCoerce.isNull(i) { throw P.fail("tojson(indent=…) is not supported by tk8s templates") }
                return .string(try TemplateStrings.json(v))
            }
        case "trim":
            return { v, a, k in
                let p = try P("trim", ["chars"]).bind(a, k)
                var chars: String?
                if let c = p[0], !TemplateCoerce.isNull(c) {
                    guard case .string(let t) = c else { throw P.fail("trim(): the characters to strip must be a string, got \(TemplateValues.describe(c))") }
                    chars = t
                }
                return .string(strip(TemplateStrings.str(v), chars))
            }
        case "truncate": return truncate
        case "unique":
            return { v, a, k in
                let p = try P("unique", ["case_sensitive", "attribute"]).bind(a, k)
                let caseSensitive = TemplateCoerce.bool(p[0], default: false)
                var seen: [Value] = []
                var out: [Value] = []
                for x in try items(v, "unique") {
                    let key = sortKey(try attributeKey(x, p[1]), caseSensitive: caseSensitive)
                    // Jinja keeps the keys in a set: lists and mappings cannot be in one.
                    if case .list = key { throw P.fail("unique(): unhashable list \(TemplateValues.describe(key))") }
                    if case .map = key { throw P.fail("unique(): unhashable mapping \(TemplateValues.describe(key))") }
                    if !seen.contains(where: { TemplateValues.equal($0, key) }) {
                        seen.append(key)
                        out.append(x)
                    }
                }
                return .list(out)
            }
        case "urlencode": return urlencode
        case "wordcount":
            return { v, a, k in
                _ = try P("wordcount", []).bind(a, k)
                let words = TemplateStrings.str(v).split { !($0.isLetter || $0.isNumber || $0 == "_") }
                return .int(words.count)
            }
        default: return nil
        }
    }

    // MARK: Helpers shared by several filters

    static func items(_ v: Value, _ what: String) throws -> [Value] {
        switch v {
        case .list(let l): return l
        case .map(let m): return m.dict.keys.map { .string($0) }
        case .string(let s): return TemplateStrings.codePoints(s).map { .string($0) }
        default: throw P.fail("\(what) works on a list, a mapping or a string, got \(TemplateValues.describe(v))")
        }
    }

    static func length(_ v: Value) throws -> Int {
        switch v {
        case .string(let s): return TemplateStrings.codePointCount(s)
        case .list(let l): return l.count
        case .map(let m): return m.dict.count
        default: throw P.fail("length works on a string, list or mapping, got \(TemplateValues.describe(v))")
        }
    }

    private static func abs(_ v: Value) throws -> Value {
        switch v {
        case .int(let i):
            guard i != .min else { throw TemplateError(.integerOverflow, "integer overflow", at: nil) }
            return .int(Swift.abs(i))
        case .float(let d): return .float(Swift.abs(d))
        default: throw P.fail("abs works on a number, got \(TemplateValues.describe(v))")
        }
    }

    static func capitalize(_ s: String) -> String {
        guard let f = s.first else { return s }
        return f.uppercased() + s.dropFirst().lowercased()
    }

    static func center(_ s: String, _ width: Int) -> String {
        let n = TemplateStrings.codePointCount(s)
        guard width > n else { return s }
        let total = width - n
        // Python puts the extra space on the left when the text's length is odd.
        let left = total / 2 + (total & width & 1)
        return String(repeating: " ", count: left) + s + String(repeating: " ", count: total - left)
    }

    /// Jinja's `title`: each word's first letter upper-cased, the rest lower-cased.
    private static func title(_ s: String) -> String {
        var out = ""
        var atWordStart = true
        for c in s {
            if c == "-" || c.isWhitespace || "({[<".contains(c) {
                out.append(c)
                atWordStart = true
            } else {
                out += atWordStart ? c.uppercased() : c.lowercased()
                atWordStart = false
            }
        }
        return out
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// Python's `str.strip(chars)` (and `lstrip`, `rstrip`) on code points: `chars` is a set of
    /// code points, nil for Python's whitespace.
    static func strip(_ s: String, _ chars: String?, left: Bool = true, right: Bool = true) -> String {
        let set = chars.map { Set($0.unicodeScalars) }
        return s.trimming(left: left, right: right) { c in set.map { $0.contains(c) } ?? TemplateStrings.isSpace(c) }
    }

    /// Python's `str.replace` on code points: at most `count` replacements when it is not negative.
    static func replace(_ s: String, _ old: String, _ new: String, count: Int) -> String {
        let parts = TemplateStrings.codePoints(s)
        if old.isEmpty {
            // Python inserts `new` before each code point and at the end, `count` times at most.
            let n = count < 0 ? parts.count + 1 : min(count, parts.count + 1)
            return (0..<n).map { new + ($0 < parts.count ? parts[$0] : "") }.joined() + parts.dropFirst(n).joined()
        }
        return s.replacingAll(old, with: new, limit: count < 0 ? .max : count)
    }

    static func toFloat(_ v: Value) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .float(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .string(let s): return TemplateNumbers.float(s)
        default: return nil
        }
    }

    /// Jinja's `int`: Python's `int(text, base)` (`int(value)` for non-strings), else `int(float(value))`.
    static func toInt(_ v: Value, base: Int) -> Int? {
        func truncate(_ d: Double) -> Int? { d.isFinite && Swift.abs(d) < 9.2e18 ? Int(d) : nil }
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .float(let d): return truncate(d)
        case .string(let s): return TemplateNumbers.int(s, base: base) ?? TemplateNumbers.float(s).flatMap(truncate)
        default: return nil
        }
    }

    static func sortKey(_ v: Value, caseSensitive: Bool) -> Value {
        if !caseSensitive, case .string(let s) = v { return .string(s.lowercased()) }
        return v
    }

    /// What `attribute=` names in `x` (`a.b` walks keys, digits index lists), or `x` without one; with
    /// `multiple` (`sort`'s `attribute='a,b'`), a list of each comma-separated one. A missing one is an
    /// error, as Jinja's StrictUndefined is once compared, added or printed.
    static func attributeKey(_ x: Value, _ attribute: Value?, multiple: Bool = false) throws -> Value {
        guard let attribute, !TemplateCoerce.isNull(attribute) else { return x }
        let text = TemplateStrings.str(attribute)
        let parts = multiple ? text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) : [text]
        let values = try parts.map { part -> Value in
            guard let v = TemplateValues.path(x, part) else { throw TemplateValues.missingAttribute(x, part, at: nil) }
            return v
        }
        return multiple ? .list(values) : values[0]
    }

    /// Python's `sorted(…, reverse=)`: stable both ways, so equal keys keep their order even when reversed.
    static func sort(_ list: [Value], caseSensitive: Bool, attribute: Value?, multiple: Bool = true, reverse: Bool = false) throws -> [Value] {
        let keyed = try list.map { x -> (Value, Value) in
            var key = try attributeKey(x, attribute, multiple: multiple)
            if multiple, let attribute, !TemplateCoerce.isNull(attribute), case .list(let parts) = key {
                key = .list(parts.map { sortKey($0, caseSensitive: caseSensitive) })
            } else {
                key = sortKey(key, caseSensitive: caseSensitive)
            }
            return (x, key)
        }
        var failure: TemplateError?
        let sorted = keyed.enumerated().sorted { l, r in
            guard let c = TemplateValues.order(l.element.1, r.element.1) else {
                failure = P.fail("cannot sort \(l.element.1.typeName) and \(r.element.1.typeName) together")
                return false
            }
            return c != 0 ? (c < 0) != reverse : l.offset < r.offset
        }
        if let failure { throw failure }
        return sorted.map { $0.element.0 }
    }

    // MARK: Filters with several parameters

    private static func dictsort(_ v: Value, _ a: [Value], _ k: [(String, Value)]) throws -> Value {
        let p = try P("dictsort", ["case_sensitive", "by", "reverse"]).bind(a, k)
        guard case .map(let m) = v else { throw P.fail("dictsort works on a mapping, got \(TemplateValues.describe(v))") }
        let by = try TemplateCoerce.string(p[1], "by", default: "key")
        guard by == "key" || by == "value" else { throw P.fail("dictsort's `by` must be \"key\" or \"value\"") }
        let pairs = m.dict.map { Value.list([.string($0.key), $0.value]) }
        return .list(try sort(pairs, caseSensitive: TemplateCoerce.bool(p[0], default: false), attribute: .string(by == "key" ? "0" : "1"),
                              reverse: TemplateCoerce.bool(p[2], default: false)))
    }

    /// Jinja 3's `indent(width=4, first=False, blank=False)`; `width` may be a string.
    private static func indent(_ v: Value, _ a: [Value], _ k: [(String, Value)]) throws -> Value {
        let p = try P("indent", ["width", "first", "blank"]).bind(a, k)
        let indention: String
        if case .string(let s)? = p[0] { indention = s } else {
            indention = String(repeating: " ", count: max(0, try TemplateCoerce.int(p[0], "width", default: 4)))
        }
        guard case .string(let text) = v else {
            throw P.fail("indent works on a string, got \(TemplateValues.describe(v))", help: "make it a string first: `x|string|indent`")
        }
        let lines = splitLines(text + "\n")
        var rv: String
        if TemplateCoerce.bool(p[2], default: false) {
            rv = lines.joined(separator: "\n" + indention)
        } else {
            rv = lines.first ?? ""
            let rest = lines.dropFirst()
            if !rest.isEmpty { rv += "\n" + rest.map { $0.isEmpty ? $0 : indention + $0 }.joined(separator: "\n") }
        }
        if TemplateCoerce.bool(p[1], default: false) { rv = indention + rv }
        return .string(rv)
    }

    /// Python's `str.splitlines()`: no trailing empty line, every Unicode line boundary.
    static func splitLines(_ s: String) -> [String] {
        var lines: [String] = []
        var current = ""
        var previousCR = false
        for u in s.unicodeScalars {
            if previousCR, u == "\n" { previousCR = false; continue }
            previousCR = u == "\r"
            switch u.value {
            case 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029:
                lines.append(current)
                current = ""
            default:
                current.unicodeScalars.append(u)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// Jinja's `round`: `common` is Python's `round(value, precision)` (half to even on the exact binary
    /// value, an int stays an int); `ceil` and `floor` are `math.ceil(value * 10**p) / 10**p`, always a float.
    private static func round(_ v: Value, _ a: [Value], _ k: [(String, Value)]) throws -> Value {
        let p = try P("round", ["precision", "method"]).bind(a, k)
        guard let d = TemplateValues.number(v) else { throw P.fail("round works on a number, got \(TemplateValues.describe(v))") }
        let precision = try TemplateCoerce.int(p[0], "precision", default: 0)
        let method = try TemplateCoerce.string(p[1], "method", default: "common")
        let scale = pow(10, Double(precision))
        switch method {
        case "common":
            if let i = TemplateValues.integer(v) { return .int(try TemplateNumbers.round(i, precision)) }
            return .float(TemplateNumbers.round(d, precision))
        case "ceil": return .float((d * scale).rounded(.up) / scale)
        case "floor": return .float((d * scale).rounded(.down) / scale)
        default: throw P.fail("round's method must be \"common\", \"ceil\" or \"floor\"")
        }
    }

    private static func truncate(_ v: Value, _ a: [Value], _ k: [(String, Value)]) throws -> Value {
        let p = try P("truncate", ["length", "killwords", "end", "leeway"]).bind(a, k)
        let s = TemplateStrings.str(v)
        let length = try TemplateCoerce.int(p[0], "length", default: 255)
        let end = try TemplateCoerce.string(p[2], "end", default: "...")
        let leeway = try TemplateCoerce.int(p[3], "leeway", default: 5)
        // Jinja asserts these.
        guard length >= TemplateStrings.codePointCount(end) else { throw P.fail("truncate: length must be at least the length of `end`") }
        guard leeway >= 0 else { throw P.fail("truncate: leeway must not be negative") }
        guard TemplateStrings.codePointCount(s) > length + leeway else { return .string(s) }
        let cut = TemplateStrings.prefix(s, length - TemplateStrings.codePointCount(end))
        if TemplateCoerce.bool(p[1], default: false) { return .string(cut + end) }
        if let space = cut.lastIndex(of: " ") { return .string(String(cut[..<space]) + end) }
        return .string(cut + end)
    }

    private static func urlencode(_ v: Value, _ a: [Value], _ k: [(String, Value)]) throws -> Value {
        _ = try P("urlencode", []).bind(a, k)
        func quote(_ s: String, safe: String) -> String {
            var out = ""
            for b in s.utf8 {
                let c = Character(Unicode.Scalar(b))
                if b < 0x80, c.isLetter || c.isNumber || "_.-~".contains(c) || safe.contains(c) {
                    out.append(c)
                } else {
                    out += "%" + TemplateStrings.hex(UInt32(b), 2).uppercased()
                }
            }
            return out
        }
        // A query string (a mapping, or a list of pairs) quotes `/` too and writes spaces as `+`.
        func pair(_ k: Value, _ v: Value) -> String {
            quote(TemplateStrings.str(k), safe: "").replacingAll("%20", with: "+") + "="
                + quote(TemplateStrings.str(v), safe: "").replacingAll("%20", with: "+")
        }
        switch v {
        case .map(let m):
            return .string(m.dict.map { pair(.string($0.key), $0.value) }.joined(separator: "&"))
        case .list(let l):
            return .string(try l.map { item in
                guard case .list(let kv) = item, kv.count == 2 else {
                    throw P.fail("urlencode of a list wants (key, value) pairs, got \(TemplateValues.describe(item))")
                }
                return pair(kv[0], kv[1])
            }.joined(separator: "&"))
        default:
            return .string(quote(TemplateStrings.str(v), safe: "/"))
        }
    }
}
