import Core
import OrderedCollections

/// List and map builtins. They never change their argument: each returns a new value.
extension CoreBuiltins {
    static func registerCollections(_ r: Registry) {
        r.register(Signature("keys", "The keys of MAP, in order.", params: [Param("map", .map)],
                             statement: .pure, examples: ["keys {b: 1, a: 2}   # [\"b\", \"a\"]"])) { args, _ in
            .list(args.map("map").keys.map { .string($0) })
        }

        r.register(Signature("values", "The values of MAP, in key order.", params: [Param("map", .map)],
                             statement: .pure, examples: ["values {b: 1, a: 2}   # [1, 2]"])) { args, _ in
            .list(Array(args.map("map").values))
        }

        r.register(Signature("sort", "LIST sorted: numbers with numbers, strings with strings. Equal elements keep their order.",
                             params: [Param("list", .list)],
                             flags: [FlagSpec("reverse", short: "r", help: "largest first"),
                                     FlagSpec("key", value: .string, help: "sort a list of maps by this key")],
                             statement: .pure, examples: ["sort [3, 1, 2]   # [1, 2, 3]", "sort [b, a] --reverse   # [\"b\", \"a\"]",
                                        "sort $pods --key name"])) { args, _ in
            let list = args.list("list")
            let key = args.optionalString("key")
            let reverse = args.has("reverse")
            var sortKeys = list
            if let key {
                sortKeys = try list.enumerated().map { i, v in
                    guard case .map(let m) = v else {
                        throw Diagnostic(.typeMismatch, "`sort --key \(key)` needs a list of maps; element \(i) is \(v.described)",
                                         at: args.span)
                    }
                    guard let x = m.dict[key] else {
                        throw Diagnostic(.keyNotFound, "`sort --key \(key)`: element \(i) has no key `\(key)`", at: args.span,
                                         help: m.dict.isEmpty ? "the map is empty" : "its keys: \(m.dict.keys.prefix(8).joined(separator: ", "))")
                    }
                    return x
                }
            }
            var order = Array(list.indices)
            try order.sort { i, j in
                guard let c = sortKeys[i].compare(sortKeys[j]) else {
                    let (a, b) = (sortKeys[min(i, j)], sortKeys[max(i, j)])
                    throw Diagnostic(.typeMismatch, "`sort` cannot compare \(a.described) with \(b.described)",
                                     at: args.span,
                                     help: key == nil ? "sort lists of numbers or of strings; `--key NAME` sorts maps by a field" : nil)
                }
                if c == 0 { return i < j }
                return reverse ? c > 0 : c < 0
            }
            return .list(order.map { list[$0] })
        }

        r.register(Signature("reverse", "LIST with its elements in the opposite order, or STRING backwards.",
                             params: [Param("value", .any, help: "a list or a string")],
                             statement: .pure, examples: ["reverse [1, 2, 3]   # [3, 2, 1]", "reverse \"abc\"   # \"cba\""])) { args, _ in
            switch args.value("value") {
            case .list(let l): return .list(l.reversed())
            case .string(let s): return .string(String(s.reversed()))
            case let v: throw Diagnostic(.invalidArgument, "`reverse` wants a list or string, got \(v.described)", at: args.span)
            }
        }

        r.register(Signature("append", "A new list: LIST followed by VALUES.",
                             params: [Param("list", .list), Param("values", .any, .variadic, help: "the elements to add")],
                             statement: .pure, examples: ["append [1] 2 3   # [1, 2, 3]", "let l = (append $l \"x\")"])) { args, rt in
            var list = args.list("list")
            let extra = args.optionalList("values") ?? []
            try rt.checkCount(list.count + extra.count, args.span)
            list.append(contentsOf: extra)
            return .list(list)
        }

        r.register(Signature("get", "The value at KEY in a map (or index in a list); DEFAULT, or null, when there is none.",
                             params: [Param("container", .any, help: "a map, or a list indexed by an int (negative counts from the end)"),
                                      Param("key", .any), Param("default", .any, .optional, help: "what to return when KEY is missing")],
                             statement: .pure, examples: ["get $config LMS_HOST \"localhost\"", "get [a, b] -1   # \"b\"", "get {} missing   # null"])) { args, _ in
            let fallback = args["default"] ?? .null
            let key = args.value("key")
            switch args.value("container") {
            case .map(let m):
                return m.dict[try args.string(converting: "key")] ?? fallback
            case .list(let l):
                guard case .int(let i) = key else {
                    throw Diagnostic(.invalidArgument, "`get` on a list wants an int index, got \(key.described)", at: args.span)
                }
                let j = i < 0 ? l.count + i : i
                return l.indices.contains(j) ? l[j] : fallback
            case let v:
                throw Diagnostic(.invalidArgument, "`get` wants a map or list, got \(v.described)", at: args.span)
            }
        }

        r.register(Signature("has", "Whether MAP has KEY.", params: [Param("map", .map), Param("key", .string)],
                             statement: .pure, examples: ["has {a: 1} a   # true"])) { args, _ in
            .bool(args.map("map")[args.string("key")] != nil)
        }

        r.register(Signature("remove", "A new map: MAP without KEY (unchanged when KEY is not there).",
                             params: [Param("map", .map), Param("key", .string)],
                             statement: .pure, examples: ["remove {a: 1, b: 2} a   # {b: 2}"])) { args, _ in
            var m = args.map("map")
            m.removeValue(forKey: args.string("key"))
            return .map(m)
        }

        r.register(Signature("slice", "The elements (or characters) from START up to, not including, END.",
                             params: [Param("value", .any, help: "a list or a string"),
                                      Param("start", .int, help: "the first position; negative counts from the end"),
                                      Param("end", .int, .optional, help: "the position to stop before (default: the end)")],
                             statement: .pure, examples: ["slice [a, b, c, d] 1 3   # [\"b\", \"c\"]", "slice \"tutor-lms\" -3   # \"lms\""])) { args, _ in
            let start = args.int("start")
            let end = args.optionalInt("end")
            func bounds(_ n: Int) -> Range<Int> {
                func clamp(_ i: Int) -> Int { i < 0 ? max(0, n + i) : min(i, n) }
                let lo = clamp(start), hi = clamp(end ?? n)
                return lo..<max(lo, hi)
            }
            switch args.value("value") {
            case .list(let l): return .list(Array(l[bounds(l.count)]))
            case .string(let s):
                let chars = Array(s)
                return .string(String(chars[bounds(chars.count)]))
            case let v: throw Diagnostic(.invalidArgument, "`slice` wants a list or string, got \(v.described)", at: args.span)
            }
        }

        r.register(Signature("unique", "LIST without repeated elements; the first of each stays, in order.",
                             params: [Param("list", .list)],
                             statement: .pure, examples: ["unique [b, a, b, 1, 1.0]   # [\"b\", \"a\", 1]"])) { args, _ in
            var seen = Set<String>()
            var seenOther: [Value] = []
            var out: [Value] = []
            for v in args.list("list") {
                if let k = v.uniqueKey {
                    if seen.insert(k).inserted { out.append(v) }
                } else if !seenOther.contains(where: { $0.equals(v) }) {
                    seenOther.append(v)
                    out.append(v)
                }
            }
            return .list(out)
        }

        r.register(Signature("merge", "One map from several: keys of later maps replace earlier ones.",
                             params: [Param("map", .map), Param("maps", .map, .variadic, help: "more maps, applied in order")],
                             flags: [FlagSpec("deep", help: "merge nested maps key by key instead of replacing them")],
                             statement: .pure, examples: ["merge {a: 1, b: 2} {b: 3}   # {a: 1, b: 3}",
                                        "merge {env: {A: 1}} {env: {B: 2}} --deep   # {env: {A: 1, B: 2}}"])) { args, rt in
            var out = args.map("map")
            let deep = args.has("deep")
            // The binder has made every one a map (MAPS is declared `map`).
            for case .map(let m) in args.list("maps") {
                out = try mergeMaps(out, m.dict, deep: deep, rt: rt, span: args.span)
            }
            try rt.checkCount(out.count, args.span)
            return .map(out)
        }

        r.register(Signature("sum", "The sum of the numbers in LIST: an int when all are ints, else a float; 0 when empty.",
                             params: [Param("list", .list)],
                             statement: .pure, examples: ["sum [1, 2, 3]   # 6", "sum [1, 0.5]   # 1.5"])) { args, _ in
            var total: Value = .int(0)
            for (i, v) in args.list("list").enumerated() {
                switch (total, v) {
                case let (.int(a), .int(b)):
                    let (s, o) = a.addingReportingOverflow(b)
                    if o { throw Diagnostic(.integerOverflow, "integer overflow in `sum` at element \(i)", at: args.span) }
                    total = .int(s)
                case let (.int(a), .float(b)): total = .float(Double(a) + b)
                case let (.float(a), .int(b)): total = .float(a + Double(b))
                case let (.float(a), .float(b)): total = .float(a + b)
                default:
                    throw Diagnostic(.typeMismatch, "`sum` adds numbers; element \(i) is \(v.described)", at: args.span)
                }
            }
            return total
        }

        for (name, wantLess) in [("min", true), ("max", false)] {
            r.register(Signature(name, "The \(wantLess ? "smallest" : "largest") element of LIST (numbers or strings).",
                                 params: [Param("list", .list, help: "not empty")], statement: .pure,
                                 examples: ["\(name) [3, 1, 2]   # \(wantLess ? 1 : 3)"])) { args, _ in
                let list = args.list("list")
                guard var best = list.first else {
                    throw Diagnostic(.invalidArgument, "`\(name)` of an empty list", at: args.span,
                                     help: "check `len $list` first, or use `\(name) [...$list, fallback]`")
                }
                for v in list.dropFirst() {
                    guard let c = v.compare(best) else {
                        throw Diagnostic(.typeMismatch, "`\(name)` cannot compare \(v.described) with \(best.described)",
                                         at: args.span)
                    }
                    if wantLess ? c < 0 : c > 0 { best = v }
                }
                return best
            }
        }
    }

    /// `merge`: `b` over `a`; with `deep`, maps in both are merged recursively.
    static func mergeMaps(_ a: OrderedDictionary<String, Value>, _ b: OrderedDictionary<String, Value>,
                          deep: Bool, rt: Interpreter, span: Span) throws -> OrderedDictionary<String, Value> {
        try rt.checkStack(span)
        var out = a
        for (k, v) in b {
            if deep, case .map(let x)? = out[k], case .map(let y) = v {
                out[k] = .map(try mergeMaps(x.dict, y.dict, deep: true, rt: rt, span: span))
            } else {
                out[k] = v
            }
        }
        return out
    }
}

extension Value {
    /// A hashable stand-in for scalars that agrees with `equals` (`1` and `1.0` share one); nil for the rest.
    fileprivate var uniqueKey: String? {
        switch self {
        case .null: return "n"
        case .bool(let b): return b ? "t" : "f"
        case .int(let i): return "i\(i)"
        case .float(let d):
            if d == d.rounded(), abs(d) < 9e18 { return "i\(Int(d))" }
            return d.isNaN ? nil : "d\(d)"
        case .string(let s): return "s" + s
        default: return nil
        }
    }
}
