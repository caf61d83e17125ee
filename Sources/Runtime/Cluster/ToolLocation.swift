import Lang
import Subprocess
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Where an external tool is (`$KUBECTL`, else the first `kubectl` on PATH) and, when it cannot be run,
/// which of the ways it failed: not found where it was looked for, found but not executable, a directory,
/// or refused by the system when started. The path is checked before running because swift-subprocess
/// reports every failed start on a path as "not found", which would hide a missing x bit.
struct ToolLocation {
    let tool: String
    /// The environment variable that names the tool's path (`KUBECTL`), the tests' seam; nil for a script's own
    /// programs (`run gzip …`), which are found as a shell finds them.
    let variable: String?

    /// The path to run, or a diagnostic that says why there is none.
    func path(environment: [String: String]) throws -> String {
        if let variable, let explicit = environment[variable], !explicit.isEmpty {
            if let problem = problem(with: explicit, configured: true) { throw problem }
            return explicit
        }
        // `./backup.sh`, `/usr/bin/aws`: a path, not a name to look up (as in a shell).
        if tool.contains("/") {
            if let problem = problem(with: tool, configured: false) { throw problem }
            return tool
        }
        if let found = Files.which(tool, environment: environment) { return found }
        // A `kubectl` on PATH without the x bit is why none was found: say so, as a shell would.
        for candidate in Files.candidates(tool, environment: environment) where Files.exists(candidate) {
            if let problem = problem(with: candidate, configured: false) { throw problem }
        }
        throw Diagnostic(.commandFailed, "\(tool) not found: no \"\(tool)\" in PATH (\(Files.searchPath(environment)))", at: nil,
                         help: variable.map { "install \(tool), or set $\($0) to its path" } ?? "install \(tool), or give its path (`run ./\(tool) …`)")
    }

    /// Why `path` cannot be run, or nil when it looks runnable. `configured`: it came from `$KUBECTL`.
    private func problem(with path: String, configured: Bool) -> Diagnostic? {
        let named = configured ? "$\(variable ?? "") is \(path)" : path
        var st = stat()
        guard stat(path, &st) == 0 else {
            let reason = String(cString: strerror(errno))
            if errno == ENOENT || errno == ENOTDIR {
                if !configured { return Diagnostic(.commandFailed, "cannot run \(path): it does not exist", at: nil) }
                return Diagnostic(.commandFailed, "\(tool) not found: \(named), which does not exist", at: nil,
                                  help: "set $\(variable ?? "") to \(tool)'s path, or unset it to use the \(tool) on PATH")
            }
            return Diagnostic(.commandFailed, "cannot run \(path): \(reason)", at: nil)
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            return Diagnostic(.commandFailed, "cannot run \(path): it is a directory", at: nil,
                              help: configured ? "set $\(variable ?? "") to the \(tool) program inside it" : nil)
        }
        guard access(path, X_OK) == 0 else {
            return Diagnostic(.commandFailed, "cannot run \(path): permission denied (not executable)", at: nil,
                              help: "make it executable (`chmod +x \(path)`)" + (variable.map { ", or set $\($0) to another \(tool)" } ?? ""))
        }
        return nil
    }

    /// The diagnostic for a start that failed although the path looked runnable (it vanished meanwhile,
    /// its `#!` line names a missing interpreter, it is not a program for this system).
    func startFailure(_ error: Error, path: String, redactor: Redactor) -> Diagnostic {
        if let problem = problem(with: path, configured: false) { return problem }
        guard let failure = error as? SubprocessError else {
            return Diagnostic(.commandFailed, "cannot run \(tool): \(redactor.redact(String(describing: error)))", at: nil)
        }
        switch failure.underlyingError?.rawValue {
        case ENOENT?:
            return Diagnostic(.commandFailed, "cannot run \(path): the system could not start it", at: nil,
                              help: "a `#!` first line naming an interpreter that is not installed does this")
        case ENOEXEC?:
            return Diagnostic(.commandFailed, "cannot run \(path): it is not a program this system can run (exec format error)", at: nil)
        case let code?:
            return Diagnostic(.commandFailed, "cannot run \(path): \(String(cString: strerror(code)))", at: nil)
        case nil:
            return Diagnostic(.commandFailed, "cannot run \(path): \(redactor.redact(failure.description))", at: nil)
        }
    }
}
