import Core
import Lang
import OrderedCollections

/// A plugin in Tutor's YAML format: config it adds, defaults and overrides,
/// and template text for patch points. Built-in, file and inline plugins
/// are all this one type, read by the one parser below.
public struct Plugin: Sendable {
    public enum Origin: Sendable, Equatable {
        case builtin
        case file(String)
        /// Declared by a script with `plugins define`; lives for the session.
        case inline
    }

    public var name: String
    public var version: String
    public var origin: Origin
    /// `config.add`, prefixed with `NAME_`: generated once, saved to config.yml.
    public var add: OrderedDictionary<String, Value> = [:]
    /// `config.defaults`, prefixed: never saved.
    public var defaults: OrderedDictionary<String, Value> = [:]
    /// `config.set`, unprefixed: overrides saved to config.yml, removed on disable.
    public var set: OrderedDictionary<String, Value> = [:]
    /// Patch point → template text, in the order written.
    public var patches: OrderedDictionary<String, PatchSource> = [:]

    /// One patch's template, with a name for diagnostics (`myplugin.yml#patches/k8s-override`).
    public struct PatchSource: Sendable {
        public var file: SourceFile
    }

    /// The prefix Tutor gives `add` and `defaults` keys: `minio` → `MINIO_`.
    static func prefix(of name: String) -> String { name.uppercased() + "_" }

    /// Reads a plugin from its YAML value. `where` names it in errors (a file, or a script position).
    static func parse(_ value: Value, origin: Origin, sourceName: String, span: Span?, name given: String? = nil) throws -> Plugin {
        func fail(_ message: String, help: String? = nil) -> Diagnostic {
            Diagnostic(.pluginError, "\(sourceName): \(message)", at: span, help: help)
        }
        guard case .map(let top) = value else {
            throw fail("a plugin is a mapping with `name`, `version`, `config` and `patches`, not \(value.typeName)")
        }
        let known = ["name", "version", "config", "patches", "hooks", "templates", "command"]
        for key in top.dict.keys where !known.contains(key) {
            throw fail("unknown key `\(key)`", help: closestName(to: key, in: known).map { "did you mean `\($0)`?" }
                        ?? "a YAML plugin has \(known.joined(separator: ", "))")
        }
        let name: String
        switch top.dict["name"] {
        case .string(let s)? where !s.isEmpty: name = s
        case nil where given != nil: name = given!
        case nil: throw fail("the plugin has no `name`", help: "add a line `name: myplugin` at the top")
        case let other?: throw fail("`name` must be a non-empty string, not \(other.literal)")
        }
        if let given, given != name {
            throw fail("the plugin is called `\(name)` here but `\(given)` by its definition")
        }
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw fail("plugin name `\(name)` may only contain letters, digits, `-` and `_`")
        }
        var plugin = Plugin(name: name, version: top.dict["version"].map(\.displayString) ?? "0.0.0", origin: origin)
        if let config = top.dict["config"] {
            guard case .map(let c) = config else { throw fail("`config` must be a mapping with add, defaults and set") }
            for (section, v) in c.dict {
                guard case .map(let entries) = v else {
                    throw fail("`config.\(section)` must be a mapping of KEY: value, not \(v.typeName)")
                }
                switch section {
                case "add": for (k, x) in entries.dict { plugin.add[prefix(of: name) + k] = x }
                case "defaults": for (k, x) in entries.dict { plugin.defaults[prefix(of: name) + k] = x }
                case "set": plugin.set = entries.dict
                default:
                    throw fail("unknown section `config.\(section)`",
                               help: closestName(to: section, in: ["add", "defaults", "set"]).map { "did you mean `\($0)`?" }
                                   ?? "config has add, defaults and set")
                }
            }
        }
        if let patches = top.dict["patches"] {
            guard case .map(let p) = patches else { throw fail("`patches` must be a mapping of patch name: template text") }
            for (patch, text) in p.dict {
                guard case .string(let s) = text else {
                    throw fail("patch `\(patch)` must be text, not \(text.typeName)",
                               help: "write it as a block: `\(patch): |` followed by indented lines")
                }
                plugin.patches[patch] = PatchSource(file: SourceFile(name: "\(sourceName)#patches/\(patch)", text: s))
            }
        }
        return plugin
    }
}
