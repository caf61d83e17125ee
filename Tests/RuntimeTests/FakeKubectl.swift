import Foundation
import Lang
import Core
import XCTest
@testable import Runtime

/// The recording fake kubectl (and docker) of `Fixtures/fake-kubectl`, wired
/// into a test root: every call tk8s makes is logged, answers come from rules.
final class FakeKubectl {
    struct Rule: Encodable {
        var argv_prefix: [String]?
        var argv_contains: [String]?
        var stdout = ""
        var stderr = ""
        var exit = 0
        /// A signal's name (`SIGKILL`): the fake kills itself with it after writing its output.
        var signal: String?
    }

    struct Call {
        var program: String
        var argv: [String]
        var files: [String: String]
    }

    let root: TestRoot
    var log: String { root.dir + "/kubectl.log" }
    var rulesFile: String { root.dir + "/kubectl-rules.json" }

    init(_ root: TestRoot, rules: [Rule] = []) throws {
        self.root = root
        let bin = Fixtures.path("fake-kubectl")
        root.extraEnvironment["KUBECTL"] = bin + "/kubectl"
        root.extraEnvironment["DOCKER"] = bin + "/docker"
        root.extraEnvironment["TK8S_FAKE_KUBECTL_LOG"] = log
        root.extraEnvironment["TK8S_FAKE_KUBECTL_RULES"] = rulesFile
        root.extraEnvironment["TK8S_REAL_KUBECTL"] = "/usr/bin/env"  // replaced below when kubectl is found
        root.extraEnvironment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        if let real = Self.which("kubectl") { root.extraEnvironment["TK8S_REAL_KUBECTL"] = real }
        try set(rules)
    }

    static func which(_ tool: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let p = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    func set(_ rules: [Rule]) throws {
        try JSONEncoder().encode(rules).write(to: URL(fileURLWithPath: rulesFile))
    }

    func reset() { try? FileManager.default.removeItem(atPath: log) }

    /// The calls so far, with the root's path written `<ROOT>` as in Tutor's fixtures.
    func calls() throws -> [Call] {
        guard let text = try? String(contentsOfFile: log, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { line in
            let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let argv = (obj["argv"] as! [String]).map { $0.replacingOccurrences(of: root.root, with: "<ROOT>") }
            var files: [String: String] = [:]
            for (k, v) in obj["files"] as? [String: Any] ?? [:] { files[k] = v as? String ?? "" }
            return Call(program: obj["program"] as? String ?? "kubectl", argv: argv, files: files)
        }
    }

    /// Tutor 22's calls for one operation, recorded by `Fixtures/tutor22/kubectl/make-argv-fixtures.sh`.
    static func tutor(_ name: String) throws -> [Call] {
        let text = try Fixtures.text("tutor22/kubectl/\(name).jsonl")
        return try text.split(separator: "\n").map { line in
            let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            var files: [String: String] = [:]
            for (k, v) in obj["files"] as? [String: Any] ?? [:] { files[k] = v as? String ?? "" }
            return Call(program: obj["program"] as? String ?? "kubectl", argv: obj["argv"] as! [String], files: files)
        }
    }
}

extension TestRoot {
    /// A root holding the config.yml Tutor 22 made for the argv fixtures (same ID, namespace and secrets), rendered.
    static func tutorMade() throws -> TestRoot {
        let t = try TestRoot()
        try t.write("config.yml", try Fixtures.text("tutor22/default/config.yml"))
        t.ok("render")
        return t
    }
}
