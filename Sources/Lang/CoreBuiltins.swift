import Core

/// The builtins every tk8s program has, whatever host runs it.
///
/// Each file `CoreBuiltins+*.swift` registers one family; this one holds the
/// entry point and the language-level commands (`print`, `help`, `len`…).
public enum CoreBuiltins {
    public static func register(into r: Registry) {
        registerBasics(r)
        registerText(r)
        registerCollections(r)
        registerData(r)
        registerSystem(r)
        registerFiles(r)
        registerTable(r)
    }

    static func registerBasics(_ r: Registry) {
        r.register(Signature("print", "Print values separated by spaces, then a newline.",
                             params: [Param("values", .any, .variadic, help: "what to print; strings print bare")],
                             flags: [FlagSpec("no-newline", short: "n", help: "do not end with a newline"),
                                     FlagSpec("sep", value: .string, help: "separator between values (default: one space)")],
                             examples: ["print \"hello $name\"", "print -n \"no newline\""])) { args, rt in
            let values = args.optionalList("values") ?? []
            let sep = args.optionalString("sep") ?? " "
            var line = values.map(\.displayString).joined(separator: sep)
            if !args.has("no-newline") { line += "\n" }
            rt.output(line)
            return .null
        }

        r.register(Signature("help", "List the commands, or show one command's usage, flags and examples.",
                             params: [Param("command", .string, .optional, help: "a command name", completion: .provider("command")),
                                      Param("subcommand", .string, .optional, help: "a subcommand name")],
                             examples: ["help", "help logs", "help config set"])) { args, rt in
            rt.output(try rt.helpText(command: args.optionalString("command"), subcommand: args.optionalString("subcommand"), span: args.span))
            return .null
        }

        r.register(Signature("type", "The type of a value: null, bool, int, float, string, list, map or error.",
                             params: [Param("value")], statement: .pure)) { args, _ in
            .string(args.value("value").typeName)
        }

        r.register(Signature("len", "The number of characters in a string, or elements in a list or map.",
                             params: [Param("value")], statement: .pure)) { args, _ in
            switch args.value("value") {
            case .string(let s): return .int(s.count)
            case .list(let l): return .int(l.count)
            case .map(let m): return .int(m.dict.count)
            case let v: throw Diagnostic(.invalidArgument, "`len` wants a string, list or map, got \(v.typeName)", at: args.span)
            }
        }

        r.register(Signature("range", "The integers from START (default 0) up to, not including, END.",
                             params: [Param("start", .int, help: "the first number, or the end when it is the only argument"),
                                      Param("end", .int, .optional), Param("step", .int, .optional, help: "default 1")],
                             statement: .pure, examples: ["for i in (range 3) { print $i }   # 0 1 2", "range 2 10 3   # [2, 5, 8]"])) { args, rt in
            let (lo, hi, step) = try rangeBounds(args)
            let count = step > 0 ? max(0, (hi - lo + step - 1) / step) : max(0, (lo - hi - step - 1) / -step)
            try rt.checkCount(count, args.span)
            return .list(stride(from: lo, to: hi, by: step).map { .int($0) })
        }

        r.register(Signature("fail", "Stop with an error that `try`/`catch` can catch; uncaught, the script exits 1.",
                             params: [Param("message", .string)], examples: ["fail \"the load balancer has no IP yet\""])) { args, _ in
            throw Diagnostic(.failed, args.string("message"), at: args.span)
        }

        r.register(Signature("assert", "Fail with MESSAGE unless CONDITION is true.",
                             params: [Param("condition"), Param("message", .string, .optional)],
                             examples: ["assert ($n > 0) \"n must be positive\""])) { args, _ in
            if args.value("condition").isTruthy { return .null }
            throw Diagnostic(.assertionFailed, args.optionalString("message") ?? "assertion failed", at: args.span)
        }
    }

    /// `range N`, `range A B`, `range A B STEP` as (start, end, step).
    static func rangeBounds(_ args: Arguments) throws -> (Int, Int, Int) {
        let a = args.int("start")
        guard let b = args.optionalInt("end") else { return (0, a, 1) }
        let step = args.optionalInt("step") ?? 1
        if step == 0 { throw Diagnostic(.invalidArgument, "`range` step cannot be 0", at: args.span) }
        return (a, b, step)
    }
}

extension Interpreter {
    /// `help` and `help NAME`, from the registered signatures and the user's functions.
    func helpText(command: String?, subcommand: String?, span: Span) throws -> String {
        guard let name = command else {
            var out = "Commands (help NAME for details):\n"
            for (n, c) in registry.commands {
                out += "  \(n.padded(to: 14)) \(c.summary)\n"
            }
            if !userFunctions.isEmpty {
                out += "\nFunctions:\n"
                for (_, sig) in userFunctions.sorted(by: { $0.key < $1.key }) { out += "  \(sig.usage)\n" }
            }
            return out
        }
        if let sig = userFunctions[name] { return sig.helpText }
        switch registry.commands[name] {
        case .builtin(let b)?: return b.signature.helpText
        case .group(let g)?:
            if let sub = subcommand {
                guard let b = g.subcommands[sub] else {
                    throw Diagnostic(.unknownSubcommand, "`\(name)` has no subcommand `\(sub)`", at: span,
                                     help: closestName(to: sub, in: g.subcommands.keys).map { "did you mean `\(name) \($0)`?" })
                }
                return b.signature.helpText
            }
            var out = "\(name): \(g.summary)\n\nSubcommands:\n"
            for (_, b) in g.subcommands { out += "  \(b.signature.usage)\n      \(b.signature.summary)\n" }
            return out
        case nil:
            throw Diagnostic(.unknownCommand, "no command `\(name)`", at: span,
                             help: closestName(to: name, in: registry.commands.keys, then: userFunctions.keys).map { "did you mean `\($0)`?" })
        }
    }
}
