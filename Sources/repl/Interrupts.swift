import Glibc
import Lang

/// Ctrl-C for the whole process. tk8s only notes it: loops, `sleep` and the
/// kubectl runner see `Interpreter.interruptRequested` and stop with E2012
/// (kubectl, in our process group, gets the SIGINT itself).
///
/// At the REPL prompt the ^C key is not a signal (libedit reads with ISIG off;
/// `LineEditor` binds the key), but a SIGINT sent otherwise (`kill -INT`)
/// must still wake the blocked `el_gets`: while a line is read the handler is
/// installed without SA_RESTART (the read fails with EINTR and the line is
/// dropped), and a SIGINT the kernel hands to another thread is forwarded to
/// the reading one. While commands run, SA_RESTART is back on, so no other
/// blocking call sees EINTR.
enum Interrupts {
    nonisolated(unsafe) private static var reader = pthread_t()
    nonisolated(unsafe) private static var reading = false

    private static let handler: @convention(c) (Int32) -> Void = { _ in
        Interpreter.interruptRequested = true
        if Interrupts.reading, pthread_equal(Interrupts.reader, pthread_self()) == 0 {
            pthread_kill(Interrupts.reader, SIGINT)
        }
    }

    /// The handler for running scripts and commands: system calls restart.
    static func install() { setHandler(restart: true) }

    /// Runs `body` (a blocking terminal read) so that Ctrl-C interrupts it.
    static func interruptibly<T>(_ body: () -> T) -> T {
        reader = pthread_self()
        setHandler(restart: false)
        reading = true
        defer {
            reading = false
            setHandler(restart: true)
        }
        return body()
    }

    private static func setHandler(restart: Bool) {
        var action = sigaction()
        action.__sigaction_handler = .init(sa_handler: handler)
        sigemptyset(&action.sa_mask)
        action.sa_flags = restart ? SA_RESTART : 0
        sigaction(SIGINT, &action, nil)
    }
}
