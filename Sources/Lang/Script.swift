import Core

/// Running a whole script the way `tk8s FILE` does: compile, report every
/// diagnostic, run, report the runtime error. The CLI and the golden tests
/// both go through here, so the tests see exactly what a user sees.
extension Interpreter {
    /// Compiles and runs `file`; returns the exit status (0 ok, 1 error). Warnings are `tk8s check`'s business:
    /// a script that runs says nothing about them, as a compiled program does not repeat its compiler's warnings.
    public func execute(_ file: SourceFile, errors: (String) -> Void, renderer: DiagnosticRenderer = DiagnosticRenderer()) -> Int32 {
        let (module, diagnostics) = compile(file)
        guard let module else {
            report(diagnostics.filter(\.isError), errors: errors, renderer: renderer)
            return 1
        }
        do {
            try run(module)
            return 0
        } catch let d as Diagnostic {
            report([d], errors: errors, renderer: renderer)
            return 1
        } catch {
            errors("error: \(error)\n")
            return 1
        }
    }

    /// `tk8s check`: every diagnostic of every file, nothing run. Returns 0 when no file has an error (warnings
    /// are shown, and do not fail the check).
    public func checkAll(_ files: [SourceFile], errors: (String) -> Void, renderer: DiagnosticRenderer = DiagnosticRenderer()) -> Int32 {
        var failed = false
        for f in files {
            let diags = check(f)
            if diags.contains(where: \.isError) { failed = true }
            if !diags.isEmpty { report(diags, errors: errors, renderer: renderer) }
        }
        return failed ? 1 : 0
    }

    /// The most diagnostics one report shows; past this, the rest are counted, as a compiler's error limit does
    /// (a file that is not a script at all can have hundreds, and the first ones are the ones that matter).
    public static let maxReportedDiagnostics = 20

    /// Writes diagnostics, flushing `print` output first so the two interleave in order.
    public func report(_ diagnostics: [Diagnostic], errors: (String) -> Void, renderer: DiagnosticRenderer) {
        StandardOutput.flush()
        for d in diagnostics.prefix(Self.maxReportedDiagnostics) { errors(renderer.render(d)) }
        let hidden = diagnostics.count - Self.maxReportedDiagnostics
        if hidden > 0 {
            errors("\(Self.count(diagnostics)) (the first \(Self.maxReportedDiagnostics) shown)\n")
        } else if diagnostics.count > 1 {
            errors("\(Self.count(diagnostics))\n")
        }
    }

    /// `3 errors`, `1 error, 2 warnings`.
    static func count(_ diagnostics: [Diagnostic]) -> String {
        let warnings = diagnostics.filter { !$0.isError }.count, errors = diagnostics.count - warnings
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        if warnings == 0 { return plural(errors, "error") }
        if errors == 0 { return plural(warnings, "warning") }
        return plural(errors, "error") + ", " + plural(warnings, "warning")
    }
}

/// Unbuffered standard error.
public enum StandardError {
    public static func write(_ s: String) {
        FileSystem.writeAll(2, Array(s.utf8)[...])
    }
}
