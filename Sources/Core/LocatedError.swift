/// An error that points into source text. Whoever catches one on its way up can give it a position or note the
/// call it passed through: the template engine does this to a `Diagnostic` from one of tk8s's filters, which it
/// cannot name (Lang's `Diagnostic` and Template's `TemplateError` both conform).
public protocol LocatedError: Error {
    var span: Span? { get set }
    /// Records that the error passed through `what`, called at `site`.
    mutating func addTrace(_ what: String, at site: Span)
}

/// `error` changed by `change` when it is a `LocatedError`; any other error as it is.
public func relocated(_ error: any Error, _ change: (inout any LocatedError) -> Void) -> any Error {
    guard var located = error as? any LocatedError else { return error }
    change(&located)
    return located
}
