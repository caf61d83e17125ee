import Core
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
        return TableText.render(items)
    }
}
