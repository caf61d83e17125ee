import Core

/// A builtin filter's, test's or method's parameters, bound Python style:
/// positional first, then by name, with defaults for the optional ones.
/// Public for the host's own functions (Tutor's `patch()`), which bind theirs the same way.
public struct TemplateParameters {
    let name: String
    let names: [String]
    let required: Int

    public init(_ name: String, _ names: [String], required: Int = 0) {
        self.name = name
        self.names = names
        self.required = required
    }

    /// The arguments by parameter position. The first `required` are never nil (a missing one throws here), so
    /// callers unwrap those with `!`.
    public func bind(_ args: [Value], _ kwargs: [(String, Value)]) throws -> [Value?] {
        guard args.count <= names.count else {
            throw TemplateParameters.fail("\(name)() takes at most \(names.count) argument\(names.count == 1 ? "" : "s"), got \(args.count)")
        }
        var out = [Value?](repeating: nil, count: names.count)
        for (i, a) in args.enumerated() { out[i] = a }
        for (k, v) in kwargs {
            guard let i = names.firstIndex(of: k) else {
                let help = closestName(to: k, in: names).map { "did you mean `\($0)`?" }
                    ?? (names.isEmpty ? "it takes no arguments" : "it takes " + names.map { "`\($0)`" }.joined(separator: ", "))
                throw TemplateError(.templateError, "\(name)() has no argument `\(k)`", at: nil, help: help)
            }
            guard out[i] == nil else { throw TemplateParameters.fail("\(name)() got `\(k)` twice") }
            out[i] = v
        }
        for i in 0..<required where out[i] == nil {
            throw TemplateParameters.fail("\(name)() needs `\(names[i])`")
        }
        return out
    }

    static func fail(_ message: String, help: String? = nil) -> TemplateError { TemplateError(.templateError, message, at: nil, help: help) }
}

/// Checked conversions of builtin arguments, with Python's loose rules where Jinja has them.
public enum TemplateCoerce {
    static func int(_ v: Value?, _ what: String, default d: Int) throws -> Int {
        guard let v, !isNull(v) else { return d }
        if let i = TemplateValues.integer(v) { return i }
        throw TemplateParameters.fail("\(what) must be an integer, got \(TemplateValues.describe(v))")
    }

    static func string(_ v: Value?, _ what: String, default d: String) throws -> String {
        guard let v else { return d }
        if case .string(let s) = v { return s }
        throw TemplateParameters.fail("\(what) must be a string, got \(TemplateValues.describe(v))")
    }

    public static func bool(_ v: Value?, default d: Bool) -> Bool { v?.isTruthy ?? d }

    /// Python's `None`, which a host function reads as "not given".
    public static func isNull(_ v: Value) -> Bool {
        if case .null = v { return true }
        return false
    }

    static func text(_ v: Value, _ what: String) throws -> String {
        if case .string(let s) = v { return s }
        throw TemplateParameters.fail("\(what) works on a string, got \(TemplateValues.describe(v))")
    }
}
