import ArgumentParser
import Lang

/// One interpreter plus how its diagnostics are shown: what every CLI path shares.
struct ScriptSession {
    let interpreter = Interpreter()
    let renderer: DiagnosticRenderer

    init(color: Bool) { renderer = DiagnosticRenderer(color: color) }

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
        throw ExitCode(status)
    }
}
