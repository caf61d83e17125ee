import Core

/// Why a template cannot be parsed or rendered, pointing into the template. The engine's own error, so it needs
/// no interpreter; Runtime reports it as a tk8s diagnostic with the code `kind` names (E2013 for most).
public struct TemplateError: LocatedError, Sendable, CustomStringConvertible {
    /// What went wrong, by the diagnostic code Runtime gives it.
    public enum Kind: Sendable {
        case templateError, sizeLimit, integerOverflow, recursionTooDeep, divisionByZero, indexOutOfRange
    }

    public var kind: Kind
    public var message: String
    public var span: Span?
    public var help: String?
    /// The calls and includes the error passed through, innermost first.
    public private(set) var trace: [(what: String, callSite: Span)] = []
    /// Where Jinja returns Undefined rather than raising (`[]|first`): `is defined` and `|default` see a missing value.
    public internal(set) var isUndefinedResult = false
    /// The field a caught error shows that flag as (`err.undefined`); a config value's template reports its errors
    /// through the host, and the flag survives that way.
    public static let undefinedField = "undefined"

    public init(_ kind: Kind, _ message: String, at span: Span?, help: String? = nil) {
        self.kind = kind
        self.message = message
        self.span = span
        self.help = help
    }

    public mutating func addTrace(_ what: String, at site: Span) { trace.append((what, site)) }

    public var description: String { (span.map { $0.position + ": " } ?? "") + message }
}
