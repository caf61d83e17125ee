#if canImport(Glibc)
import Glibc
#endif

/// How a program ended, and what it printed where that was captured.
struct ProcessOutcome: Sendable {
    /// The exit code, or nil when a signal killed it.
    var exitCode: Int32?
    var signal: Int32?
    var stdout = ""
    var stderr = ""

    var succeeded: Bool { exitCode == 0 }
    /// Ctrl-C reached the program: it died of SIGINT or exited 130 as shells do.
    var wasInterrupted: Bool { signal == SIGINT || exitCode == 130 }

    /// "exited with status 2", "was killed by signal 9 (SIGKILL)": how it ended, for messages.
    var ending: String {
        if let exitCode { return "exited with status \(exitCode)" }
        let number = signal ?? 0
        return "was killed by signal \(number)" + (Self.signalName(number).map { " (\($0))" } ?? "")
    }

    /// The usual name of a signal that ends programs; nil for others. Numbers differ between systems, so
    /// scripts match names (`$err.signal == "SIGKILL"`), and messages show both.
    static func signalName(_ number: Int32) -> String? { signalNames[number] }

    private static let signalNames: [Int32: String] = [
        SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
        SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGUSR1: "SIGUSR1",
        SIGSEGV: "SIGSEGV", SIGUSR2: "SIGUSR2", SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM",
        SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ", SIGSYS: "SIGSYS",
    ]
}
