import Core
import Foundation
import Lang
import XCTest
@testable import Runtime

/// A throwaway project root, plugins root and HOME, removed when the test ends.
final class TestRoot {
    let dir: String
    var root: String { dir + "/root" }
    var plugins: String { dir + "/plugins" }
    var extraEnvironment: [String: String] = [:]
    /// The runtime context of the last `run`, to look at what it did (how often the Tutor bridge ran).
    private(set) var lastContext: RuntimeContext?

    init() throws {
        dir = NSTemporaryDirectory() + "tk8s-test-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: dir + "/home", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: plugins, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    var environment: [String: String] {
        // tk8s's built-in templates unless a test asks for Tutor (TutorBridgeTests set TK8S_TUTOR).
        ["HOME": dir + "/home", "TUTOR_PLUGINS_ROOT": plugins, "TK8S_TUTOR": "none"].merging(extraEnvironment) { $1 }
    }

    struct Run {
        var status: Int32
        var out: String
        var err: String
    }

    /// Runs tk8s code against this root in-process, exactly as `tk8s --root ROOT -c CODE` would.
    func run(_ code: String, name: String = "<-c>", cluster: ClusterOptions = ClusterOptions(), args: [String] = []) -> Run {
        let rt = Interpreter()
        rt.scriptArguments = args
        var out = "", err = ""
        rt.output = { out += $0 }
        let context = RuntimeContext(rootOption: root, environment: environment, status: { out += $0 + "\n" })
        context.cluster = cluster
        lastContext = context
        Runtime.register(into: rt.registry, context: context)
        let status = rt.execute(SourceFile(name: name, text: code), errors: { err += $0 })
        return Run(status: status, out: out, err: err)
    }

    /// Runs code that must succeed; returns its output.
    @discardableResult
    func ok(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let r = run(code)
        XCTAssertEqual(r.status, 0, "tk8s failed:\n\(r.err)", file: file, line: line)
        return r.out
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOfFile: root + "/" + relative, encoding: .utf8)
    }

    func write(_ relative: String, _ text: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// config.yml as values.
    func config() throws -> [String: Value] {
        guard case .map(let m) = try YAMLCodec.decode(try read("config.yml")) else { return [:] }
        return Dictionary(uniqueKeysWithValues: m.dict.map { ($0.key, $0.value) })
    }
}

/// The diagnostic `body` throws; no error, or an error that is not a Diagnostic, fails the test.
func expectDiagnostic(_ what: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Any) -> Diagnostic? {
    do {
        let v = try body()
        XCTFail("\(what): no error, got \(String(reflecting: v))", file: file, line: line)
    } catch let d as Diagnostic {
        return d
    } catch {
        XCTFail("\(what): not a Diagnostic: \(error)", file: file, line: line)
    }
    return nil
}

/// The built `tk8s` binary, beside the test bundle (`swift build` makes it); the test is skipped without it.
/// On Linux the bundle is the running executable, which `Bundle.allBundles` does not list as `.xctest`.
func tk8sBinary() throws -> String {
    let directories = Bundle.allBundles.filter { $0.bundlePath.hasSuffix(".xctest") }.map { $0.bundleURL.deletingLastPathComponent() }
        + [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
    let paths = directories.map { $0.appendingPathComponent("tk8s").path }
    guard let found = paths.first(where: FileManager.default.isExecutableFile) else {
        throw XCTSkip("tk8s binary not built beside the test bundle (\(paths.joined(separator: ", "))): run `swift build` first")
    }
    return found
}

enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static func path(_ relative: String) -> String { directory + "/" + relative }
    static func text(_ relative: String) throws -> String { try String(contentsOfFile: path(relative), encoding: .utf8) }
}

/// External programs the tests drive: kubectl (always there), Tutor and
/// kubernetes-validate (installed by .ci/run into a venv).
enum Tools {
    struct Output {
        var status: Int32
        var out: String
        var err: String
    }

    static func run(_ argv: [String], environment: [String: String]? = nil) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = argv
        if let environment { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        // Standard error goes to a file, so a chatty child cannot block on a full pipe while we read stdout.
        let errPath = NSTemporaryDirectory() + "tk8s-stderr-" + UUID().uuidString
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle(forWritingAtPath: errPath)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let errData = FileManager.default.contents(atPath: errPath) ?? Data()
        return Output(status: p.terminationStatus, out: String(decoding: outData, as: UTF8.self),
                      err: String(decoding: errData, as: UTF8.self))
    }

    /// `kubectl kustomize DIR`, which must succeed.
    static func kustomize(_ dir: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try run(["kubectl", "kustomize", dir])
        XCTAssertEqual(r.status, 0, "kubectl kustomize \(dir) failed:\n\(r.err)", file: file, line: line)
        return r.out
    }

    /// A tool from the CI venv: skipped where it is not installed, but a failure under CI.
    static func venvTool(_ variable: String, _ name: String) throws -> String {
        if let path = ProcessInfo.processInfo.environment[variable], FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail("\(variable) must point at \(name) in CI; .ci/run installs it")
        }
        throw XCTSkip("\(name) not installed; set \(variable) (bash .ci/run does)")
    }
}

/// What start/stop/logs/wait depend on, per object, as comparable text:
/// kind and name (ConfigMaps without kustomize's hash), `app.kubernetes.io/*`
/// labels, selectors, pod template labels, images, ports, service type,
/// volume claims' sizes.
enum Inventory {
    static func of(_ manifests: String) throws -> [String: String] {
        guard case .list(let docs) = try YAMLCodec.decode(manifests, all: true) else { return [:] }
        var out: [String: String] = [:]
        for case .map(let obj) in docs {
            let kind = obj.dict["kind"]?.displayString ?? "?"
            let item = Value.map(obj)
            var name = item.at("metadata", "name")?.displayString ?? "?"
            if kind == "ConfigMap", let dash = name.lastIndex(of: "-"), name.distance(from: dash, to: name.endIndex) == 11 {
                name = String(name[..<dash])
            }
            var facts: [String] = []
            facts.append("labels=" + appLabels(item.at("metadata", "labels")))
            if let t = item.at("spec", "type") { facts.append("type=\(t.displayString)") }
            if let s = item.at("spec", "selector") { facts.append("selector=" + appLabels(s.at("matchLabels") ?? s)) }
            if let t = item.at("spec", "template", "metadata", "labels") { facts.append("podLabels=" + appLabels(t)) }
            for containers: Value? in [item.at("spec", "template", "spec", "containers"),
                               item.at("spec", "template", "spec", "initContainers")] {
                guard case .list(let cs)? = containers else { continue }
                for c in cs {
                    var portList: [Value] = []
                    if case .list(let l)? = c.at("ports") { portList = l }
                    let ports = portList.map { p in "\(p.at("containerPort")?.displayString ?? "")/\(p.at("protocol")?.displayString ?? "TCP")" }
                    facts.append("container \(c.at("name")?.displayString ?? "?") image=\(c.at("image")?.displayString ?? "") ports=\(ports.joined(separator: ","))")
                }
            }
            if kind == "Service", case .list(let ports)? = item.at("spec", "ports") {
                for p in ports {
                    facts.append("port \(p.at("name")?.displayString ?? "-") \(p.at("port")?.displayString ?? "")->\(p.at("targetPort")?.displayString ?? "") \(p.at("protocol")?.displayString ?? "TCP")")
                }
            }
            if kind == "PersistentVolumeClaim" {
                facts.append("storage=\(item.at("spec", "resources", "requests", "storage")?.displayString ?? "")")
                facts.append("access=\(item.at("spec", "accessModes")?.literal ?? "")")
            }
            if kind == "Namespace" || kind == "ConfigMap" { facts = facts.filter { !$0.hasPrefix("labels=") || true } }
            out["\(kind)/\(name)"] = facts.joined(separator: "\n  ")
        }
        return out
    }

    private static func appLabels(_ v: Value?) -> String {
        guard case .map(let m)? = v else { return "{}" }
        return m.dict.filter { $0.key.hasPrefix("app.kubernetes.io/") && $0.key != "app.kubernetes.io/instance" || $0.key == "app.kubernetes.io/instance" }
            .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.displayString)" }.joined(separator: ",")
    }

    /// A readable difference between two inventories ("" when equal).
    static func diff(expected: [String: String], actual: [String: String]) -> String {
        var lines: [String] = []
        for k in Set(expected.keys).union(actual.keys).sorted() {
            switch (expected[k], actual[k]) {
            case (nil, let a?): lines.append("+ \(k)\n  \(a)")
            case (let e?, nil): lines.append("- \(k)\n  \(e)")
            case (let e?, let a?) where e != a: lines.append("~ \(k)\n  expected: \(e)\n  actual:   \(a)")
            default: break
            }
        }
        return lines.joined(separator: "\n")
    }
}
