import Core
import OrderedCollections

/// Jinja's built-in tests (`x is odd`); `defined`, `undefined` and `filter` need the renderer and live there.
enum TemplateTests {
    typealias Test = (_ input: Value, _ args: [Value]) throws -> Bool

    static let names = ["boolean", "callable", "defined", "divisibleby", "eq", "equalto", "escaped", "even", "false",
                        "filter", "float", "ge", "greaterthan", "gt", "in", "integer", "iterable", "le", "lessthan",
                        "lower", "lt", "mapping", "ne", "none", "number", "odd", "sameas", "sequence", "string", "true",
                        "undefined", "upper"]

    private static func argument(_ args: [Value], _ test: String) throws -> Value {
        guard args.count == 1 else { throw TemplateParameters.fail("`is \(test)` needs one argument, got \(args.count)") }
        return args[0]
    }

    private static func compare(_ op: String) -> Test {
        { v, args in try TemplateValues.compare(op, v, try argument(args, op), at: nil) }
    }

    static func test(_ name: String) -> Test? {
        switch name {
        case "boolean": return { v, _ in if case .bool = v { return true }; return false }
        case "callable", "escaped": return { _, _ in false }
        case "divisibleby":
            return { v, args in
                let n = try argument(args, name)
                guard TemplateValues.number(v) != nil, TemplateValues.number(n) != nil else {
                    throw TemplateParameters.fail("`is divisibleby` needs numbers, got \(TemplateValues.describe(v)) and \(TemplateValues.describe(n))")
                }
                return TemplateValues.equal(try TemplateValues.arithmetic("%", v, n, at: nil), .int(0))
            }
        case "eq", "equalto", "==": return compare("==")
        case "ne", "!=": return compare("!=")
        case "lt", "lessthan", "<": return compare("<")
        case "le", "<=": return compare("<=")
        case "gt", "greaterthan", ">": return compare(">")
        case "ge", ">=": return compare(">=")
        case "in": return { v, args in try TemplateValues.contains(try argument(args, "in"), v, at: nil) }
        case "even", "odd":
            // Python's `value % 2 == 0` (or `== 1`): floats count too.
            return { v, _ in
                guard TemplateValues.number(v) != nil else { throw TemplateParameters.fail("`is \(name)` needs a number, got \(TemplateValues.describe(v))") }
                return TemplateValues.equal(try TemplateValues.arithmetic("%", v, .int(2), at: nil), .int(name == "even" ? 0 : 1))
            }
        case "true": return { v, _ in if case .bool(true) = v { return true }; return false }
        case "false": return { v, _ in if case .bool(false) = v { return true }; return false }
        case "none": return { v, _ in TemplateCoerce.isNull(v) }
        case "float": return { v, _ in if case .float = v { return true }; return false }
        case "integer": return { v, _ in if case .int = v { return true }; return false }
        case "number":
            return { v, _ in
                switch v {
                case .int, .float, .bool: return true
                default: return false
                }
            }
        case "string": return { v, _ in if case .string = v { return true }; return false }
        case "mapping": return { v, _ in if case .map = v { return true }; return false }
        case "iterable", "sequence":
            return { v, _ in
                switch v {
                case .list, .map, .string: return true
                default: return false
                }
            }
        // Python's `str(value).islower()`: needs a cased character, so `1 is lower` is false.
        case "lower": return { v, _ in TemplateMethods.isLower(TemplateStrings.str(v)) }
        case "upper": return { v, _ in TemplateMethods.isUpper(TemplateStrings.str(v)) }
        case "sameas":
            return { v, args in
                let other = try argument(args, "sameas")
                switch (v, other) {
                case (.null, .null): return true
                case let (.bool(a), .bool(b)): return a == b
                default: return false
                }
            }
        default: return nil
        }
    }
}

/// Functions every template can call, besides the scope's own (`patch`).
enum TemplateFunctions {
    static let names = ["range", "dict", "namespace"]
    /// A `range()` longer than this is a mistake, not a manifest.
    static let maxRange = 10_000_000

    static func function(_ name: String) -> TemplateFunction? {
        switch name {
        case "range": return range
        case "dict", "namespace":
            // Python's dict(mapping_or_pairs, **named); Jinja's namespace() takes the same arguments.
            return { args, kwargs in
                guard args.count <= 1 else {
                    throw TemplateParameters.fail("\(name)() takes at most 1 positional argument (a mapping or (key, value) pairs), got \(args.count)")
                }
                var d = OrderedDictionary<String, Value>()
                for a in args {
                    switch a {
                    case .map(let m):
                        for (k, v) in m.dict { d[k] = v }
                    case .list(let pairs):
                        // dict(mapping.items()): (key, value) pairs.
                        for p in pairs {
                            guard case .list(let kv) = p, kv.count == 2 else {
                                throw TemplateParameters.fail("dict() wants (key, value) pairs, got \(TemplateStrings.repr(p))")
                            }
                            d[TemplateStrings.str(kv[0])] = kv[1]
                        }
                    default:
                        throw TemplateParameters.fail("\(name)() takes a mapping and named values")
                    }
                }
                for (k, v) in kwargs { d[k] = v }
                return .map(d)
            }
        default: return nil
        }
    }

    private static func range(_ args: [Value], _ kwargs: [(String, Value)]) throws -> Value {
        guard kwargs.isEmpty else { throw TemplateParameters.fail("range() takes no named arguments") }
        let ints = try args.map { try TemplateCoerce.int($0, "range()'s argument", default: 0) }
        let (start, stop, step): (Int, Int, Int)
        switch ints.count {
        case 1: (start, stop, step) = (0, ints[0], 1)
        case 2: (start, stop, step) = (ints[0], ints[1], 1)
        case 3: (start, stop, step) = (ints[0], ints[1], ints[2])
        default: throw TemplateParameters.fail("range() takes 1 to 3 integers, got \(ints.count)")
        }
        guard step != 0 else { throw TemplateParameters.fail("range() step must not be zero") }
        let count = step > 0 ? max(0, (stop - start + step - 1) / step) : max(0, (start - stop - step - 1) / -step)
        guard count <= maxRange else { throw TemplateError(.sizeLimit, "range() of \(count) items is larger than \(maxRange)", at: nil) }
        return .list(Swift.stride(from: start, to: stop, by: step).map { .int($0) })
    }
}
