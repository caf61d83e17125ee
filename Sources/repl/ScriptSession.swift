import ArgumentParser
import Core
import Foundation
import Lang
import Runtime

/// One interpreter with the runtime's builtins, plus how its diagnostics are
/// shown: what every CLI path shares.
struct ScriptSession {
    let interpreter = Interpreter()
    let renderer: DiagnosticRenderer
    /// What the runtime builtins share (root, cluster options, how to ask the user).
    let context: RuntimeContext
    /// The in-process cluster of `--sandbox`, stopped when the session ends.
    let sandbox: SandboxSession?

    init(_ options: GlobalOptions) {
        self.init(color: options.useColor, sandbox: options.sandbox, root: options.root, cluster: options.cluster)
    }

    /// A session as the options would make it; with the defaults, what `tk8s -c CODE` runs in (see `runWithoutParsing`).
    init(color: Bool = ColorChoice.auto.enabled, sandbox useSandbox: Bool = false, root: String? = nil,
         cluster: ClusterOptions = ClusterOptions()) {
        renderer = DiagnosticRenderer(color: color)
        let rt = interpreter
        sandbox = useSandbox ? SandboxSession.start() : nil
        context = RuntimeContext(rootOption: root, environment: ProcessInfo.processInfo.environment,
                                     status: { [unowned rt] in rt.output($0 + "\n") }, hasTerminal: isatty(0) == 1 && isatty(1) == 1)
        context.cluster = cluster
        Runtime.register(into: rt.registry, context: context)
    }

    /// Reads a script; an unreadable file is a usage error (exit 2), like a missing one.
    func load(_ path: String) throws -> SourceFile {
        do {
            return SourceFile(name: path, path: FileSystem.canonical(path), bytes: try FileSystem.read(path))
        } catch {
            StandardError.write("error: cannot read \(path): \(error)\n")
            throw ExitCode(2)
        }
    }

    func run(_ file: SourceFile, arguments: [String]) -> Int32 {
        interpreter.scriptArguments = arguments
        let status = interpreter.execute(file, errors: StandardError.write, renderer: renderer)
        StandardOutput.flush()
        return status
    }

    /// Ends the command with `status`, through ArgumentParser so its clean-up runs.
    func exit(_ status: Int32) throws -> Never {
        StandardOutput.flush()
        sandbox?.stop()
        throw ExitCode(status)
    }
}
