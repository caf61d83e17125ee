import Core
import Lang
import OrderedCollections

/// A project root loaded for one command: its config layers and patches,
/// from the user's Tutor (a snapshot, when Tutor is installed) or from tk8s's
/// built-in templates and YAML plugins, plus the session's inline plugins.
/// Loaded fresh for each command, so a change another process saved is seen.
struct Project {
    let root: ProjectRoot
    let catalog: PluginCatalog
    /// Plugins tk8s loads itself: built-in and YAML ones without Tutor; inline ones always.
    let enabled: [Plugin]
    /// What the user's Tutor and its plugins contribute, when Tutor is installed.
    let tutor: TutorSession.Entry?
    let config: ProjectConfig
    /// Patch point → each plugin's template for it, in the order Tutor renders them.
    let patches: [String: [PatchText]]
    /// Plugins config.yml enables that tk8s cannot load. Reading and changing
    /// the config still works (so `plugins disable` can fix it); rendering does not.
    let missingPlugins: [Diagnostic]

    /// One plugin's template for a patch point.
    struct PatchText {
        let plugin: String
        let file: SourceFile
    }

    /// Fails with the first enabled plugin tk8s cannot load: rendering without it would silently drop its patches.
    func requireEnabledPlugins() throws {
        if let first = missingPlugins.first { throw first }
    }

    /// Loads the project with `user` as config.yml's contents (read from disk when nil). `cachedOnly` never runs the
    /// Tutor bridge: without a cached snapshot it loads with tk8s's built-in layers (the REPL's prompt and Tab use it).
    static func load(_ context: RuntimeContext, user given: OrderedDictionary<String, Value>? = nil, at span: Span?,
                     cachedOnly: Bool = false) throws -> Project {
        let root = context.root
        let user = try given ?? ConfigFile.read(root.configFile)
        let inline = Array(context.inlinePlugins.values)
        let names = try enabledNames(user, root: root, at: span)
        if let installation = try context.tutor.installation(),
           let project = try loadWithTutor(installation, context, user: user, enabled: names, at: span, cachedOnly: cachedOnly) {
            return project
        }
        let catalog = PluginCatalog(pluginsRoot: context.pluginsRoot, inline: inline)
        var enabled: [Plugin] = []
        var missing: [Diagnostic] = []
        for name in names {
            do {
                enabled.append(try catalog.plugin(name, at: span))
            } catch let d as Diagnostic where d.code == .pluginError && d.message.hasPrefix("unknown plugin") {
                missing.append(pythonPluginWithoutTutor(name, pluginsRoot: context.pluginsRoot, at: span))
            }
        }
        for p in inline where !enabled.contains(where: { $0.name == p.name }) { enabled.append(p) }
        var layers = try ConfigLayers.builtin()
        layers.add(enabled)
        let config = ProjectConfig(user: user, environment: context.environment, layers: layers)
        var patches: [String: [PatchText]] = [:]
        addPatches(of: enabled, to: &patches)
        return Project(root: root, catalog: catalog, enabled: enabled, tutor: nil, config: config, patches: patches,
                       missingPlugins: missing)
    }

    /// The project as the user's Tutor sees it, with the session's inline plugins on top; nil when `cachedOnly`
    /// and no usable snapshot is cached.
    private static func loadWithTutor(_ installation: TutorInstallation, _ context: RuntimeContext, user: OrderedDictionary<String, Value>,
                                      enabled names: [String], at span: Span?, cachedOnly: Bool) throws -> Project? {
        let inline = Array(context.inlinePlugins.values)
        // A cached snapshot whose inputs changed is dropped by `confirm`; the second pass runs the helper.
        for _ in 0..<2 {
            guard let entry = try context.tutor.snapshot(for: installation, user: user, root: context.root.path, cachedOnly: cachedOnly) else {
                return nil
            }
            var layers = ConfigLayers.tutor(entry.snapshot, fresh: entry.fresh)
            layers.add(inline)
            let config = ProjectConfig(user: user, environment: context.environment, layers: layers)
            guard context.tutor.confirm(entry, config: config) else { continue }
            let loaded = Set(entry.snapshot.loaded).union(inline.map(\.name))
            let missing = names.filter { !loaded.contains($0) }.map { notInstalled($0, in: installation, snapshot: entry.snapshot, at: span) }
            var patches = entry.patches
            addPatches(of: inline, to: &patches)
            return Project(root: context.root, catalog: PluginCatalog(pluginsRoot: context.pluginsRoot, inline: inline), enabled: inline,
                           tutor: entry, config: config, patches: patches, missingPlugins: missing)
        }
        if cachedOnly { return nil }
        throw Diagnostic(.pluginError, "the Tutor bridge's snapshot keeps going stale", at: span,
                         help: "a plugin's Python code may read a value that changes on every read; `render --refresh` forces a new one")
    }

    private static func addPatches(of plugins: [Plugin], to patches: inout [String: [PatchText]]) {
        for p in plugins {
            for (name, source) in p.patches { patches[name, default: []].append(PatchText(plugin: p.name, file: source.file)) }
        }
    }

    /// A plugin config.yml enables that neither tk8s nor any YAML file provides: a Python plugin, and no Tutor to run it.
    static func pythonPluginWithoutTutor(_ name: String, pluginsRoot: String, at span: Span?) -> Diagnostic {
        Diagnostic(.pluginError, "config.yml enables plugin `\(name)`, a Python plugin, and tk8s found no Tutor to load it with", at: span,
                   help: "tk8s runs Python plugins through your own Tutor: install it with the plugin (`pip install tutor tutor-\(name)`; "
                       + "put `tutor` on PATH or set $TK8S_TUTOR to it), or `plugins disable \(name)`. "
                       + "YAML plugins are read from \(pluginsRoot)")
    }

    private static func notInstalled(_ name: String, in installation: TutorInstallation, snapshot: TutorSnapshot, at span: Span?) -> Diagnostic {
        let installed = snapshot.installed.map(\.name)
        let why = installed.contains(name) ? "which Tutor could not load" : "which is not installed in Tutor"
        return Diagnostic(.pluginError, "config.yml enables plugin `\(name)`, \(why) (\(installation.executable))", at: span,
                          help: (closestName(to: name, in: installed).map { "did you mean `\($0)`? " } ?? "")
                              + "install it into Tutor's Python (`\(installation.python) -m pip install tutor-\(name)`), or `plugins disable \(name)`")
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
            return try root.withWriteLock {
                var user = try ConfigFile.read(root.configFile)
                let before = try load(context, user: user, at: span)
                try change(&user, before)
                var after = try load(context, user: user, at: span)
                let generated = try after.config.missingGenerated()
                if !generated.isEmpty {
                    for (k, v) in generated { user[k] = v }
                    after = try load(context, user: user, at: span)
                }
                try ConfigFile.write(user, to: root.configFile, style: after.tutor?.snapshot.yamlStyle ?? .pyYAML)
                return after
            }
        } catch let f as Files.Failure {
            throw Diagnostic(.configError, f.description, at: span,
                             help: Files.help(after: f, kept: "config.yml", root: root.path))
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
