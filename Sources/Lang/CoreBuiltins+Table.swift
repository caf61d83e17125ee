import Core

/// `table`: a list of maps as aligned columns, the way kubectl prints resources — a routine's summary
/// (backups made, sizes, durations) reads like the rest of the terminal.
extension CoreBuiltins {
    static func registerTable(_ r: Registry) {
        r.register(Signature("table", "Lay out a list of maps as aligned columns under upper-case headings, as the REPL shows records. As a statement it prints them; as a value it is the text.",
                             params: [Param("rows", .list, help: "maps; a missing key shows as an empty cell")],
                             flags: [FlagSpec("columns", value: .list, help: "the keys to show, in order (default: every key, in order of appearance)", valueName: "KEYS")],
                             examples: ["table [{name: lms, ready: 1}, {name: cms, ready: 0}]",
                                        "table $backups --columns [file, size, seconds]",
                                        "let text = (table (status) --columns [kind, name, ready])"])) { args, rt in
            let rows = args.list("rows")
            if let bad = rows.firstIndex(where: { if case .map = $0 { return false } else { return true } }) {
                throw Diagnostic(.typeMismatch, "`table` wants a list of maps; element \(bad) is \(rows[bad].typeName)", at: args.span)
            }
            let columns = args.optionalList("columns")?.map(\.displayString)
            let text = try rt.checkString(TableText.render(rows, columns: columns) ?? "", args.span)
            if args.valueWanted { return text }
            rt.output(text.displayString)
            return .null
        }
    }
}
