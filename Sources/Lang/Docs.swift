import Core

/// The Markdown references in `docs/`, generated from the registered
/// signatures and `ErrorCode`, so they cannot drift from the code.

/// `docs/builtins.md`: every command in registration order, with usage, arguments, flags and examples.
public func builtinReference(_ registry: Registry) -> String {
    var out = "# Builtin reference\n\n"
    out += "Generated from the builtin signatures by `builtinReference`; do not edit by hand.\n"
    out += "In the REPL, `help NAME` shows the same text.\n\n"
    out += "| command | summary |\n|---|---|\n"
    for (name, command) in registry.commands {
        out += "| [`\(name)`](#\(anchor(name))) | \(cell(command.summary)) |\n"
    }
    for (name, command) in registry.commands {
        switch command {
        case .builtin(let b):
            out += "\n## \(name)\n\n" + section(b.signature)
        case .group(let g):
            out += "\n## \(name)\n\n\(g.summary)\n\n"
            out += "| subcommand | summary |\n|---|---|\n"
            let members = Array(g.subcommands.values) + (g.fallback.map { [$0] } ?? [])
            for b in members {
                let shown = b === g.fallback ? "\(name) JOB" : b.signature.name
                out += "| [`\(shown)`](#\(anchor(shown))) | \(cell(b.signature.summary)) |\n"
            }
            for b in members {
                out += "\n### \(b === g.fallback ? "\(name) JOB" : b.signature.name)\n\n" + section(b.signature)
            }
        }
    }
    return out
}

/// `docs/errors.md`: every error code with its title.
public func errorReference() -> String {
    var out = "# Error codes\n\n"
    out += "Generated from `ErrorCode` by `errorReference`; do not edit by hand.\n"
    out += "A code never changes meaning once released. `E0xxx` are found while parsing,\n"
    out += "`E1xxx` while checking names and calls (`tk8s check` reports both), `E2xxx` while running.\n"
    out += "`W1xxx` are warnings: `tk8s check` reports them (and exits 0 when there is nothing else); running a script does not.\n"
    out += "A file's report shows its first \(Interpreter.maxReportedDiagnostics) errors and counts the rest.\n\n"
    out += "| code | error | found |\n|---|---|---|\n"
    for code in ErrorCode.allCases {
        let phase: String
        switch code.rawValue.dropFirst().first {
        case "0": phase = "parsing"
        case "1": phase = code.severity == .warning ? "checking (warning)" : "checking"
        default: phase = "running"
        }
        out += "| \(code.rawValue) | \(cell(code.title)) | \(phase) |\n"
    }
    return out
}

/// One command's usage, summary, arguments, flags and examples.
private func section(_ sig: Signature) -> String {
    var out = "```\n\(sig.usage)\n```\n\n\(sig.summary)\n"
    if !sig.params.isEmpty {
        out += "\n| argument | type | | description |\n|---|---|---|---|\n"
        for p in sig.params {
            let arity: String
            switch p.arity {
            case .required: arity = "required"
            case .optional: arity = "optional"
            case .variadic: arity = "any number"
            }
            out += "| `\(p.name.uppercased())` | \(p.type.rawValue) | \(arity) | \(cell(p.help)) |\n"
        }
    }
    if !sig.flags.isEmpty {
        out += "\n| flag | value | description |\n|---|---|---|\n"
        for f in sig.flags {
            let names = (f.short.map { "`-\($0)`, " } ?? "") + "`--\(f.long)`"
            var value = f.valueType.map { "`\(f.placeholder!)` (\($0.rawValue))" } ?? "switch"
            if f.repeatable { value += ", repeatable" }
            out += "| \(names) | \(value) | \(cell(f.help)) |\n"
        }
    }
    if sig.passthrough {
        out += "\nFlags it does not declare are passed on unchanged.\n"
    }
    switch sig.statement {
    case .printed, .printedAs: out += "\nA query: as a statement of its own it prints its value.\n"
    case .pure: out += "\nPure: it only gives a value, so `tk8s check` warns when a statement throws it away.\n"
    case .dropped: break
    }
    if !sig.examples.isEmpty {
        out += "\nExamples:\n\n```\n" + sig.examples.joined(separator: "\n") + "\n```\n"
    }
    return out
}

/// Text safe inside a table cell.
private func cell(_ s: String) -> String {
    var out = ""
    for c in s {
        switch c {
        case "|": out += "\\|"
        case "\n": out += " "
        default: out.append(c)
        }
    }
    return out
}

/// The anchor GitHub gives a heading: lower case, spaces to dashes, punctuation other than `-` and `_` dropped.
private func anchor(_ heading: String) -> String {
    var out = ""
    for c in heading.lowercased() {
        if c == " " { out.append("-") } else if c.isLetter || c.isNumber || c == "-" || c == "_" { out.append(c) }
    }
    return out
}
