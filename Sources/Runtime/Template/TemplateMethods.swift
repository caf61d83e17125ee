import Lang
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

    private static func unknown(_ method: String, on v: Value, known: [String]) -> Diagnostic {
        Diagnostic(.templateError, "\(v.typeName) has no method `\(method)`", at: nil,
                   help: closestName(to: method, in: known).map { "did you mean `\($0)`?" })
    }

    static let stringMethods = ["capitalize", "count", "endswith", "find", "format", "isalnum", "isalpha", "isdigit",
                                "islower", "isspace", "isupper", "join", "lower", "lstrip", "replace", "rsplit", "rstrip",
                                "split", "splitlines", "startswith", "strip", "title", "upper"]

    private static func string(_ m: String, _ s: String, _ args: [Value], _ kwargs: [(String, Value)]) throws -> Value {
        func bind(_ names: [String], required: Int = 0) throws -> [Value?] { try P(m, names, required: required).bind(args, kwargs) }
        func optionalText(_ v: Value?) -> String? { v.flatMap { TemplateCoerce.isNull($0) ? nil : TemplateStrings.str($0) } }
        switch m {
        case "upper": _ = try bind([]); return .string(s.uppercased())
        case "lower": _ = try bind([]); return .string(s.lowercased())
        case "capitalize": _ = try bind([]); return .string(TemplateFilters.capitalize(s))
        case "title": _ = try bind([]); return .string(title(s))
        case "strip": return .string(TemplateFilters.strip(s, optionalText(try bind(["chars"])[0])))
        case "lstrip", "rstrip":
            let chars = optionalText(try bind(["chars"])[0])
            let drop: (Character) -> Bool = chars.map { set in { set.contains($0) } } ?? { $0.isWhitespace }
            if m == "lstrip" { return .string(String(s.drop(while: drop))) }
            return .string(String(s.reversed().drop(while: drop).reversed()))
        case "split", "rsplit":
            let p = try bind(["sep", "maxsplit"])
            return .list(try split(s, separator: optionalText(p[0]), maxSplit: try TemplateCoerce.int(p[1], "maxsplit", default: -1),
                                   fromRight: m == "rsplit").map { .string($0) })
        case "splitlines": _ = try bind([]); return .list(TemplateFilters.splitLines(s).map { .string($0) })
        case "startswith", "endswith":
            let p = try bind(["prefix"], required: 1)
            let options: [Value]
            if case .list(let l) = p[0]! { options = l } else { options = [p[0]!] }
            return .bool(try options.contains { o in
                let t = try TemplateCoerce.text(o, m)
                return m == "startswith" ? s.hasPrefix(t) : s.hasSuffix(t)
            })
        case "replace":
            let p = try bind(["old", "new", "count"], required: 2)
            return .string(TemplateFilters.replace(s, try TemplateCoerce.text(p[0]!, "replace"), try TemplateCoerce.text(p[1]!, "replace"),
                                                   count: try TemplateCoerce.int(p[2], "count", default: -1)))
        case "join":
            let p = try bind(["iterable"], required: 1)
            return .string(try TemplateFilters.items(p[0]!, "join").map(TemplateStrings.str).joined(separator: s))
        case "count":
            let sub = try TemplateCoerce.text(try bind(["sub"], required: 1)[0]!, "count")
            return .int(sub.isEmpty ? TemplateStrings.codePointCount(s) + 1 : s.split(separator: sub, omittingEmptySubsequences: false).count - 1)
        case "find":
            let sub = try TemplateCoerce.text(try bind(["sub"], required: 1)[0]!, "find")
            return .int(TemplateStrings.find(s, sub) ?? -1)
        case "format": return .string(try TemplateFormat.braces(s, args, kwargs))
        case "isdigit", "isalpha", "isalnum", "isspace", "islower", "isupper":
            _ = try bind([])
            switch m {
            case "isdigit": return .bool(!s.isEmpty && s.allSatisfy(\.isNumber))
            case "isalpha": return .bool(!s.isEmpty && s.allSatisfy(\.isLetter))
            case "isalnum": return .bool(!s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber })
            case "isspace": return .bool(!s.isEmpty && s.allSatisfy(\.isWhitespace))
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

    /// Python's `str.split`: by runs of whitespace when `separator` is nil.
    static func split(_ s: String, separator: String?, maxSplit: Int, fromRight: Bool) throws -> [String] {
        if let separator {
            guard !separator.isEmpty else { throw P.fail("split(): empty separator") }
            var parts = s.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
            if maxSplit >= 0, parts.count > maxSplit + 1 {
                if fromRight {
                    let head = parts[..<(parts.count - maxSplit)].joined(separator: separator)
                    parts = [head] + parts[(parts.count - maxSplit)...]
                } else {
                    let tail = parts[maxSplit...].joined(separator: separator)
                    parts = Array(parts[..<maxSplit]) + [tail]
                }
            }
            return parts
        }
        let words = s.split(whereSeparator: \.isWhitespace).map(String.init)
        guard maxSplit >= 0, words.count > maxSplit + 1 else { return words }
        // Rare in templates: a bounded whitespace split keeps the rest of the text as it was.
        var rest = Substring(s)
        var out: [String] = []
        if fromRight {
            return try split(String(s.reversed()), separator: nil, maxSplit: maxSplit, fromRight: false).map { String($0.reversed()) }.reversed()
        }
        for _ in 0..<maxSplit {
            rest = rest.drop(while: \.isWhitespace)
            guard let i = rest.firstIndex(where: \.isWhitespace) else { break }
            out.append(String(rest[..<i]))
            rest = rest[i...]
        }
        return out + [String(rest.drop(while: \.isWhitespace))]
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
