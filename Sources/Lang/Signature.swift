import Core

/// The type a parameter or flag value is converted to before a builtin sees it.
public enum ParamType: String, Sendable {
    case any, string, int, number, bool, list, map

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

/// What the REPL offers when completing a value. Runtime names its own
/// providers (`config-key`, `plugin`, `service`); Lang only knows files.
public enum CompletionHint: Sendable, Equatable {
    case none
    case file
    case provider(String)
    case choices([String])
}

public enum Arity: Sendable, Equatable { case required, optional, variadic }

/// A positional parameter.
public struct Param: Sendable {
    public var name: String
    public var type: ParamType
    public var arity: Arity
    public var help: String
    public var completion: CompletionHint

    public init(_ name: String, _ type: ParamType = .any, _ arity: Arity = .required,
                help: String = "", completion: CompletionHint = .none) {
        self.name = name; self.type = type; self.arity = arity; self.help = help; self.completion = completion
    }
}

/// A `--long`/`-s` flag. A flag without a value type is a switch.
public struct FlagSpec: Sendable {
    public var long: String
    public var short: Character?
    public var valueType: ParamType?
    public var help: String
    public var completion: CompletionHint
    /// May be given several times (`--set A=1 --set B=2`); the value is then a list.
    public var repeatable: Bool
    /// What usage lines call the value when its type's word says too little (`--timeout SECONDS`, `--ca FILE`).
    public var valueName: String?

    public init(_ long: String, short: Character? = nil, value: ParamType? = nil, help: String = "",
                repeatable: Bool = false, completion: CompletionHint = .none, valueName: String? = nil) {
        self.long = long; self.short = short; valueType = value; self.help = help
        self.repeatable = repeatable; self.completion = completion; self.valueName = valueName
    }

    public var isSwitch: Bool { valueType == nil }

    /// The value's word in usage lines: `valueName`, else the type's (`N`, `TEXT`); nil for a switch.
    var placeholder: String? { valueType.map { valueName ?? $0.placeholder } }
}

/// A command's whole interface, declared once. It drives argument binding,
/// `help`, REPL completion, `tk8s check` and the generated reference.
public struct Signature: Sendable {
    /// The full name as typed: `len`, `config set`.
    public var name: String
    public var summary: String
    public var params: [Param]
    public var flags: [FlagSpec]
    /// Flags not declared here, and everything once the variadic parameter has
    /// started, are passed on as plain strings (`kubectl`, `exec`).
    public var passthrough: Bool
    public var examples: [String]

    public init(_ name: String, _ summary: String, params: [Param] = [], flags: [FlagSpec] = [],
                passthrough: Bool = false, examples: [String] = []) {
        self.name = name; self.summary = summary; self.params = params; self.flags = flags
        self.passthrough = passthrough; self.examples = examples
    }

    public func flagIndex(long: String) -> Int? { flags.firstIndex { $0.long == long } }
    public func flagIndex(short: Character) -> Int? { flags.firstIndex { $0.short == short } }

    var minPositionals: Int { params.filter { $0.arity == .required }.count }
    var maxPositionals: Int? { params.contains { $0.arity == .variadic } ? nil : params.count }

    /// `logs SERVICE [--follow] [--tail N]`.
    public var usage: String {
        var parts = [name]
        let flagParts = flags.map { f -> String in
            let shown = f.short.map { "-\($0)|--\(f.long)" } ?? "--\(f.long)"
            let v = f.placeholder.map { " \($0)" } ?? ""
            return "[\(shown)\(v)]" + (f.repeatable ? "…" : "")
        }
        for p in params {
            let n = p.name.uppercased()
            switch p.arity {
            case .required: parts.append(n)
            case .optional: parts.append("[\(n)]")
            case .variadic:
                // A passthrough command hands everything after its first variadic word on (`run gzip --keep`), so
                // its own flags must come before: the usage shows them there.
                if passthrough { parts += flagParts }
                parts.append("[\(n)…]")
            }
        }
        if !(passthrough && params.contains { $0.arity == .variadic }) { parts += flagParts }
        return parts.joined(separator: " ")
    }


    /// The text `help NAME` prints.
    public var helpText: String {
        var out = "\(usage)\n\n\(summary)\n"
        let documented = params.filter { !$0.help.isEmpty }
        if !documented.isEmpty {
            out += "\nArguments:\n"
            for p in documented { out += "  \(p.name.uppercased().padded(to: 22)) \(p.help)\n" }
        }
        if !flags.isEmpty {
            out += "\nFlags:\n"
            for f in flags {
                var left = f.short.map { "-\($0), --\(f.long)" } ?? "    --\(f.long)"
                if let v = f.placeholder { left += " \(v)" }
                out += f.help.isEmpty ? "  \(left)\n" : "  \(left.padded(to: 22)) \(f.help)\n"
            }
        }
        if !examples.isEmpty {
            out += "\nExamples:\n"
            for e in examples { out += "  \(e)\n" }
        }
        return out
    }
}

extension Signature {
    /// A user function's signature, from its parameter list and doc comment.
    init(userFunction name: String, params decls: [ParamDecl], doc: String) {
        var params: [Param] = []
        var flags: [FlagSpec] = []
        for d in decls {
            switch d.kind {
            case .required: params.append(Param(d.name))
            case .optional: params.append(Param(d.name, .any, .optional))
            case .variadic: params.append(Param(d.name, .any, .variadic))
            case .flag(let def): flags.append(FlagSpec(d.name, value: def == nil ? nil : .any))
            }
        }
        self.init(name, doc.isEmpty ? "User function." : doc, params: params, flags: flags)
    }
}
