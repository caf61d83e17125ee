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

    public init(rootOption: String? = nil, environment: [String: String], status: @escaping (String) -> Void = { _ in }) {
        self.rootOption = rootOption
        self.environment = environment
        self.status = status
    }

    public lazy var root: ProjectRoot = .resolve(option: rootOption, environment: environment)
    public var pluginsRoot: String { ProjectRoot.pluginsRoot(environment: environment) }
}
