import Foundation
import XCTest
@testable import Sandbox

/// A fresh sandbox in a temp dir, and a way to run the real /usr/bin/kubectl against it (argv arrays, stdin from
/// /dev/null, its own kubeconfig and KUBECACHEDIR), killed if it runs longer than `timeout`.
class SandboxTestCase: XCTestCase {
    var sandbox: Sandbox!
    var dir: URL!
    var kubeconfig = ""
    var port = 0

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Standard output as it came (a gzip stream is no text).
        var stdoutBytes: [UInt8] = []
    }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        sandbox = Sandbox(directory: dir)
        sandbox.delays = .fast
        (port, kubeconfig) = try sandbox.start()
    }

    override func tearDownWithError() throws {
        sandbox?.stop()
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    @discardableResult
    func kubectl(_ args: [String], timeout: TimeInterval = 30, file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        try kubectl(args, stdin: "/dev/null", timeout: timeout, file: file, line: line)
    }

    /// kubectl with standard input from the file at `stdin`, killed after `timeout`.
    func kubectl(_ args: [String], stdin: String, timeout: TimeInterval = 30, file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let (p, out, err) = try startKubectl(args, stdin: stdin)
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning {
            p.terminate()
            XCTFail("kubectl \(args.joined(separator: " ")) timed out after \(timeout)s", file: file, line: line)
        }
        p.waitUntilExit()
        let bytes = [UInt8](try Data(contentsOf: out))
        return Result(status: p.terminationStatus, stdout: String(decoding: bytes, as: UTF8.self),
                      stderr: try String(contentsOf: err, encoding: .utf8), stdoutBytes: bytes)
    }

    /// Starts kubectl in the background against this sandbox, its stdout and stderr in files.
    func startKubectl(_ args: [String], stdin: String = "/dev/null") throws -> (Process, URL, URL) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/kubectl")
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["KUBECONFIG"] = kubeconfig
        env["KUBECACHEDIR"] = dir.appendingPathComponent("cache").path
        env["HOME"] = dir.path
        p.environment = env
        p.standardInput = FileHandle(forReadingAtPath: stdin)
        let out = dir.appendingPathComponent("out-\(UUID().uuidString)"), err = dir.appendingPathComponent("err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        try p.run()
        return (p, out, err)
    }

    /// Runs kubectl and fails the test unless it exits 0.
    @discardableResult
    func ok(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let r = try kubectl(args, file: file, line: line)
        XCTAssertEqual(r.status, 0, "kubectl \(args.joined(separator: " ")): \(r.stderr)", file: file, line: line)
        return r
    }

    /// Writes files into a new directory under the test's temp dir.
    func writeDirectory(_ name: String, _ files: [String: String]) throws -> String {
        let d = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        for (file, text) in files { try text.write(to: d.appendingPathComponent(file), atomically: true, encoding: .utf8) }
        return d.path
    }
}

/// Manifests the tests apply, as YAML text.
enum Manifests {
    static func namespace(_ name: String = "demo") -> String {
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: \(name)}\n"
    }

    /// A one-container busybox Job in `demo` that runs `echo hi`; `annotations` is a flow map (`{sandbox.tk8s/fail: "true"}`).
    static func job(_ name: String, annotations: String = "{}") -> String {
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: \(name), namespace: demo, annotations: \(annotations)}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: main, image: busybox, command: [echo, hi]}]

        """
    }
}

extension SandboxDelays {
    /// Controllers at test speed: a pod starts, and a Job's pod finishes, in 50 ms.
    static let fast = SandboxDelays(podStart: 0.05, jobRun: 0.05)
}

/// Runs `executable` with standard input from /dev/null and its output (stdout and stderr together) in a file under
/// `directory`; killed after `timeout`. Returns its exit status and output.
func runTool(_ executable: String, _ args: [String], environment: [String: String], in directory: String,
             timeout: TimeInterval = 120) throws -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = args
    p.environment = environment
    let outPath = directory + "/out-\(UUID().uuidString)"
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    p.standardError = p.standardOutput
    p.standardInput = FileHandle(forReadingAtPath: "/dev/null")
    try p.run()
    let deadline = Date().addingTimeInterval(timeout)
    while p.isRunning && Date() < deadline { usleep(20_000) }
    if p.isRunning {
        p.terminate()
        XCTFail("\(executable) \(args.joined(separator: " ")) timed out after \(timeout)s")
    }
    p.waitUntilExit()
    return (p.terminationStatus, try String(contentsOfFile: outPath, encoding: .utf8))
}

/// The `tk8s` binary next to the test bundle (macOS: beside the .xctest bundle; Linux: the test executable's directory).
func tk8sBinaryPath() -> String {
    let candidates = Bundle.allBundles.filter { $0.bundlePath.hasSuffix(".xctest") }.map { $0.bundleURL.deletingLastPathComponent() }
        + [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
    let paths = candidates.map { $0.appendingPathComponent("tk8s").path }
    return paths.first(where: FileManager.default.isExecutableFile) ?? paths.last!
}

/// Tutor 22 with its plugins (`$TK8S_TUTOR`, the venv .ci/run makes): skipped where it is not installed, a failure under CI.
func tutorExecutable() throws -> String {
    if let path = ProcessInfo.processInfo.environment["TK8S_TUTOR"], FileManager.default.isExecutableFile(atPath: path) {
        return path
    }
    if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("TK8S_TUTOR must point at tutor 22 in CI; .ci/run installs it") }
    throw XCTSkip("tutor 22 not installed; set TK8S_TUTOR (bash .ci/run does)")
}
