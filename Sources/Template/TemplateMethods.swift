import Core
import OrderedCollections

/// The Python methods templates call on values: `LMS_HOST.split(".")`,
/// `PLUGINS.items()`, `loop.cycle("odd", "even")`.
enum TemplateMethods {
    private typealias P = TemplateParameters

    static func call(_ method: String, on receiver: Value, _ args: [Value], _ kwargs: [(String, Value)]) throws -> Value {
        switch receiver {
        case .string(let s): return try string(method, s, args, kwargs)
        case .map(let m): return try map(method, m.dict, args, kwargs)
        case .list(let l): return try list(method, l, args, kwargs)
        default: throw unknown(method, on: receiver, known: [])
        }
    }

    private static func unknown(_ method: String, on v: Value, known: [String]) -> TemplateError {
        TemplateError(.templateError, "\(v.typeName) has no method `\(method)`", at: nil,
                   help: closestName(to: method, in: known).map { "did you mean `\($0)`?" })
    }

    static let stringMethods = ["capitalize", "count", "endswith", "find", "format", "isalnum", "isalpha", "isdigit",
                                "islower", "isspace", "isupper", "join", "lower", "lstrip", "removeprefix", "removesuffix",
                                "replace", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "title", "upper"]

    /// Python's string methods. They work on code points, as Python does (`'e\u0301'.startswith('e')`),
    /// and refuse arguments of the wrong type where Python raises TypeError.
    private static func string(_ m: String, _ s: String, _ args: [Value], _ kwargs: [(String, Value)]) throws -> Value {
        func bind(_ names: [String], required: Int = 0) throws -> [Value?] { try P(m, names, required: required).bind(args, kwargs) }
        /// A `str` argument, or nil for None or a missing one (`strip(None)`, `split(None, 1)`).
        func optionalText(_ v: Value?, _ what: String) throws -> String? {
            guard let v, !TemplateCoerce.isNull(v) else { return nil }
            guard case .string(let t) = v else {
                throw P.fail("\(m)(): \(what) must be a string or None, got \(TemplateValues.describe(v))")
            }
            return t
        }
        func text(_ v: Value, _ what: String) throws -> String {
            guard case .string(let t) = v else { throw P.fail("\(m)(): \(what) must be a string, got \(TemplateValues.describe(v))") }
            return t
        }
        switch m {
        case "upper": _ = try bind([]); return .string(s.uppercased())
        case "lower": _ = try bind([]); return .string(s.lowercased())
        case "capitalize": _ = try bind([]); return .string(TemplateFilters.capitalize(s))
        case "title": _ = try bind([]); return .string(title(s))
        case "strip", "lstrip", "rstrip":
            let chars = try optionalText(try bind(["chars"])[0], "the characters to strip")
            return .string(TemplateFilters.strip(s, chars, left: m != "rstrip", right: m != "lstrip"))
        case "split", "rsplit":
            let p = try bind(["sep", "maxsplit"])
            let maxSplit = try TemplateCoerce.int(p[1], "maxsplit", default: -1)
            return .list(try split(s, separator: try optionalText(p[0], "the separator"), maxSplit: maxSplit, fromRight: m == "rsplit")
                .map { .string($0) })
        case "splitlines": _ = try bind([]); return .list(TemplateFilters.splitLines(s).map { .string($0) })
        case "startswith", "endswith":
            let p = try bind(["prefix", "start", "end"], required: 1)
            let options: [Value]
            if case .list(let l) = p[0]! { options = l } else { options = [p[0]!] }
            let hay = Array(s.unicodeScalars)
            // Python's bounds: negative from the end, at least 0; the end at most the length (a start past it matches nothing).
            func bound(_ v: Value?, _ what: String, _ dflt: Int) throws -> Int {
                guard let v, !TemplateCoerce.isNull(v) else { return dflt }
                let i = try TemplateCoerce.int(v, what, default: dflt)
                return i < 0 ? max(0, i + hay.count) : i
            }
            let start = try bound(p[1], "start", 0)
            let end = min(try bound(p[2], "end", hay.count), hay.count)
            return .bool(try options.contains { o in
                guard case .string(let t) = o else {
                    throw P.fail("\(m)() wants a string or a tuple of strings, got \(TemplateValues.describe(o))")
                }
                let sub = Array(t.unicodeScalars)
                guard end - start >= sub.count else { return false }
                let at = m == "startswith" ? start : end - sub.count
                return hay[at..<at + sub.count].elementsEqual(sub)
            })
        case "removeprefix", "removesuffix":
            let affix = Array(try text(try bind(["prefix"], required: 1)[0]!, "the affix").unicodeScalars)
            let hay = Array(s.unicodeScalars)
            guard !affix.isEmpty, affix.count <= hay.count else { return .string(s) }
            if m == "removeprefix" {
                return .string(hay[..<affix.count].elementsEqual(affix) ? String(scalars: hay[affix.count...]) : s)
            }
            return .string(hay[(hay.count - affix.count)...].elementsEqual(affix) ? String(scalars: hay[..<(hay.count - affix.count)]) : s)
        case "replace":
            let p = try bind(["old", "new", "count"], required: 2)
            return .string(TemplateFilters.replace(s, try text(p[0]!, "the old text"), try text(p[1]!, "the new text"),
                                                   count: try TemplateCoerce.int(p[2], "count", default: -1)))
        case "join":
            let p = try bind(["iterable"], required: 1)
            return .string(try TemplateFilters.items(p[0]!, "join").enumerated().map { i, item in
                guard case .string(let t) = item else {
                    throw P.fail("join(): item \(i) is \(TemplateValues.describe(item)), not a string",
                                 help: "Python joins only strings; map them first: `x|map('string')`")
                }
                return t
            }.joined(separator: s))
        case "count":
            let sub = Array(try text(try bind(["sub"], required: 1)[0]!, "the text to count").unicodeScalars)
            let hay = Array(s.unicodeScalars)
            if sub.isEmpty { return .int(hay.count + 1) }
            var n = 0, i = 0
            while i + sub.count <= hay.count {
                if hay[i..<i + sub.count].elementsEqual(sub) { n += 1; i += sub.count } else { i += 1 }
            }
            return .int(n)
        case "find":
            let sub = try text(try bind(["sub"], required: 1)[0]!, "the text to find")
            return .int(TemplateStrings.find(s, sub) ?? -1)
        case "format": return .string(try TemplateFormat.braces(s, args, kwargs))
        case "isdigit", "isalpha", "isalnum", "isspace", "islower", "isupper":
            _ = try bind([])
            switch m {
            case "isdigit": return .bool(!s.isEmpty && s.allSatisfy(\.isNumber))
            case "isalpha": return .bool(!s.isEmpty && s.allSatisfy(\.isLetter))
            case "isalnum": return .bool(!s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber })
            case "isspace": return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy(TemplateStrings.isSpace))
            case "islower": return .bool(isLower(s))
            default: return .bool(isUpper(s))
            }
        default: throw unknown(m, on: .string(s), known: stringMethods)
        }
    }

    /// Python's `str.islower()`: some cased character, and none upper-case.
    static func isLower(_ s: String) -> Bool { s.contains { $0.isCased } && s == s.lowercased() }
    static func isUpper(_ s: String) -> Bool { s.contains { $0.isCased } && s == s.uppercased() }

    /// Python's `str.title()`, unlike Jinja's `title` filter: a word is a run of cased
    /// characters, so `"they're 2nd".title()` is `They'Re 2Nd`.
    static func title(_ s: String) -> String {
        var out = ""
        var previousCased = false
        for c in s {
            out += c.isCased ? (previousCased ? c.lowercased() : c.uppercased()) : String(c)
            previousCased = c.isCased
        }
        return out
    }

    /// Python's `str.split` and `str.rsplit`, on code points: by `separator`, or by runs of
    /// whitespace when it is nil; at most `maxSplit` splits (all when negative), counted from
    /// the right for `rsplit`. Once the splits run out, the rest is one item as written
    /// (a whitespace split drops only the whitespace before it).
    static func split(_ s: String, separator: String?, maxSplit: Int, fromRight: Bool) throws -> [String] {
        let u = Array(s.unicodeScalars)
        var budget = maxSplit < 0 ? Int.max : maxSplit
        var out: [String] = []
        if let separator {
            let sep = Array(separator.unicodeScalars)
            guard !sep.isEmpty else { throw P.fail("split(): empty separator") }
            if fromRight {
                var end = u.count
                while budget > 0, let at = TemplateStrings.findLast(u, sep, before: end) {
                    out.append(String(scalars: u[(at + sep.count)..<end]))
                    end = at
                    budget -= 1
                }
                out.append(String(scalars: u[..<end]))
                return out.reversed()
            }
            var start = 0, i = 0
            while budget > 0, i + sep.count <= u.count {
                if u[i..<i + sep.count].elementsEqual(sep) {
                    out.append(String(scalars: u[start..<i]))
                    i += sep.count
                    start = i
                    budget -= 1
                } else {
                    i += 1
                }
            }
            out.append(String(scalars: u[start...]))
            return out
        }
        let space = TemplateStrings.isSpace
        if fromRight {
            var i = u.count - 1
            while budget > 0 {
                while i >= 0, space(u[i]) { i -= 1 }
                if i < 0 { break }
                let end = i + 1
                while i >= 0, !space(u[i]) { i -= 1 }
                out.append(String(scalars: u[(i + 1)..<end]))
                budget -= 1
            }
            while i >= 0, space(u[i]) { i -= 1 }
            if i >= 0 { out.append(String(scalars: u[...i])) }
            return out.reversed()
        }
        var i = 0
        while budget > 0 {
            while i < u.count, space(u[i]) { i += 1 }
            if i == u.count { break }
            let start = i
            while i < u.count, !space(u[i]) { i += 1 }
            out.append(String(scalars: u[start..<i]))
            budget -= 1
        }
        while i < u.count, space(u[i]) { i += 1 }
        if i < u.count { out.append(String(scalars: u[i...])) }
        return out
    }

    private static func map(_ m: String, _ d: OrderedDictionary<String, Value>, _ args: [Value], _ kwargs: [(String, Value)]) throws -> Value {
        func bind(_ names: [String], required: Int = 0) throws -> [Value?] { try P(m, names, required: required).bind(args, kwargs) }
        switch m {
        case "items": _ = try bind([]); return .list(d.map { .list([.string($0.key), $0.value]) })
        case "keys": _ = try bind([]); return .list(d.keys.map { .string($0) })
        case "values": _ = try bind([]); return .list(Array(d.values))
        case "get":
            let p = try bind(["key", "default"], required: 1)
            return d[TemplateStrings.str(p[0]!)] ?? p[1] ?? .null
        case "copy": _ = try bind([]); return .map(d)
        case "cycle" where d["index0"] != nil:
            // `loop.cycle(a, b)`: the loop variable is a mapping with index0.
            guard !args.isEmpty, case .int(let i)? = d["index0"] else { throw P.fail("loop.cycle() needs at least one value") }
            return args[i % args.count]
        default:
            if let v = d[m] { throw P.fail("`\(m)` is a \(v.typeName), not a method; write `.\(m)` without `()`") }
            throw unknown(m, on: .map(d), known: ["items", "keys", "values", "get", "copy"])
        }
    }

    private static func list(_ m: String, _ l: [Value], _ args: [Value], _ kwargs: [(String, Value)]) throws -> Value {
        switch m {
        case "index":
            let x = try P(m, ["value"], required: 1).bind(args, kwargs)[0]!
            guard let i = l.firstIndex(where: { TemplateValues.equal($0, x) }) else { throw P.fail("\(TemplateStrings.repr(x)) is not in the list") }
            return .int(i)
        case "count":
            let x = try P(m, ["value"], required: 1).bind(args, kwargs)[0]!
            return .int(l.filter { TemplateValues.equal($0, x) }.count)
        case "copy": _ = try P(m, []).bind(args, kwargs); return .list(l)
        default: throw unknown(m, on: .list(l), known: ["index", "count", "copy"])
        }
    }
}
