import ArgumentParser
import Core
import Foundation
import Lang

/// `tk8s(1)` in roff, generated from the same definitions as `--help` and the completion scripts
/// (ArgumentParser's own description of the command tree, `--experimental-dump-help`), the builtin
/// signatures (`help`, `docs`) and a summary of the language: `tk8s docs --man`.
enum ManPage {
    static func render(_ registry: Registry) throws -> String {
        let tree = try commandTree()
        var out = """
            .TH TK8S 1 "" "tk8s \(tk8sVersion)" "User Commands"
            .SH NAME
            tk8s \\- \(escape(tree.at("abstract")?.displayString ?? ""))
            .SH SYNOPSIS
            .B tk8s
            [\\fIOPTIONS\\fR] [\\fIFILE\\fR [\\fIARGS\\fR...]]
            .br
            .B tk8s
            [\\fIOPTIONS\\fR] \\fB\\-c\\fR \\fICODE\\fR
            .br
            .B tk8s
            \\fICOMMAND\\fR ...

            """
        out += ".SH DESCRIPTION\n" + paragraphs(tree.at("discussion")?.displayString ?? "")
        let global = options(tree)
        out += ".SH OPTIONS\n" + global.text
        out += ".SH COMMANDS\nEach command also takes the options above.\n"
        if case .list(let subcommands)? = tree.at("subcommands") {
            for sub in subcommands where sub.at("commandName")?.displayString != "help" {
                out += command(sub, prefix: "tk8s", shown: global.labels)
            }
        }
        out += ".SH LANGUAGE\n" + paragraphs(languageSummary)
        out += ".SH BUILTINS\nEvery builtin command a script or the REPL can use; \\fBhelp NAME\\fR shows one, `tk8s docs` prints them all.\n"
        for (name, cmd) in registry.commands {
            out += ".TP\n.B \(escape(name))\n\(escape(cmd.summary))\n"
        }
        out += ".SH EXIT STATUS\n0 ok, 1 script error, 2 usage error.\n"
        out += ".SH ENVIRONMENT\n"
        for (name, text) in environment { out += ".TP\n.B \(name)\n\(escape(text))\n" }
        out += ".SH FILES\n"
        for (name, text) in files { out += ".TP\n.I \(escape(name))\n\(escape(text))\n" }
        out += ".SH SEE ALSO\n.BR kubectl (1),\n.BR tutor (1)\n"
        return out
    }

    /// ArgumentParser's description of the command tree, as `tk8s --experimental-dump-help` prints it.
    private static func commandTree() throws -> Value {
        do {
            _ = try TK8S.parseAsRoot(["--experimental-dump-help"])
        } catch {
            let json = TK8S.fullMessage(for: error)
            if let command = try JSONParser.parse(json, at: nil).at("command") { return command }
        }
        throw ValidationError("ArgumentParser gave no description of the commands")
    }

    /// A subcommand and its own arguments (not the global ones, `shown` already).
    private static func command(_ c: Value, prefix: String, shown: Set<String>) -> String {
        let name = prefix + " " + (c.at("commandName")?.displayString ?? "")
        var out = ".SS \(escape(name))\n" + escape(c.at("abstract")?.displayString ?? "") + "\n"
        if let discussion = c.at("discussion")?.displayString, !discussion.isEmpty { out += ".PP\n" + paragraphs(discussion) }
        out += options(c, skipping: shown).text
        if case .list(let subs)? = c.at("subcommands") {
            for sub in subs where sub.at("commandName")?.displayString != "help" { out += command(sub, prefix: name, shown: shown) }
        }
        return out
    }

    /// One `.TP` entry per shown argument (`--root dir`, `file`), and the labels written.
    private static func options(_ c: Value, skipping: Set<String> = []) -> (text: String, labels: Set<String>) {
        guard case .list(let arguments)? = c.at("arguments") else { return ("", []) }
        var out = ""
        var labels = Set<String>()
        for a in arguments where a.at("shouldDisplay")?.isTruthy ?? true {
            let value = a.at("valueName")?.displayString ?? ""
            var label: String
            if a.at("kind")?.displayString == "positional" {
                label = "\\fI\(escape(value))\\fR"
            } else {
                var names: [String] = []
                if case .list(let ns)? = a.at("names") {
                    for n in ns {
                        let text = n.at("name")?.displayString ?? ""
                        names.append("\\fB" + (n.at("kind")?.displayString == "long" ? "\\-\\-" : "\\-") + escape(text) + "\\fR")
                    }
                }
                label = names.joined(separator: ", ")
                if a.at("kind")?.displayString == "option" { label += " \\fI\(escape(value))\\fR" }
            }
            if (label.contains("help") && label.contains("\\-h")) || skipping.contains(label) { continue }
            labels.insert(label)
            var text = escape(a.at("abstract")?.displayString ?? "")
            if let d = a.at("defaultValue")?.displayString { text += " (default: \(escape(d)))" }
            out += ".TP\n\(label)\n\(text)\n"
        }
        return (out, labels)
    }

    private static func paragraphs(_ text: String) -> String {
        text.components(separatedBy: "\n\n").map { escape($0.replacingAll("\n", with: " ")) }.joined(separator: "\n.PP\n") + "\n"
    }

    /// roff's special characters: backslashes, hyphens, a leading `.` or `'` that would start a request,
    /// and everything beyond ASCII as `\[uXXXX]` (man pages are read by troffs without preconv too).
    static func escape(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\e"
            case "-": out += "\\-"
            default:
                if u.isASCII { out.unicodeScalars.append(u) } else { out += "\\[u" + String(format: "%04X", u.value) + "]" }
            }
        }
        if out.hasPrefix(".") || out.hasPrefix("'") { out = "\\&" + out }
        return out
    }

    static let languageSummary = """
        A script is a list of commands, one a line (or separated by `;`): a command name, then shell-like words. \
        Flags come from the command's signature (`logs caddy --tail 20`). `"…"` interpolates `$name` and `$(code)`; \
        `'…'` is literal; `\"\"\"` starts a multi-line string whose indentation is stripped. \
        `(command …)` runs a command and gives its value, which may be a string, number, bool, null, list, map or error.

        `let name = value` declares a variable; `$name` reads it, `$m.key` and `$l[0]` reach inside. \
        Control flow: `if … { } else { }`, `for x in $list { }`, `for k, v in $map { }`, `while`, `break`, `continue`. \
        `fn name(a, --flag = default) { … }` defines a command that is called exactly like a builtin; a comment \
        right before it is its help. `try { … } catch err { … }` catches errors, which carry a code, a message and \
        their position; `fail "message"` raises one. `import "lib.tk8s"` loads another file, relative to this one.

        Errors show a stable code (E0100, E2011…), the file, line and column, the source line with a caret, and \
        often a did-you-mean. `tk8s check FILE` reports every syntax and name error without running anything.
        """

    static let environment: [(String, String)] = [
        ("TUTOR_ROOT", "The project root when --root is not given (else ~/.local/share/tutor)."),
        ("TUTOR_PLUGINS_ROOT", "Where Tutor YAML plugins are read from (else ~/.local/share/tutor-plugins)."),
        ("TUTOR_KEY", "TUTOR_ followed by a config key overrides that key, as in Tutor."),
        ("TK8S_TUTOR", "The `tutor` executable whose Python loads Python plugins (else `tutor` on PATH); `none` uses tk8s's built-in templates."),
        ("KUBECTL", "The kubectl to run (else kubectl on PATH)."),
        ("DOCKER", "The docker to run for `images` (else docker on PATH)."),
        ("KUBECONFIG", "kubectl's configuration files; the REPL's prompt and --context completion read them too."),
        ("XDG_CACHE_HOME", "Tutor snapshots are cached in $XDG_CACHE_HOME/tk8s/tutor (else ~/.cache/tk8s/tutor)."),
        ("XDG_STATE_HOME", "The REPL's history is $XDG_STATE_HOME/tk8s/history (else ~/.local/state/tk8s/history)."),
        ("TK8S_SANDBOX_POD_START, TK8S_SANDBOX_JOB_RUN", "Seconds the sandbox takes to start a pod and to run a job."),
        ("NO_COLOR", "When set, diagnostics are not colored."),
    ]

    static let files: [(String, String)] = [
        ("ROOT/config.yml", "The project's settings and generated secrets (mode 0600), as Tutor writes it."),
        ("ROOT/env/", "The rendered environment: kustomization.yml, k8s/*.yml, apps/, build/."),
        ("ROOT/env-custom/", "Your own kustomization; tk8s never writes there."),
        ("~/.editrc", "libedit's settings for the REPL."),
    ]
}
