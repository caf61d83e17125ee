import Core
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
        // `Arguments` keeps a bit for each parameter and flag.
        precondition(signature.params.count + signature.flags.count <= 64, "builtin \(signature.name) has over 64 parameters and flags")
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
