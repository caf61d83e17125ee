import Core

/// What the REPL offers on Tab, worked out from the builtin signatures and
/// the session's functions and variables: command and subcommand names, the
/// current command's flags, `$` variables, and a parameter's own values
/// (choices, files, or a named provider that Runtime supplies).
public struct Completer {
    public let registry: Registry
    public var functions: [String: Signature]
    public var variables: [String]
    /// Named value lists for `CompletionHint.provider` (`config-key`, `service`…).
    public var providers: [String: () -> [String]]

    public init(registry: Registry, functions: [String: Signature] = [:], variables: [String] = [],
                providers: [String: () -> [String]] = [:]) {
        self.registry = registry; self.functions = functions; self.variables = variables; self.providers = providers
    }

    /// The word being completed and the full words that could replace it, sorted.
    public func complete(_ line: String) -> (word: String, candidates: [String]) {
        let segment = currentStatement(line)
        var words = segment.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let word = segment.last.map { $0 == " " || $0 == "\t" } ?? true ? "" : words.removeLast()
        func matching(_ xs: [String]) -> (String, [String]) {
            (word, Array(Set(xs.filter { $0.hasPrefix(word) })).sorted())
        }
        if word.hasPrefix("$") { return matching(variables.map { "$" + $0 }) }
        guard let name = words.first else {
            return matching(Array(registry.commands.keys) + Array(functions.keys) + Token.keywords.filter { !["and", "or", "in"].contains($0) })
        }
        if name == "import" {
            let quoted = word.hasPrefix("\"")
            let files = FileSystem.entries(matching: quoted ? String(word.dropFirst()) : word)
            return matching(files.map { quoted ? "\"" + $0 : $0 })
        }
        var rest = Array(words.dropFirst())
        let signature: Signature
        if let f = functions[name] {
            signature = f
        } else {
            switch registry.commands[name] {
            case .builtin(let b)?: signature = b.signature
            case .group(let g)?:
                guard let sub = rest.first else { return matching(Array(g.subcommands.keys)) }
                guard let b = g.subcommands[sub] else { return (word, []) }
                signature = b.signature
                rest.removeFirst()
            case nil: return (word, [])
            }
        }
        if word.hasPrefix("-") {
            return matching(signature.flags.map { "--" + $0.long })
        }
        // The value of a flag that takes one?
        if let last = rest.last, last.hasPrefix("--"),
           let flag = signature.flags.first(where: { "--" + $0.long == last }), !flag.isSwitch {
            return matching(values(for: flag.completion, word))
        }
        let positionals = rest.enumerated().filter { i, w in
            guard !w.hasPrefix("-") else { return false }
            if i > 0, let f = signature.flags.first(where: { "--" + $0.long == rest[i - 1] }), !f.isSwitch { return false }
            return true
        }.count
        let param = positionals < signature.params.count ? signature.params[positionals]
            : signature.params.last(where: { $0.arity == .variadic })
        guard let param else { return (word, []) }
        return matching(values(for: param.completion, word))
    }

    private func values(for hint: CompletionHint, _ word: String) -> [String] {
        switch hint {
        case .none: return []
        case .choices(let c): return c
        case .provider(let name):
            if name == "command" { return Array(registry.commands.keys) + Array(functions.keys) }
            return providers[name]?() ?? []
        case .file: return FileSystem.entries(matching: word)
        }
    }

    /// The text after the last `;`, `{` or `(` outside quotes: the statement being typed.
    private func currentStatement(_ line: String) -> Substring {
        var start = line.startIndex
        var quote: Character?
        for i in line.indices {
            let c = line[i]
            if let q = quote { if c == q { quote = nil }; continue }
            if c == "\"" || c == "'" { quote = c } else if c == ";" || c == "{" || c == "(" { start = line.index(after: i) }
        }
        return line[start...].drop { $0 == " " || $0 == "\t" }
    }
}
