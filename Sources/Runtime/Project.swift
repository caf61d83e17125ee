import Lang
import OrderedCollections

/// A project root loaded for one command: its config layers and the plugins
/// config.yml enables (plus the session's inline ones). Loaded fresh for each
/// command, so a change another process saved is seen.
struct Project {
    let root: ProjectRoot
    let catalog: PluginCatalog
    let enabled: [Plugin]
    let config: ProjectConfig
    /// Plugins config.yml enables that tk8s cannot load. Reading and changing
    /// the config still works (so `plugins disable` can fix it); rendering does not.
    let missingPlugins: [Diagnostic]

    /// Fails with the first enabled plugin tk8s cannot load: rendering without it would silently drop its patches.
    func requireEnabledPlugins() throws {
        if let first = missingPlugins.first { throw first }
    }

    /// Loads the project with `user` as config.yml's contents (read from disk when nil).
    static func load(_ context: RuntimeContext, user given: OrderedDictionary<String, Value>? = nil, at span: Span?) throws -> Project {
        let root = context.root
        let user = try given ?? ConfigFile.read(root.configFile)
        let catalog = PluginCatalog(pluginsRoot: context.pluginsRoot, inline: Array(context.inlinePlugins.values))
        var enabled: [Plugin] = []
        var missing: [Diagnostic] = []
        for name in try enabledNames(user, root: root, at: span) {
            do {
                enabled.append(try catalog.plugin(name, at: span))
            } catch var d as Diagnostic where d.code == .pluginError && d.message.hasPrefix("unknown plugin") {
                d.message = "config.yml enables plugin `\(name)`, which tk8s cannot find"
                d.help = (d.help.map { $0 + "; " } ?? "") + "tk8s loads Tutor YAML plugins from \(context.pluginsRoot) and its built-in ones (Python plugins are not supported); `plugins disable \(name)` removes it"
                missing.append(d)
            }
        }
        for p in context.inlinePlugins.values where !enabled.contains(where: { $0.name == p.name }) { enabled.append(p) }
        let config = try ProjectConfig(user: user, environment: context.environment, plugins: enabled)
        return Project(root: root, catalog: catalog, enabled: enabled, config: config, missingPlugins: missing)
    }

    /// config.yml's `PLUGINS` list.
    static func enabledNames(_ user: OrderedDictionary<String, Value>, root: ProjectRoot, at span: Span?) throws -> [String] {
        switch user["PLUGINS"] {
        case nil, .null?: return []
        case .list(let l)?:
            return try l.map {
                guard case .string(let s) = $0 else {
                    throw Diagnostic(.configError, "PLUGINS in \(root.configFile) must list plugin names, found \($0.literal)", at: span)
                }
                return s
            }
        case let other?:
            throw Diagnostic(.configError, "PLUGINS in \(root.configFile) must be a list, not \(other.typeName)", at: span)
        }
    }

    /// Read-modify-write of config.yml under the project's lock: reads the file
    /// afresh, lets `change` edit it, adds values that must be generated for
    /// the result, and writes it atomically. Two processes cannot lose each
    /// other's changes. Returns the project as saved.
    @discardableResult
    static func update(_ context: RuntimeContext, at span: Span?,
                       _ change: (inout OrderedDictionary<String, Value>, Project) throws -> Void) throws -> Project {
        let root = context.root
        do {
            return try Files.withLock(root.configLock) {
                var user = try ConfigFile.read(root.configFile)
                let before = try load(context, user: user, at: span)
                try change(&user, before)
                var after = try load(context, user: user, at: span)
                let generated = try after.config.missingGenerated()
                if !generated.isEmpty {
                    for (k, v) in generated { user[k] = v }
                    after = try load(context, user: user, at: span)
                }
                try ConfigFile.write(user, to: root.configFile)
                return after
            }
        } catch let f as Files.Failure {
            throw Diagnostic(.configError, f.description, at: span)
        }
    }

    /// The project as it is on disk, for commands that only read; a root with no
    /// config.yml is an error, as in Tutor, since nothing was generated yet.
    static func existing(_ context: RuntimeContext, at span: Span?) throws -> Project {
        let root = context.root
        guard Files.exists(root.configFile) else {
            throw Diagnostic(.configError, "no config.yml in \(root.path)", at: span,
                             help: "create one with `config save`, or pick another root with `tk8s --root DIR` or $TUTOR_ROOT")
        }
        let project = try load(context, at: span)
        // Values that must be generated (a plugin enabled by Tutor, say) are made and saved once, never re-made per read.
        if try !project.config.missingGenerated().isEmpty { return try update(context, at: span) { _, _ in } }
        return project
    }
}
