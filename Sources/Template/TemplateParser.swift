import Core

/// Builds the node tree of a template from its tokens; the statement half.
/// Expressions are parsed in TemplateParser+Expressions.swift.
struct TemplateParser {
    let file: SourceFile
    var tokens: [TemplateToken]
    var index = 0
    /// How deep the current expression or block nests; bounded so a hostile template cannot overflow the stack.
    var depth = 0
    var loopDepth = 0
    static let maxDepth = 200

    /// Tags tk8s reads.
    static let tags = ["if", "elif", "else", "endif", "for", "endfor", "set", "endset", "include", "with", "endwith",
                       "filter", "endfilter", "do", "break", "continue", "raw", "endraw"]
    /// Jinja tags Tutor's templates do not need and tk8s does not implement.
    static let unsupportedTags = ["macro", "endmacro", "call", "endcall", "extends", "block", "endblock", "import",
                                  "from", "autoescape", "endautoescape", "trans", "endtrans", "pluralize"]

    static func parse(_ file: SourceFile) throws -> [TemplateNode] {
        var p = TemplateParser(file: file, tokens: try TemplateLexer.tokenize(file))
        return try p.parseBody(until: [], opener: nil).nodes
    }

    // MARK: Tokens

    var current: TemplateToken { tokens[index] }

    @discardableResult
    mutating func advance() -> TemplateToken {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    func fail(_ message: String, _ span: Span, help: String? = nil) -> TemplateError {
        TemplateError(.templateError, message, at: span, help: help)
    }

    static func describe(_ kind: TemplateToken.Kind) -> String {
        switch kind {
        case .text: return "text"
        case .outputStart: return "`{{`"
        case .outputEnd: return "`}}`"
        case .tagStart: return "`{%`"
        case .tagEnd: return "`%}`"
        case .name(let n): return "`\(n)`"
        case .int(let i): return "`\(i)`"
        case .float(let d): return "`\(d)`"
        case .string(let s): return "the string \(TemplateStrings.repr(s))"
        case .op(let o): return "`\(o)`"
        case .end: return "the end of the template"
        }
    }

    func isOp(_ op: String) -> Bool { current.kind == .op(op) }
    func isName(_ name: String) -> Bool { current.kind == .name(name) }

    mutating func skip(op: String) -> Bool {
        guard isOp(op) else { return false }
        advance()
        return true
    }

    mutating func skip(name: String) -> Bool {
        guard isName(name) else { return false }
        advance()
        return true
    }

    mutating func expect(op: String, _ context: String) throws -> Span {
        guard isOp(op) else { throw fail("expected `\(op)` \(context), found \(Self.describe(current.kind))", current.span) }
        return advance().span
    }

    mutating func expectName(_ context: String) throws -> TemplateName {
        guard case .name(let n) = current.kind else {
            throw fail("expected a name \(context), found \(Self.describe(current.kind))", current.span)
        }
        return TemplateName(text: n, span: advance().span)
    }

    mutating func expectTagEnd(_ tag: String) throws {
        guard current.kind == .tagEnd else {
            throw fail("expected `%}` to end `{% \(tag) %}`, found \(Self.describe(current.kind))", current.span)
        }
        advance()
    }

    mutating func nest(_ span: Span) throws {
        depth += 1
        if depth > Self.maxDepth {
            throw fail("template nests more than \(Self.maxDepth) levels deep", span, help: "split the expression or the blocks")
        }
    }

    /// One more link of a left-deep chain (`a + b + c`, `x|f|g`, `a.b.c`): its tree is as deep as the
    /// chain is long, and evaluating it recurses that deep, so it counts against `maxDepth` too.
    /// The caller gives the levels back with `defer { depth -= levels }`.
    mutating func link(_ levels: inout Int, _ span: Span) throws {
        levels += 1
        try nest(span)
    }

    // MARK: Blocks

    /// Nodes up to one of `endTags` (consumed up to and including its name) or, when `endTags` is empty, the end.
    mutating func parseBody(until endTags: [String], opener: (tag: String, span: Span)?) throws
        -> (nodes: [TemplateNode], tag: String, tagSpan: Span) {
        var nodes: [TemplateNode] = []
        while true {
            let token = advance()
            switch token.kind {
            case .text(let s):
                nodes.append(.text(s))
            case .outputStart:
                let e = try parseTuple()
                guard current.kind == .outputEnd else {
                    throw fail("expected `}}` to end the expression, found \(Self.describe(current.kind))", current.span,
                               help: "the `{{` opened at \(token.span.position)")
                }
                advance()
                nodes.append(.output(e))
            case .tagStart:
                let name = try expectName("after `{%`")
                if endTags.contains(name.text) { return (nodes, name.text, name.span) }
                nodes.append(try parseStatement(name, endTags: endTags, opener: opener))
            case .end:
                if let opener {
                    throw fail("`{% \(opener.tag) %}` is never closed", opener.span,
                               help: "expected `{% \(endTags.last ?? "end") %}` before the end of the template")
                }
                return (nodes, "", token.span)
            default:
                throw fail("unexpected \(Self.describe(token.kind))", token.span)
            }
        }
    }

    private mutating func parseStatement(_ tag: TemplateName, endTags: [String], opener: (tag: String, span: Span)?) throws -> TemplateNode {
        try nest(tag.span)
        defer { depth -= 1 }
        switch tag.text {
        case "if": return try parseIf(tag)
        case "for": return try parseFor(tag)
        case "set": return try parseSet(tag)
        case "include": return try parseInclude(tag)
        case "with": return try parseWith(tag)
        case "filter": return try parseFilterBlock(tag)
        case "do":
            let e = try parseTuple()
            try expectTagEnd("do")
            return .evaluate(e)
        case "break", "continue":
            guard loopDepth > 0 else { throw fail("`{% \(tag.text) %}` outside a `{% for %}` loop", tag.span) }
            try expectTagEnd(tag.text)
            return .loopControl(isBreak: tag.text == "break", span: tag.span)
        default:
            if Self.unsupportedTags.contains(tag.text) {
                throw fail("tk8s templates do not support `{% \(tag.text) %}`", tag.span,
                           help: "Tutor's templates do not use it; write the text out, or use `{% set %}` and `{% include %}`")
            }
            var help: String?
            if let close = closestName(to: tag.text, in: Self.tags + endTags) {
                help = "did you mean `\(close)`?"
            } else if let opener {
                help = "the `{% \(opener.tag) %}` at \(opener.span.position) is still open; it ends with `{% \(endTags.last ?? "") %}`"
            }
            throw fail("unknown tag `\(tag.text)`", tag.span, help: help)
        }
    }

    private mutating func parseIf(_ tag: TemplateName) throws -> TemplateNode {
        var branches: [(condition: TemplateExpr, body: [TemplateNode])] = []
        var condition = try parseTuple()
        try expectTagEnd("if")
        while true {
            let (body, end, _) = try parseBody(until: ["elif", "else", "endif"], opener: ("if", tag.span))
            branches.append((condition, body))
            switch end {
            case "elif":
                condition = try parseTuple()
                try expectTagEnd("elif")
            case "else":
                try expectTagEnd("else")
                let (otherwise, _, _) = try parseBody(until: ["endif"], opener: ("if", tag.span))
                try expectTagEnd("endif")
                return .conditional(branches: branches, otherwise: otherwise)
            default:
                try expectTagEnd("endif")
                return .conditional(branches: branches, otherwise: [])
            }
        }
    }

    private mutating func parseFor(_ tag: TemplateName) throws -> TemplateNode {
        let target = try parseTarget(allowAttribute: false)
        guard skip(name: "in") else {
            throw fail("expected `in` after the loop variable, found \(Self.describe(current.kind))", current.span,
                       help: "write `{% for item in items %}`")
        }
        let iterable = try parseTuple(allowConditional: false)
        var condition: TemplateExpr?
        if skip(name: "if") { condition = try parseExpression(allowConditional: false) }
        if isName("recursive") { throw fail("recursive loops are not supported by tk8s templates", current.span) }
        try expectTagEnd("for")
        loopDepth += 1
        let (body, end, _) = try parseBody(until: ["else", "endfor"], opener: ("for", tag.span))
        loopDepth -= 1
        var otherwise: [TemplateNode] = []
        try expectTagEnd(end)
        if end == "else" {
            otherwise = try parseBody(until: ["endfor"], opener: ("for", tag.span)).nodes
            try expectTagEnd("endfor")
        }
        return .forLoop(TemplateForLoop(target: target, iterable: iterable, condition: condition, body: body,
                                        otherwise: otherwise, span: tag.span))
    }

    /// `x`, `k, v`, `(k, v)` or, for `set`, `ns.attr`.
    private mutating func parseTarget(allowAttribute: Bool) throws -> TemplateTarget {
        let parenthesized = skip(op: "(")
        let first = try expectName("to assign to")
        if allowAttribute, !parenthesized, skip(op: ".") {
            return .attribute(first, try expectName("after `.`"))
        }
        var names = [first]
        while skip(op: ",") {
            if parenthesized, isOp(")") { break }
            guard case .name = current.kind else { break }
            names.append(try expectName("to assign to"))
        }
        if parenthesized { _ = try expect(op: ")", "to close the names") }
        for n in names where ["true", "false", "none", "True", "False", "None"].contains(n.text) {
            throw fail("cannot assign to `\(n.text)`", n.span)
        }
        return .names(names)
    }

    private mutating func parseSet(_ tag: TemplateName) throws -> TemplateNode {
        let target = try parseTarget(allowAttribute: true)
        if skip(op: "=") {
            let value = try parseTuple()
            try expectTagEnd("set")
            return .set(target, value, span: tag.span)
        }
        guard case .names(let names) = target, names.count == 1 else {
            throw fail("expected `=` after the name in `{% set %}`", current.span)
        }
        let filters = try parseFilterChain(leadingBar: true)
        try expectTagEnd("set")
        let (body, _, _) = try parseBody(until: ["endset"], opener: ("set", tag.span))
        try expectTagEnd("endset")
        return .setBlock(names[0], filters: filters, body: body)
    }

    private mutating func parseInclude(_ tag: TemplateName) throws -> TemplateNode {
        let name = try parseExpression()
        var ignoreMissing = false, withContext = true
        if isName("ignore") {
            advance()
            guard skip(name: "missing") else { throw fail("expected `missing` after `ignore`", current.span) }
            ignoreMissing = true
        }
        if isName("with") || isName("without") {
            withContext = advance().kind == .name("with")
            guard skip(name: "context") else { throw fail("expected `context`", current.span) }
        }
        try expectTagEnd("include")
        return .include(name, ignoreMissing: ignoreMissing, withContext: withContext, span: tag.span.to(name.span))
    }

    private mutating func parseWith(_ tag: TemplateName) throws -> TemplateNode {
        var assignments: [(TemplateName, TemplateExpr)] = []
        while current.kind != .tagEnd {
            if !assignments.isEmpty { _ = try expect(op: ",", "between the assignments of `{% with %}`") }
            let name = try expectName("in `{% with %}`")
            _ = try expect(op: "=", "after `\(name.text)`")
            assignments.append((name, try parseExpression()))
        }
        try expectTagEnd("with")
        let (body, _, _) = try parseBody(until: ["endwith"], opener: ("with", tag.span))
        try expectTagEnd("endwith")
        return .with(assignments, body: body)
    }

    private mutating func parseFilterBlock(_ tag: TemplateName) throws -> TemplateNode {
        let filters = try parseFilterChain(leadingBar: false)
        guard !filters.isEmpty else { throw fail("`{% filter %}` needs a filter name", current.span) }
        try expectTagEnd("filter")
        let (body, _, _) = try parseBody(until: ["endfilter"], opener: ("filter", tag.span))
        try expectTagEnd("endfilter")
        return .filterBlock(filters, body: body, span: tag.span)
    }
}
