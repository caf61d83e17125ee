import Core
import Lang
import Template

/// The template engine is a target of its own and knows nothing of diagnostics: its errors become tk8s diagnostics
/// here, at the edge of Runtime, with the codes, messages, positions and call notes they always had.
extension Diagnostic {
    init(_ e: TemplateError) {
        let code: ErrorCode
        switch e.kind {
        case .templateError: code = .templateError
        case .sizeLimit: code = .sizeLimit
        case .integerOverflow: code = .integerOverflow
        case .recursionTooDeep: code = .recursionTooDeep
        case .divisionByZero: code = .divisionByZero
        case .indexOutOfRange: code = .indexOutOfRange
        }
        self.init(code, e.message, at: e.span, help: e.help)
        if e.isUndefinedResult { fields = [(TemplateError.undefinedField, .bool(true))] }
        for frame in e.trace { addTrace(frame.what, at: frame.callSite) }
    }
}

/// Runs `body`, which parses or renders templates, turning the engine's errors into diagnostics.
func templating<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as TemplateError {
        throw Diagnostic(e)
    }
}
