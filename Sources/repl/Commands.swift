import ArgumentParser
import Core
import Foundation
import Lang
import Runtime

/// `tk8s [FILE [ARGS…]]`, `tk8s -c CODE`, `tk8s run FILE`, `tk8s check FILE…`.
///
/// Exit codes: 0 ok, 1 script error, 2 usage error (see `main.swift`).
struct TK8S: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tk8s",
        abstract: "Operate Open edX on Kubernetes with scripts and an interactive shell.",
        discussion: """
            `tk8s FILE [ARGS…]` runs FILE (a `#!/usr/bin/env tk8s` line is allowed) with
            ARGS in `$args`, like `tk8s run`. With -c, runs CODE. With neither, runs
            standard input when it is piped, or starts the interactive shell.
            Exit status: 0 ok, 1 script error, 2 usage error.
            """,
        version: BuildInfo.versionLine,
        subcommands: [Run.self, Check.self, Docs.self, SandboxCommand.self, Completions.self]
    )

    @OptionGroup var options: GlobalOptions

    @Option(name: .customShort("c"), help: ArgumentHelp("Run CODE instead of a file.", valueName: "code"))
    var code: String?

    /// The script's own arguments, split off before ArgumentParser sees them (see `CommandLineSplit`).
    nonisolated(unsafe) static var scriptArguments: [String] = []

    func run() throws {
        let session = ScriptSession(options)
        if let code {
            try session.exit(session.run(SourceFile(name: "<-c>", text: code), arguments: TK8S.scriptArguments))
        }
        if FileSystem.isTerminal(0) {
            try session.exit(REPL.start(session, options: options))
        }
        try session.exit(session.run(SourceFile(name: "<stdin>", bytes: FileSystem.readStandardInput()), arguments: []))
    }
}

/// Options every subcommand takes, before the script's own arguments.
struct GlobalOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Color diagnostics: auto, always or never.", valueName: "when"))
    var color: ColorChoice = .auto

    @Option(help: ArgumentHelp("The Tutor project root (default: $TUTOR_ROOT, else ~/.local/share/tutor).", valueName: "dir"),
            completion: .directory)
    var root: String?

    @Flag(help: "Print the kubectl and docker commands instead of running them; cluster reads answer empty.")
    var dryRun = false

    @Option(help: ArgumentHelp("The kubeconfig context for every kubectl call (the global one is left alone).", valueName: "name"),
            completion: .custom { words, _, _ in
                // The kubeconfig this command line names, else $KUBECONFIG's, else ~/.kube/config's contexts.
                let file = words.firstIndex(of: "--kubeconfig").flatMap { $0 + 1 < words.count ? words[$0 + 1] : nil }
                return KubeContext.names(kubeconfig: file, environment: ProcessInfo.processInfo.environment)
            })
    var context: String?

    @Option(help: ArgumentHelp("The kubeconfig file for every kubectl call.", valueName: "file"), completion: .file())
    var kubeconfig: String?

    @Flag(help: "Do not print commands before running them.")
    var quiet = false

    @Flag(help: "Run against a fresh in-process sandbox cluster (on 127.0.0.1, gone when tk8s ends) instead of a real one.")
    var sandbox = false

    /// `--sandbox` brings its own cluster and kubeconfig: naming another one as well is a mistake, said before
    /// anything runs rather than by kubectl at the first cluster command.
    func validate() throws {
        guard sandbox else { return }
        if context != nil { throw ValidationError("--sandbox uses its own cluster; leave out --context") }
        if kubeconfig != nil { throw ValidationError("--sandbox uses its own kubeconfig; leave out --kubeconfig") }
    }

    var cluster: ClusterOptions {
        ClusterOptions(dryRun: dryRun, context: context, kubeconfig: kubeconfig, quiet: quiet)
    }

    var useColor: Bool { color.enabled }
}

extension ColorChoice {
    /// Whether diagnostics are coloured: `auto` when standard error is a terminal and NO_COLOR is not set.
    var enabled: Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto: return FileSystem.isTerminal(2) && FileSystem.environment("NO_COLOR") == nil
        }
    }
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable { case auto, always, never }

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a script file.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The script to run; the words after it go to the script, in `$args`.", completion: .file(extensions: ["tk8s"]))
    var file: String

    func run() throws {
        let session = ScriptSession(options)
        try session.exit(session.run(try session.load(file), arguments: TK8S.scriptArguments))
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Parse and check scripts without running them.",
        discussion: "Reports every syntax error, unknown command, variable or flag, and wrong argument count; exits 1 if there is any.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The scripts to check.", completion: .file(extensions: ["tk8s"])) var files: [String]

    func run() throws {
        let session = ScriptSession(options)
        var sources: [SourceFile] = []
        for f in files { sources.append(try session.load(f)) }
        let status = session.interpreter.checkAll(sources, errors: StandardError.write, renderer: session.renderer)
        if status == 0 { print("ok: \(files.count) file\(files.count == 1 ? "" : "s") checked") }
        try session.exit(status)
    }
}

struct Docs: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the builtin reference (Markdown), generated from the builtin signatures.")

    @Flag(help: "Print the error code reference instead.") var errors = false
    @Flag(help: "Print the tk8s(1) man page (roff) instead: `tk8s docs --man | man -l -`.") var man = false

    func run() throws {
        let session = ScriptSession(try GlobalOptions.parse([]))
        if man {
            print(try ManPage.render(session.interpreter.registry), terminator: "")
            return
        }
        print(errors ? errorReference() : builtinReference(session.interpreter.registry), terminator: "")
    }
}

/// `tk8s completions SHELL`: the completion script ArgumentParser generates from these command definitions.
struct Completions: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the shell completion script for bash, zsh or fish.",
        discussion: """
            bash: `source <(tk8s completions bash)` (or save it in /etc/bash_completion.d/tk8s);
            zsh: `tk8s completions zsh > "${fpath[1]}/_tk8s"`;
            fish: `tk8s completions fish > ~/.config/fish/completions/tk8s.fish`.
            It completes subcommands, options, `.tk8s` files and, after --context, the kubeconfig's contexts.
            """)

    @Argument(help: "bash, zsh or fish", completion: .list(["bash", "zsh", "fish"])) var shell: String

    func run() throws {
        guard let kind = CompletionShell(rawValue: shell) else {
            throw ValidationError("no completions for `\(shell)`: choose bash, zsh or fish")
        }
        print(TK8S.completionScript(for: kind) + (Self.scriptFileCompletion[shell] ?? ""), terminator: "")
    }

    /// `tk8s FILE` is `tk8s run FILE` (see `CommandLineSplit`), which ArgumentParser's scripts cannot say:
    /// where a subcommand may stand, `.tk8s` files are offered too.
    static let scriptFileCompletion: [String: String] = [
        "bash": """

            # `tk8s FILE`: where a subcommand may stand, .tk8s files (and folders) too.
            _tk8s_or_script() {
                _tk8s "$@"
                case ${3} in --color|--root|--context|--kubeconfig|-c) return ;; esac  # an option's value
                local i
                for ((i = 1; i < COMP_CWORD; i++)); do
                    case ${COMP_WORDS[i]} in
                    --color|--root|--context|--kubeconfig|-c) ((i++)) ;;
                    -*) ;;
                    *.tk8s) COMPREPLY=($(compgen -f -- "${2}")); return ;;  # the script's own arguments
                    *) return ;;
                    esac
                done
                [[ ${2} == -* ]] && return
                local IFS=$'\n'
                COMPREPLY+=($(compgen -f -X '!*.tk8s' -- "${2}") $(compgen -d -- "${2}"))
            }
            complete -o filenames -F _tk8s_or_script tk8s

            """,
        "fish": """

            # `tk8s FILE`: where a subcommand may stand, .tk8s files too.
            complete -c tk8s -n '__fish_use_subcommand' -k -a '(__fish_complete_suffix .tk8s)'

            """,
    ]
}

/// Splits argv into what ArgumentParser parses and what belongs to the script:
/// everything after the script's file name (or after `-c CODE`) is the
/// script's, flags included, so `tk8s deploy.tk8s --force` passes `--force` on.
enum CommandLineSplit {
    /// Global options written as two words (`--root DIR`).
    static let optionsWithValue: Set<String> = ["--color", "--root", "--context", "--kubeconfig"]

    static func split(_ argv: [String]) -> (tool: [String], script: [String]) {
        // A completion script asking ArgumentParser for candidates (`---completion -- tk8s --context …`).
        if argv.first == "---completion" { return (argv, []) }
        var i = 0
        while i < argv.count {
            let t = argv[i]
            if Self.optionsWithValue.contains(t) { i += 2; continue }
            if t == "-c" { return cut(argv, at: i + 2) }
            if t.hasPrefix("-") { i += 1; continue }
            switch t {
            case "check", "docs", "sandbox", "completions": return (argv, [])
            case "run":
                var j = i + 1
                while j < argv.count, argv[j].hasPrefix("-") { j += Self.optionsWithValue.contains(argv[j]) ? 2 : 1 }
                return cut(argv, at: j + 1)
            default:
                // `tk8s FILE …` is `tk8s run FILE …`.
                let (tool, script) = cut(argv, at: i + 1)
                return (["run"] + tool, script)
            }
        }
        return (argv, [])
    }

    private static func cut(_ argv: [String], at k: Int) -> ([String], [String]) {
        let k = min(k, argv.count)
        return (Array(argv[..<k]), Array(argv[k...]))
    }
}
