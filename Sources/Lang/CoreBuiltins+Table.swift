import OrderedCollections

/// `table`: a list of maps as aligned columns, the way kubectl prints resources — a routine's summary
/// (backups made, sizes, durations) reads like the rest of the terminal.
extension CoreBuiltins {
    static func registerTable(_ r: Registry) {
        r.register(Signature("table", "Lay out a list of maps as aligned columns under upper-case headings. As a statement it prints them; as a value it is the text.",
                             params: [Param("rows", .list, help: "maps; a missing key shows as an empty cell")],
                             flags: [FlagSpec("columns", value: .list, help: "the keys to show, in order (default: every key, in order of appearance)")],
                             examples: ["table [{name: lms, ready: 1}, {name: cms, ready: 0}]",
                                        "table $backups --columns [file, size, seconds]",
                                        "let text = (table (status) --columns [kind, name, ready])"])) { args, rt in
            let rows = try args.list("rows")!
            var maps: [OrderedDictionary<String, Value>] = []
            for (i, row) in rows.enumerated() {
                guard case .map(let m) = row else {
                    throw Diagnostic(.typeMismatch, "`table` wants a list of maps; element \(i) is \(row.typeName)", at: args.span)
                }
                maps.append(m.dict)
            }
            var columns: [String] = try args.list("columns")?.map(\.displayString) ?? []
            if args["columns"] == nil {
                var seen = Set<String>()
                for m in maps { for k in m.keys where seen.insert(k).inserted { columns.append(k) } }
            }
            let text = try rt.checkString(layOut(maps, columns: columns), args.span)
            if args.valueWanted { return text }
            rt.output(text.displayString)
            return .null
        }
    }

    /// Columns separated by three spaces; numbers right-aligned, everything else left-aligned; no trailing spaces.
    static func layOut(_ rows: [OrderedDictionary<String, Value>], columns: [String]) -> String {
        guard !columns.isEmpty else { return "" }
        let cells: [[String]] = [columns.map { $0.uppercased() }] + rows.map { row in
            columns.map { c in
                if case .null? = row[c] { return "" }
                return row[c]?.displayString ?? ""
            }
        }
        let numeric = columns.map { c in rows.contains { $0[c] != nil } && rows.allSatisfy { r in
            switch r[c] { case .int?, .float?, nil, .null?: return true; default: return false }
        } }
        let widths = columns.indices.map { i in cells.map { $0[i].count }.max() ?? 0 }
        var out = ""
        for line in cells {
            var parts: [String] = []
            for (i, cell) in line.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                parts.append(numeric[i] ? pad + cell : cell + pad)
            }
            var text = parts.joined(separator: "   ")
            while text.hasSuffix(" ") { text.removeLast() }
            out += text + "\n"
        }
        return out
    }
}
