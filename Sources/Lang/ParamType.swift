import Core

/// The type a parameter or flag value is converted to before a builtin sees it.
///
/// The conversion rules, in one place (`convert`): the language reads arguments as a shell does, so a bare word is
/// a string and `20` an int, and a value read from a file or a command's output is text. A parameter therefore
/// takes any value that stands for its type without loss:
///
/// | type | takes | a builtin sees |
/// |---|---|---|
/// | `any` | anything | the value as given |
/// | `string` | a string, an int, a float, a bool | a string (`3` → `"3"`, `true` → `"true"`) |
/// | `int` | an int, a float with no fraction, a string Swift's `Int(_:)` reads (`"3"`, `"-3"`, `"+3"`) | an int |
/// | `number` | an int, a float, a string `Double(_:)` reads (`"1.5"`, `"1e3"`) | an int or a float |
/// | `bool` | a bool | a bool |
/// | `list` | a list | a list |
/// | `map` | a map | a map |
///
/// Null is taken only by `any`. The elements of a variadic parameter and of a repeatable flag are each converted.
/// `tk8s check` reports a literal argument that cannot convert (`scale lms three`); a value computed at run time
/// is checked when the call binds it, with the same message, so a builtin body never sees a wrong type.
public enum ParamType: String, Sendable {
    case any, string, int, number, bool, list, map

    /// `value` as this type, or nil when it does not stand for one.
    public func convert(_ value: Value) -> Value? {
        switch (self, value) {
        case (.any, _), (.string, .string), (.int, .int), (.number, .int), (.number, .float), (.bool, .bool),
             (.list, .list), (.map, .map):
            return value
        case (.string, .int), (.string, .float), (.string, .bool):
            return .string(value.displayString)
        case (.int, .float(let d)) where d == d.rounded() && abs(d) < 9e18:
            return .int(Int(d))
        case (.int, .string(let s)):
            return Int(s).map { .int($0) }
        case (.number, .string(let s)):
            if let i = Int(s) { return .int(i) }
            return Double(s).map { .float($0) }
        default:
            return nil
        }
    }

    /// Whether `value` is already of this type, so converting would change nothing (`each`: a list whose
    /// elements are what is typed, as for a `...` parameter or a repeatable flag).
    func holds(_ value: Value, each: Bool) -> Bool {
        if each {
            guard case .list(let items) = value else { return false }
            return items.allSatisfy { holds($0, each: false) }
        }
        switch (self, value) {
        case (.any, _), (.string, .string), (.int, .int), (.number, .int), (.number, .float), (.bool, .bool),
             (.list, .list), (.map, .map):
            return true
        default:
            return false
        }
    }

    /// What an error says is wanted: `an integer`.
    var wanted: String {
        switch self {
        case .any: return "a value"
        case .string: return "a string"
        case .int: return "an integer"
        case .number: return "a number"
        case .bool: return "true or false"
        case .list: return "a list"
        case .map: return "a map"
        }
    }

    /// The placeholder shown in usage lines: `N` for ints, `VALUE` for anything.
    var placeholder: String {
        switch self {
        case .int: return "N"
        case .number: return "NUMBER"
        case .bool: return "BOOL"
        case .list: return "LIST"
        case .map: return "MAP"
        case .string: return "TEXT"
        case .any: return "VALUE"
        }
    }
}

extension Signature {
    /// The error for `value` given where `type` is wanted, for the parameter or flag `name` (`REPLICAS`, `--tail`).
    func typeMismatch(_ value: Value, wanted type: ParamType, for name: String, at span: Span?) -> Diagnostic {
        var help = "usage: \(usage)"
        if type == .string, value.isCollection {
            help = "turn it into text first: `(json dump $value)` or `(yaml dump $value)`"
        }
        return Diagnostic(.argumentType, "`\(self.name)` wants \(type.wanted) for \(name), got \(value.described)",
                          at: span, help: help)
    }

    /// The name an error gives positional parameter `index`: `REPLICAS`.
    func argumentName(positional index: Int) -> String { params[index].name.uppercased() }

    /// The name an error gives flag `index`: `--tail`.
    func argumentName(flag index: Int) -> String { "--" + flags[index].long }
}

extension Value {
    fileprivate var isCollection: Bool {
        switch self {
        case .list, .map: return true
        default: return false
        }
    }
}

extension CallPlan {
    /// The type each written argument must have, where the plan knows it before running: nil for a spread and what
    /// follows it, for a switch, and for an untyped parameter.
    func declaredType(_ k: Int, _ signature: Signature) -> (type: ParamType, name: String)? {
        let typed: (ParamType?, String)
        switch routes[k] {
        case .positional(let i):
            typed = (signature.params[i].type, signature.argumentName(positional: i))
        case .variadic:
            guard let i = signature.params.firstIndex(where: { $0.arity == .variadic }) else { return nil }
            typed = (signature.params[i].type, signature.argumentName(positional: i))
        case .flag(let i):
            typed = (signature.flags[i].valueType, signature.argumentName(flag: i))
        case .spread, .next:
            return nil
        }
        guard let type = typed.0, type != .any else { return nil }
        return (type, typed.1)
    }

    /// The literal arguments that cannot convert to their declared type: what `tk8s check` reports for
    /// `scale lms three`.
    func literalTypeErrors(_ signature: Signature) -> [Diagnostic] {
        exprs.indices.compactMap { k in
            guard let literal = exprs[k] as? LiteralExpr, let (type, name) = declaredType(k, signature),
                  type.convert(literal.value) == nil else { return nil }
            return signature.typeMismatch(literal.value, wanted: type, for: name, at: literal.span)
        }
    }

    /// Where the value bound to positional parameter `index` (element `element` of a variadic one) was written:
    /// its own argument, else the spread it came from; nil when the plan cannot tell (then the whole call).
    func span(positional index: Int, variadic: Bool, element: Int = 0) -> Span? {
        let own = spans { route in
            switch route {
            case .positional(let i): return i == index
            case .variadic: return variadic
            default: return false
            }
        }
        // Values that came out of a spread are mixed in with the written ones: only the spread can be named.
        if element < own.count, !(variadic && hasSpread) { return own[element] }
        return spans { if case .spread = $0 { true } else { false } }.first
    }

    /// Where the value of flag `index` (the `element`th time a repeatable one is given) was written.
    func span(flag index: Int, element: Int = 0) -> Span? {
        let own = spans { if case .flag(let i) = $0 { i == index } else { false } }
        return element < own.count ? own[element] : own.last
    }

    private func spans(where keep: (Route) -> Bool) -> [Span] {
        routes.indices.filter { keep(routes[$0]) }.map { exprs[$0].span }
    }
}

extension Arguments {
    /// Converts every given value to its parameter's declared type (see `ParamType`), or throws the error
    /// `tk8s check` gives for a literal: after this, a builtin reads its arguments without checking them.
    mutating func convertToDeclaredTypes(_ plan: CallPlan) throws {
        guard signature.hasTypedArguments else { return }
        let facts = signature.binding
        for i in facts.types.indices where facts.types[i] != .any {
            let type = facts.types[i], variadic = facts.arities[i] == .variadic
            guard let v = positional(i), !type.holds(v, each: variadic) else { continue }
            let name = signature.argumentName(positional: i)
            if variadic, case .list(let items) = v {
                setPositional(i, .list(try items.enumerated().map { j, item in
                    guard let c = type.convert(item) else {
                        throw signature.typeMismatch(item, wanted: type, for: name, at: plan.span(positional: i, variadic: true, element: j) ?? span)
                    }
                    return c
                }))
            } else {
                guard let c = type.convert(v) else {
                    throw signature.typeMismatch(v, wanted: type, for: name, at: plan.span(positional: i, variadic: false) ?? span)
                }
                setPositional(i, c)
            }
        }
        for i in facts.flagTypes.indices {
            guard let type = facts.flagTypes[i], type != .any, let v = flag(i), !type.holds(v, each: facts.repeatable[i]) else { continue }
            let name = signature.argumentName(flag: i)
            if facts.repeatable[i], case .list(let items) = v {
                setFlag(i, .list(try items.enumerated().map { j, item in
                    guard let c = type.convert(item) else {
                        throw signature.typeMismatch(item, wanted: type, for: name, at: plan.span(flag: i, element: j) ?? span)
                    }
                    return c
                }))
            } else {
                guard let c = type.convert(v) else {
                    throw signature.typeMismatch(v, wanted: type, for: name, at: plan.span(flag: i) ?? span)
                }
                setFlag(i, c)
            }
        }
    }
}
