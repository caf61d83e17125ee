import Core

/// What a command's value becomes when the call is a whole statement (`config get LMS_HOST` on a line of its own)
/// rather than part of an expression (`let host = (config get LMS_HOST)`).
public enum StatementValue: Sendable {
    /// The command runs for its effect and its value, if any, is dropped (`start`, `config set`).
    case dropped
    /// A query: the statement prints the value with `ValuePrinter`, as the REPL shows values (`plugins list`).
    case printed
    /// A query with a format of its own: `config get` prints what `tutor config printvalue` prints.
    case printedAs(@Sendable (Value) -> String)
    /// The command has no effect, so a statement that drops its value did nothing: `tk8s check` warns (`len $x`).
    case pure
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
    /// The fields, in one immutable object: every builtin call hands its signature to the builtin inside its
    /// `Arguments`, and copying one reference is cheaper than copying seven fields. Changing a field makes a new one.
    private final class Fields: Sendable {
        let name: String
        let summary: String
        let params: [Param]
        let flags: [FlagSpec]
        let passthrough: Bool
        let examples: [String]
        let statement: StatementValue
        /// Whether any parameter or flag value has a type other than `any` (user functions have none).
        let hasTypedArguments: Bool
        /// What binding reads on every call, apart from the `Param`s (copying one copies five fields).
        let binding: BindingFacts

        init(name: String, summary: String, params: [Param], flags: [FlagSpec], passthrough: Bool,
             examples: [String], statement: StatementValue) {
            self.name = name; self.summary = summary; self.params = params; self.flags = flags
            self.passthrough = passthrough; self.examples = examples; self.statement = statement
            hasTypedArguments = params.contains { $0.type != .any } || flags.contains { ($0.valueType ?? .any) != .any }
            binding = BindingFacts(paramNames: params.map(\.name), arities: params.map(\.arity), types: params.map(\.type),
                                   flagNames: flags.map(\.long), flagTypes: flags.map(\.valueType),
                                   repeatable: flags.map(\.repeatable),
                                   variadicIndex: params.firstIndex { $0.arity == .variadic })
        }
    }

    private var fields: Fields

    /// The full name as typed: `len`, `config set`.
    public var name: String {
        get { fields.name }
        set { change(name: newValue) }
    }
    public var summary: String {
        get { fields.summary }
        set { change(summary: newValue) }
    }
    public var params: [Param] {
        get { fields.params }
        set { change(params: newValue) }
    }
    public var flags: [FlagSpec] {
        get { fields.flags }
        set { change(flags: newValue) }
    }
    /// Flags not declared here, and everything once the variadic parameter has
    /// started, are passed on as plain strings (`kubectl`, `exec`).
    public var passthrough: Bool {
        get { fields.passthrough }
        set { change(passthrough: newValue) }
    }
    public var examples: [String] {
        get { fields.examples }
        set { change(examples: newValue) }
    }
    /// What a call that is a statement of its own does with the value: print it (a query), warn that it does
    /// nothing (a pure command), or nothing (a command run for its effect).
    public var statement: StatementValue {
        get { fields.statement }
        set { change(statement: newValue) }
    }
    /// Whether any parameter or flag value has a type to check: a user function's never do (worked out once).
    var hasTypedArguments: Bool { fields.hasTypedArguments }
    var binding: BindingFacts { fields.binding }

    public init(_ name: String, _ summary: String, params: [Param] = [], flags: [FlagSpec] = [],
                passthrough: Bool = false, statement: StatementValue = .dropped, examples: [String] = []) {
        fields = Fields(name: name, summary: summary, params: params, flags: flags, passthrough: passthrough,
                        examples: examples, statement: statement)
    }

    private mutating func change(name: String? = nil, summary: String? = nil, params: [Param]? = nil, flags: [FlagSpec]? = nil,
                                 passthrough: Bool? = nil, examples: [String]? = nil, statement: StatementValue? = nil) {
        let f = fields
        fields = Fields(name: name ?? f.name, summary: summary ?? f.summary, params: params ?? f.params, flags: flags ?? f.flags,
                        passthrough: passthrough ?? f.passthrough, examples: examples ?? f.examples,
                        statement: statement ?? f.statement)
    }

    public func flagIndex(long: String) -> Int? { fields.binding.flagNames.firstIndex(of: long) }
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

/// A signature's parameters and flags as binding reads them on every call, worked out when it is declared.
struct BindingFacts: Sendable {
    let paramNames: [String]
    let arities: [Arity]
    let types: [ParamType]
    let flagNames: [String]
    let flagTypes: [ParamType?]
    let repeatable: [Bool]
    let variadicIndex: Int?
}
