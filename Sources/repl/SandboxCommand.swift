import ArgumentParser
import Core
import Foundation
import Glibc
import Lang
import Sandbox

/// A sandbox cluster for one tk8s run: started before the script, its kubeconfig
/// and kubectl's cache in a temporary directory, both put in the environment so
/// every kubectl call (and the REPL's prompt) uses them; stopped and removed at the end.
final class SandboxSession {
    let sandbox: Sandbox
    let directory: URL
    let port: Int
    let kubeconfig: String

    private init(sandbox: Sandbox, directory: URL, port: Int, kubeconfig: String) {
        self.sandbox = sandbox; self.directory = directory; self.port = port; self.kubeconfig = kubeconfig
    }

    /// Starts a fresh sandbox; exits with status 1 and a message when it cannot. `delays` default to the
    /// environment's (`TK8S_SANDBOX_POD_START`, `TK8S_SANDBOX_JOB_RUN`), else the sandbox's own; so do `dumps`
    /// (`TK8S_SANDBOX_DUMP_SIZE`, `TK8S_SANDBOX_DUMP_FAIL_AFTER`).
    static func start(port: Int = 0, stateFile: String? = nil, delays: SandboxDelays? = nil, dumps: SandboxDumpSettings? = nil) -> SandboxSession {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tk8s-sandbox-\(getpid())-\(UUID().uuidString.prefix(6))")
        let sandbox = Sandbox(directory: dir, port: port, stateFile: stateFile)
        sandbox.delays = delays ?? environmentDelays()
        sandbox.dumps = dumps ?? environmentDumps()
        do {
            let (bound, path) = try sandbox.start()
            setenv("KUBECONFIG", path, 1)
            setenv("KUBECACHEDIR", dir.appendingPathComponent("cache").path, 1)
            return SandboxSession(sandbox: sandbox, directory: dir, port: bound, kubeconfig: path)
        } catch {
            StandardError.write("error: cannot start the sandbox cluster: \(error)\n")
            Glibc.exit(1)
        }
    }

    /// How slow the simulated cluster is: a teacher slows it down so that `kubectl get pods -w` shows each pod go
    /// from ContainerCreating to Running. A value that is not a number of seconds in 0…3600 is a usage error.
    static func environmentDelays() -> SandboxDelays {
        var delays = SandboxDelays()
        for (name, key) in [("TK8S_SANDBOX_POD_START", \SandboxDelays.podStart), ("TK8S_SANDBOX_JOB_RUN", \SandboxDelays.jobRun)] {
            guard let text = ProcessInfo.processInfo.environment[name], !text.isEmpty else { continue }
            guard let seconds = Double(text), Self.delayRange.contains(seconds) else {
                StandardError.write("error: \(name)=\(text) is not a number of seconds from 0 to 3600\n")
                Glibc.exit(2)
            }
            delays[keyPath: key] = seconds
        }
        return delays
    }

    static let delayRange: ClosedRange<Double> = 0...3600

    /// The simulated dumps a backup routine is tested against: their size, and where they break. A value that is not
    /// a byte count (`65536`, `64KiB`, `512MB`, `1GiB`) is a usage error.
    static func environmentDumps() -> SandboxDumpSettings {
        var dumps = SandboxDumpSettings()
        let env = ProcessInfo.processInfo.environment
        if let text = env["TK8S_SANDBOX_DUMP_SIZE"], !text.isEmpty { dumps.size = bytes(text, "TK8S_SANDBOX_DUMP_SIZE=\(text)") }
        if let text = env["TK8S_SANDBOX_DUMP_FAIL_AFTER"], !text.isEmpty { dumps.failAfter = bytes(text, "TK8S_SANDBOX_DUMP_FAIL_AFTER=\(text)") }
        return dumps
    }

    private static func bytes(_ text: String, _ what: String) -> Int {
        guard let n = SandboxDumpSettings.parseBytes(text) else {
            StandardError.write("error: \(what) is not \(SandboxDumpSettings.bytesFormat)\n")
            Glibc.exit(2)
        }
        return n
    }

    /// Stops the sandbox and removes its directory; false when its state file could not be written.
    @discardableResult
    func stop() -> Bool {
        let failure = sandbox.stop()
        try? FileManager.default.removeItem(at: directory)
        if let failure { StandardError.write("error: \(failure)\n") }
        return failure == nil
    }
}

/// `tk8s sandbox serve`: a sandbox cluster for other terminals.
struct SandboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a sandbox Kubernetes API server on 127.0.0.1 (no real cluster needed).",
        subcommands: [Serve.self]
    )

    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve a sandbox cluster until Ctrl-C; prints the kubeconfig to use in other terminals.")

        @Option(help: ArgumentHelp("The port on 127.0.0.1 (default: a free one).", valueName: "n"))
        var port: Int = 0

        @Option(help: ArgumentHelp("Keep the objects in this JSON file: read at start when it exists, rewritten after every change, so a restart carries on.", valueName: "file"))
        var state: String?

        @Option(help: ArgumentHelp("Seconds a pod stays Pending before it runs (default: $TK8S_SANDBOX_POD_START, else 0.5).", valueName: "seconds"))
        var podStart: Double?

        @Option(help: ArgumentHelp("Seconds a Job's pod runs before it completes (default: $TK8S_SANDBOX_JOB_RUN, else 0.5).", valueName: "seconds"))
        var jobRun: Double?

        @Option(help: ArgumentHelp("Bytes of a simulated mysqldump/mongodump in exec, like 65536, 64KiB, 512MB or 1GiB (default: $TK8S_SANDBOX_DUMP_SIZE, else 64KiB).", valueName: "size"))
        var dumpSize: String?

        @Option(help: ArgumentHelp("Simulated dumps lose their connection after this many bytes (default: $TK8S_SANDBOX_DUMP_FAIL_AFTER, else never).", valueName: "size"))
        var dumpFailAfter: String?

        func validate() throws {
            for (flag, value) in [("--pod-start", podStart), ("--job-run", jobRun)] {
                if let value, !SandboxSession.delayRange.contains(value) {
                    throw ValidationError("\(flag) must be a number of seconds from 0 to 3600")
                }
            }
            for (flag, value) in [("--dump-size", dumpSize), ("--dump-fail-after", dumpFailAfter)] {
                if let value, SandboxDumpSettings.parseBytes(value) == nil {
                    throw ValidationError("\(flag) must be \(SandboxDumpSettings.bytesFormat)")
                }
            }
        }

        func run() throws {
            let stateFile = state.map { FileSystem.canonical($0) }
            var delays = SandboxSession.environmentDelays()
            if let podStart { delays.podStart = podStart }
            if let jobRun { delays.jobRun = jobRun }
            var dumps = SandboxSession.environmentDumps()
            if let size = dumpSize.flatMap(SandboxDumpSettings.parseBytes) { dumps.size = size }
            if let failAfter = dumpFailAfter.flatMap(SandboxDumpSettings.parseBytes) { dumps.failAfter = failAfter }
            let session = SandboxSession.start(port: port, stateFile: stateFile, delays: delays, dumps: dumps)
            print("Sandbox cluster at https://127.0.0.1:\(session.port)")
            print("In another terminal: export KUBECONFIG=\(session.kubeconfig)")
            if let stateFile {
                print("Ctrl-C stops it; its objects are kept in \(stateFile).")
            } else {
                print("Ctrl-C stops it (its objects are gone then).")
            }
            StandardOutput.flush()
            fflush(nil)
            signal(SIGTERM) { _ in Interpreter.interruptRequested = true }
            while !Interpreter.interruptRequested { usleep(100_000) }
            let saved = session.stop()
            print("\nSandbox stopped.")
            if !saved { throw ExitCode(1) }
        }
    }
}
