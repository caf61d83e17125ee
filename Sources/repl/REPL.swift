import Core
import Lang
import Runtime

/// The interactive shell: reads an entry (continued while the parser says a
/// `{`, `(`, `[` or string is still open), runs it in one session module so
/// definitions persist, shows its value, and goes on after an error. `exit`
/// or Ctrl-D leaves; Ctrl-C drops the line being typed, or stops the running
/// command (see `Interrupts`).
struct REPL {
    let session: ScriptSession
    let lines: LineSource
    var prompt: Prompt

    init(session: ScriptSession, options: GlobalOptions, lines: LineSource) {
        self.session = session
        self.lines = lines
        let kube = KubeContext.forPrompt(option: options.context, kubeconfig: options.kubeconfig,
                                         environment: session.context.environment)
        prompt = Prompt(context: session.context, kubeContext: kube)
    }

    /// The shell on a terminal: libedit when standard output is one too.
    static func start(_ session: ScriptSession, options: GlobalOptions) -> Int32 {
        var lines: LineSource = PlainLines()
        if FileSystem.isTerminal(1),
           let editor = LineEditor(program: "tk8s", historyFile: .standard(environment: session.context.environment)) {
            lines = editor
        }
        var repl = REPL(session: session, options: options, lines: lines)
        return repl.run()
    }

    mutating func run() -> Int32 {
        let rt = session.interpreter
        let module = rt.makeSessionModule()
        if let editor = lines as? LineEditor {
            let context = session.context
            editor.complete = { [unowned rt] before in
                TabAction.forText(before, completer: Completer(
                    registry: rt.registry, functions: rt.userFunctions,
                    variables: rt.variables(in: module), providers: context.completionProviders))
            }
        }
        // Someone can answer here, so `delete` asks instead of demanding --yes.
        session.context.confirm = { [lines] question in
            guard case .line(let answer) = lines.read(prompt: question + " [y/N] ") else { return false }
            return ["y", "yes"].contains(answer.trimmingBlanks().lowercased())
        }
        StandardError.write("tk8s \(tk8sVersion): `help` lists the commands, `help NAME` shows one; Ctrl-D or `exit` leaves.\n")
        var count = 0
        while true {
            guard let entry = readEntry() else { return 0 }
            let trimmed = entry.trimmingBlanks()
            if trimmed.isEmpty { continue }
            lines.remember(entry)
            if trimmed == "exit" { return 0 }
            count += 1
            evaluate(SourceFile(name: "<repl:\(count)>", text: entry), in: module)
        }
    }

    /// One entry, several lines while it is incomplete; "" when Ctrl-C dropped it, nil at the end.
    private mutating func readEntry() -> String? {
        let main = prompt.main()
        var text = ""
        while true {
            switch lines.read(prompt: text.isEmpty ? main : prompt.continuation(under: main)) {
            case .interrupted:
                return ""
            case .end:
                // Ctrl-D inside an open block runs what is there, so the parser says what is missing.
                return text.isEmpty ? nil : text
            case .line(let line):
                text += (text.isEmpty ? "" : "\n") + line
                if !Parser.isIncomplete(text) { return text }
            }
        }
    }

    private func evaluate(_ file: SourceFile, in module: Module) {
        let rt = session.interpreter
        // A Ctrl-C typed at the prompt must not stop the command that follows.
        Interpreter.interruptRequested = false
        defer { StandardOutput.flush() }
        // Warnings are for `tk8s check`: at the prompt the value of a line is shown, so none is thrown away.
        let diagnostics = rt.compile(file, into: module).filter(\.isError)
        guard diagnostics.isEmpty else {
            return rt.report(diagnostics, errors: StandardError.write, renderer: session.renderer)
        }
        do {
            if let value = try rt.runLine(module), !value.equals(.null) { rt.output(ValuePrinter.render(value)) }
        } catch let d as Diagnostic {
            if d.code == .interrupted { StandardError.write("\n") }  // after the terminal's `^C`
            rt.report([d], errors: StandardError.write, renderer: session.renderer)
        } catch {
            StandardError.write("error: \(error)\n")
        }
        Interpreter.interruptRequested = false
    }
}
