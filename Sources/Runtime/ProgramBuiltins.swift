import Core
import Lang

/// `run PROGRAM ARGS…`: a program on the operator's machine (`aws s3 cp`, `gzip`, `git`), so a routine
/// needs no bash wrapper. It goes through the same runner as kubectl: an argv array, never a shell string;
/// echoed first with the config's secrets hidden; skipped in a dry run; Ctrl-C reaches it; a failure is
/// an E2011 error with the exit code and standard error, which `try` catches.
enum ProgramBuiltins {
    static func register(into r: Registry, _ ctx: RuntimeContext) {
        r.register(Signature("run", "Run a local program with its arguments (no shell: pipes, globs and `$VAR` are not interpreted). As a statement its output is shown; as a value it is its standard output.",
                             params: [Param("command", .string, .variadic, help: "the program (a name on PATH, or a path such as ./backup.sh) and its arguments, passed as they are")],
                             flags: [FileOutput.flag,
                                     FlagSpec("input", value: .string, help: "text for the program's standard input (default: none)", valueName: "TEXT"),
                                     FlagSpec("env", value: .string, help: "a variable set for the program (not echoed)", repeatable: true, valueName: "NAME=VALUE"),
                                     FlagSpec("interactive", help: "give the program the terminal (it may ask questions); its standard error is then not kept for the error")],
                             passthrough: true,
                             examples: ["run gzip --keep backups/mysql.sql",
                                        "let head = (trim (run git rev-parse HEAD))",
                                        "run --env AWS_PROFILE=backup aws s3 cp $dump.path s3://my-backups/",
                                        "run --to backups/sha256.txt sha256sum $dump.path",
                                        "try { run false } catch err { print \"exit code $(err.exit_code)\" }"])) { args, _ in
            let command = args.strings("command")
            guard let program = command.first, !program.isEmpty else {
                throw Diagnostic(.argumentCount, "`run` needs a program to run, such as `run gzip FILE`", at: args.span)
            }
            let runner = CommandRunner(tool: program, pathVariable: nil, context: ctx,
                                       extraEnvironment: try environment(args.strings("env"), args.span))
            let redactor = Redactor.project(ctx, at: args.span)
            let arguments = Array(command.dropFirst())
            let input = args.optionalString("input")
            if let path = args.optionalString("to") {
                return try FileOutput.run(runner, arguments, into: path, input: input, redactor: redactor, args, ctx)
            }
            if args.has("interactive") {
                if input != nil { throw Diagnostic(.invalidArgument, "`run --interactive` reads the terminal; it takes no --input", at: args.span) }
                try runner.run(arguments, io: .terminal, redactor: redactor)
                return .null
            }
            if args.valueWanted {
                return .string(try runner.run(arguments, io: .capture, input: input, redactor: redactor).stdout)
            }
            try runner.run(arguments, io: .stream, input: input, redactor: redactor)
            return .null
        }
    }

    /// `--env NAME=VALUE` flags as a dictionary; a malformed one is a usage error.
    private static func environment(_ entries: [String], _ span: Span) throws -> [String: String] {
        var out: [String: String] = [:]
        for entry in entries {
            guard let eq = entry.firstIndex(of: "="), eq != entry.startIndex, !entry[..<eq].contains(where: { $0 == "\0" }) else {
                throw Diagnostic(.invalidArgument, "`run --env` wants NAME=VALUE, got \(quoteString(entry))", at: span)
            }
            out[String(entry[..<eq])] = String(entry[entry.index(after: eq)...])
        }
        return out
    }
}
