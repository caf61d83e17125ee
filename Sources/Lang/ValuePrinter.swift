import Core

/// How a value is shown to a person: the REPL shows the value of the line typed at the prompt with it, and a
/// query command called as a statement (`config get LMS_HOST`, `plugins list`, see `StatementValue`) prints its
/// value with it, in a script as at the prompt, so both look the same.
///
/// A string prints as its text, as a shell prints a word (`learn.example.com`, not `"learn.example.com"`);
/// short values as their literal; longer maps and lists one entry a line; and a list of maps (records, such as
/// `(status)`) as a table whose columns are the keys. Columns whose values are all maps or lists (the raw
/// `object` of a `status` row) are left out of the table: index the list to see them.
public enum ValuePrinter {
    static let lineWidth = 80

    /// The text for `value`, ending in a newline.
    public static func render(_ value: Value) -> String {
        if case .string(let s) = value { return s.hasSuffix("\n") ? s : s + "\n" }
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

extension Interpreter {
    /// What a builtin's call gives when the call is a whole statement: a query's value is printed here (and the
    /// statement's value is then null, so the REPL does not show it again); any other value goes on as it is.
    func statementValue(_ value: Value, of signature: Signature) -> Value {
        switch signature.statement {
        case .printed:
            if !value.equals(.null) { output(ValuePrinter.render(value)) }
            return .null
        case .printedAs(let format):
            output(format(value) + "\n")
            return .null
        case .dropped, .pure:
            return value
        }
    }
}

extension Signature {
    /// The warning for a statement that calls a pure builtin and drops its value (`len $x` on its own line).
    func discardedValueWarning(at span: Span) -> Diagnostic? {
        guard case .pure = statement else { return nil }
        return Diagnostic(.discardedValue, "the value of `\(name)` is thrown away", at: span,
                          help: "`\(name)` does nothing else: use the value (`let x = (\(name) …)`, `print (\(name) …)`) or remove the line")
    }
}
