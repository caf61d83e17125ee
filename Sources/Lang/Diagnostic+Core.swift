import Core
import OrderedCollections

/// Core's types know nothing of diagnostics; this is where they meet. A caught diagnostic is what an error value
/// holds, and the codecs' failures become the diagnostics scripts have always seen (same codes, same messages).
extension Diagnostic: CaughtError {
    public var codeText: String { code.rawValue }

    public var record: OrderedDictionary<String, Value> {
        var f: OrderedDictionary<String, Value> = [
            "message": .string(message),
            "code": .string(code.rawValue),
        ]
        if let span {
            let (l, c) = span.file.location(of: span.start)
            f["file"] = .string(span.file.name)
            f["line"] = .int(l)
            f["col"] = .int(c)
        }
        if let help { f["help"] = .string(help) }
        for (k, v) in fields { f[k] = v }
        return f
    }
}

extension ErrorBox {
    /// The error value `catch err` binds.
    public convenience init(_ d: Diagnostic) { self.init(error: d) }

    /// The diagnostic caught: Lang makes every error value, always from a diagnostic.
    public var diagnostic: Diagnostic {
        guard let d = error as? Diagnostic else { preconditionFailure("an error value holds a Diagnostic") }
        return d
    }
}

extension JSONParser {
    /// The value of a JSON document; a malformed one is E2010 with its line and column, at `span`.
    public static func parse(_ text: String, maxCount: Int = 16 << 20, at span: Span?) throws -> Value {
        do {
            return try parse(text, maxCount: maxCount)
        } catch {
            throw Diagnostic(.parseData, error.message, at: span)
        }
    }
}

/// So the template engine can place a diagnostic thrown by one of tk8s's filters at the filter's call.
extension Diagnostic: LocatedError {}
