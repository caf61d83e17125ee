import OrderedCollections

/// The body of a builtin: bound arguments in, a value out.
public typealias BuiltinBody = (Arguments, Interpreter) throws -> Value

/// A command implemented in Swift, with the signature it was registered with.
public final class Builtin {
    public let signature: Signature
    let body: BuiltinBody
    init(_ signature: Signature, _ body: @escaping BuiltinBody) { self.signature = signature; self.body = body }
}

/// A command with subcommands, such as `config` or `json`.
public final class CommandGroup {
    public let name: String
    public var summary: String
    public internal(set) var subcommands: OrderedDictionary<String, Builtin> = [:]
    /// Runs the subcommands the group does not declare, for groups whose members are only known at run time
    /// (`do JOB` for a plugin's job): it is called with the subcommand's name as its first argument.
    public internal(set) var fallback: Builtin?
    init(_ name: String, summary: String) { self.name = name; self.summary = summary }
}

public enum Command {
    case builtin(Builtin)
    case group(CommandGroup)

    public var summary: String {
        switch self {
        case .builtin(let b): return b.signature.summary
        case .group(let g): return g.summary
        }
    }
}

/// The table of builtins. Lang registers the core ones; Runtime adds the
/// cluster ones through the same `register` call, so every command, whoever
/// wrote it, gets binding, `help`, completion, `check` and docs for free.
public final class Registry {
    public private(set) var commands: OrderedDictionary<String, Command> = [:]

    public init() {}

    /// Registers a command; a two-word name (`config set`) registers a subcommand.
    /// The preconditions here catch a mistake in tk8s's own code at start-up (every builtin registers when the
    /// interpreter is made); no script, file or request can reach them.
    public func register(_ signature: Signature, _ body: @escaping BuiltinBody) {
        let words = signature.name.split(separator: " ").map(String.init)
        let builtin = Builtin(signature, body)
        switch words.count {
        case 1:
            precondition(commands[words[0]] == nil, "builtin \(words[0]) registered twice")
            commands[words[0]] = .builtin(builtin)
        case 2:
            let group = self.group(words[0])
            precondition(group.subcommands[words[1]] == nil, "builtin \(signature.name) registered twice")
            group.subcommands[words[1]] = builtin
        default:
            preconditionFailure("builtin names have one or two words: \(signature.name)")
        }
    }

    /// Registers what runs a subcommand of `group` that is not registered (see `CommandGroup.fallback`);
    /// the signature's first parameter receives the subcommand's name.
    public func registerFallback(_ signature: Signature, _ body: @escaping BuiltinBody) {
        let g = group(signature.name)
        precondition(g.fallback == nil, "group \(signature.name) has a fallback already")
        g.fallback = Builtin(signature, body)
    }

    /// Sets the one-line summary of a command group (`config`: "Read and change config.yml").
    public func describeGroup(_ name: String, _ summary: String) { group(name).summary = summary }

    private func group(_ name: String) -> CommandGroup {
        if case .group(let g)? = commands[name] { return g }
        precondition(commands[name] == nil, "\(name) is a command and cannot have subcommands")
        let g = CommandGroup(name, summary: "")
        commands[name] = .group(g)
        return g
    }

    /// Every leaf builtin, in registration order (for docs and completion).
    public var allBuiltins: [Builtin] {
        commands.values.flatMap { cmd -> [Builtin] in
            switch cmd {
            case .builtin(let b): return [b]
            case .group(let g): return Array(g.subcommands.values) + (g.fallback.map { [$0] } ?? [])
            }
        }
    }
}

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

/// How a call's written arguments reach the callee, worked out once by the
/// resolver from the signature (this is where arity and flag errors come from).
public struct CallPlan {
    public enum Route {
        case positional(Int)
        case variadic
        case flag(Int)
        case spread
        /// A value written after a spread: it takes the next free position, known only when running.
        case next
    }
    /// The expressions to evaluate, in source order, and where each one goes.
    public var exprs: [Expr] = []
    public var routes: [Route] = []
    /// Flags given as switches.
    public var switches: [Int] = []
    public var hasSpread = false
    /// Every argument is a required positional, in order: a user function can take them straight into its frame.
    public var isDirect = false
}

enum Binder {
    /// Routes `args` by `signature`, reporting every problem it finds.
    static func plan(_ signature: Signature, _ args: [ArgNode], callSpan: Span, into diags: inout [Diagnostic]) -> CallPlan {
        var plan = CallPlan()
        var nextPositional = 0
        var variadicStarted = false
        var given = Set<Int>()
        let variadicIndex = signature.params.firstIndex { $0.arity == .variadic }
        func routeValue(_ e: Expr) {
            if plan.hasSpread {
                plan.exprs.append(e)
                plan.routes.append(.next)
                return
            }
            if nextPositional < signature.params.count, signature.params[nextPositional].arity != .variadic {
                plan.exprs.append(e)
                plan.routes.append(.positional(nextPositional))
                nextPositional += 1
            } else if variadicIndex != nil {
                plan.exprs.append(e)
                plan.routes.append(.variadic)
                variadicStarted = true
            } else {
                diags.append(Diagnostic(.argumentCount, "too many arguments to `\(signature.name)`", at: e.span,
                                        help: "usage: \(signature.usage)"))
            }
        }
        var i = 0
        while i < args.count {
            defer { i += 1 }
            switch args[i] {
            case .value(let e):
                routeValue(e)
            case .spread(let e):
                plan.exprs.append(e)
                plan.routes.append(.spread)
                plan.hasSpread = true
                variadicStarted = true
            case let .flag(name, short, inline, span):
                let index = short ? name.count == 1 ? signature.flagIndex(short: name.first!) : nil
                                  : signature.flagIndex(long: name)
                if signature.passthrough, variadicStarted || index == nil {
                    routeValue(LiteralExpr(.string(span.file.text(span)), span))
                    continue
                }
                guard let fi = index else {
                    let written = (short ? "-" : "--") + name
                    let names = signature.flags.map { "--" + $0.long } + signature.flags.compactMap { $0.short.map { "-\($0)" } }
                    let help = closestName(to: written, in: names).map { "did you mean `\($0)`?" }
                        ?? (signature.flags.isEmpty ? "`\(signature.name)` takes no flags" : "usage: \(signature.usage)")
                    diags.append(Diagnostic(.unknownFlag, "`\(signature.name)` has no flag `\(written)`", at: span, help: help))
                    continue
                }
                let flag = signature.flags[fi]
                if !given.insert(fi).inserted, !flag.repeatable {
                    diags.append(Diagnostic(.unknownFlag, "flag `--\(flag.long)` given twice", at: span))
                }
                if let inline {
                    plan.exprs.append(inline)
                    plan.routes.append(.flag(fi))
                } else if flag.isSwitch {
                    plan.switches.append(fi)
                } else if i + 1 < args.count, case .value(let v) = args[i + 1] {
                    plan.exprs.append(v)
                    plan.routes.append(.flag(fi))
                    i += 1
                } else {
                    diags.append(Diagnostic(.flagNeedsValue, "flag `--\(flag.long)` needs a value", at: span,
                                            help: "write `--\(flag.long) \(flag.placeholder!)`"))
                }
            }
        }
        if !plan.hasSpread {
            let missing = signature.params[nextPositional...].filter { $0.arity == .required }
            if let first = missing.first {
                let names = missing.map { $0.name.uppercased() }.joined(separator: ", ")
                diags.append(Diagnostic(.argumentCount,
                                        "`\(signature.name)` is missing \(missing.count == 1 ? "argument" : "arguments") \(names)",
                                        at: callSpan, help: "usage: \(signature.usage)" + (first.help.isEmpty ? "" : "; \(first.name.uppercased()): \(first.help)")))
            }
        }
        plan.isDirect = !plan.hasSpread && plan.switches.isEmpty
            && signature.flags.isEmpty && signature.params.allSatisfy { $0.arity == .required }
            && plan.routes.count == signature.params.count
        return plan
    }

    /// Evaluates a call's arguments and fills them in by the plan.
    static func bind(_ plan: CallPlan, _ signature: Signature, span: Span, frame: Frame, rt: Interpreter) throws -> Arguments {
        var args = Arguments(signature: signature, span: span,
                             positional: [Value?](repeating: nil, count: signature.params.count),
                             flags: [Value?](repeating: nil, count: signature.flags.count))
        var variadic: [Value] = []
        let variadicIndex = signature.params.firstIndex { $0.arity == .variadic }
        var nextFree = 0
        for (k, route) in plan.routes.enumerated() {
            let v = try plan.exprs[k].eval(frame, rt)
            switch route {
            case .positional(let i):
                args.positional[i] = v
                nextFree = i + 1
            case .variadic:
                variadic.append(v)
            case .flag(let i):
                if signature.flags[i].repeatable {
                    if case .list(var l)? = args.flags[i] { l.append(v); args.flags[i] = .list(l) } else { args.flags[i] = .list([v]) }
                } else {
                    args.flags[i] = v
                }
            case .spread, .next:
                let items: [Value]
                if case .next = route {
                    items = [v]
                } else if case .list(let l) = v {
                    items = l
                } else {
                    throw Diagnostic(.typeMismatch, "`...` spreads a list, not \(v.typeName)", at: plan.exprs[k].span)
                }
                for item in items {
                    if nextFree < signature.params.count, signature.params[nextFree].arity != .variadic {
                        args.positional[nextFree] = item
                        nextFree += 1
                    } else if variadicIndex != nil {
                        variadic.append(item)
                    } else {
                        throw Diagnostic(.argumentCount, "too many arguments to `\(signature.name)` after spreading \(items.count) values",
                                         at: plan.exprs[k].span, help: "usage: \(signature.usage)")
                    }
                }
            }
        }
        for i in plan.switches { args.flags[i] = .bool(true) }
        if let vi = variadicIndex { args.positional[vi] = .list(variadic) }
        if plan.hasSpread {
            for (i, p) in signature.params.enumerated() where p.arity == .required && args.positional[i] == nil {
                throw Diagnostic(.argumentCount, "`\(signature.name)` is missing argument \(p.name.uppercased())", at: span,
                                 help: "usage: \(signature.usage)")
            }
        }
        return args
    }
}
