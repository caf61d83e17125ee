import Foundation
import XCTest

/// The interactive shell as a user meets it: the real `tk8s` binary in a real
/// pseudo-terminal (tmux), on a project root made by `config save` + `render`,
/// with HOME, the history's state dir and the kubeconfig in a temporary
/// directory. kubectl is `false`, so nothing can reach a cluster.
final class REPLTests: XCTestCase {
    private var dir = ""
    private var terminals: [Terminal] = []
    /// What the session runs as kubectl: `false` unless a test fakes answers.
    private var kubectl = "/bin/false"
    private let prompt = "tk8s openedx@test-ctx> "
    /// The continuation prompt, right-aligned under the prompt.
    private var more: String { String(repeating: " ", count: prompt.count - 5) + "...> " }

    override func setUpWithError() throws {
        _ = try Terminal.tmuxPath()
        dir = NSTemporaryDirectory() + "tk8s-repl-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir + "/home", withIntermediateDirectories: true)
        try "apiVersion: v1\nkind: Config\ncurrent-context: test-ctx\n".write(toFile: dir + "/kubeconfig", atomically: true, encoding: .utf8)
        let make = Process()
        make.executableURL = URL(fileURLWithPath: try binary())
        make.arguments = ["--root", dir + "/root", "-c", "config save; render"]
        make.environment = environment
        make.standardOutput = FileHandle.nullDevice
        try make.run()
        make.waitUntilExit()
        XCTAssertEqual(make.terminationStatus, 0, "config save; render")
    }

    override func tearDown() {
        for t in terminals { t.close() }
        terminals = []
        try? FileManager.default.removeItem(atPath: dir)
    }

    private var environment: [String: String] {
        ["HOME": dir + "/home", "XDG_STATE_HOME": dir + "/state", "TUTOR_ROOT": dir + "/root",
         "TUTOR_PLUGINS_ROOT": dir + "/plugins", "KUBECONFIG": dir + "/kubeconfig", "KUBECTL": kubectl,
         "NO_COLOR": "1", "PATH": "/usr/bin:/bin"]
    }

    /// A new interactive session, once its first prompt shows.
    private func session() throws -> Terminal {
        let t = try Terminal([try binary()], environment: environment)
        terminals.append(t)
        try t.waitFor("the first prompt") { Terminal.lines($0).last == prompt.droppingTrailingSpace }
        return t
    }

    private func binary() throws -> String {
        let path = productsDirectory.appendingPathComponent("tk8s").path
        guard FileManager.default.isExecutableFile(atPath: path) else { throw XCTSkip("tk8s binary not built at \(path)") }
        return path
    }

    private var productsDirectory: URL {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL
    }

    /// The last line of the screen: the one being edited.
    private func editedLine(_ t: Terminal) throws -> String { Terminal.lines(try t.screen()).last ?? "" }

    // MARK: Prompt and results

    func testPromptShowsNamespaceAndKubeContext() throws {
        let t = try session()
        XCTAssertEqual(try editedLine(t), "tk8s openedx@test-ctx>")
    }

    func testMultiLineForBlockShowsContinuationPromptAndRuns() throws {
        let t = try session()
        try t.type("for i in [1, 2, 3] {"); try t.press("Enter")
        try t.waitForLine(more.droppingTrailingSpace)
        try t.type("print \"item $i\""); try t.press("Enter")
        try t.type("}"); try t.press("Enter")
        // Done once the next prompt is drawn under the output.
        let screen = try t.waitFor("the prompt after `item 3`") { Terminal.lines($0).last == prompt.droppingTrailingSpace && $0.contains("item 3") }
        XCTAssertEqual(Array(Terminal.lines(screen).dropFirst()), [
            prompt + "for i in [1, 2, 3] {",
            more + "print \"item $i\"",
            more + "}",
            "item 1", "item 2", "item 3",
            prompt.droppingTrailingSpace,
        ])
    }

    func testErrorLeavesTheSessionAliveAndDefinitionsPersist() throws {
        let t = try session()
        try t.type("let greeting = \"hello\""); try t.press("Enter")
        try waitForPrompt(t)
        try t.type("strat lms"); try t.press("Enter")
        try t.waitForLine("error[E1000]: unknown command `strat`")
        try t.type("print $greeting"); try t.press("Enter")
        try t.waitForLine("hello")
    }

    func testListOfMapsIsATableAndMapsArePrinted() throws {
        let t = try session()
        try t.type("[{name: \"lms\", ready: \"1/1\"}, {name: \"cms-worker\", ready: \"0/1\"}]"); try t.press("Enter")
        let screen = try t.waitForLine("cms-worker   0/1")
        XCTAssertTrue(Terminal.lines(screen).contains("NAME         READY"), screen)
        XCTAssertTrue(Terminal.lines(screen).contains("lms          1/1"), screen)
        try t.type("{lms: 2, cms: [1, 2]}"); try t.press("Enter")
        try t.waitForLine("{lms: 2, cms: [1, 2]}")
    }

    func testStatusAsAValueIsATable() throws {
        let json = #"{"items": [{"kind": "Deployment", "metadata": {"name": "lms"}, "spec": {"replicas": 1}, "status": {"readyReplicas": 1}}]}"#
        try "#!/bin/sh\necho '\(json)'\n".write(toFile: dir + "/kubectl", atomically: true, encoding: .utf8)
        chmod(dir + "/kubectl", 0o755)
        kubectl = dir + "/kubectl"
        let t = try session()
        try t.type("(status)"); try t.press("Enter")
        let screen = try t.waitForLine("Deployment   lms    1/1     Available")
        XCTAssertTrue(Terminal.lines(screen).contains("KIND         NAME   READY   STATUS"), screen)
    }

    /// The teacher's flow: `tk8s --sandbox` at a terminal, the real kubectl, a platform service started and shown
    /// with kubectl's own columns; the sandbox goes with the session.
    func testSandboxSessionStartsAServiceAndKubectlShowsItsPods() throws {
        kubectl = "/usr/bin/kubectl"
        let t = try Terminal([try binary(), "--sandbox"], environment: environment.merging(["PATH": "/usr/bin:/bin"]) { $1 })
        terminals.append(t)
        let sandboxPrompt = "tk8s openedx@sandbox>"
        try t.waitFor("the sandbox prompt") { Terminal.lines($0).last == sandboxPrompt }
        try t.type("start caddy; wait caddy"); try t.press("Enter")
        try t.waitFor("caddy ready", timeout: 30) { $0.contains("condition met") && Terminal.lines($0).last == sandboxPrompt }
        try t.type("kubectl get pods --namespace openedx"); try t.press("Enter")
        let screen = try t.waitFor("the pod table", timeout: 20) { s in Terminal.lines(s).contains { $0.hasPrefix("caddy-") && $0.contains("1/1     Running") } }
        XCTAssertTrue(Terminal.lines(screen).contains { $0.hasPrefix("NAME") && $0.contains("READY   STATUS    RESTARTS   AGE") }, screen)
        try t.type("exit"); try t.press("Enter")
        try t.waitFor("the session to end") { _ in !t.isRunning }
    }

    func testHelpListsTheBuiltins() throws {
        let t = try session()
        try t.type("help sleep"); try t.press("Enter")
        try t.waitFor("the usage of sleep") { $0.contains("sleep SECONDS") }
    }

    func testDeleteAsksFirst() throws {
        let t = try session()
        try t.type("delete"); try t.press("Enter")
        try t.waitFor("the question") { Terminal.lines($0).last?.hasSuffix("volumes and data included? [y/N]") == true }
        try t.type("n"); try t.press("Enter")
        try t.waitForLine("Nothing deleted.")
    }

    // MARK: Completion

    func testTabListsOrCompletesCommandNames() throws {
        let t = try session()
        try t.type("sta"); try t.press("Tab")
        let screen = try t.waitFor("the candidates") { s in Terminal.lines(s).contains { $0.hasPrefix("start ") } }
        let listed = Terminal.lines(screen).first { $0.hasPrefix("start ") }!.split(separator: " ").map(String.init)
        XCTAssertTrue(listed.contains("start") && listed.contains("status"), "\(listed)")
        XCTAssertTrue(listed.allSatisfy { $0.hasPrefix("sta") }, "\(listed)")
        XCTAssertEqual(try editedLine(t), prompt + "sta")  // the line is drawn again under the list
        try t.type("tu"); try t.press("Tab")
        try t.waitFor("status completed") { Terminal.lines($0).last == self.prompt + "status" }
    }

    func testTabCompletesTheFlagsOfTheCommand() throws {
        let t = try session()
        try t.type("logs lms --fo"); try t.press("Tab")
        try t.waitFor("--follow") { Terminal.lines($0).last == self.prompt + "logs lms --follow" }
    }

    func testTabCompletesConfigKeysServicesAndVariables() throws {
        let t = try session()
        try t.type("config get LMS_HO"); try t.press("Tab")
        try t.waitFor("LMS_HOST") { Terminal.lines($0).last == self.prompt + "config get LMS_HOST" }
        try t.press("C-c")
        try t.type("wait cms-w"); try t.press("Tab")  // from env/k8s/deployments.yml
        try t.waitFor("cms-worker") { Terminal.lines($0).last == self.prompt + "wait cms-worker" }
        try t.press("C-c")
        try t.type("let hostname = 1"); try t.press("Enter")
        try waitForPrompt(t)
        try t.type("print $hostn"); try t.press("Tab")
        try t.waitFor("$hostname") { Terminal.lines($0).last == self.prompt + "print $hostname" }
    }

    // MARK: History

    func testHistoryIsRecalledInTheNextSessionWholeAndDeduplicated() throws {
        let first = try session()
        for entry in ["print \"one\"", "print \"two\"", "print \"one\""] {
            try first.type(entry); try first.press("Enter")
        }
        try first.type("for i in [1] {"); try first.press("Enter")
        try first.type("print \"in $i\""); try first.press("Enter")
        try first.type("}"); try first.press("Enter")
        try first.waitForLine("in 1")
        try first.press("C-d")
        try first.waitFor("the first session to end", { _ in !first.isRunning })

        let second = try session()
        try second.press("Up")
        let screen = try second.waitForLine("print \"in $i\"")
        XCTAssertEqual(Array(Terminal.lines(screen).suffix(3)), [prompt + "for i in [1] {", "print \"in $i\"", "}"])
        try second.press("Enter")
        try second.waitForLine("in 1")
        try second.press("Up", "Up")
        try second.waitFor("the entry before") { Terminal.lines($0).last == self.prompt + "print \"one\"" }
        try second.press("Up")  // the first `print "one"` was collapsed into the later one
        try second.waitFor("the oldest entry") { Terminal.lines($0).last == self.prompt + "print \"two\"" }
        let saved = try String(contentsOfFile: dir + "/state/tk8s/history", encoding: .utf8)
        XCTAssertTrue(saved.hasPrefix("_HiStOrY_V2_\n"), saved)
    }

    /// Waits until an empty prompt is the last line: type the next entry only then, or the keys and the
    /// prompt's redraw interleave on a busy machine.
    private func waitForPrompt(_ t: Terminal) throws {
        try t.waitFor("the next prompt") { Terminal.lines($0).last == String(self.prompt.dropLast()) }
    }

    func testCtrlRSearchesTheHistory() throws {
        let t = try session()
        try t.type("print \"needle\""); try t.press("Enter")
        try waitForPrompt(t)
        try t.type("print \"hay\""); try t.press("Enter")
        try t.waitForLine("hay")
        try waitForPrompt(t)
        try t.press("C-r"); try t.type("need")
        try t.press("Enter")
        try t.waitFor("the found entry to run again") { s in Terminal.lines(s).filter { $0 == "needle" }.count == 2 }
    }

    // MARK: Keys

    func testCtrlCDuringSleepReturnsToThePromptWithinASecond() throws {
        let t = try session()
        try t.type("sleep 30"); try t.press("Enter")
        try t.waitForLine(prompt + "sleep 30")
        Thread.sleep(forTimeInterval: 0.2)  // let `sleep` start
        let start = Date()
        try t.press("C-c")
        try t.waitFor("the prompt after the interrupt", timeout: 1) { s in
            s.contains("error[E2012]: interrupted") && Terminal.lines(s).last == self.prompt.droppingTrailingSpace
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 1)
        try t.type("print \"alive\""); try t.press("Enter")
        try t.waitForLine("alive")
    }

    func testCtrlCAtThePromptDropsTheLine() throws {
        let t = try session()
        try t.type("print \"dropped\"")
        try t.press("C-c")
        try t.waitForLine(prompt + "print \"dropped\"^C")
        try t.type("print \"kept\""); try t.press("Enter")
        let screen = try t.waitForLine("kept")
        XCTAssertFalse(Terminal.lines(screen).contains("dropped"), screen)
    }

    func testCtrlDAndExitLeave() throws {
        let first = try session()
        try first.press("C-d")
        try first.waitFor("the session to end after Ctrl-D", { _ in !first.isRunning })
        let second = try session()
        try second.type("exit"); try second.press("Enter")
        try second.waitFor("the session to end after exit", { _ in !second.isRunning })
    }
}

extension String {
    var droppingTrailingSpace: String { hasSuffix(" ") ? String(dropLast()) : self }
}
