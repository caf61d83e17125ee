import Core
import Lang
#if canImport(Glibc)
import Glibc
#endif

/// Options every cluster call honours: `tk8s --dry-run --context NAME --kubeconfig FILE --quiet` (`http` the first and last).
public struct ClusterOptions: Sendable {
    /// Print what would run and change nothing; cluster reads return empty values.
    public var dryRun = false
    /// A kubeconfig context for this run only (Tutor's users asked not to switch it globally).
    public var context: String?
    public var kubeconfig: String?
    /// Do not echo commands before running them.
    public var quiet = false

    public init(dryRun: Bool = false, context: String? = nil, kubeconfig: String? = nil, quiet: Bool = false) {
        self.dryRun = dryRun; self.context = context; self.kubeconfig = kubeconfig; self.quiet = quiet
    }
}

/// What a call does to the cluster, which decides what a dry run does with it.
enum CallKind {
    /// Changes the cluster: a dry run only prints it.
    case change
    /// Reads the cluster: a dry run prints it and answers empty.
    case read
    /// Touches no cluster (`kubectl kustomize`): runs even in a dry run.
    case local
}

extension RuntimeContext {
    /// Echoes the commands about to run (kubectl's argv, `http`'s request) unless `--quiet`; true when this is a dry
    /// run and they must not run.
    func announce(_ shown: [String], kind: CallKind) -> Bool {
        if cluster.dryRun && kind != .local {
            for s in shown { echo(s + (kind == .read ? "   # dry run: not run, read as empty" : "   # dry run: not run")) }
            return true
        }
        if !cluster.quiet { for s in shown { echo(s) } }
        return false
    }
}

/// The one way tk8s runs an external tool (kubectl; docker for `images`):
/// an argv array, never a shell string; echoed first as Tutor echoes it
/// (`shlex.join`), with the config's secrets redacted; skipped in a dry run;
/// a non-zero exit, a death by signal or a tool that cannot be run becomes an
/// E2011 error that `try` can catch, carrying the exit code or signal, the argv
/// and the tool's standard error.
final class CommandRunner {
    let tool: String
    /// The environment variable that names the tool's path (`KUBECTL`), the tests' seam; nil for `run PROGRAM`.
    let pathVariable: String?
    unowned let context: RuntimeContext
    /// Variables set for this program on top of the session's (`run --env NAME=VALUE`).
    let extraEnvironment: [String: String]

    init(tool: String, pathVariable: String?, context: RuntimeContext, extraEnvironment: [String: String] = [:]) {
        self.tool = tool
        self.pathVariable = pathVariable
        self.context = context
        self.extraEnvironment = extraEnvironment
    }

    /// What the program is given: the session's environment, not the process's, plus `extraEnvironment`.
    var environment: [String: String] { context.environment.merging(extraEnvironment) { $1 } }

    var options: ClusterOptions { context.cluster }

    /// `--context`/`--kubeconfig` go first, so every kubectl call honours them.
    var globalArguments: [String] {
        guard tool == "kubectl" else { return [] }
        var out: [String] = []
        if let c = options.context { out += ["--context", c] }
        if let k = options.kubeconfig { out += ["--kubeconfig", k] }
        return out
    }

    var location: ToolLocation { ToolLocation(tool: tool, variable: pathVariable) }

    /// Runs `body` with the tool's path; a tool that is missing, not executable or that the system
    /// refuses to start is an E2011 error saying which.
    func start<T>(redactor: Redactor, _ body: (String) throws -> T) throws -> T {
        let path = try location.path(environment: context.environment)
        do {
            return try body(path)
        } catch {
            throw location.startFailure(error, path: path, redactor: redactor)
        }
    }

    /// Runs `tool ARGS…`. Returns how it ended; throws when it failed (unless `check` is false) or was interrupted.
    /// `input` is standard input's text (none when nil); `shownSuffix` is added to the echo (` > FILE`).
    @discardableResult
    func run(_ arguments: [String], io: ProcessIO = .stream, kind: CallKind = .change, check: Bool = true,
             input: String? = nil, shownSuffix: String = "", endsOnInterrupt: Bool = false, redactor: Redactor) throws -> ProcessOutcome {
        let argv = globalArguments + arguments
        let shown = redactor.redact(Self.shellJoin([tool] + argv)) + shownSuffix
        if context.announce([shown], kind: kind) { return ProcessOutcome(exitCode: 0, signal: nil) }
        let outcome = try start(redactor: redactor) {
            try ProcessRunner.run($0, argv, io: io, environment: environment, input: input, redact: redactor.redact)
        }
        if outcome.wasInterrupted || Interpreter.interruptRequested {
            Interpreter.interruptRequested = false
            // At the terminal (`logs --follow`, `exec`), Ctrl-C is how one ends the session: the script goes on.
            if io == .terminal || endsOnInterrupt { return outcome }
            throw Diagnostic(.interrupted, "interrupted while running `\(shown)`", at: nil)
        }
        if check, !outcome.succeeded { throw failure(outcome, shown: shown, argv: [tool] + argv, redactor: redactor) }
        return outcome
    }

    /// Runs `tool ARGS…` with its standard output going straight to the file `path`, never through tk8s's memory
    /// (a 1 GiB dump costs what a 1 KiB one does). The file is written under a temporary name beside `path` and
    /// renamed into place only when the program succeeded: a failed or interrupted one leaves `path` as it was.
    /// `keepOnInterrupt`: Ctrl-C is how this one ends (`logs --follow --to`), so what came until then is kept.
    /// New files are private (0600): what a cluster command prints — a database dump — is; an existing file keeps
    /// its mode. The bytes written, or nil in a dry run.
    func run(_ arguments: [String], into path: String, kind: CallKind = .change, keepOnInterrupt: Bool = false,
             input: String? = nil, redactor: Redactor, at span: Span?) throws -> Int? {
        let shownSuffix = " > " + Self.shellQuote(path)
        if options.dryRun && kind != .local {
            _ = try run(arguments, kind: kind, shownSuffix: shownSuffix, redactor: redactor)
            return nil
        }
        let target = FileInfo.resolvingLink(path)
        let staged: FileSystem.StagedFile
        do {
            staged = try FileSystem.StagedFile(target, mode: FileInfo(target)?.permissions ?? 0o600)
        } catch let f as FileSystem.Failure {
            var d = Diagnostic(.fileError, f.description, at: span,
                               help: FileSystem.isDirectory(FileSystem.directory(target)) ? nil : "make the folder first: `file mkdir \(FileSystem.directory(path))`")
            d.fields = [("path", .string(path))]
            throw d
        }
        defer { staged.discard() }
        do {
            try run(arguments, io: .file(staged.descriptor), kind: kind, input: input, shownSuffix: shownSuffix,
                    endsOnInterrupt: keepOnInterrupt, redactor: redactor)
        } catch var d as Diagnostic {
            if d.code == .commandFailed || d.code == .interrupted {
                let note = "nothing was written to \(path)" + (Files.exists(target) ? " (it keeps its old content)" : "")
                d.help = d.help.map { $0 + "; " + note } ?? note
            }
            throw d
        }
        let bytes = staged.size
        do { try staged.commit() } catch let f as FileSystem.Failure {
            var d = Diagnostic(.fileError, f.description, at: span)
            d.fields = [("path", .string(path))]
            throw d
        }
        return bytes
    }

    /// Runs several calls at once (`wait lms cms`); the first failure is thrown once all have ended.
    func runConcurrently(_ calls: [[String]], io: ProcessIO = .stream, kind: CallKind = .change, redactor: Redactor) throws {
        let argvs = calls.map { globalArguments + $0 }
        let shown = argvs.map { redactor.redact(Self.shellJoin([tool] + $0)) }
        if context.announce(shown, kind: kind) { return }
        let outcomes = try start(redactor: redactor) {
            try ProcessRunner.runAll($0, argvs, io: io, environment: environment, redact: redactor.redact)
        }
        if outcomes.contains(where: \.wasInterrupted) || Interpreter.interruptRequested {
            Interpreter.interruptRequested = false
            throw Diagnostic(.interrupted, "interrupted", at: nil)
        }
        for (i, o) in outcomes.enumerated() where !o.succeeded {
            throw failure(o, shown: shown[i], argv: [tool] + argvs[i], redactor: redactor)
        }
    }

    private func failure(_ o: ProcessOutcome, shown: String, argv: [String], redactor: Redactor) -> Diagnostic {
        let stderr = redactor.redact(o.stderr)
        // `kubectl exec` ends with its own "command terminated with exit code N": the command's last line says more.
        let lines = stderr.split(separator: "\n")
        let lastLine = (lines.last { !$0.hasPrefix("command terminated with exit code ") } ?? lines.last).map(String.init)
        var d = Diagnostic(.commandFailed, "\(tool) \(o.ending) while running `\(shown)`", at: nil,
                           help: lastLine.map { "\(tool) said: \($0)" } ?? (o.signal == SIGKILL ? Self.sigkillHelp : nil))
        d.fields = [
            ("exit_code", o.exitCode.map { .int(Int($0)) } ?? .null),
            ("signal", o.signal.map { .string(ProcessOutcome.signalName($0) ?? "signal \($0)") } ?? .null),
            ("argv", .list(argv.map { .string(redactor.redact($0)) })),
            ("stderr", .string(stderr)),
        ]
        return d
    }

    /// Nothing in kubectl sends itself SIGKILL: something outside ended it.
    static let sigkillHelp = "SIGKILL comes from outside the program: the kernel's out-of-memory killer, a container limit, or `kill -9`"

    /// Python's `shlex.join`: each word as is when it only has safe characters, else in single quotes.
    static func shellJoin(_ words: [String]) -> String {
        words.map(shellQuote).joined(separator: " ")
    }

    static func shellQuote(_ s: String) -> String {
        if s.isEmpty { return "''" }
        let safe = s.unicodeScalars.allSatisfy { u in
            u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(u) || "_@%+=:,./-".unicodeScalars.contains(u))
        }
        if safe { return s }
        return "'" + s.replacingAll("'", with: "'\"'\"'") + "'"
    }
}

/// Hides the config's secrets in everything tk8s prints about a command.
struct Redactor: Sendable {
    private let secrets: [String]

    init(secrets: [String]) {
        // Longest first, so a secret that contains another is hidden whole.
        self.secrets = Array(Set(secrets.filter { $0.count >= 4 })).sorted { $0.count > $1.count }
    }

    static let none = Redactor(secrets: [])

    /// Config keys whose values are secrets: passwords, secret keys, tokens, private keys.
    static func isSecretKey(_ key: String) -> Bool {
        let k = key.uppercased()
        return ["PASSWORD", "SECRET", "PRIVATE_KEY", "TOKEN", "API_KEY", "MASTER_KEY"].contains { k.contains($0) }
    }

    func redact(_ text: String) -> String {
        var out = text
        for s in secrets where out.contains(s) { out = out.replacingAll(s, with: "********") }
        return out
    }
}
