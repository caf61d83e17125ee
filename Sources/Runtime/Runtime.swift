import Lang
import OrderedCollections

/// The operations layer: a Tutor-compatible project root and the builtins
/// that work on it, registered into Lang's registry.
public enum Runtime {
    /// Adds every runtime builtin to `registry`; they share `context`.
    public static func register(into registry: Registry, context: RuntimeContext) {
        ConfigBuiltins.register(into: registry, context)
        PluginBuiltins.register(into: registry, context)
        RenderBuiltins.register(into: registry, context)
        ClusterBuiltins.register(into: registry, context)
        JobBuiltins.register(into: registry, context)
        KubectlBuiltins.register(into: registry, context)
        RolloutBuiltins.register(into: registry, context)
        ProgramBuiltins.register(into: registry, context)
        HTTPBuiltins.register(into: registry, context)
    }
}

/// What the runtime builtins of one tk8s process share: which root, the
/// environment, where status lines go, and the plugins a script declared.
public final class RuntimeContext {
    /// `--root DIR` from the command line, if given.
    public let rootOption: String?
    public let environment: [String: String]
    /// Status lines such as "Environment generated in …" (standard output, like Tutor's).
    public var status: (String) -> Void
    /// Plugins declared with `plugins define`, enabled for this session only.
    var inlinePlugins: OrderedDictionary<String, Plugin> = [:]
    /// `--dry-run`, `--context`, `--kubeconfig`, `--quiet`: honoured by every cluster call.
    public var cluster = ClusterOptions()
    /// Echoed commands (`kubectl apply …`), before they run; standard output, as Tutor prints them.
    public var echo: (String) -> Void
    /// Asks the user a yes/no question; nil when nobody can answer (a script), so risky commands need `--yes`.
    public var confirm: ((String) -> Bool)?
    /// Job names this process has used, so two jobs made in the same second differ.
    var jobNames = Set<String>()
    /// Whether standard input is a terminal (`exec` then asks kubectl for a TTY).
    public var hasTerminal: Bool

    public init(rootOption: String? = nil, environment: [String: String], status: @escaping (String) -> Void = { _ in },
                hasTerminal: Bool = false) {
        self.rootOption = rootOption
        self.environment = environment
        self.status = status
        self.echo = status
        self.hasTerminal = hasTerminal
    }

    /// The runner every kubectl call goes through.
    lazy var kubectl = CommandRunner(tool: "kubectl", pathVariable: "KUBECTL", context: self)
    /// docker, for `images build|push`.
    lazy var docker = CommandRunner(tool: "docker", pathVariable: "DOCKER", context: self)

    public lazy var root: ProjectRoot = .resolve(option: rootOption, environment: environment)
    /// The user's Tutor and its snapshots (Python plugins, Tutor's own templates).
    lazy var tutor = TutorSession(environment: environment, pluginsRoot: pluginsRoot)
    public var pluginsRoot: String { ProjectRoot.pluginsRoot(environment: environment) }
}
