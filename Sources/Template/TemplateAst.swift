import Core

/// A name written in a template, with where it was written (for did-you-mean errors).
struct TemplateName {
    let text: String
    let span: Span
}

/// Arguments of a call, filter or test: `(a, b, width=2)`.
struct TemplateArguments {
    var positional: [TemplateExpr] = []
    var named: [(name: TemplateName, value: TemplateExpr)] = []
    /// `*items`: a list whose items follow the positional arguments.
    var spreadPositional: TemplateExpr?
    /// `**mapping`: a map whose entries follow the named arguments.
    var spreadNamed: TemplateExpr?

    static var none: TemplateArguments { TemplateArguments() }
}

/// A Jinja expression as data, with the bytes it was parsed from.
struct TemplateExpr {
    indirect enum Kind {
        case literal(Value)
        case name(String)
        /// Lists and tuples: Jinja's tuples are read-only lists, which templates cannot tell apart.
        case list([TemplateExpr])
        case dict([(key: TemplateExpr, value: TemplateExpr)])
        case attribute(TemplateExpr, TemplateName)
        case item(TemplateExpr, TemplateExpr)
        case slice(TemplateExpr, start: TemplateExpr?, stop: TemplateExpr?, step: TemplateExpr?)
        case call(TemplateExpr, TemplateArguments)
        case filter(TemplateExpr, TemplateName, TemplateArguments)
        case test(TemplateExpr, TemplateName, TemplateArguments, negated: Bool)
        case not(TemplateExpr)
        case negate(TemplateExpr)
        case binary(String, TemplateExpr, TemplateExpr)
        case and(TemplateExpr, TemplateExpr)
        case or(TemplateExpr, TemplateExpr)
        /// `a < b <= c`, Python's chained comparison.
        case compare(TemplateExpr, [(op: String, rhs: TemplateExpr)])
        case conditional(condition: TemplateExpr, then: TemplateExpr, otherwise: TemplateExpr?)
        /// `a ~ b ~ c`: string concatenation of each operand's text.
        case concat([TemplateExpr])
    }

    let kind: Kind
    let span: Span
}

/// What `{% set %}` and `{% for %}` assign to.
enum TemplateTarget {
    /// `x` or `k, v`.
    case names([TemplateName])
    /// `ns.count`: a key of a namespace map.
    case attribute(TemplateName, TemplateName)

    var boundNames: [String] {
        switch self {
        case .names(let n): return n.map(\.text)
        case .attribute(let n, _): return [n.text]
        }
    }
}

struct TemplateForLoop {
    let target: TemplateTarget
    let iterable: TemplateExpr
    let condition: TemplateExpr?
    let body: [TemplateNode]
    let otherwise: [TemplateNode]
    let span: Span
}

/// One piece of a parsed template.
indirect enum TemplateNode {
    case text(String)
    case output(TemplateExpr)
    case conditional(branches: [(condition: TemplateExpr, body: [TemplateNode])], otherwise: [TemplateNode])
    case forLoop(TemplateForLoop)
    case set(TemplateTarget, TemplateExpr, span: Span)
    /// `{% set x | upper %}…{% endset %}`.
    case setBlock(TemplateName, filters: [(TemplateName, TemplateArguments)], body: [TemplateNode])
    case include(TemplateExpr, ignoreMissing: Bool, withContext: Bool, span: Span)
    case with([(TemplateName, TemplateExpr)], body: [TemplateNode])
    case filterBlock([(TemplateName, TemplateArguments)], body: [TemplateNode], span: Span)
    case evaluate(TemplateExpr)
    case loopControl(isBreak: Bool, span: Span)
}
