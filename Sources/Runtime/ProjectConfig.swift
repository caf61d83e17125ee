#if canImport(Glibc)
import Glibc
#endif
import Core
import Lang
import OrderedCollections
import Template

/// One project's configuration, layered as Tutor layers it (highest first):
/// `TUTOR_<KEY>` environment variables, config.yml, generated values (base.yml
/// and plugins' `add`/`set`, saved once made), defaults (never saved).
///
/// Values are rendered when read: `{{ LMS_HOST }}` in a value is replaced by
/// that key's own rendered value, whatever order the keys come in, and a
/// reference cycle is an error rather than a half-rendered string.
final class ProjectConfig {
    /// The Tutor release whose templates, images and defaults tk8s reproduces.
    static let tutorVersion = "22.0.3"

    let user: OrderedDictionary<String, Value>
    let base: OrderedDictionary<String, Value>
    let defaults: OrderedDictionary<String, Value>
    let globals: OrderedDictionary<String, Value>
    /// Filters and Python-backed functions templates may call (Tutor's, and a snapshot's memo).
    let filters: [String: TemplateFilter]
    let functions: [String: TemplateFunction]
    let pythonText: ((Value) -> String?)?
    private let overrides: [String: Value]
    private var cache: [String: Value] = [:]
    private var inProgress: [String] = []
    private var templates: [String: Template] = [:]

    init(user: OrderedDictionary<String, Value>, environment: [String: String], layers: ConfigLayers) {
        self.user = user
        base = layers.base
        defaults = layers.defaults
        globals = layers.globals
        filters = layers.filters
        functions = layers.functions
        pythonText = layers.pythonText
        var overrides: [String: Value] = [:]
        for (key, value) in layers.forced { overrides[key] = value }
        for (name, text) in environment where name.hasPrefix("TUTOR_") {
            let key = String(name.dropFirst(6))
            guard user[key] != nil || base[key] != nil || defaults[key] != nil else { continue }
            // Like Tutor: the text as YAML when it parses, else the text itself.
            overrides[key] = text.isEmpty ? .string("") : ((try? YAMLCodec.decode(text)) ?? .string(text))
        }
        self.overrides = overrides
    }

    /// Template globals of the Tutor release tk8s's built-in templates reproduce.
    static func builtinGlobals(version: String = tutorVersion) -> OrderedDictionary<String, Value> {
        let parts = version.split(separator: ".").compactMap { Int($0) }
        return [
            "TUTOR_APP": .string("tutor"),
            "TUTOR_VERSION": .string(version),
            "TUTOR_VERSION_MAJOR": .int(parts.first ?? 0),
            "TUTOR_VERSION_MINOR": .int(parts.count > 1 ? parts[1] : 0),
            "TUTOR_BRANCH_IS_MAIN": .bool(false),
            "HOST_USER_ID": .int(Int(getuid())),
        ]
    }

    /// Keys in the order Tutor's config dict has them: config.yml's, then generated ones, then defaults.
    var orderedKeys: [String] {
        var seen = Set<String>()
        var out: [String] = []
        for k in Array(user.keys) + Array(base.keys) + Array(defaults.keys) where seen.insert(k).inserted { out.append(k) }
        return out
    }

    /// Every config key (not the template globals), sorted.
    var keys: [String] {
        var all = Set(user.keys)
        all.formUnion(base.keys)
        all.formUnion(defaults.keys)
        return all.sorted()
    }

    func isKnown(_ key: String) -> Bool { user[key] != nil || base[key] != nil || defaults[key] != nil }

    /// Where a key's value comes from, for `config list` and error messages.
    func layer(of key: String) -> String? {
        if overrides[key] != nil { return "environment (TUTOR_\(key))" }
        if user[key] != nil { return "config.yml" }
        if base[key] != nil { return "generated" }
        if defaults[key] != nil { return "default" }
        return nil
    }

    /// The value as written, before rendering.
    func raw(_ key: String) -> Value? {
        overrides[key] ?? user[key] ?? base[key] ?? defaults[key]
    }

    func unknownKey(_ key: String, at span: Span?) -> Diagnostic {
        Diagnostic(.configError, "unknown config key `\(key)`", at: span,
                   help: closestName(to: key, in: keys).map { "did you mean `\($0)`?" }
                       ?? "`config list` shows every key; plugins add their own when enabled")
    }

    /// The rendered value of `key`.
    func value(_ key: String, at span: Span? = nil) throws -> Value {
        if let v = cache[key] { return v }
        guard let raw = raw(key) else { throw unknownKey(key, at: span) }
        if let i = inProgress.firstIndex(of: key) {
            let chain = (inProgress[i...] + [key]).joined(separator: " → ")
            throw Diagnostic(.configError, "config value \(key) refers to itself: \(chain)", at: span,
                             help: "one of these values must not use `{{ … }}` to refer back")
        }
        inProgress.append(key)
        defer { inProgress.removeLast() }
        let v = try render(raw, name: "\(key) (\(layer(of: key) ?? "config"))")
        cache[key] = v
        return v
    }

    /// A name a template may read: a config key or a template global; nil when neither.
    func lookup(_ name: String) throws -> Value? {
        if isKnown(name) { return try value(name) }
        return globals[name]
    }

    /// `value` with every string in it rendered as a template.
    func render(_ value: Value, name: String) throws -> Value {
        switch value {
        case .string(let s): return Template.isPlain(s) ? value : .string(try renderText(s, name: name))
        case .list(let l): return .list(try l.map { try render($0, name: name) })
        case .map(let m):
            var out = OrderedDictionary<String, Value>()
            for (k, v) in m.dict { out[k] = try render(v, name: name) }
            return .map(out)
        default: return value
        }
    }

    func renderText(_ text: String, name: String) throws -> String {
        let template: Template
        if let t = templates[text] {
            template = t
        } else {
            template = try templating { try Template(SourceFile(name: name, text: text)) }
            templates[text] = template
        }
        return try templating { try template.render(scope()) }
    }

    /// What every template rendered against this config sees; `functions` adds `patch()` and friends.
    func scope(functions: [String: TemplateFunction] = [:], include: ((String) throws -> Template?)? = nil) -> TemplateScope {
        var scope = TemplateScope(lookup: { [unowned self] in try self.lookup($0) }, names: { [unowned self] in self.keys + self.globals.keys },
                                  functions: self.functions.merging(functions) { $1 }, filters: filters, include: include)
        scope.pythonText = pythonText
        return scope
    }

    /// Generated keys not yet in config.yml, rendered (random values made now). Saving them makes them permanent.
    func missingGenerated() throws -> OrderedDictionary<String, Value> {
        var out = OrderedDictionary<String, Value>()
        for key in base.keys where user[key] == nil && overrides[key] == nil {
            out[key] = try value(key)
        }
        return out
    }
}

/// The layers under config.yml, and what templates may call while rendering
/// them: from tk8s's built-in templates and YAML plugins, or from a Tutor snapshot.
struct ConfigLayers {
    var base: OrderedDictionary<String, Value>
    var defaults: OrderedDictionary<String, Value>
    var globals: OrderedDictionary<String, Value>
    /// Values forced over config.yml (Tutor's CONFIG_USER filter).
    var forced: OrderedDictionary<String, Value> = [:]
    var filters: [String: TemplateFilter] = TutorFilters.all
    var functions: [String: TemplateFunction] = [:]
    /// Python's text for values that hold tuples (see `TemplateScope.pythonText`).
    var pythonText: ((Value) -> String?)?

    /// tk8s's own base.yml and defaults.yml.
    static func builtin(library: TemplateLibrary = .shared) throws -> ConfigLayers {
        ConfigLayers(base: try library.configMapping("config/base.yml"), defaults: try library.configMapping("config/defaults.yml"),
                     globals: ProjectConfig.builtinGlobals())
    }

    /// Adds YAML plugins' `add`/`set` (generated, saved) and `defaults`, in plugin order.
    mutating func add(_ plugins: [Plugin]) {
        for p in plugins {
            for (k, v) in p.add { base[k] = v }
            for (k, v) in p.set { base[k] = v }
            for (k, v) in p.defaults { defaults[k] = v }
        }
    }
}

extension TemplateLibrary {
    /// A YAML mapping shipped with tk8s (config defaults), read once.
    func configMapping(_ relative: String) throws -> OrderedDictionary<String, Value> {
        if let cached = mappings[relative] { return cached }
        let text = try text(relative)
        let parsed = try ConfigFile.parse(text, file: SourceFile(name: relative, text: text))
        mappings[relative] = parsed
        return parsed
    }
}
