import Core
import OrderedCollections

/// Arguments after binding: one entry per positional parameter (the variadic
/// one holds a list) and one per flag, `nil` where not given.
public struct Arguments {
    public let signature: Signature
    public let span: Span
    /// The positional parameters' values, then the flags' (null where not given; `given` has a bit for each
    /// value that was).
    private var values = ArgumentSlots()
    private var given: UInt64 = 0
    private let flagBase: Int
    /// False when the call is a statement of its own, so nothing reads its value: a command
    /// that wraps a program then shows the program's output instead of capturing it.
    public var valueWanted = true

    /// A positional parameter or flag by name; nil when not given. A builtin asks only for the names its own
    /// signature declares (a misspelt one fails the first test that calls it).
    public subscript(_ name: String) -> Value? {
        if let i = signature.binding.paramNames.firstIndex(of: name) { return value(at: i) }
        if let i = signature.flagIndex(long: name) { return value(at: flagBase + i) }
        preconditionFailure("\(signature.name) has no parameter \(name)")
    }

    init(signature: Signature, span: Span) {
        self.signature = signature
        self.span = span
        flagBase = signature.params.count
    }

    /// The value of positional parameter `i`, nil when not given.
    public func positional(_ i: Int) -> Value? { value(at: i) }
    /// The value of flag `i`, nil when not given.
    public func flag(_ i: Int) -> Value? { value(at: flagBase + i) }
    mutating func setPositional(_ i: Int, _ v: Value) { set(at: i, v) }
    mutating func setFlag(_ i: Int, _ v: Value) { set(at: flagBase + i, v) }

    private func value(at k: Int) -> Value? { given & (1 << k) == 0 ? nil : values[k] }

    private mutating func set(at k: Int, _ v: Value) {
        values[k] = v
        given |= 1 << k
    }

    public func has(_ flag: String) -> Bool {
        guard let v = self[flag] else { return false }
        if case .bool(false) = v { return false }
        return true
    }

    // The binder guarantees two things, which these accessors turn into types: a *required* parameter is there
    // (the resolver refuses a call without it, and a spread that turns out too short is refused before the body
    // runs), and every value has its declared type (`ParamType.convert` ran on it). So a required parameter reads
    // as `args.optionalString("key")`, an optional one or a flag as `args.optionalString("sep")`, and neither throws.
    // Reading a parameter as a type its signature does not declare is a mistake in tk8s, caught by its tests.

    /// A required parameter of any type.
    public func value(_ name: String) -> Value {
        guard let v = self[name] else { preconditionFailure("`\(signature.name)` reads \(name) as required; it is optional") }
        return v
    }

    public func string(_ name: String) -> String { read(name, as: .string, value(name)) { if case .string(let s) = $0 { s } else { nil } } }
    public func int(_ name: String) -> Int { read(name, as: .int, value(name)) { if case .int(let i) = $0 { i } else { nil } } }
    public func number(_ name: String) -> Double { read(name, as: .number, value(name), \.asNumber) }
    public func list(_ name: String) -> [Value] { read(name, as: .list, value(name)) { if case .list(let l) = $0 { l } else { nil } } }
    public func map(_ name: String) -> OrderedDictionary<String, Value> {
        read(name, as: .map, value(name)) { if case .map(let m) = $0 { m.dict } else { nil } }
    }

    /// An untyped parameter that must be text in this call (`get`'s KEY when the container is a map), converted
    /// as a `string` parameter is; the same error as a declared type's when it cannot be.
    public func string(converting name: String) throws -> String {
        let v = value(name)
        guard case .string(let s)? = ParamType.string.convert(v) else {
            throw signature.typeMismatch(v, wanted: .string, for: name.uppercased(), at: span)
        }
        return s
    }

    public func optionalString(_ name: String) -> String? { self[name] == nil ? nil : string(name) }
    public func optionalInt(_ name: String) -> Int? { self[name] == nil ? nil : int(name) }
    public func optionalNumber(_ name: String) -> Double? { self[name] == nil ? nil : number(name) }
    public func optionalList(_ name: String) -> [Value]? { self[name] == nil ? nil : list(name) }

    /// The values of a variadic parameter or a repeatable flag (declared `string`), none when not given.
    public func strings(_ name: String) -> [String] {
        (optionalList(name) ?? []).map { read(name, as: .string, $0) { if case .string(let s) = $0 { s } else { nil } } }
    }

    /// `value` converted by `type` and unwrapped by `take`: a wrong declared type stops tk8s, not the script.
    private func read<T>(_ name: String, as type: ParamType, _ value: Value, _ take: (Value) -> T?) -> T {
        guard let converted = type.convert(value), let result = take(converted) else {
            preconditionFailure("`\(signature.name)` reads \(name) as \(type) but its signature lets \(value.typeName) through")
        }
        return result
    }
}

extension Value {
    fileprivate var asNumber: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .float(let d): return d
        default: return nil
        }
    }
}

/// A call's argument values by position: the first four inline, the rest in an array made only when there
/// are more. Every builtin call binds its arguments, and most have four parameters and flags or fewer, so most
/// calls allocate nothing for them.
struct ArgumentSlots {
    private var v0 = Value.null, v1 = Value.null, v2 = Value.null, v3 = Value.null
    private var more: [Value] = []

    subscript(k: Int) -> Value {
        get {
            switch k {
            case 0: return v0
            case 1: return v1
            case 2: return v2
            case 3: return v3
            default: return k - 4 < more.count ? more[k - 4] : .null
            }
        }
        set {
            switch k {
            case 0: v0 = newValue
            case 1: v1 = newValue
            case 2: v2 = newValue
            case 3: v3 = newValue
            default:
                while more.count <= k - 4 { more.append(.null) }
                more[k - 4] = newValue
            }
        }
    }
}
