import Foundation
import XCTest

/// What an operator installs besides the binary: `tk8s completions SHELL`, loaded into the real shells (bash
/// always, zsh and fish where Debian's packages are installed; .ci/run installs them, and under CI a missing
/// shell is a failure), and the man page, formatted by groff.
final class DistributionTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tk8s-completions-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "print 1\n".write(toFile: dir + "/deploy.tk8s", atomically: true, encoding: .utf8)
        try "not a script\n".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
        try """
            apiVersion: v1
            kind: Config
            contexts:
            - name: staging
              context: {cluster: one}
            - name: prod-eu
              context: {cluster: two}
            current-context: staging

            """.write(toFile: dir + "/kubeconfig", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    /// Runs `script` in `shell` in the test directory, with the built tk8s first on PATH.
    private func shell(_ shell: String, _ script: String) throws -> String {
        let binary = tk8sBinaryPath()
        guard FileManager.default.isExecutableFile(atPath: binary) else { XCTFail("tk8s binary not built at \(binary)"); return "" }
        let env = ["PATH": FileSystemPath.directory(of: binary) + ":/usr/bin:/bin", "HOME": dir, "KUBECONFIG": dir + "/kubeconfig"]
        let (status, out) = try runTool("/usr/bin/env", [shell, "-c", "cd \(dir) && " + script], environment: env, in: dir, timeout: 60)
        XCTAssertEqual(status, 0, out)
        return out
    }

    private func requireShell(_ name: String) throws {
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/\(name)") { return }
        if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("\(name) must be installed in CI; .ci/run installs it") }
        throw XCTSkip("\(name) is not installed (apt-get install -y \(name))")
    }

    func testBashCompletesSubcommandsFlagsScriptsAndContexts() throws {
        // bash's completion function, called as readline would for the line so far.
        let out = try shell("bash", """
            source <(tk8s completions bash)
            complete -p tk8s
            ask() {
                COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<< "$1"
                [[ "$1" == *" " ]] && COMP_WORDS+=("")
                COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=()
                _tk8s_or_script tk8s "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
                echo "[$1] ${COMPREPLY[*]}"
            }
            ask "tk8s ch"
            ask "tk8s de"
            ask "tk8s --root /tmp de"
            ask "tk8s deploy.tk8s no"
            ask "tk8s --dry"
            ask "tk8s run "
            ask "tk8s --context "
            ask "tk8s --context pr"
            ask "tk8s completions "
            ask "tk8s sandbox "
            """)
        XCTAssertTrue(out.contains("complete -o filenames -F _tk8s_or_script tk8s"), out)
        XCTAssertTrue(out.contains("[tk8s ch] check\n"), out)
        XCTAssertTrue(out.contains("[tk8s de] deploy.tk8s\n"), out)
        XCTAssertTrue(out.contains("[tk8s --root /tmp de] deploy.tk8s\n"), out)
        XCTAssertTrue(out.contains("[tk8s deploy.tk8s no] notes.txt\n"), out)
        XCTAssertTrue(out.contains("[tk8s --dry] --dry-run\n"), out)
        XCTAssertTrue(out.contains("[tk8s run ] deploy.tk8s\n"), out)
        XCTAssertTrue(out.contains("[tk8s --context ] staging prod-eu\n"), out)
        XCTAssertTrue(out.contains("[tk8s --context pr] prod-eu\n"), out)
        XCTAssertTrue(out.contains("[tk8s completions ] bash zsh fish\n"), out)
        XCTAssertTrue(out.contains("[tk8s sandbox ] ") && out.contains("serve"), out)
    }

    func testZshLoadsTheCompletionFunction() throws {
        try requireShell("zsh")
        let out = try shell("zsh", "autoload -U compinit && compinit -u && source <(tk8s completions zsh) && print -r -- ${_comps[tk8s]}")
        XCTAssertEqual(out.split(separator: "\n").last.map(String.init), "_tk8s")
    }

    func testFishCompletesSubcommandsAndScripts() throws {
        try requireShell("fish")
        let out = try shell("fish", "tk8s completions fish | source; and complete -C 'tk8s com'; and echo ---; and complete -C 'tk8s run '; and echo ---; and complete -C 'tk8s dep'")
        let parts = out.components(separatedBy: "---\n")
        XCTAssertTrue(parts.first?.hasPrefix("completions\t") ?? false, out)
        XCTAssertEqual(parts.count, 3, out)
        XCTAssertEqual(parts[1].split(separator: "\n").map(String.init), ["deploy.tk8s"], out)
        XCTAssertEqual(parts[2].split(separator: "\n").map(String.init), ["deploy.tk8s"], out)
    }

    func testManPageFormatsCleanlyAndCoversCommandsAndBuiltins() throws {
        try requireShell("groff")
        let page = dir + "/tk8s.1"
        let (status, roff) = try runTool(tk8sBinaryPath(), ["docs", "--man"], environment: ["PATH": "/usr/bin:/bin"], in: dir)
        XCTAssertEqual(status, 0, roff)
        try roff.write(toFile: page, atomically: true, encoding: .utf8)
        for needle in [".TH TK8S 1", ".SH SYNOPSIS", ".SH OPTIONS", ".SS tk8s completions", ".SS tk8s sandbox serve", ".SH LANGUAGE",
                       ".SH BUILTINS", ".B render\n", ".B TK8S_TUTOR\n", "\\fB\\-\\-context\\fR \\fIname\\fR"] {
            XCTAssertTrue(roff.contains(needle), "no \(needle) in the man page")
        }
        // groff -ww warns about anything it cannot format; the man page must give no warning at all.
        let (groffStatus, text) = try runTool("/usr/bin/groff", ["-man", "-Tutf8", "-ww", "-P-cbou", page], environment: ["PATH": "/usr/bin:/bin"], in: dir)
        XCTAssertEqual(groffStatus, 0, text)
        XCTAssertFalse(text.contains("warning"), text)
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        XCTAssertTrue(words.contains("tk8s completions") && words.contains("render Render the environment into"), text)
    }

    func testAnUnknownShellIsAUsageError() throws {
        let (status, out) = try runTool(tk8sBinaryPath(), ["completions", "tcsh"], environment: ["PATH": "/usr/bin:/bin"], in: dir)
        XCTAssertEqual(status, 2)
        XCTAssertTrue(out.contains("no completions for `tcsh`: choose bash, zsh or fish"), out)
    }
}

private enum FileSystemPath {
    static func directory(of path: String) -> String { (path as NSString).deletingLastPathComponent }
}
