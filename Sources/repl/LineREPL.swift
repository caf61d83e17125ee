import Lang

/// A plain interactive loop on standard input: one line at a time, continued
/// while the parser says the statement is open. Line editing, history and
/// completion come with the libedit REPL.
struct LineREPL {
    let session: ScriptSession

    func run() -> Int32 {
        let rt = session.interpreter
        let module = rt.makeSessionModule()
        var lineNumber = 0
        // At the prompt someone can answer: `delete` asks instead of demanding --yes.
        session.context.confirm = { question in
            StandardError.write(question + " [y/N] ")
            guard let answer = readLine(strippingNewline: true)?.lowercased() else { return false }
            return answer == "y" || answer == "yes"
        }
        StandardError.write("tk8s \(tk8sVersion) — `help` lists the commands, Ctrl-D leaves.\n")
        while true {
            var text = ""
            var prompt = "tk8s> "
            while true {
                StandardError.write(prompt)
                guard let line = readLine(strippingNewline: true) else {
                    StandardError.write("\n")
                    return 0
                }
                text += (text.isEmpty ? "" : "\n") + line
                if !Parser.isIncomplete(text) { break }
                prompt = "  ...> "
            }
            if text.trimmingCharacters() == "exit" { return 0 }
            lineNumber += 1
            let file = SourceFile(name: "<repl:\(lineNumber)>", text: text)
            let diagnostics = rt.compile(file, into: module)
            if !diagnostics.isEmpty {
                rt.report(diagnostics, errors: StandardError.write, renderer: session.renderer)
                continue
            }
            do {
                if let value = try rt.runLine(module), !isNull(value) { rt.output(value.literal + "\n") }
            } catch let d as Diagnostic {
                rt.report([d], errors: StandardError.write, renderer: session.renderer)
            } catch {
                StandardError.write("error: \(error)\n")
            }
            StandardOutput.flush()
        }
    }

    private func isNull(_ v: Value) -> Bool {
        if case .null = v { return true }
        return false
    }
}

extension String {
    func trimmingCharacters() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
