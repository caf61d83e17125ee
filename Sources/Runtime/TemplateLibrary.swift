import Core
import Foundation
import Lang
import OrderedCollections
import Template

/// tk8s's own templates, shipped as package resources (`Sources/Runtime/Templates`):
/// the env tree, the config defaults and the built-in plugins. Each template is
/// read and parsed once per process.
final class TemplateLibrary: @unchecked Sendable {
    static let shared = TemplateLibrary(directory: RuntimeResources.path("Templates"))

    let directory: String
    private let lock = NSLock()
    private var parsed: [String: Template] = [:]
    /// The YAML mappings read so far (config defaults), by relative path.
    var mappings: [String: OrderedDictionary<String, Value>] = [:]

    init(directory: String) { self.directory = directory }

    /// Subtrees that are not rendered into `env/`.
    private static let nonEnvDirectories = ["config/", "plugins/", "jobs/"]

    /// Every template that `render` writes into `env/`, as paths relative to it.
    /// Like Tutor, files under a `partials/` directory are only included by other templates.
    lazy var envTemplates: [String] = Files.walk(directory).filter { rel in
        !Self.nonEnvDirectories.contains { rel.hasPrefix($0) } && !FileSystem.baseName(rel).hasPrefix(".")
            && !rel.split(separator: "/").contains("partials")
    }

    func text(_ relative: String) throws -> String {
        do { return try Files.readText(directory + "/" + relative) } catch {
            throw Diagnostic(.templateError, "tk8s's template \(relative) is missing from \(directory)", at: nil,
                             help: "the tk8s installation is incomplete: rebuild it with `swift build`")
        }
    }

    /// The parsed template at `relative` (cached).
    func template(_ relative: String) throws -> Template {
        lock.lock()
        defer { lock.unlock() }
        if let t = parsed[relative] { return t }
        let text = try text(relative)
        let t = try templating { try Template(SourceFile(name: relative, path: directory + "/" + relative, text: text)) }
        parsed[relative] = t
        return t
    }

    /// The template `{% include NAME %}` names, or nil when tk8s has none by that name.
    func includable(_ relative: String) throws -> Template? {
        guard !relative.hasPrefix("/"), !relative.split(separator: "/").contains(".."),
              Files.exists(directory + "/" + relative) else { return nil }
        return try template(relative)
    }

    /// The built-in plugins' YAML files.
    var builtinPluginFiles: [String] { Files.yamlFiles(in: directory + "/plugins") }
}
