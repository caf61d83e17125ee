import Core
import Foundation

/// The harmless built-in commands `kubectl exec` can run in a sandbox pod. Nothing here starts a process: each
/// command is a few lines of Swift over the pod's spec. Anything else answers "not available" with exit code 126.
/// The database dump tools are simulated where their image is (`MySQLDumpCommand`, `MongoDumpCommand`).
struct ExecContext: Sendable {
    var podName: String
    /// `NAME=value` lines: HOSTNAME, then the container's `env` entries that carry a plain `value`.
    var environment: [(String, String)]
    /// The container's image: which tools it has.
    var image: String
    /// How big the simulated dumps are, and whether they break.
    var dumps: SandboxDumpSettings

    init(pod: Value, container: Value, dumps: SandboxDumpSettings = SandboxDumpSettings()) {
        podName = pod[path: "metadata", "name"]?.stringValue ?? ""
        image = container[path: "image"]?.stringValue ?? ""
        self.dumps = dumps
        var env = [("HOSTNAME", podName)]
        if case .list(let entries)? = container[path: "env"] {
            for e in entries {
                guard let name = e[path: "name"]?.stringValue else { continue }
                env.append((name, e[path: "value"]?.stringValue ?? ""))
            }
        }
        environment = env
    }
}

/// What a command did: its output and exit code; `readsStdin` means it echoes stdin until close-stream (`cat`);
/// `dump` means its output is a simulated dump the exec streams (its stderr and exit code come with it).
struct ExecOutcome: Equatable {
    var stdout = ""
    var stderr = ""
    var exitCode = 0
    var readsStdin = false
    var dump: DumpJob?
}

enum ExecCommands {
    static let notAvailableCode = 126

    /// Runs `argv` (the `command` query parameters).
    static func run(_ argv: [String], in ctx: ExecContext) -> ExecOutcome {
        guard let name = argv.first else {
            return ExecOutcome(stderr: "you must specify at least one command for the container\n", exitCode: notAvailableCode)
        }
        let args = Array(argv.dropFirst())
        switch name {
        case "sh", "/bin/sh", "bash", "/bin/bash":
            var rest = args
            var errexit = false
            while let f = rest.first, f.hasPrefix("-"), f != "-c" {
                if f == "-e" { errexit = true } else if f != "-u" && f != "-x" { return notAvailable(argv.joined(separator: " ")) }
                rest.removeFirst()
            }
            guard rest.first == "-c", rest.count >= 2 else { return notAvailable(name) }
            return script(rest[1], errexit: errexit, in: ctx)
        default:
            return simple(argv, in: ctx)
        }
    }

    private static func notAvailable(_ command: String) -> ExecOutcome {
        ExecOutcome(stderr: "\(command): not available in the sandbox\n", exitCode: notAvailableCode)
    }

    private static func simple(_ argv: [String], in ctx: ExecContext) -> ExecOutcome {
        let args = Array(argv.dropFirst())
        switch argv[0] {
        case "echo", "/bin/echo":
            if args.first == "-n" { return ExecOutcome(stdout: args.dropFirst().joined(separator: " ")) }
            return ExecOutcome(stdout: args.joined(separator: " ") + "\n")
        case "env", "printenv", "/usr/bin/env":
            if args.isEmpty { return ExecOutcome(stdout: ctx.environment.map { "\($0.0)=\($0.1)\n" }.joined()) }
            if argv[0] == "printenv" {
                let found = args.compactMap { a in ctx.environment.first { $0.0 == a }?.1 }
                return ExecOutcome(stdout: found.map { $0 + "\n" }.joined(), exitCode: found.count == args.count ? 0 : 1)
            }
            return notAvailable(argv.joined(separator: " "))
        case "hostname", "/bin/hostname": return ExecOutcome(stdout: ctx.podName + "\n")
        case "true", "/bin/true", ":": return ExecOutcome()
        case "false", "/bin/false": return ExecOutcome(exitCode: 1)
        case "exit":
            guard args.count <= 1, let code = args.isEmpty ? 0 : Int(args[0]) else {
                return ExecOutcome(stderr: "exit: Illegal number: \(args.joined(separator: " "))\n", exitCode: 2)
            }
            return ExecOutcome(exitCode: code & 0xff)
        case "cat", "/bin/cat":
            guard args.isEmpty || args == ["-"] else { return notAvailable(argv.joined(separator: " ")) }
            return ExecOutcome(readsStdin: true)
        case "mysqldump", "/usr/bin/mysqldump", "mariadb-dump", "/usr/bin/mariadb-dump":
            return MySQLDumpCommand.run(argv, in: ctx)
        case "mongodump", "/usr/bin/mongodump":
            return MongoDumpCommand.run(argv, in: ctx)
        default:
            return notAvailable(argv[0])
        }
    }

    /// `sh -c SCRIPT`: simple commands separated by newlines, `;` and `&&`, words split on blanks with '…' and "…"
    /// quoting and `$NAME` from the environment. `cat` inside a script reads nothing. `exit` stops the script. A dump
    /// streams only as the script's one command (`sh -c "mysqldump -p$MYSQL_ROOT_PASSWORD …"`), never held in memory
    /// to be joined with other output.
    static func script(_ text: String, errexit: Bool, in ctx: ExecContext) -> ExecOutcome {
        let alone = split(text).filter { !words($0.0, ctx).isEmpty }.count == 1
        var out = ExecOutcome()
        var skipping = false   // after a failed `&&` left side, until the next `;`/newline
        for (command, separator) in split(text) {
            if skipping {
                if separator != "&&" { skipping = false }
                continue
            }
            let words = words(command, ctx)
            guard !words.isEmpty else { continue }
            var r = words[0] == "exit" ? simple(words, in: ctx) : run(words, in: ctx)
            r.readsStdin = false
            if r.dump != nil {
                if alone { return r }
                r = ExecOutcome(stderr: "\(words[0]): not available in the sandbox with other commands around it\n", exitCode: notAvailableCode)
            }
            out.stdout += r.stdout
            out.stderr += r.stderr
            out.exitCode = r.exitCode
            if words[0] == "exit" { return out }
            if r.exitCode != 0 {
                if errexit && separator != "&&" { return out }
                if separator == "&&" { skipping = true }
            }
        }
        return out
    }

    /// Commands with the separator that follows each (`;` for a newline or the end).
    private static func split(_ text: String) -> [(String, String)] {
        var parts: [(String, String)] = []
        var current = ""
        var quote: Character?
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if let q = quote {
                if c == q { quote = nil }
                current.append(c)
            } else if c == "'" || c == "\"" {
                quote = c
                current.append(c)
            } else if c == ";" || c == "\n" {
                parts.append((current, ";")); current = ""
            } else if c == "&", chars.first == "&" {
                chars.removeFirst()
                parts.append((current, "&&")); current = ""
            } else {
                current.append(c)
            }
        }
        parts.append((current, ";"))
        return parts
    }

    private static func words(_ command: String, _ ctx: ExecContext) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var chars = Array(command)[...]
        func variable() {
            var name = ""
            while let c = chars.first, c.isLetter || c.isNumber || c == "_" { name.append(c); chars.removeFirst() }
            current += ctx.environment.first { $0.0 == name }?.1 ?? ""
        }
        while let c = chars.popFirst() {
            if quote == "'" {
                if c == "'" { quote = nil } else { current.append(c) }
            } else if quote == "\"" {
                if c == "\"" { quote = nil } else if c == "$" { variable() } else { current.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c; inWord = true
            } else if c == "$" {
                variable(); inWord = true
            } else if c == " " || c == "\t" {
                if inWord { words.append(current); current = ""; inWord = false }
            } else {
                current.append(c); inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
