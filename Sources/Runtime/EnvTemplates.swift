import Core
import Foundation
import Lang
import OrderedCollections
import Template

/// Where the env's templates come from: tk8s's built-in copies, or the
/// template roots of the user's Tutor and plugins. `EnvRenderer` renders
/// either the same way.
protocol EnvTemplates {
    /// Every file the env gets, in order: its path under env/, the template's name, and whether it is copied as bytes.
    var files: [EnvFile] { get }
    func template(_ name: String) throws -> Template
    func bytes(_ name: String) throws -> [UInt8]
    /// The template `{% include NAME %}` names, or nil when there is none by that name.
    func includable(_ name: String) throws -> Template?
    /// `"dir"|walk_templates`: the rendered templates whose names start with `prefix`, in the loader's order.
    func walk(_ prefix: String) -> [String]
}

struct EnvFile {
    let path: String
    let template: String
    let copy: Bool
}

extension TemplateLibrary: EnvTemplates {
    var files: [EnvFile] { envTemplates.map { EnvFile(path: $0, template: $0, copy: false) } }

    func bytes(_ name: String) throws -> [UInt8] { Array(try text(name).utf8) }

    func walk(_ prefix: String) -> [String] { envTemplates.filter { $0.hasPrefix(prefix) } }
}

/// The user's Tutor's template roots, as its snapshot lists them: each target
/// `(src, dst)` renders the templates whose names start with `src` to `dst/NAME`.
/// Templates are read and parsed once per process.
final class TutorTemplates: EnvTemplates, @unchecked Sendable {
    let snapshot: TutorSnapshot
    private let lock = NSLock()
    private var parsed: [String: Template] = [:]

    init(snapshot: TutorSnapshot) { self.snapshot = snapshot }

    lazy var files: [EnvFile] = {
        var out = OrderedDictionary<String, EnvFile>()
        for (source, destination, _) in snapshot.targets {
            for t in snapshot.templates where !t.skip && t.name.hasPrefix(source) {
                let path = destination.isEmpty ? t.name : destination + "/" + t.name
                out[path] = EnvFile(path: path, template: t.name, copy: t.copy)
            }
        }
        return Array(out.values)
    }()

    func template(_ name: String) throws -> Template {
        lock.lock()
        defer { lock.unlock() }
        if let t = parsed[name] { return t }
        guard let file = snapshot.templateIndex[name] else {
            throw Diagnostic(.templateError, "Tutor has no template \(name)", at: nil)
        }
        let text: String
        do { text = try Files.readText(file.path) } catch {
            throw Diagnostic(.templateError, "cannot read Tutor's template \(file.path)", at: nil,
                             help: "was Tutor or a plugin upgraded or removed? `render --refresh` reads the installation again")
        }
        let t = try templating { try Template(SourceFile(name: name, path: file.path, text: text)) }
        parsed[name] = t
        return t
    }

    func bytes(_ name: String) throws -> [UInt8] {
        guard let file = snapshot.templateIndex[name] else { throw Diagnostic(.templateError, "Tutor has no file \(name)", at: nil) }
        do { return try FileSystem.read(file.path) } catch {
            throw Diagnostic(.templateError, "cannot read Tutor's file \(file.path)", at: nil)
        }
    }

    func includable(_ name: String) throws -> Template? {
        snapshot.templateIndex[name] == nil ? nil : try template(name)
    }

    func walk(_ prefix: String) -> [String] {
        snapshot.templates.filter { !$0.skip && $0.name.hasPrefix(prefix) }.map(\.name)
    }
}
