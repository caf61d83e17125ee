import Core

/// Jinja's expression grammar, loosest binding first:
/// conditional, `or`, `and`, `not`, comparisons, `+ -`, `~`, `* / // %`, `**`,
/// unary `- +`, then primaries with `.attr`, `[item]`, calls, `|filter` and `is test`.
extension TemplateParser {
    /// An expression, or a tuple when commas follow (`{{ a, b }}`, `{% for x in a, b %}`).
    mutating func parseTuple(allowConditional: Bool = true) throws -> TemplateExpr {
        let first = try parseExpression(allowConditional: allowConditional)
        guard isOp(",") else { return first }
        var items = [first]
        while skip(op: ",") {
            if current.kind == .tagEnd || current.kind == .outputEnd || isOp(")") || isName("if") { break }
            items.append(try parseExpression(allowConditional: allowConditional))
        }
        return TemplateExpr(kind: .list(items), span: first.span.to(items.last!.span))
    }

    mutating func parseExpression(allowConditional: Bool = true) throws -> TemplateExpr {
        try nest(current.span)
        defer { depth -= 1 }
        var e = try parseOr()
        guard allowConditional else { return e }
        var levels = 0
        defer { depth -= levels }
        while isName("if") {
            try link(&levels, current.span)
            advance()
            let condition = try parseOr()
            var otherwise: TemplateExpr?
            if skip(name: "else") { otherwise = try parseExpression() }
            e = TemplateExpr(kind: .conditional(condition: condition, then: e, otherwise: otherwise),
                             span: e.span.to(otherwise?.span ?? condition.span))
        }
        return e
    }

    private mutating func parseOr() throws -> TemplateExpr {
        try parseLogical("or", TemplateExpr.Kind.or) { try $0.parseAnd() }
    }

    private mutating func parseAnd() throws -> TemplateExpr {
        try parseLogical("and", TemplateExpr.Kind.and) { try $0.parseNot() }
    }

    /// `a or b or c` (or `and`), left-associative; each link counts toward the nesting limit.
    private mutating func parseLogical(_ keyword: String, _ make: (TemplateExpr, TemplateExpr) -> TemplateExpr.Kind,
                                       _ operand: (inout TemplateParser) throws -> TemplateExpr) throws -> TemplateExpr {
        var e = try operand(&self)
        var levels = 0
        defer { depth -= levels }
        while isName(keyword) {
            try link(&levels, advance().span)
            let r = try operand(&self)
            e = TemplateExpr(kind: make(e, r), span: e.span.to(r.span))
        }
        return e
    }

    private mutating func parseNot() throws -> TemplateExpr {
        if isName("not") {
            let start = advance().span
            try nest(start)
            defer { depth -= 1 }
            let e = try parseNot()
            return TemplateExpr(kind: .not(e), span: start.to(e.span))
        }
        return try parseCompare()
    }

    private static let comparisons: Set<String> = ["==", "!=", "<", ">", "<=", ">="]

    private mutating func parseCompare() throws -> TemplateExpr {
        let first = try parseMath1()
        var ops: [(op: String, rhs: TemplateExpr)] = []
        while true {
            let op: String
            if case .op(let o) = current.kind, Self.comparisons.contains(o) {
                op = o
                advance()
            } else if isName("in") {
                op = "in"
                advance()
            } else if isName("not"), index + 1 < tokens.count, tokens[index + 1].kind == .name("in") {
                op = "not in"
                advance(); advance()
            } else {
                break
            }
            ops.append((op, try parseMath1()))
        }
        guard let last = ops.last else { return first }
        return TemplateExpr(kind: .compare(first, ops), span: first.span.to(last.rhs.span))
    }

    private mutating func parseBinary(_ ops: Set<String>, _ operand: (inout TemplateParser) throws -> TemplateExpr) throws -> TemplateExpr {
        var e = try operand(&self)
        var levels = 0
        defer { depth -= levels }
        while case .op(let o) = current.kind, ops.contains(o) {
            try link(&levels, advance().span)
            let r = try operand(&self)
            e = TemplateExpr(kind: .binary(o, e, r), span: e.span.to(r.span))
        }
        return e
    }

    private mutating func parseMath1() throws -> TemplateExpr {
        try parseBinary(["+", "-"]) { try $0.parseConcat() }
    }

    private mutating func parseConcat() throws -> TemplateExpr {
        let first = try parseMath2()
        guard isOp("~") else { return first }
        var parts = [first]
        while skip(op: "~") { parts.append(try parseMath2()) }
        return TemplateExpr(kind: .concat(parts), span: first.span.to(parts.last!.span))
    }

    private mutating func parseMath2() throws -> TemplateExpr {
        try parseBinary(["*", "/", "//", "%"]) { try $0.parsePow() }
    }

    private mutating func parsePow() throws -> TemplateExpr {
        try parseBinary(["**"]) { try $0.parseUnary() }
    }

    private mutating func parseUnary(withFilter: Bool = true) throws -> TemplateExpr {
        try nest(current.span)
        defer { depth -= 1 }
        var e: TemplateExpr
        if isOp("-") || isOp("+") {
            let sign = advance()
            let operand = try parseUnary(withFilter: false)
            e = sign.kind == .op("-") ? TemplateExpr(kind: .negate(operand), span: sign.span.to(operand.span)) : operand
        } else {
            e = try parsePrimary()
        }
        e = try parsePostfix(e)
        return withFilter ? try parseFilterExpression(e) : e
    }

    private mutating func parsePrimary() throws -> TemplateExpr {
        let token = advance()
        switch token.kind {
        case .name(let n):
            switch n {
            case "true", "True": return TemplateExpr(kind: .literal(.bool(true)), span: token.span)
            case "false", "False": return TemplateExpr(kind: .literal(.bool(false)), span: token.span)
            case "none", "None": return TemplateExpr(kind: .literal(.null), span: token.span)
            default: return TemplateExpr(kind: .name(n), span: token.span)
            }
        case .string(var s):
            var span = token.span
            while case .string(let more) = current.kind {
                s += more
                span = span.to(advance().span)
            }
            return TemplateExpr(kind: .literal(.string(s)), span: span)
        case .int(let i): return TemplateExpr(kind: .literal(.int(i)), span: token.span)
        case .float(let d): return TemplateExpr(kind: .literal(.float(d)), span: token.span)
        case .op("("):
            if isOp(")") { return TemplateExpr(kind: .list([]), span: token.span.to(advance().span)) }
            let e = try parseTuple()
            let close = try expect(op: ")", "to close `(`")
            return TemplateExpr(kind: e.kind, span: token.span.to(close))
        case .op("["):
            var items: [TemplateExpr] = []
            while !isOp("]") {
                if !items.isEmpty { _ = try expect(op: ",", "between list items") }
                if isOp("]") { break }
                items.append(try parseExpression())
            }
            return TemplateExpr(kind: .list(items), span: token.span.to(advance().span))
        case .op("{"):
            var pairs: [(key: TemplateExpr, value: TemplateExpr)] = []
            while !isOp("}") {
                if !pairs.isEmpty { _ = try expect(op: ",", "between dict items") }
                if isOp("}") { break }
                let k = try parseExpression()
                _ = try expect(op: ":", "after a dict key")
                pairs.append((k, try parseExpression()))
            }
            return TemplateExpr(kind: .dict(pairs), span: token.span.to(advance().span))
        default:
            throw fail("expected an expression, found \(Self.describe(token.kind))", token.span)
        }
    }

    private mutating func parsePostfix(_ start: TemplateExpr) throws -> TemplateExpr {
        var e = start
        var levels = 0
        defer { depth -= levels }
        while true {
            if isOp(".") || isOp("[") || isOp("(") { try link(&levels, current.span) }
            if skip(op: ".") {
                if case .int(let i) = current.kind {
                    let t = advance()
                    e = TemplateExpr(kind: .item(e, TemplateExpr(kind: .literal(.int(i)), span: t.span)), span: e.span.to(t.span))
                } else {
                    let name = try expectName("after `.`")
                    e = TemplateExpr(kind: .attribute(e, name), span: e.span.to(name.span))
                }
            } else if isOp("[") {
                e = try parseSubscript(e)
            } else if isOp("(") {
                e = try parseCall(e)
            } else {
                return e
            }
        }
    }

    private mutating func parseSubscript(_ target: TemplateExpr) throws -> TemplateExpr {
        advance()
        var parts: [TemplateExpr?] = [nil]
        var isSlice = false
        while !isOp("]") {
            if skip(op: ":") {
                isSlice = true
                parts.append(nil)
                guard parts.count <= 3 else { throw fail("a slice has at most three parts: [start:stop:step]", current.span) }
                continue
            }
            guard parts[parts.count - 1] == nil else { throw fail("expected `]`, found \(Self.describe(current.kind))", current.span) }
            parts[parts.count - 1] = try parseExpression()
        }
        let close = advance().span
        let span = target.span.to(close)
        if isSlice {
            while parts.count < 3 { parts.append(nil) }
            return TemplateExpr(kind: .slice(target, start: parts[0], stop: parts[1], step: parts[2]), span: span)
        }
        guard let key = parts[0] else { throw fail("expected an index inside `[]`", close) }
        return TemplateExpr(kind: .item(target, key), span: span)
    }

    private mutating func parseCall(_ callee: TemplateExpr) throws -> TemplateExpr {
        let (args, close) = try parseArguments()
        return TemplateExpr(kind: .call(callee, args), span: callee.span.to(close))
    }

    /// `(a, b, name=c)`; the current token is `(`. Returns the arguments and the span of `)`.
    mutating func parseArguments() throws -> (TemplateArguments, Span) {
        advance()
        var args = TemplateArguments()
        var first = true
        while !isOp(")") {
            if !first { _ = try expect(op: ",", "between arguments") }
            first = false
            if isOp(")") { break }
            if args.spreadNamed != nil { throw fail("`**mapping` must be the last argument", current.span) }
            if isOp("**") {
                advance()
                args.spreadNamed = try parseExpression()
            } else if isOp("*") {
                guard args.spreadPositional == nil else { throw fail("only one `*items` argument is allowed", current.span) }
                advance()
                args.spreadPositional = try parseExpression()
            } else if case .name(let n) = current.kind, index + 1 < tokens.count, tokens[index + 1].kind == .op("=") {
                let name = TemplateName(text: n, span: advance().span)
                advance()
                args.named.append((name, try parseExpression()))
            } else {
                guard args.named.isEmpty, args.spreadPositional == nil else {
                    throw fail("a positional argument cannot follow a named one or `*items`", current.span)
                }
                args.positional.append(try parseExpression())
            }
        }
        return (args, advance().span)
    }

    /// `|name`, `|name(args)`, `is [not] name [arg]` after an expression.
    private mutating func parseFilterExpression(_ start: TemplateExpr) throws -> TemplateExpr {
        var e = start
        var levels = 0
        defer { depth -= levels }
        while true {
            if isOp("|") || isName("is") || isOp("(") { try link(&levels, current.span) }
            if isOp("|") {
                for (name, args) in try parseFilterChain(leadingBar: true) {
                    e = TemplateExpr(kind: .filter(e, name, args), span: e.span.to(name.span))
                }
            } else if skip(name: "is") {
                let negated = skip(name: "not")
                let name = try expectName("after `is`")
                var args = TemplateArguments.none
                var end = name.span
                if isOp("(") {
                    (args, end) = try parseArguments()
                } else if startsTestArgument {
                    let arg = try parsePostfix(try parsePrimary())
                    args.positional = [arg]
                    end = arg.span
                }
                e = TemplateExpr(kind: .test(e, name, args, negated: negated), span: e.span.to(end))
            } else if isOp("(") {
                e = try parseCall(e)
            } else {
                return e
            }
        }
    }

    private var startsTestArgument: Bool {
        switch current.kind {
        case .name(let n): return !["else", "or", "and", "if", "in", "not", "is"].contains(n)
        case .string, .int, .float, .op("["), .op("{"): return true
        default: return false
        }
    }

    /// `name(args) | name2`, with or without a leading `|`.
    mutating func parseFilterChain(leadingBar: Bool) throws -> [(TemplateName, TemplateArguments)] {
        var chain: [(TemplateName, TemplateArguments)] = []
        var first = !leadingBar
        var levels = 0
        defer { depth -= levels }
        while first || skip(op: "|") {
            if first, current.kind == .tagEnd { break }
            first = false
            try link(&levels, current.span)
            let name = try expectName("after `|`, naming a filter")
            var args = TemplateArguments.none
            if isOp("(") { args = try parseArguments().0 }
            chain.append((name, args))
        }
        return chain
    }
}
