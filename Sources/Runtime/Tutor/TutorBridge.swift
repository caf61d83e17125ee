import Core
import Foundation
import Lang
import OrderedCollections

/// Runs tk8s's bridge helper (`Bridge/tk8s_tutor_bridge.py`, shipped as a
/// resource) with Tutor's Python, through the same process runner as kubectl.
/// The request (the project's config.yml as tk8s is about to save it) goes
/// on standard input; the answer is one JSON document on standard output.
struct TutorBridge {
    let installation: TutorInstallation
    let environment: [String: String]

    static var helperPath: String { RuntimeResources.path("Bridge/tk8s_tutor_bridge.py") }


    /// The snapshot for a project whose config.yml is `user`; the raw JSON text is returned too, for the cache.
    func snapshot(user: OrderedDictionary<String, Value>, root: String) throws -> (TutorSnapshot, String) {
        let text = try run(["snapshot"], user: user, root: root)
        do {
            return (try TutorSnapshot(json: try JSONParser.parse(text, at: nil)), text)
        } catch let m as TutorSnapshot.Malformed {
            throw Diagnostic(.pluginError, "\(m.description)", at: nil, help: "tk8s and its bridge helper disagree; reinstall tk8s")
        }
    }

    /// The (service, script) jobs of `tutor … do NAME ARGS…`, unrendered.
    func doJobs(_ name: String, arguments: [String], user: OrderedDictionary<String, Value>, root: String) throws -> [(service: String, script: String)] {
        let text = try run(["do", name] + arguments, user: user, root: root)
        guard case .map(let top) = try JSONParser.parse(text, at: nil), case .list(let jobs)? = top.dict["jobs"] else {
            throw Diagnostic(.pluginError, "the Tutor bridge gave no jobs for `do \(name)`", at: nil)
        }
        return try jobs.map {
            guard case .list(let pair) = $0, pair.count == 2, case .string(let service) = pair[0], case .string(let script) = pair[1] else {
                throw Diagnostic(.pluginError, "the Tutor bridge gave a malformed job for `do \(name)`", at: nil)
            }
            return (service, script)
        }
    }

    private func run(_ arguments: [String], user: OrderedDictionary<String, Value>, root: String) throws -> String {
        let helper = Self.helperPath
        guard Files.exists(helper) else {
            throw Diagnostic(.pluginError, "tk8s's Tutor bridge helper is missing from \(helper)", at: nil,
                             help: "the tk8s installation is incomplete: rebuild it with `swift build`")
        }
        let request = try JSONWriter.encode(.map(["root": .string(root), "user": .map(user)]))
        let outcome: ProcessOutcome
        do {
            outcome = try ProcessRunner.run(installation.python, ["-B", helper] + arguments, io: .capture,
                                            environment: environment, input: request)
        } catch {
            throw Diagnostic(.pluginError, "cannot run Tutor's Python \(installation.python): \(error)", at: nil,
                             help: "tk8s found Tutor at \(installation.executable); set $TK8S_TUTOR to another `tutor` if that one is broken")
        }
        guard outcome.succeeded else {
            let said = outcome.stderr.split(separator: "\n").last.map(String.init) ?? ""
            let message = said.hasPrefix("tk8s bridge: ") ? String(said.dropFirst(13)) : "the Tutor bridge \(outcome.ending)"
            var d = Diagnostic(.pluginError, message, at: nil,
                               help: "Tutor at \(installation.executable) (Python \(installation.python)) could not load the project's plugins")
            d.fields = [("stderr", .string(outcome.stderr))]
            throw d
        }
        return outcome.stdout
    }
}
