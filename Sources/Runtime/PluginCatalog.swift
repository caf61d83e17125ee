import Core
import Lang
import OrderedCollections

/// Every plugin tk8s can load: built-in ones, Tutor YAML plugins in the
/// plugins root, and the ones a script declared inline (later ones win).
/// A file that fails to parse stays in the catalog as its error, so it only
/// stops the commands that need it.
struct PluginCatalog {
    enum Entry {
        case ok(Plugin)
        case broken(Diagnostic)
    }

    private(set) var entries: OrderedDictionary<String, Entry> = [:]
    let pluginsRoot: String

    init(pluginsRoot: String, inline: [Plugin], library: TemplateLibrary = .shared) {
        self.pluginsRoot = pluginsRoot
        for path in library.builtinPluginFiles { add(file: path, origin: .builtin) }
        for path in Files.yamlFiles(in: pluginsRoot) { add(file: path, origin: .file(path)) }
        for p in inline { entries[p.name] = .ok(p) }
    }

    private mutating func add(file path: String, origin: Plugin.Origin) {
        let stem = String(FileSystem.baseName(path).split(separator: ".").first ?? "")
        let shown = origin == .builtin ? "built-in plugin \(FileSystem.baseName(path))" : FileSystem.relativeName(path)
        do {
            let text = try Files.readText(path)
            let file = SourceFile(name: shown, path: path, text: text)
            let value: Value
            do {
                value = try YAMLCodec.decode(text)
            } catch let f as YAMLCodec.Failure {
                throw Diagnostic(.pluginError, "\(shown) is not valid YAML: \(f.problem)",
                                 at: file.span(line: f.line ?? 1, column: f.column ?? 1), help: f.context)
            }
            let plugin = try Plugin.parse(value, origin: origin, sourceName: shown, span: file.span(line: 1, column: 1))
            entries[plugin.name] = .ok(plugin)
        } catch let d as Diagnostic {
            entries[stem] = .broken(d)
        } catch {
            entries[stem] = .broken(Diagnostic(.pluginError, "\(error)", at: nil))
        }
    }

    var names: [String] { Array(entries.keys) }

    /// The plugin called `name`, or an error that suggests the closest installed one.
    func plugin(_ name: String, at span: Span?) throws -> Plugin {
        switch entries[name] {
        case .ok(let p)?: return p
        case .broken(let d)?: throw d
        case nil:
            let help = closestName(to: name, in: entries.keys).map { "did you mean `\($0)`?" }
                ?? "installed plugins: \(entries.keys.joined(separator: ", ")); YAML plugins go in \(pluginsRoot)"
            throw Diagnostic(.pluginError, "unknown plugin `\(name)`", at: span, help: help)
        }
    }
}
