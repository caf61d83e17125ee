import Core
import Lang

/// `--to FILE` on `exec`, `logs` and `run`: a program's standard output streamed into a local file
/// (see `CommandRunner.run(_:into:)`), reported the same way whichever command asked.
enum FileOutput {
    /// The flag, declared once for the three commands.
    static let flag = FlagSpec("to", value: .string, help: "stream standard output into this local file (written under a temporary name, renamed when the command succeeds; new files are 0600)",
                               completion: .file, valueName: "FILE")

    /// Runs `arguments` with `runner` into `path`. As a value: `{path, bytes, seconds}` (null in a dry run);
    /// as a statement, a status line such as `Wrote 1.0 GiB to backups/mysql.sql in 7.9 s`.
    static func run(_ runner: CommandRunner, _ arguments: [String], into path: String, kind: CallKind = .change,
                    keepOnInterrupt: Bool = false, input: String? = nil, redactor: Redactor,
                    _ args: Arguments, _ ctx: RuntimeContext) throws -> Value {
        let started = monotonicSeconds()
        guard let bytes = try runner.run(arguments, into: path, kind: kind, keepOnInterrupt: keepOnInterrupt, input: input,
                                         redactor: redactor, at: args.span) else { return .null }
        let seconds = ((monotonicSeconds() - started) * 1000).rounded() / 1000
        if !args.valueWanted {
            ctx.status("Wrote \(describe(bytes: bytes)) to \(path) in \(Value.float(seconds).displayString) s")
            return .null
        }
        return .map(["path": .string(path), "bytes": .int(bytes), "seconds": .float(seconds)])
    }

    /// `512 bytes`, `3.4 KiB`, `1.0 GiB`: sizes as an operator reads them.
    static func describe(bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) byte" + (bytes == 1 ? "" : "s") }
        var value = Double(bytes)
        for unit in ["KiB", "MiB", "GiB", "TiB"] {
            value /= 1024
            if value < 1024 || unit == "TiB" { return Value.float((value * 10).rounded() / 10).displayString + " " + unit }
        }
        return "\(bytes) bytes"
    }

}
