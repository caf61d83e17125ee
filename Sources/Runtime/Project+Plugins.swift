import Core
import Lang
import OrderedCollections

/// What `plugins list/enable/disable` need to know about a project's plugins,
/// from the user's Tutor when it is installed, else from tk8s's catalog.
extension Project {
    /// One row per plugin for `plugins list`: installed ones, then any that config.yml enables but nothing provides.
    func pluginRows(at span: Span?) throws -> [OrderedDictionary<String, Value>] {
        let enabledNames = Set(try Project.enabledNames(config.user, root: root, at: span)).union(enabled.map(\.name))
        var rows: [OrderedDictionary<String, Value>] = []
        func row(_ name: String, _ version: Value, _ source: String) {
            rows.append(["name": .string(name), "version": version, "enabled": .bool(enabledNames.contains(name)), "source": .string(source)])
        }
        if let snapshot = tutor?.snapshot {
            for p in snapshot.installed {
                row(p.name, p.version.isEmpty ? .null : .string(p.version),
                    p.kind == "yaml" ? p.source : "python: \(p.source)")
            }
            for p in enabled where p.origin == .inline { row(p.name, .string(p.version), "inline") }
        } else {
            for (name, entry) in catalog.entries {
                switch entry {
                case .ok(let p):
                    switch p.origin {
                    case .builtin: row(name, .string(p.version), "built-in")
                    case .file(let path): row(name, .string(p.version), path)
                    case .inline: row(name, .string(p.version), "inline")
                    }
                case .broken(let d):
                    row(name, .null, "error: \(d.message)")
                }
            }
        }
        let listed = Set(rows.compactMap { $0["name"]?.displayString })
        for name in try Project.enabledNames(config.user, root: root, at: span) where !listed.contains(name) {
            row(name, .null, tutor == nil ? "not found: a Python plugin needs Tutor installed" : "not installed in Tutor")
        }
        return rows
    }

    func isInstalled(_ name: String) -> Bool {
        if let snapshot = tutor?.snapshot { return snapshot.installedPlugin(name) != nil || enabled.contains { $0.name == name } }
        return catalog.names.contains(name)
    }

    /// Fails, with the closest installed name, when no plugin `name` can be enabled.
    func requireInstalled(_ name: String, at span: Span?) throws {
        guard let snapshot = tutor?.snapshot else {
            _ = try catalog.plugin(name, at: span)
            return
        }
        guard !isInstalled(name) else { return }
        let installed = snapshot.installed.map(\.name)
        throw Diagnostic(.pluginError, "unknown plugin `\(name)`: Tutor has no plugin by that name", at: span,
                         help: closestName(to: name, in: installed).map { "did you mean `\($0)`?" }
                             ?? "installed: \(installed.joined(separator: ", ")); install more with pip into Tutor's Python")
    }

    /// Config keys that disabling `name` removes from config.yml: a YAML plugin's `set`, a Python plugin's CONFIG_OVERRIDES.
    func keysSet(by name: String) -> [String] {
        var keys = tutor?.snapshot.overridesByPlugin[name] ?? []
        if let p = enabled.first(where: { $0.name == name }) ?? (try? catalog.plugin(name, at: nil)) { keys += p.set.keys }
        return keys
    }

    /// The env/ folders a plugin's template targets render into (`env/plugins/mfe/build`), removed when it is disabled, as Tutor does.
    func envFolders(of name: String) -> [String] {
        guard let snapshot = tutor?.snapshot else { return [] }
        return snapshot.targets.filter { $0.plugin == name }.map { target in
            [root.env, target.destination, target.source].filter { !$0.isEmpty }.joined(separator: "/")
        }
    }
}
