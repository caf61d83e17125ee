import Core

/// Arguments after binding: one entry per positional parameter (the variadic
/// one holds a list) and one per flag, `nil` where not given.
public struct Arguments {
    public let signature: Signature
    public let span: Span
    public var positional: [Value?]
    public var flags: [Value?]
    /// False when the call is a statement of its own, so nothing reads its value: a command
    /// that wraps a program then shows the program's output instead of capturing it.
    public var valueWanted = true

    /// A positional parameter or flag by name; nil when not given. A builtin asks only for the names its own
    /// signature declares (a misspelt one fails the first test that calls it). A *required* parameter is never nil:
    /// the resolver refuses a call without it, and a spread that turns out too short is refused before the body
    /// runs — which is why builtins may unwrap `try args.string("name")!` for their required parameters.
    public subscript(_ name: String) -> Value? {
        if let i = signature.params.firstIndex(where: { $0.name == name }) { return positional[i] }
        if let i = signature.flagIndex(long: name) { return flags[i] }
        preconditionFailure("\(signature.name) has no parameter \(name)")
    }

    public func has(_ flag: String) -> Bool {
        guard let v = self[flag] else { return false }
        if case .bool(false) = v { return false }
        return true
    }

    private func typeError(_ name: String, _ want: String, _ got: Value) -> Diagnostic {
        Diagnostic(.invalidArgument, "`\(signature.name)` wants \(want) for \(name), got \(got.typeName) \(got.literal)", at: span)
    }

    public func string(_ name: String) throws -> String? {
        guard let v = self[name] else { return nil }
        switch v {
        case .string(let s): return s
        case .int, .float, .bool: return v.displayString
        default: throw typeError(name, "a string", v)
        }
    }

    public func int(_ name: String) throws -> Int? {
        guard let v = self[name] else { return nil }
        switch v {
        case .int(let i): return i
        case .float(let d) where d == d.rounded() && abs(d) < 9e18: return Int(d)
        case .string(let s): if let i = Int(s) { return i }
        default: break
        }
        throw typeError(name, "an integer", v)
    }

    public func number(_ name: String) throws -> Double? {
        guard let v = self[name] else { return nil }
        switch v {
        case .int(let i): return Double(i)
        case .float(let d): return d
        case .string(let s): if let d = Double(s) { return d }
        default: break
        }
        throw typeError(name, "a number", v)
    }

    public func list(_ name: String) throws -> [Value]? {
        guard let v = self[name] else { return nil }
        if case .list(let l) = v { return l }
        throw typeError(name, "a list", v)
    }

    /// The variadic parameter's values converted to strings, as passthrough commands want them.
    public func strings(_ name: String) throws -> [String] {
        try (list(name) ?? []).map { v in
            switch v {
            case .string(let s): return s
            case .int, .float, .bool: return v.displayString
            default: throw typeError(name, "strings", v)
            }
        }
    }
}
