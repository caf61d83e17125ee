#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Lang
import OrderedCollections

/// Renders `<root>/env` from tk8s's templates, the config and the enabled
/// plugins' patches. Everything is rendered and checked in memory first,
/// then written to a fresh directory that replaces env in one step; a failed
/// render leaves the old env as it was. `env-custom/` is never touched.
struct EnvRenderer {
    let project: Project
    var library: TemplateLibrary = .shared

    /// Patch points whose text is YAML: each plugin's patch must parse on its own.
    private static func isYAMLPatch(_ name: String) -> Bool { name.hasPrefix("k8s-") || name.hasPrefix("kustomization") }

    /// The rendered env, path → contents, without touching the disk.
    func renderFiles() throws -> OrderedDictionary<String, String> {
        try project.requireEnabledPlugins()
        let patches = PatchRenderer(project: project)
        try patches.checkYAMLPatches(where: Self.isYAMLPatch)
        var files = OrderedDictionary<String, String>()
        for rel in library.envTemplates {
            patches.used = []
            let template = try library.template(rel)
            let scope = project.config.scope(functions: ["patch": patches.function()],
                                             include: { [library] in try library.includable($0) })
            let text = try template.render(scope)
            if rel.hasSuffix(".yml") || rel.hasSuffix(".yaml") {
                try checkYAML(text, file: rel, patches: patches.used)
            }
            files[rel] = text
        }
        return files
    }

    /// Renders and swaps the new env into place; returns the number of files written.
    @discardableResult
    func render() throws -> Int {
        let files = try renderFiles()
        let env = project.root.env
        let fresh = project.root.path + "/.env.tmp-\(getpid())"
        do {
            try Files.removeTree(fresh)
            try FileSystem.makeDirectories(fresh)
            for (rel, text) in files {
                try FileSystem.makeDirectories(FileSystem.directory(fresh + "/" + rel))
                // No fsync per file: env is derived from config.yml (which is synced) and one `render`
                // rebuilds it after a crash; syncing 20 files would double the time of every render.
                try FileSystem.writeNew(fresh + "/" + rel, Array(text.utf8), mode: 0o644, sync: false)
            }
            try Self.carryOverBuildContexts(from: env, to: fresh)
            try Files.replaceDirectory(env, with: fresh)
        } catch let f as Files.Failure {
            try? Files.removeTree(fresh)
            throw Diagnostic(.configError, "cannot write the environment: \(f.description)", at: nil)
        }
        return files.count
    }

    /// tk8s renders no Docker build contexts, but `images build NAME` builds `env/build/NAME` — one Tutor rendered,
    /// or a Dockerfile the operator put there. A render must not wipe them, so `env/build` is copied into the new env
    /// (a copy, not a move: until the swap, the old env stays whole).
    static func carryOverBuildContexts(from env: String, to fresh: String) throws {
        let build = env + "/build"
        guard FileSystem.isDirectory(build), !Files.exists(fresh + "/build") else { return }
        do {
            try FileManager.default.copyItem(atPath: build, toPath: fresh + "/build")
        } catch {
            throw Files.Failure("copy the build contexts", build)
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
/// each rendered as a template, joined as Tutor joins them.
private final class PatchRenderer {
    let project: Project
    /// Which plugins' patches the current file used (for error messages).
    var used: [(plugin: String, patch: String)] = []
    private var cache: [String: [(plugin: String, text: String)]] = [:]

    init(project: Project) { self.project = project }

    /// Each plugin's rendered text for `name`, in plugin order.
    func rendered(_ name: String) throws -> [(plugin: String, text: String)] {
        if let c = cache[name] { return c }
        var out: [(plugin: String, text: String)] = []
        for p in project.enabled {
            guard let source = p.patches[name] else { continue }
            let template = try Template(source.file)
            out.append((p.name, try template.render(project.config.scope(functions: ["patch": function()]))))
        }
        cache[name] = out
        return out
    }

    /// Every YAML patch must parse on its own, so an error names its plugin and patch.
    func checkYAMLPatches(where isYAML: (String) -> Bool) throws {
        for p in project.enabled {
            for (name, source) in p.patches where isYAML(name) {
                guard let text = try rendered(name).first(where: { $0.plugin == p.name })?.text else { continue }
                do {
                    try YAMLCodec.validate(text)
                } catch let f as YAMLCodec.Failure {
                    let line = f.line ?? 1
                    // A patch without template tags renders to itself: point into the plugin's own text.
                    let onSource = Template.isPlain(String(decoding: source.file.bytes, as: UTF8.self))
                    let file = onSource ? source.file : SourceFile(name: source.file.name + " (rendered)", text: text)
                    throw Diagnostic(.pluginError, "plugin \(p.name): patch `\(name)` is not valid YAML: \(f.problem)",
                                     at: file.span(line: line, column: f.column ?? 1), help: f.context)
                }
            }
        }
    }

    func function() -> TemplateFunction {
        { [unowned self] args, kwargs in
            guard case .string(let name)? = args.first else {
                throw Diagnostic(.templateError, "patch() needs the patch name as a string: patch(\"k8s-deployments\")", at: nil)
            }
            var separator = "\n", suffix = ""
            for (k, v) in kwargs {
                switch k {
                case "separator": separator = v.displayString
                case "suffix": suffix = v.displayString
                default: throw Diagnostic(.templateError, "patch() has no argument `\(k)`", at: nil)
                }
            }
            if args.count > 1 { separator = args[1].displayString }
            if args.count > 2 { suffix = args[2].displayString }
            let parts = try rendered(name)
            self.used += parts.map { ($0.plugin, name) }
            let joined = parts.map(\.text).joined(separator: separator)
            return .string(joined.isEmpty ? "" : joined + suffix)
        }
    }
}
