import Foundation
import XCTest

/// `tk8s sandbox serve ARGS…` as a child process (the built binary), once it has printed its kubeconfig; and the
/// real kubectl against it. For the tests of the command and of its state file.
struct ServedSandbox {
    let process: Process
    let kubeconfig: String
    /// The rest of the server's standard output.
    let output: FileHandle

    static func start(binary: String, _ args: [String]) throws -> ServedSandbox {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["sandbox", "serve"] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try p.run()
        var text = ""
        let handle = out.fileHandleForReading
        while !text.contains("Ctrl-C stops it") {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let kubeconfig = text.split(separator: "\n").first(where: { $0.contains("export KUBECONFIG=") })?
            .split(separator: "=").last.map(String.init) else {
            p.terminate()
            throw XCTSkip("sandbox serve printed no kubeconfig: \(text)")
        }
        return ServedSandbox(process: p, kubeconfig: kubeconfig, output: handle)
    }

    /// The real kubectl against a served sandbox (stdin /dev/null): its exit status and standard output.
    static func kubectl(_ args: [String], kubeconfig: String, home: String) throws -> (status: Int32, stdout: String) {
        let k = Process()
        k.executableURL = URL(fileURLWithPath: "/usr/bin/kubectl")
        k.arguments = args
        k.environment = ProcessInfo.processInfo.environment.merging(["KUBECONFIG": kubeconfig, "HOME": home, "KUBECACHEDIR": home + "/cache"]) { $1 }
        let out = home + "/kubectl-out-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: out) }
        k.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        k.standardError = FileHandle.nullDevice
        k.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try k.run()
        k.waitUntilExit()
        return (k.terminationStatus, try String(contentsOfFile: out, encoding: .utf8))
    }
}
