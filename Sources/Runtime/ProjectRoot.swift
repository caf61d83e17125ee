import Core
import Lang

/// Where a Tutor project lives and the files in it. The layout is Tutor's,
/// so tk8s and Tutor can take turns on the same root.
public struct ProjectRoot: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// `--root DIR`, else `$TUTOR_ROOT`, else `~/.local/share/tutor`, as Tutor decides it.
    public static func resolve(option: String?, environment: [String: String]) -> ProjectRoot {
        let chosen: String
        if let option, !option.isEmpty {
            chosen = option
        } else if let env = environment["TUTOR_ROOT"], !env.isEmpty {
            chosen = env
        } else {
            chosen = (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? Files.home()) + "/.local/share/tutor"
        }
        return ProjectRoot(path: FileSystem.canonical(chosen))
    }

    public var configFile: String { path + "/config.yml" }
    public var env: String { path + "/env" }
    /// The operator's own kustomization (`bases: [../env/]`); tk8s never writes there.
    public var envCustom: String { path + "/env-custom" }

    /// Tutor's YAML plugins: `$TUTOR_PLUGINS_ROOT`, else `~/.local/share/tutor-plugins`.
    public static func pluginsRoot(environment: [String: String]) -> String {
        if let dir = environment["TUTOR_PLUGINS_ROOT"], !dir.isEmpty { return FileSystem.canonical(dir) }
        return (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? Files.home()) + "/.local/share/tutor-plugins"
    }
}
