import Core
import Lang
import OrderedCollections
import Template

/// Everything a render needs from the user's Tutor and its plugins, as the
/// bridge helper (`Bridge/tk8s_tutor_bridge.py`) printed it: config layers
/// after the plugins' callbacks, patches in Tutor's order, template roots and
/// files, static template globals, and a memo of the Python callables' results.
/// Read once from JSON; everything here is data, so a render needs no Python.
struct TutorSnapshot {
    /// Bumped when the helper's output changes shape; a cached snapshot of another format is made anew.
    static let format = 1

    struct InstalledPlugin {
        let name: String
        let version: String
        /// Where it comes from: `tutormfe.plugin (tutor-mfe)`, or a file in the plugins root.
        let source: String
        /// `python` or `yaml`.
        let kind: String
    }

    /// One file in the template roots, named as Jinja's loader names it (`k8s/deployments.yml`).
    struct TemplateFile {
        let name: String
        let path: String
        /// Matched an ignore pattern (partials, hidden files): only included by others.
        let skip: Bool
        /// Copied as bytes (a binary extension, or a plugin's IS_FILE_RENDERED callback).
        let copy: Bool
    }

    struct InitTask {
        let service: String
        /// The app context that declared it (`mysql`, `lms`, a plugin's name).
        let app: String?
        let script: String
    }

    struct Image {
        let name: String
        let path: String?
        let tag: String
        let args: [String]
    }

    struct DoCommand {
        let name: String
        let help: String
        /// Declared by Tutor itself (createuser, importdemocourse…), not by a plugin.
        let core: Bool
        let params: [Value]
    }

    let tutorVersion: String
    let python: String
    let installed: [InstalledPlugin]
    /// Loaded plugins, sorted (Tutor loads them alphabetically).
    let loaded: [String]
    /// base.yml, then CONFIG_UNIQUE, then CONFIG_OVERRIDES: what `config save` adds to config.yml once.
    let base: OrderedDictionary<String, Value>
    /// CONFIG_OVERRIDES keys by the plugin that set them (removed from config.yml when it is disabled).
    let overridesByPlugin: [String: [String]]
    let defaults: OrderedDictionary<String, Value>
    /// CONFIG_USER items: forced over config.yml.
    let forcedUser: OrderedDictionary<String, Value>
    /// Patch name → (plugin, text), in Tutor's priority order.
    let patches: [String: [(plugin: String, text: String)]]
    /// Template targets `(src, dst)`, with the plugin that declared each (nil for Tutor's own).
    let targets: [(source: String, destination: String, plugin: String?)]
    /// Every template file, in the loader's (sorted) order.
    let templates: [TemplateFile]
    let templateIndex: [String: TemplateFile]
    /// Filters: name → true when tk8s has it natively (Tutor's own), false for a plugin's Python filter.
    let filters: [String: Bool]
    /// Static template globals (TUTOR_VERSION…).
    let variables: OrderedDictionary<String, Value>
    /// Globals that are Python callables: their results come from `memo`.
    let callables: Set<String>
    let memo: TemplateMemo
    /// Files ENV_SAVED callbacks wrote (env-relative path → text) and removed.
    let envSavedFiles: OrderedDictionary<String, String>
    let envSavedRemoved: [String]
    let initTasks: [InitTask]
    let buildImages: [Image]
    let pullImages: [Image]
    let pushImages: [Image]
    let doCommands: [DoCommand]
    /// Python's `str()` of values that hold tuples (they come as lists), by canonical JSON.
    let pythonTexts: [String: String]
    /// How Tutor's YAML writer lays out strings in this Python (a plugin may change it).
    let yamlStyle: YAMLCodec.Style
    /// Paths whose change makes the snapshot stale (Python's import directories, template roots, the plugins root).
    let fingerprintPaths: [String]
    /// Config keys Python code read while rendering: the cache is only valid while their values are the same.
    let configReads: [String]

    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    init(json: Value) throws {
        func fail(_ what: String) -> Malformed { Malformed(description: "the Tutor bridge's snapshot has no valid \(what)") }
        guard case .map(let top) = json else { throw fail("top-level object") }
        let d = top.dict
        guard case .int(let format)? = d["format"], format == Self.format else { throw fail("format (expected \(Self.format))") }
        func map(_ v: Value?, _ what: String) throws -> OrderedDictionary<String, Value> {
            guard case .map(let m)? = v else { throw fail(what) }
            return m.dict
        }
        func list(_ v: Value?, _ what: String) throws -> [Value] {
            guard case .list(let l)? = v else { throw fail(what) }
            return l
        }
        func string(_ v: Value?, _ what: String) throws -> String {
            guard case .string(let s)? = v else { throw fail(what) }
            return s
        }
        func strings(_ v: Value?, _ what: String) throws -> [String] {
            try list(v, what).map { try string($0, what) }
        }
        func pairs(_ v: Value?, _ what: String) throws -> OrderedDictionary<String, Value> {
            var out = OrderedDictionary<String, Value>()
            for p in try list(v, what) {
                guard case .list(let kv) = p, kv.count == 2, case .string(let k) = kv[0] else { throw fail(what) }
                out[k] = kv[1]
            }
            return out
        }

        let tutor = try map(d["tutor"], "tutor")
        tutorVersion = try string(tutor["version"], "tutor.version")
        python = try string(tutor["python"], "tutor.python")
        let plugins = try map(d["plugins"], "plugins")
        installed = try list(plugins["installed"], "plugins.installed").map {
            let p = try map($0, "plugin")
            return InstalledPlugin(name: try string(p["name"], "plugin name"), version: try string(p["version"], "plugin version"),
                                   source: try string(p["source"], "plugin source"), kind: try string(p["kind"], "plugin kind"))
        }
        loaded = try strings(plugins["loaded"], "plugins.loaded")

        let config = try map(d["config"], "config")
        var base = try map(config["base"], "config.base")
        for (k, v) in try pairs(config["unique"], "config.unique") { base[k] = v }
        var byPlugin: [String: [String]] = [:]
        for o in try list(config["overrides"], "config.overrides") {
            let m = try map(o, "override")
            let key = try string(m["key"], "override key")
            base[key] = m["value"] ?? .null
            if case .string(let plugin)? = m["plugin"] { byPlugin[plugin, default: []].append(key) }
        }
        self.base = base
        overridesByPlugin = byPlugin
        defaults = try pairs(config["defaults"], "config.defaults")
        forcedUser = try pairs(config["user"], "config.user")

        var patches: [String: [(plugin: String, text: String)]] = [:]
        for p in try list(d["patches"], "patches") {
            guard case .list(let item) = p, item.count == 3, case .string(let name) = item[0], case .string(let text) = item[1] else {
                throw fail("patch")
            }
            let plugin: String
            if case .string(let app) = item[2] { plugin = app } else { plugin = "tutor" }
            patches[name, default: []].append((plugin, text))
        }
        self.patches = patches
        targets = try list(d["targets"], "targets").map {
            guard case .list(let t) = $0, t.count == 3, case .string(let source) = t[0], case .string(let destination) = t[1] else {
                throw fail("target")
            }
            if case .string(let plugin) = t[2] { return (source, destination, plugin) }
            return (source, destination, nil)
        }
        templates = try list(d["templates"], "templates").map {
            let t = try map($0, "template")
            return TemplateFile(name: try string(t["name"], "template name"), path: try string(t["path"], "template path"),
                                skip: t["skip"]?.isTruthy ?? false, copy: t["copy"]?.isTruthy ?? false)
        }
        templateIndex = Dictionary(templates.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var filters: [String: Bool] = [:]
        for (name, kind) in try map(d["filters"], "filters") { filters[name] = kind.displayString == "native" }
        self.filters = filters
        variables = try map(d["variables"], "variables")
        callables = Set(try strings(d["callables"], "callables"))
        memo = try TemplateMemo(entries: try list(d["memo"], "memo"))
        let saved = try map(d["envSaved"], "envSaved")
        var written = OrderedDictionary<String, String>()
        for (path, text) in try map(saved["written"] ?? .map([:]), "envSaved.written") {
            written[path] = try string(text, "envSaved file")
        }
        envSavedFiles = written
        envSavedRemoved = try strings(saved["removed"] ?? .list([]), "envSaved.removed")
        initTasks = try list(d["initTasks"], "initTasks").map {
            let t = try map($0, "init task")
            var app: String?
            if case .string(let a)? = t["app"] { app = a }
            return InitTask(service: try string(t["service"], "init task service"), app: app, script: try string(t["script"], "init task script"))
        }
        let images = try map(d["images"], "images")
        func imageList(_ key: String) throws -> [Image] {
            try list(images[key], "images.\(key)").map {
                let m = try map($0, "image")
                var path: String?
                switch m["path"] {
                case .string(let p)?: path = p
                case .list(let parts)?: path = parts.map(\.displayString).joined(separator: "/")
                default: path = nil
                }
                return Image(name: try string(m["name"], "image name"), path: path, tag: try string(m["tag"], "image tag"),
                             args: try strings(m["args"] ?? .list([]), "image args"))
            }
        }
        buildImages = try imageList("build")
        pullImages = try imageList("pull")
        pushImages = try imageList("push")
        doCommands = try list(d["doCommands"], "doCommands").map {
            let m = try map($0, "do command")
            return DoCommand(name: try string(m["name"], "do command name"), help: (try? string(m["help"], "")) ?? "",
                             core: m["core"]?.isTruthy ?? false, params: (try? list(m["params"], "")) ?? [])
        }
        fingerprintPaths = try strings(d["fingerprint"], "fingerprint")
        var texts: [String: String] = [:]
        for pair in try list(d["pythonTexts"] ?? .list([]), "pythonTexts") {
            guard case .list(let p) = pair, p.count == 2, case .string(let text) = p[1] else { throw fail("pythonTexts") }
            texts[TemplateMemo.canonicalJSON(p[0])] = text
        }
        pythonTexts = texts
        let style = try map(d["yamlStyle"], "yamlStyle")
        yamlStyle = .pyYAML(literalMultiline: style["multilineLiteral"]?.isTruthy ?? false,
                            literalWithQuote: style["quoteLiteral"]?.isTruthy ?? false)
        configReads = try strings(d["configReads"], "configReads")
    }

    /// The installed plugin called `name`, if any.
    func installedPlugin(_ name: String) -> InstalledPlugin? { installed.first { $0.name == name } }
}
