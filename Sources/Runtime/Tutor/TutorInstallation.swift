#if canImport(Glibc)
import Glibc
#endif
import Core
import Lang

/// The user's own Tutor: `$TK8S_TUTOR` (the `tutor` executable), else the
/// first `tutor` on PATH. tk8s never imports Python itself; it runs its
/// bridge helper with the interpreter named in `tutor`'s shebang, so the
/// helper sees exactly the packages (Tutor and its plugins) that `tutor` sees.
struct TutorInstallation: Sendable {
    /// The `tutor` script.
    let executable: String
    /// Its Python interpreter.
    let python: String

    /// Tutor as the environment names it; nil when none is installed, or `TK8S_TUTOR=none` asks for
    /// tk8s's built-in templates. A `$TK8S_TUTOR` that names something unusable is an error, not a silent fallback.
    static func find(environment: [String: String]) throws -> TutorInstallation? {
        if environment["TK8S_TUTOR"] == "none" { return nil }
        if let explicit = environment["TK8S_TUTOR"], !explicit.isEmpty {
            guard access(explicit, X_OK) == 0 else {
                throw Diagnostic(.pluginError, "$TK8S_TUTOR is \(explicit), which is not an executable file", at: nil,
                                 help: "point it at the `tutor` of the Python environment Tutor is installed in, or unset it")
            }
            return try TutorInstallation(executable: explicit, environment: environment)
        }
        guard let found = Files.which("tutor", environment: environment) else { return nil }
        return try TutorInstallation(executable: found, environment: environment)
    }

    private init(executable: String, environment: [String: String]) throws {
        self.executable = FileSystem.canonical(executable)
        python = try Self.interpreter(of: self.executable, environment: environment)
    }

    /// The interpreter in `#!…` on the script's first line; `#!/usr/bin/env python3` is looked up on PATH.
    private static func interpreter(of script: String, environment: [String: String]) throws -> String {
        let head: [UInt8]
        do { head = Array(try FileSystem.read(script).prefix(512)) } catch {
            throw Diagnostic(.pluginError, "cannot read \(script) to find Tutor's Python", at: nil)
        }
        let firstLine = String(decoding: head.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        guard firstLine.hasPrefix("#!") else {
            throw Diagnostic(.pluginError, "\(script) is not a Python script with a `#!` line, so tk8s cannot find Tutor's Python", at: nil,
                             help: "set $TK8S_TUTOR to the `tutor` script that pip installed (e.g. VENV/bin/tutor)")
        }
        let words = firstLine.dropFirst(2).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let first = words.first else {
            throw Diagnostic(.pluginError, "\(script) has an empty `#!` line", at: nil)
        }
        if FileSystem.baseName(first) == "env", words.count > 1 {
            guard let resolved = Files.which(words[1], environment: environment) else {
                throw Diagnostic(.pluginError, "\(script) runs `\(words[1])`, which is not on PATH", at: nil)
            }
            return resolved
        }
        return first
    }
}
