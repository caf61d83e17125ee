#if canImport(Glibc)
import Glibc
#endif
import Core
import Foundation
import Lang
import OrderedCollections
import Template

/// Renders `<root>/env` from the templates (the user's Tutor's, or tk8s's
/// built-in copies), the config and the enabled plugins' patches. Everything
/// is rendered and checked in memory first, then written to a fresh directory
/// that replaces env in one step; a failed render leaves the old env as it
/// was. `env-custom/` is never touched.
struct EnvRenderer {
    let project: Project

    private var templates: EnvTemplates { project.tutor?.templates ?? TemplateLibrary.shared }

    /// Patch points whose text is YAML: each plugin's patch must parse on its own.
    private static func isYAMLPatch(_ name: String) -> Bool { name.hasPrefix("k8s-") || name.hasPrefix("kustomization") }

    /// One env file's contents: rendered text, or bytes copied as they are.
    enum Contents {
        case text(String)
        case bytes([UInt8])

        var bytes: [UInt8] {
            switch self {
            case .text(let s): return Array(s.utf8)
            case .bytes(let b): return b
            }
        }
    }

    /// The rendered env, path → contents, without touching the disk.
    func renderFiles() throws -> OrderedDictionary<String, Contents> {
        try project.requireEnabledPlugins()
        let templates = self.templates
        let patches = PatchRenderer(project: project, templates: templates)
        try patches.checkYAMLPatches(where: Self.isYAMLPatch)
        var files = OrderedDictionary<String, Contents>()
        for file in templates.files {
            if file.copy {
                files[file.path] = .bytes(try templates.bytes(file.template))
                continue
            }
            patches.used = []
            let text = try templating { try templates.template(file.template).render(patches.scope()) }
            if file.path.hasSuffix(".yml") || file.path.hasSuffix(".yaml") {
                try checkYAML(text, file: file.path, patches: patches.used)
            }
            files[file.path] = .text(text)
        }
        if let snapshot = project.tutor?.snapshot {
            // What the plugins' ENV_SAVED callbacks write after Tutor's own render (mfe's env.config.*.jsx).
            for (path, text) in snapshot.envSavedFiles { files[path] = .text(text) }
            for path in snapshot.envSavedRemoved { files[path] = nil }
        }
        return files
    }

    /// Renders and swaps the new env into place; returns the number of files written.
    @discardableResult
    func render() throws -> Int {
        let files = try renderFiles()
        let env = project.root.env
        // A render that changes nothing writes nothing: creating ~160 files and their folders is most of
        // the time of a render with Tutor's templates, and an unchanged env keeps its files' times.
        let root = project.root
        if Self.isCurrent(env, files) {
            // Nothing to write, but what a killed tk8s left behind still goes (best effort: the render succeeded).
            if !root.leftovers.isEmpty { try? root.withWriteLock {} }
            return 0
        }
        do {
            try root.withWriteLock {
                do {
                    try Self.build(root.freshEnv, files, env: env)
                    try Self.carryOverBuildFiles(from: env, to: root.freshEnv, rendered: files)
                    try Files.replaceDirectory(env, with: root.freshEnv, aside: root.asideEnv)
                } catch {
                    try? Files.removeTree(root.freshEnv)
                    throw error
                }
            }
        } catch let f as Files.Failure {
            throw Diagnostic(.configError, f.description, at: nil,
                             help: Files.help(after: f, kept: "env/", root: root.path))
        }
        return files.count
    }

    /// Writes `files` into a new directory `fresh`. A failure names the file of `env` it was writing (the
    /// file the user knows), not its place in the temporary tree.
    private static func build(_ fresh: String, _ files: OrderedDictionary<String, Contents>, env: String) throws {
        func named(_ rel: String, _ body: () throws -> Void) throws {
            do { try body() } catch let f as Files.Failure {
                throw f.code.map { Files.Failure("write", rel.isEmpty ? env : env + "/" + rel, errno: $0) } ?? f
            }
        }
        try named("") { try FileSystem.makeDirectories(fresh) }
        for (rel, text) in files {
            try named(rel) {
                try FileSystem.makeDirectories(FileSystem.directory(fresh + "/" + rel))
                // No fsync per file: env is derived from config.yml (which is synced) and one `render`
                // rebuilds it after a crash; syncing 20 files would double the time of every render.
                try FileSystem.writeNew(fresh + "/" + rel, text.bytes, mode: 0o644, sync: false)
            }
        }
    }

    /// True when `env` holds `files` with the same bytes, and nothing else but files of yours under `build/`.
    static func isCurrent(_ env: String, _ files: OrderedDictionary<String, Contents>) -> Bool {
        var seen = 0
        for rel in Files.walk(env) {
            guard let contents = files[rel] else {
                if rel.hasPrefix("build/") { continue }
                return false
            }
            guard let bytes = try? FileSystem.read(env + "/" + rel), bytes == contents.bytes else { return false }
            seen += 1
        }
        return seen == files.count
    }

    /// `env/build/` holds Docker build contexts, and operators add to them what Tutor tells them to: a theme in
    /// `build/openedx/themes/NAME`, `build/openedx/requirements/private.txt`, a Dockerfile of their own for
    /// `images build`. Tutor never deletes a file there; neither does tk8s: every file under the old `build/`
    /// that the render does not write is copied into the new env (a copy, not a move: until the swap, the old
    /// env stays whole).
    static func carryOverBuildFiles(from env: String, to fresh: String, rendered files: OrderedDictionary<String, Contents>) throws {
        guard FileSystem.isDirectory(env + "/build") else { return }
        for rel in Files.walk(env + "/build") where files["build/" + rel] == nil {
            let target = fresh + "/build/" + rel
            do {
                try FileSystem.makeDirectories(FileSystem.directory(target))
                try FileManager.default.copyItem(atPath: env + "/build/" + rel, toPath: target)
            } catch let f as Files.Failure {
                throw f
            } catch {
                throw Files.Failure("copy your build file", env + "/build/" + rel)
            }
        }
    }

    /// A rendered manifest must be YAML; when it is not, show the rendered line and name the patches that went into it.
    private func checkYAML(_ text: String, file: String, patches used: [(plugin: String, patch: String)]) throws {
        do {
            try YAMLCodec.validate(text)
        } catch let f as YAMLCodec.Failure {
            let rendered = SourceFile(name: "env/\(file) (rendered)", text: text)
            let from = used.map { "`\($0.patch)` from plugin \($0.plugin)" }
            throw Diagnostic(.pluginError, "rendering \(file) gave invalid YAML: \(f.problem)",
                             at: rendered.span(line: f.line ?? 1, column: f.column ?? 1),
                             help: from.isEmpty ? "the template itself is wrong; please report it"
                                 : "this file includes the patches " + from.joined(separator: ", ") + "; check their indentation")
        }
    }
}

/// `patch("name")` for templates: the enabled plugins' texts for that point,
/// each rendered as a template, joined as Tutor joins them; and the scope
/// every env template renders in.
private final class PatchRenderer {
    let project: Project
    let templates: EnvTemplates
    /// Which plugins' patches the current file used (for error messages).
    var used: [(plugin: String, patch: String)] = []
    private var cache: [String: [(plugin: String, text: String)]] = [:]

    init(project: Project, templates: EnvTemplates) {
        self.project = project
        self.templates = templates
    }

    /// What an env template sees: the config, `patch()`, Tutor's `iter_values_named()` and `walk_templates`.
    func scope() -> TemplateScope {
        var scope = project.config.scope(functions: ["patch": function(), "iter_values_named": iterValuesNamed()],
                                         include: { [templates] in try templates.includable($0) })
        scope.filters["walk_templates"] = { [templates] input, _, _ in
            .list(templates.walk(input.displayString).map { .string($0) })
        }
        return scope
    }

    /// Each plugin's rendered text for `name`, in Tutor's order.
    func rendered(_ name: String) throws -> [(plugin: String, text: String)] {
        if let c = cache[name] { return c }
        var out: [(plugin: String, text: String)] = []
        for patch in project.patches[name] ?? [] {
            out.append((patch.plugin, try templating { try Template(patch.file).render(scope()) }))
        }
        cache[name] = out
        return out
    }

    /// Every YAML patch must parse on its own, so an error names its plugin and patch.
    func checkYAMLPatches(where isYAML: (String) -> Bool) throws {
        for (name, sources) in project.patches where isYAML(name) {
            let texts = try rendered(name)
            for (source, rendered) in zip(sources, texts) {
                do {
                    try YAMLCodec.validate(rendered.text)
                } catch let f as YAMLCodec.Failure {
                    let line = f.line ?? 1
                    // A patch without template tags renders to itself: point into the plugin's own text.
                    let onSource = Template.isPlain(String(decoding: source.file.bytes, as: UTF8.self))
                    let file = onSource ? source.file : SourceFile(name: source.file.name + " (rendered)", text: rendered.text)
                    throw Diagnostic(.pluginError, "plugin \(source.plugin): patch `\(name)` is not valid YAML: \(f.problem)",
                                     at: file.span(line: line, column: f.column ?? 1), help: f.context)
                }
            }
        }
    }

    /// Tutor's `iter_values_named(prefix=, suffix=, allow_empty=False)`: config values whose keys match, in the config's order.
    func iterValuesNamed() -> TemplateFunction {
        { [project] args, kwargs in
            let bound = try TemplateParameters("iter_values_named", ["prefix", "suffix", "allow_empty"]).bind(args, kwargs)
            let prefix = bound[0].flatMap { TemplateCoerce.isNull($0) ? nil : $0.displayString }
            let suffix = bound[1].flatMap { TemplateCoerce.isNull($0) ? nil : $0.displayString }
            let allowEmpty = TemplateCoerce.bool(bound[2], default: false)
            var out: [Value] = []
            for key in project.config.orderedKeys {
                if let prefix, !key.hasPrefix(prefix) { continue }
                if let suffix, !key.hasSuffix(suffix) { continue }
                let value = try project.config.value(key)
                if allowEmpty || value.isTruthy { out.append(value) }
            }
            return .list(out)
        }
    }

    func function() -> TemplateFunction {
        { [unowned self] args, kwargs in
            let bound = try TemplateParameters("patch", ["name", "separator", "suffix"], required: 1).bind(args, kwargs)
            guard case .string(let name)? = bound[0] else {
                throw Diagnostic(.templateError, "patch() needs the patch name as a string: patch(\"k8s-deployments\")", at: nil)
            }
            let separator = bound[1]?.displayString ?? "\n"
            let suffix = bound[2]?.displayString ?? ""
            let parts = try rendered(name)
            self.used += parts.map { ($0.plugin, name) }
            let joined = parts.map(\.text).joined(separator: separator)
            return .string(joined.isEmpty ? "" : joined + suffix)
        }
    }
}
