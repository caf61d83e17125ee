import Foundation
import XCTest

/// A real terminal for the `tk8s` binary: a private tmux server (its own
/// socket, no user config) running one 120x40 pane. Keys go in with
/// `send-keys`, the screen comes back with `capture-pane`; waits poll the
/// screen against a deadline instead of sleeping.
final class Terminal {
    private let socket: String
    private let tmux: String

    /// The tmux binary, or a skip (a failure under CI=true: CI must install it).
    static func tmuxPath() throws -> String {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/tmux"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail("tmux is missing; .ci/run installs it")
            throw XCTSkip("tmux is missing")
        }
        throw XCTSkip("tmux is not installed")
    }

    /// Starts `argv` with exactly `environment` (plus the TERM tmux gives its panes).
    init(_ argv: [String], environment: [String: String]) throws {
        tmux = try Terminal.tmuxPath()
        socket = "tk8s-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        let env = ["env", "-i", "TERM=xterm-256color"] + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        try run(["new-session", "-d", "-x", "120", "-y", "40", "--"] + env + argv)
    }

    /// Kills the server and whatever still runs in it.
    func close() {
        _ = try? run(["kill-server"])
    }

    /// Text typed literally (no key names).
    func type(_ text: String) throws { try run(["send-keys", "-t", target, "-l", text]) }

    /// tmux key names: `Enter`, `Tab`, `C-c`, `C-d`, `Up`…
    func press(_ keys: String...) throws { try run(["send-keys", "-t", target] + keys) }

    /// The visible screen, trailing blank lines dropped.
    func screen() throws -> String {
        var lines = try run(["capture-pane", "-p", "-t", target]).components(separatedBy: "\n")
        while lines.last?.trimmingCharacters(in: .whitespaces) == "" { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    /// Whether the pane's program is still running (the session ends with it).
    var isRunning: Bool { (try? run(["has-session", "-t", target])) != nil }

    /// Polls the screen until `done` holds; fails with the last screen after `timeout` seconds.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 5, file: StaticString = #filePath, line: UInt = #line,
                 _ done: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        repeat {
            last = (try? screen()) ?? ""  // nothing once the session has ended
            if done(last) { return last }
            Thread.sleep(forTimeInterval: 0.03)
        } while Date() < deadline
        XCTFail("timed out waiting for \(what); screen:\n\(last)", file: file, line: line)
        throw TerminalError.timedOut(what)
    }

    /// Waits until some line of the screen is exactly `text`.
    @discardableResult
    func waitForLine(_ text: String, timeout: Double = 5, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try waitFor("a line `\(text)`", timeout: timeout, file: file, line: line) { Terminal.lines($0).contains(text) }
    }

    static func lines(_ screen: String) -> [String] {
        screen.components(separatedBy: "\n").map { String($0.reversed().drop { $0 == " " }.reversed()) }
    }

    private var target: String { "tk8s" }

    /// Runs tmux with posix_spawn, not Foundation's Process: Process learns that
    /// a child ended when a descriptor the child inherited closes, and the tmux
    /// server that new-session forks keeps it open for ever.
    @discardableResult
    private func run(_ args: [String]) throws -> String {
        let argv = [tmux, "-L", socket, "-f", "/dev/null"]
            + (args.first == "new-session" ? [args[0], "-s", target] + args.dropFirst() : args)
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw TerminalError.tmuxFailed(args, -1) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if args.first == "new-session" {  // the server must not hold our pipe
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        } else {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, tmux, &actions, nil, cArgs, environ)
        Glibc.close(fds[1])
        defer { Glibc.close(fds[0]) }
        guard spawned == 0 else { throw TerminalError.tmuxFailed(args, spawned) }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fds[0], &buffer, buffer.count)
            if n > 0 { output += buffer[..<n] } else if n == 0 || errno != EINTR { break }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else { throw TerminalError.tmuxFailed(args, status) }
        return String(decoding: output, as: UTF8.self)
    }

    enum TerminalError: Error {
        case tmuxFailed([String], Int32)
        case timedOut(String)
    }
}
