import Core

/// A list of maps as aligned columns under upper-case headings, as kubectl prints resources: what the
/// `table` builtin writes and how the REPL shows a list of records, so both look the same.
public enum TableText {
    /// The table of `rows` (each a map), or nil when one is not a map or no column is left. `columns` picks the
    /// keys and their order; by default every key in order of appearance, leaving out keys whose values are all
    /// lists or maps (a `status` row's raw `object`), which a cell could not show.
    public static func render(_ rows: [Value], columns: [String]? = nil) -> String? {
        var cells: [[String: Value]] = []
        var keys: [String] = []
        for row in rows {
            guard case .map(let m) = row else { return nil }
            for k in m.dict.keys where !keys.contains(k) { keys.append(k) }
            cells.append(Dictionary(m.dict.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }))
        }
        let shown = columns ?? keys.filter { k in !cells.allSatisfy { isCollection($0[k]) } }
        guard !shown.isEmpty else { return nil }
        let text = [shown.map { $0.uppercased() }] + cells.map { row in shown.map { cell(row[$0]) } }
        let widths = shown.indices.map { c in text.map { $0[c].count }.max() ?? 0 }
        return text.map { line in
            var out = ""
            for (c, s) in line.enumerated() {
                out += s
                if c < line.count - 1 { out += String(repeating: " ", count: widths[c] - s.count + 3) }
            }
            while out.hasSuffix(" ") { out.removeLast() }
            return out + "\n"
        }.joined()
    }

    private static func isCollection(_ v: Value?) -> Bool {
        switch v {
        case .list?, .map?: return true
        default: return false
        }
    }

    private static func cell(_ v: Value?) -> String {
        switch v {
        case nil, .null?: return ""
        case .string(let s)?: return s
        case let other?: return other.literal
        }
    }
}
