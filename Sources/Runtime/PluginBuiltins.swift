import Core
import Lang
import OrderedCollections

/// `plugins …`: Tutor's plugin commands, plus `plugins define` for plugins
/// written inline in a script.
enum PluginBuiltins {
    static func register(into r: Registry, _ ctx: RuntimeContext) {
        r.describeGroup("plugins", "List, enable and disable plugins (config.yml `PLUGINS`), or define one inline.")

        r.register(Signature("plugins list", "Every installed plugin: name, version, whether it is enabled, and where it comes from (a Python package through your Tutor, a YAML file, built-in, inline).",
                             statement: .printedAs { tutorTable(of: $0) },
                             examples: ["plugins list", "for p in (plugins list) { print \"$(p.name) $(p.enabled)\" }"])) { args, _ in
            .list(try Project.load(ctx, at: args.span).pluginRows(at: args.span).map { .map($0) })
        }

        let names = Param("names", .string, .variadic, help: "plugin names", completion: .provider("plugin"))
        r.register(Signature("plugins enable", "Enable plugins in config.yml and generate their config; with Tutor installed the env is rendered again, as `tutor plugins enable` does.",
                             params: [names], examples: ["plugins enable minio", "plugins enable minio myplugin"])) { args, _ in
            let wanted = args.strings("names")
            let project = try Project.update(ctx, at: args.span) { user, project in
                var list = try Project.enabledNames(user, root: project.root, at: args.span)
                for name in wanted {
                    try project.requireInstalled(name, at: args.span)
                    if !list.contains(name) { list.append(name) }
                }
                // Tutor saves its loaded plugins, which it keeps sorted.
                if project.tutor != nil { list.sort() }
                user["PLUGINS"] = .list(list.map { .string($0) })
            }
            for name in wanted { ctx.status("Plugin \(name) enabled") }
            if project.tutor != nil { try RenderBuiltins.render(project, ctx, at: args.span) }
            return .null
        }

        r.register(Signature("plugins disable", "Disable plugins in config.yml and remove the values they set, as Tutor does; with Tutor installed their env/ folders are removed and the env rendered again.",
                             params: [names], examples: ["plugins disable minio"])) { args, _ in
            let wanted = args.strings("names")
            var removed: [String] = []
            let project = try Project.update(ctx, at: args.span) { user, project in
                var list = try Project.enabledNames(user, root: project.root, at: args.span)
                for name in wanted {
                    guard list.contains(name) || ctx.inlinePlugins[name] != nil else {
                        if project.isInstalled(name) { continue }  // installed, already disabled
                        try project.requireInstalled(name, at: args.span)  // unknown: did-you-mean
                        continue
                    }
                    list.removeAll { $0 == name }
                    for k in project.keysSet(by: name) { user[k] = nil }
                    removed += project.envFolders(of: name)
                    ctx.inlinePlugins[name] = nil
                }
                if project.tutor != nil { list.sort() }
                user["PLUGINS"] = .list(list.map { .string($0) })
            }
            for folder in removed where Files.exists(folder) {
                do { try Files.removeTree(folder) } catch let f as Files.Failure {
                    throw Diagnostic(.pluginError, "cannot remove \(folder): \(f.description)", at: args.span)
                }
                ctx.status("Removed \(folder)")
            }
            for name in wanted { ctx.status("Plugin \(name) disabled") }
            if project.tutor != nil { try RenderBuiltins.render(project, ctx, at: args.span) }
            return .null
        }

        r.register(Signature("plugins printroot", "Print where Tutor YAML plugins are read from: $TUTOR_PLUGINS_ROOT, else ~/.local/share/tutor-plugins.",
                             statement: .printed, examples: ["plugins printroot"])) { _, _ in
            .string(ctx.pluginsRoot)
        }

        r.register(Signature("plugins define", "Declare a plugin in the script, in Tutor's YAML plugin format (a map or YAML text); it is enabled for this session.",
                             params: [Param("name", .string, help: "the plugin's name"),
                                      Param("spec", .any, help: "a map or YAML text with version, config {add, defaults, set} and patches")],
                             flags: [FlagSpec("save", help: "also write it to the plugins root as NAME.yml and enable it in config.yml, so Tutor sees it too")],
                             examples: ["plugins define volumes {patches: {\"k8s-override\": $pvc}}",
                                        "plugins define myplugin \"\"\"\n  patches:\n    k8s-override: |\n      ...\n  \"\"\" --save"])) { args, _ in
            let name = args.string("name")
            var spec = args.value("spec")
            if case .string(let text) = spec {
                do { spec = try YAMLCodec.decode(text) } catch let f as YAMLCodec.Failure {
                    throw Diagnostic(.pluginError, "plugin \(name) is not valid YAML: \(f.description)", at: args.span)
                }
            }
            let plugin = try Plugin.parse(spec, origin: .inline, sourceName: "plugin \(name)", span: args.span, name: name)
            if args.has("save") {
                var document = OrderedDictionary<String, Value>()
                document["name"] = .string(name)
                if case .map(let m) = spec { for (k, v) in m.dict where k != "name" { document[k] = v } }
                let path = ctx.pluginsRoot + "/" + name + ".yml"
                do {
                    try FileSystem.writeAtomically(path, Array(try YAMLCodec.encode(.map(document)).utf8))
                } catch let f as Files.Failure {
                    throw Diagnostic(.pluginError, f.description, at: args.span)
                }
                try Project.update(ctx, at: args.span) { user, project in
                    var list = try Project.enabledNames(user, root: project.root, at: args.span)
                    if !list.contains(name) { list.append(name) }
                    user["PLUGINS"] = .list(list.map { .string($0) })
                }
                ctx.status("Plugin \(name) saved to \(path) and enabled")
            } else {
                ctx.inlinePlugins[name] = plugin
                // Its generated values are saved like any plugin's, so they stay stable across runs.
                if Files.exists(ctx.root.configFile) { try Project.update(ctx, at: args.span) { _, _ in } }
            }
            return .null
        }
    }

    /// `plugins list` as a statement prints what `tutor plugins list` prints: NAME, STATUS, VERSION.
    static func tutorTable(of plugins: Value) -> String {
        guard case .list(let rows) = plugins else { return "" }
        var table = [["NAME", "STATUS", "VERSION"]]
        for case .map(let row) in rows {
            let source = row.dict["source"]?.displayString ?? ""
            let status = row.dict["enabled"]?.isTruthy == true ? "✅ enabled" : source.hasPrefix("not ") ? "not installed" : "installed"
            let version = row.dict["version"].map { $0.equals(.null) ? "" : $0.displayString } ?? ""
            table.append([row.dict["name"]?.displayString ?? "", status, String(version.map { $0 == "\n" ? " " : $0 })])
        }
        return formatTable(table)
    }

    /// Tutor's `utils.format_table`: every column but the last padded to its widest cell (in code points, as
    /// Python counts) and followed by a tab; no newline after the last row.
    static func formatTable(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        var widths = [Int](repeating: 1, count: first.count)
        for row in rows { for (c, cell) in row.enumerated() { widths[c] = max(widths[c], cell.unicodeScalars.count) } }
        return rows.map { row in
            row.enumerated().map { c, cell in
                c < widths.count - 1 ? cell + String(repeating: " ", count: widths[c] - cell.unicodeScalars.count) + "\t" : cell
            }.joined()
        }.joined(separator: "\n")
    }
}
