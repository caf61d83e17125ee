import Lang

/// How the REPL shows the value of an expression typed at the prompt:
/// short values as their literal, longer maps and lists one entry a line,
/// and a list of maps (records, such as `(status)`) as a table whose columns
/// are the keys. Columns whose values are all maps or lists (the raw
/// `object` of a `status` row) are left out of the table: index the list to
/// see them.
enum ValuePrinter {
    static let lineWidth = 80

    static func render(_ value: Value) -> String {
        if let table = table(value) { return table }
        return pretty(value, indent: "") + "\n"
    }

    static func pretty(_ value: Value, indent: String) -> String {
        let flat = value.literal
        guard flat.count + indent.count > lineWidth else { return flat }
        let inner = indent + "  "
        switch value {
        case .list(let items):
            return "[\n" + items.map { inner + pretty($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .map(let m):
            let lines = m.dict.map { key, v in inner + quoteKey(key) + ": " + pretty(v, indent: inner) }
            return "{\n" + lines.joined(separator: ",\n") + "\n\(indent)}"
        default:
            return flat
        }
    }

    /// The table for a non-empty list of maps; nil for anything else.
    static func table(_ value: Value) -> String? {
        guard case .list(let items) = value, !items.isEmpty else { return nil }
        var rows: [[(String, Value)]] = []
        for item in items {
            guard case .map(let m) = item else { return nil }
            rows.append(m.dict.map { ($0.key, $0.value) })
        }
        var columns: [String] = []
        for row in rows { for (k, _) in row where !columns.contains(k) { columns.append(k) } }
        let cells: [[String: Value]] = rows.map { Dictionary($0, uniquingKeysWith: { a, _ in a }) }
        columns = columns.filter { k in !cells.allSatisfy { isCollection($0[k]) } }
        guard !columns.isEmpty else { return nil }
        let text = [columns.map { $0.uppercased() }] + cells.map { row in columns.map { cell(row[$0]) } }
        let widths = columns.indices.map { c in text.map { $0[c].count }.max() ?? 0 }
        return text.map { line in
            line.enumerated().map { c, s in c == line.count - 1 ? s : s.padding(to: widths[c] + 3) }
                .joined().droppingTrailingSpaces() + "\n"
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

extension String {
    func droppingTrailingSpaces() -> String {
        String(reversed().drop { $0 == " " }.reversed())
    }
}
