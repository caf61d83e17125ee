import Core
import Foundation
import Lang
import Subprocess
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// How a program's standard streams are connected.
enum ProcessIO: Sendable, Equatable {
    /// Standard output and error are captured and returned; standard input is empty.
    case capture
    /// Output is shown as it comes; standard error is also kept for the error message.
    case stream
    /// Standard output goes straight into this open file (a dump to disk: tk8s never holds it); standard error
    /// is shown and kept, as with `.stream`.
    case file(Int32)
    /// The terminal is handed over (standard input too): `exec` with a TTY, `logs --follow`.
    case terminal
}

/// Runs one program with an argv array (never a shell) through swift-subprocess,
/// blocking the interpreter's thread until it ends. The child stays in our
/// process group, so Ctrl-C at the terminal reaches it; tk8s only notes the
/// interrupt (see `Interrupts`) and returns once the child is gone.
enum ProcessRunner {
    /// Captured output larger than this is an error rather than a memory blow-up.
    static let captureLimit = 64 << 20

    /// `redact` rewrites each line of standard error before it is shown or kept (secrets out).
    /// `input` is standard input's text in `.capture` mode (the Tutor bridge's request); empty when nil.
    static func run(_ path: String, _ arguments: [String], io: ProcessIO, environment: [String: String],
                    input: String? = nil, redact: @escaping @Sendable (String) -> String = { $0 }) throws -> ProcessOutcome {
        StandardOutput.flush()
        return try blocking { try await runAsync(path, arguments, io: io, environment: environment, input: input, redact: redact) }
    }

    /// Runs several programs at once (`wait lms cms`), each with `io`; the outcomes come back in order.
    static func runAll(_ path: String, _ argvs: [[String]], io: ProcessIO, environment: [String: String],
                       redact: @escaping @Sendable (String) -> String = { $0 }) throws -> [ProcessOutcome] {
        StandardOutput.flush()
        return try blocking {
            try await withThrowingTaskGroup(of: (Int, ProcessOutcome).self) { group in
                for (i, argv) in argvs.enumerated() {
                    group.addTask { (i, try await runAsync(path, argv, io: io, environment: environment, redact: redact)) }
                }
                var outcomes = [ProcessOutcome?](repeating: nil, count: argvs.count)
                for try await (i, o) in group { outcomes[i] = o }
                return outcomes.map { $0! }
            }
        }
    }

    /// Runs several programs at once and returns the index of the first to succeed,
    /// stopping the others (`kubectl wait` for a job's Complete or Failed condition);
    /// nil when all of them failed.
    static func firstToSucceed(_ path: String, _ argvs: [[String]], environment: [String: String]) throws -> (index: Int, outcome: ProcessOutcome)? {
        StandardOutput.flush()
        return try blocking {
            try await withThrowingTaskGroup(of: (Int, ProcessOutcome).self) { group in
                for (i, argv) in argvs.enumerated() {
                    group.addTask { (i, try await runAsync(path, argv, io: .capture, environment: environment)) }
                }
                for try await (i, o) in group where o.succeeded || o.wasInterrupted {
                    group.cancelAll()
                    return (i, o)
                }
                return nil
            }
        }
    }

    private static func runAsync(_ path: String, _ arguments: [String], io: ProcessIO, environment: [String: String],
                                 input: String? = nil,
                                 redact: @escaping @Sendable (String) -> String = { $0 }) async throws -> ProcessOutcome {
            // The session's environment, not the process's: what tk8s was given is what kubectl gets.
            let env = Environment.custom(environment.map { Array("\($0.key)=\($0.value)".utf8) + [0] })
            let configuration = Configuration(executable: .path(FilePath(path)), arguments: Subprocess.Arguments(arguments),
                                              environment: env)
            switch io {
            case .capture:
                let r = try await Subprocess.run(configuration, input: .string(input ?? ""), output: .string(limit: captureLimit),
                                                 error: .string(limit: captureLimit))
                var o = outcome(r.terminationStatus)
                o.stdout = r.standardOutput
                o.stderr = r.standardError
                return o
            case .stream:
                return try await showingErrors(configuration, input: input, output: .currentStandardOutput, redact: redact)
            case .file(let fd):
                return try await showingErrors(configuration, input: input,
                                               output: .fileDescriptor(FileDescriptor(rawValue: fd), closeAfterSpawningProcess: false),
                                               redact: redact)
            case .terminal:
                let r = try await Subprocess.run(configuration, input: .currentStandardInput, output: .currentStandardOutput,
                                                 error: .currentStandardError)
                return outcome(r.terminationStatus)
            }
    }

    /// Runs with standard error shown line by line as it comes (each line redacted) and kept for the error message.
    private static func showingErrors<Output: OutputProtocol>(_ configuration: Configuration, input: String?, output: Output,
                                                               redact: @escaping @Sendable (String) -> String) async throws -> ProcessOutcome {
        let r = try await Subprocess.run(configuration, input: .string(input ?? ""), output: output, error: .sequence) { execution in
            var kept = ""
            var line: [UInt8] = []
            func emit() {
                let text = redact(String(decoding: line, as: UTF8.self))
                FileSystem.writeAll(2, Array(text.utf8)[...])
                if kept.utf8.count < captureLimit { kept += text }
                line.removeAll(keepingCapacity: true)
            }
            for try await chunk in execution.standardError {
                chunk.withUnsafeBytes { raw in
                    for b in raw {
                        line.append(b)
                        if b == UInt8(ascii: "\n") { emit() }
                    }
                }
            }
            if !line.isEmpty { emit() }
            return kept
        }
        var o = outcome(r.terminationStatus)
        o.stderr = r.closureResult
        return o
    }

    private static func outcome(_ status: TerminationStatus) -> ProcessOutcome {
        switch status {
        case .exited(let code): return ProcessOutcome(exitCode: code, signal: nil)
        case .signaled(let signal): return ProcessOutcome(exitCode: nil, signal: signal)
        }
    }

    /// Runs async work to completion from synchronous code. The interpreter runs
    /// on a thread of its own, not on the concurrency pool, so waiting here
    /// cannot starve the task it waits for.
    private static func blocking<T>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let slot = ResultSlot<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { slot.result = .success(try await work()) } catch { slot.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try slot.result!.get()
    }
}

/// Hands a result from the task that made it to the thread waiting for it.
private final class ResultSlot<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}
