import Core

/// Recursive-descent parser: source text to a `SyntaxTree`.
///
/// A statement that starts with a plain name is a command (`start lms
/// --tail 20`), whose arguments are read as shell-like words; anything else
/// (`$x + 1`, `"text"`, `(cmd)`) is an expression. Errors do not stop the
/// parse: the statement is skipped to the next line and parsing goes on, so
/// one run reports every error.
public final class Parser {
    /// Brackets, blocks and expressions nested deeper than this are an error, not a stack overflow.
    public static let maxNesting = 200

    let file: SourceFile
    let scanner: Scanner
    private var pos: Int
    private let end: Int
    public private(set) var diagnostics: [Diagnostic] = []
    private var skipNewlines = false
    private var depth: Int
    private var loopDepth = 0
    private var fnDepth = 0
    private var cache: (pos: Int, mode: ScanMode, skip: Bool, tok: Token)?
    /// Every token read, by start offset: backtracking reads some twice.
    private var tokensRead: [Int: Token] = [:]

    private struct Abort: Error {}
    /// The scanner has already reported this token: skip the statement without a second error.
    private struct AlreadyReported: Error {}

    public init(file: SourceFile) {
        self.file = file
        scanner = Scanner(file: file)
        pos = 0
        end = file.bytes.count
        depth = 0
    }

    /// A parser for the code inside `$(…)` in a string.
    private init(sub parent: Parser, start: Int, end: Int) {
        file = parent.file
        scanner = Scanner(file: parent.file, start: start, limit: end)
        pos = start
        self.end = end
        depth = parent.depth + 1
        loopDepth = parent.loopDepth
        fnDepth = parent.fnDepth
    }

    /// Parses a whole program. Check `diagnostics` afterwards.
    public func parse() -> SyntaxTree {
        skipShebang()
        var stmts: [Stmt] = []
        do {
            stmts = try parseStatements(inBlock: false)
        } catch {
            // Abort: nesting limit; the diagnostic is recorded.
        }
        diagnostics = mergeScannerDiagnostics()
        let tokens = tokensRead.values.sorted { $0.start < $1.start }
        let comments = scanner.comments.sorted { $0.key < $1.key }.map { Span(file, $0.key, $0.value) }
        return SyntaxTree(file: file, statements: stmts, tokens: tokens, comments: comments)
    }

    private func mergeScannerDiagnostics() -> [Diagnostic] {
        (scanner.diagnostics + diagnostics).sorted { ($0.span?.start ?? 0) < ($1.span?.start ?? 0) }
    }

    private func skipShebang() {
        if file.bytes.starts(with: [35, 33]) {  // "#!"
            while pos < end, file.bytes[pos] != 10 { pos += 1 }
        }
    }

    // MARK: Tokens

    private func peek(_ mode: ScanMode = .expression) -> Token {
        if let c = cache, c.pos == pos, c.mode == mode, c.skip == skipNewlines { return c.tok }
        let t = scanner.scan(at: pos, mode: mode, skipNewlines: skipNewlines)
        cache = (pos, mode, skipNewlines, t)
        return t
    }

    @discardableResult
    private func advance(_ t: Token) -> Token {
        pos = t.end
        if t.kind != .eof { tokensRead[t.start] = t }
        return t
    }

    private func span(_ t: Token) -> Span { Span(file, t.start, t.end) }

    private func error(_ code: ErrorCode, _ message: String, _ s: Span, help: String? = nil) -> Diagnostic {
        Diagnostic(code, message, at: s, help: help)
    }

    private func describe(_ t: Token) -> String {
        switch t.kind {
        case .eof: return "end of input"
        case .newline: return "end of line"
        case .string: return "a string"
        case .int, .float: return "number `\(t.text)`"
        case .invalid: return "`\(t.text)`"
        default: return "`\(file.text(span(t)))`"
        }
    }

    private func expect(_ kind: TokenKind, _ what: String, mode: ScanMode = .expression, opener: Token? = nil) throws -> Token {
        let t = peek(mode)
        if t.kind == kind { return advance(t) }
        if let opener, t.kind == .eof {
            throw error(.unclosedDelimiter, "unclosed `\(file.text(span(opener)))`", span(opener), help: "add the matching \(what)")
        }
        throw error(.unexpectedToken, "expected \(what), found \(describe(t))", span(t))
    }

    private func nest() throws {
        depth += 1
        if depth > Parser.maxNesting {
            diagnostics.append(error(.nestingTooDeep, "nesting deeper than \(Parser.maxNesting) levels",
                                     Span(file, pos, min(pos + 1, end)), help: "split the expression or the block into smaller pieces"))
            throw Abort()
        }
    }

    private func withNewlines<T>(skipped: Bool, _ body: () throws -> T) rethrows -> T {
        let saved = skipNewlines
        skipNewlines = skipped
        defer { skipNewlines = saved }
        return try body()
    }

    /// True when the next character touches the previous token: `$m.key`, `$l[0]`.
    private func adjacentPostfix() -> Bool {
        guard pos < end else { return false }
        let c = file.bytes[pos]
        return c == UInt8(ascii: "[") || (c == UInt8(ascii: ".") && pos + 1 < end && file.bytes[pos + 1] != UInt8(ascii: "."))
    }

    // MARK: Statements

    private func parseStatements(inBlock: Bool) throws -> [Stmt] {
        var stmts: [Stmt] = []
        while true {
            skipSeparators()
            let t = peek()
            if t.kind == .eof { break }
            if t.kind == .rbrace {
                if inBlock { break }
                diagnostics.append(error(.unexpectedToken, "unexpected `}`", span(t), help: "there is no open block to close"))
                advance(t)
                continue
            }
            do {
                stmts.append(try parseStatement())
                let after = peek()
                switch after.kind {
                case .newline, .semicolon, .eof, .rbrace: break
                case .invalid: throw AlreadyReported()
                default:
                    throw error(.unexpectedToken, "expected end of statement, found \(describe(after))", span(after),
                                help: "put one statement per line, or separate them with `;`")
                }
            } catch let d as Diagnostic {
                diagnostics.append(d)
                synchronize()
            } catch is AlreadyReported {
                synchronize()
            }
        }
        return stmts
    }

    private func skipSeparators() {
        while true {
            let t = peek()
            guard t.kind == .newline || t.kind == .semicolon else { return }
            advance(t)
        }
    }

    /// Skips to the end of the broken statement: the next line or `;` outside brackets.
    private func synchronize() {
        var level = 0
        withNewlines(skipped: false) {
            while true {
                let t = peek(.argument)
                switch t.kind {
                case .eof: return
                case .newline where level == 0, .semicolon where level == 0: return
                case .rbrace where level == 0: return
                case .lparen, .lbracket, .lbrace: level += 1
                case .rparen, .rbracket, .rbrace: level = max(0, level - 1)
                default: break
                }
                advance(t)
            }
        }
    }

    private func parseStatement() throws -> Stmt {
        let t = peek()
        if t.kind == .ident {
            switch t.text {
            case "let": return try parseLet()
            case "if": return try parseIf()
            case "for": return try parseFor()
            case "while": return try parseWhile()
            case "fn": return try parseFn()
            case "try": return try parseTry()
            case "import": return try parseImport()
            case "return":
                advance(t)
                guard fnDepth > 0 else {
                    throw error(.misplacedStatement, "`return` outside a function", span(t),
                                help: "use `exit` builtins or `fail` to stop a script")
                }
                let next = peek()
                if [.newline, .semicolon, .eof, .rbrace].contains(next.kind) { return ReturnStmt(nil, span(t)) }
                let v = try parsePipeline(stopAtBrace: false)
                return ReturnStmt(v, span(t).to(v.span))
            case "break", "continue":
                advance(t)
                guard loopDepth > 0 else {
                    throw error(.misplacedStatement, "`\(t.text)` outside a loop", span(t))
                }
                return t.text == "break" ? BreakStmt(span(t)) : ContinueStmt(span(t))
            case "else", "catch", "in", "and", "or":
                throw error(.unexpectedToken, "unexpected `\(t.text)`", span(t),
                            help: t.text == "else" ? "`else` must follow the `}` of an `if` block" : nil)
            default: break
            }
            if !t.isAnyKeyword {
                if assignmentFollows(t.end) && !adjacentPostfixAfter(t) {
                    advance(t)
                    return try parseAssignment(to: NameExpr(t.text, dollar: false, span(t)))
                }
            }
        }
        let parenthesized = peek().kind == .lparen
        let expr = try parsePipeline(stopAtBrace: false)
        let next = peek()
        if [.assign, .plusAssign, .minusAssign].contains(next.kind) {
            guard expr is NameExpr || expr is MemberExpr || expr is IndexExpr else {
                throw error(.invalidAssignmentTarget, "cannot assign to this expression", expr.span,
                            help: "assign to a variable (`x = 1`), a key (`$m.key = 1`) or an index (`$l[0] = 1`)")
            }
            return try parseAssignment(to: expr)
        }
        // `status` alone shows kubectl's output; `(status)` asks for the value, even on a line of its own.
        return ExprStmt(expr, parenthesized: parenthesized)
    }

    /// Whether `=`, `+=` or `-=` (not `==`) comes next, read from the bytes: scanning the
    /// command's first argument as an expression would report errors that are not there.
    private func assignmentFollows(_ offset: Int) -> Bool {
        var p = offset
        let b = file.bytes
        while p < end, b[p] == 32 || b[p] == 9 { p += 1 }
        guard p < end else { return false }
        if b[p] == UInt8(ascii: "=") { return p + 1 >= end || b[p + 1] != UInt8(ascii: "=") }
        if b[p] == UInt8(ascii: "+") || b[p] == UInt8(ascii: "-") { return p + 1 < end && b[p + 1] == UInt8(ascii: "=") }
        return false
    }

    private func adjacentPostfixAfter(_ t: Token) -> Bool {
        let saved = pos
        pos = t.end
        defer { pos = saved }
        return adjacentPostfix()
    }

    private func parseAssignment(to target: Expr) throws -> Stmt {
        let opTok = advance(peek())
        let op: AssignOp = opTok.kind == .assign ? .set : opTok.kind == .plusAssign ? .add : .subtract
        let value = try parsePipeline(stopAtBrace: false)
        return AssignStmt(target, op, value, target.span.to(value.span))
    }

    private func parseName(_ what: String) throws -> Token {
        let t = peek()
        guard t.kind == .ident, !t.isAnyKeyword else {
            throw error(.unexpectedToken, "expected \(what), found \(describe(t))", span(t))
        }
        return advance(t)
    }

    private func parseLet() throws -> Stmt {
        let kw = advance(peek())
        let name = try parseName("a variable name after `let`")
        _ = try expect(.assign, "`=` after `let \(name.text)`")
        let value = try parsePipeline(stopAtBrace: false)
        return LetStmt(name.text, nameSpan: span(name), value: value, span(kw).to(value.span))
    }

    private func parseBlock() throws -> Block {
        try nest()
        defer { depth -= 1 }
        let open = try expect(.lbrace, "`{`")
        let stmts = try withNewlines(skipped: false) { try parseStatements(inBlock: true) }
        let close = try expect(.rbrace, "`}`", opener: open)
        return Block(stmts, span(open).to(span(close)))
    }

    /// Peeks past newlines for a keyword that continues a statement (`else`, `catch`).
    private func continues(with keyword: String) -> Bool {
        let saved = pos
        skipSeparatorsNewlinesOnly()
        if peek().isKeyword(keyword) { return true }
        pos = saved
        return false
    }

    private func skipSeparatorsNewlinesOnly() {
        while peek().kind == .newline { advance(peek()) }
    }

    private func parseIf() throws -> Stmt {
        let kw = advance(peek())
        let cond = try parsePipeline(stopAtBrace: true)
        let then = try parseBlock()
        var otherwise: Stmt?
        if continues(with: "else") {
            advance(peek())
            if peek().isKeyword("if") {
                try nest()
                defer { depth -= 1 }
                otherwise = try parseIf()
            } else {
                otherwise = try parseBlock()
            }
        }
        return IfStmt(cond, then, otherwise, span(kw).to(otherwise?.span ?? then.span))
    }

    private func parseFor() throws -> Stmt {
        let kw = advance(peek())
        var names: [LoopVariable] = []
        let first = try parseName("a loop variable after `for`")
        names.append(LoopVariable(name: first.text, span: span(first)))
        if peek().kind == .comma {
            advance(peek())
            let second = try parseName("a second loop variable after `,`")
            names.append(LoopVariable(name: second.text, span: span(second)))
        }
        guard peek().isKeyword("in") else {
            throw error(.unexpectedToken, "expected `in` after the loop variable, found \(describe(peek()))", span(peek()))
        }
        advance(peek())
        let iterable = try parsePipeline(stopAtBrace: true)
        loopDepth += 1
        defer { loopDepth -= 1 }
        let body = try parseBlock()
        return ForStmt(names, iterable, body, span(kw).to(body.span))
    }

    private func parseWhile() throws -> Stmt {
        let kw = advance(peek())
        let cond = try parsePipeline(stopAtBrace: true)
        loopDepth += 1
        defer { loopDepth -= 1 }
        let body = try parseBlock()
        return WhileStmt(cond, body, span(kw).to(body.span))
    }

    private func parseFn() throws -> Stmt {
        let kw = advance(peek())
        let nameTok = peek(.argument)
        guard nameTok.kind == .word, let f = nameTok.text.unicodeScalars.first, f == "_" || f.properties.isAlphabetic else {
            throw error(.unexpectedToken, "expected a function name after `fn`, found \(describe(nameTok))", span(nameTok))
        }
        advance(nameTok)
        let open = try expect(.lparen, "`(` after the function name")
        var params: [ParamDecl] = []
        try withNewlines(skipped: true) {
            while peek().kind != .rparen {
                params.append(try parseParam())
                if peek().kind == .comma { advance(peek()) } else { break }
            }
            _ = try expect(.rparen, "`)` or `,` in the parameter list", opener: open)
        }
        let saved = (loopDepth, fnDepth)
        loopDepth = 0
        fnDepth += 1
        defer { (loopDepth, fnDepth) = saved }
        let body = try parseBlock()
        return FnDecl(nameTok.text, nameSpan: span(nameTok), params: params, body: body, doc: docComment(before: kw.start),
                      span(kw).to(body.span))
    }

    private func parseParam() throws -> ParamDecl {
        let t = peek()
        if t.kind == .spread {
            advance(t)
            let n = try parseName("a parameter name after `...`")
            return ParamDecl(name: n.text, span: span(t).to(span(n)), kind: .variadic)
        }
        if t.kind == .minus {
            let n = try parseFlagParameterName()
            var def: Expr?
            if peek().kind == .assign {
                advance(peek())
                def = try parseExpr(allowMap: true)
            }
            return ParamDecl(name: n.name, span: n.span, kind: .flag(default: def))
        }
        let n = try parseName("a parameter name")
        if peek().kind == .assign {
            advance(peek())
            let def = try parseExpr(allowMap: true)
            return ParamDecl(name: n.text, span: span(n), kind: .optional(def))
        }
        return ParamDecl(name: n.text, span: span(n), kind: .required)
    }

    /// `--dry-run` in a parameter list: the flag is `dry-run`, its variable `$dry_run`.
    private func parseFlagParameterName() throws -> (name: String, span: Span) {
        let start = peek().start
        var p = start
        let bytes = file.bytes
        guard p + 2 < end, bytes[p] == 45, bytes[p + 1] == 45 else {
            throw error(.invalidParameter, "a flag parameter is written `--name`", Span(file, start, min(start + 1, end)))
        }
        p += 2
        let nameStart = p
        while p < end, bytes[p] == 45 || bytes[p] == 95 || (bytes[p] | 0x20 >= 97 && bytes[p] | 0x20 <= 122) || (bytes[p] >= 48 && bytes[p] <= 57) {
            p += 1
        }
        guard p > nameStart, bytes[nameStart] != 45 else {
            throw error(.invalidParameter, "expected a flag name after `--`", Span(file, start, max(p, start + 2)))
        }
        pos = p
        return (String(decoding: bytes[nameStart..<p], as: UTF8.self), Span(file, start, p))
    }

    /// The `#` lines directly above a `fn`, without the `#`.
    private func docComment(before offset: Int) -> String {
        var lines: [String] = []
        var (line, _) = file.location(of: offset)
        while line > 1 {
            line -= 1
            let text = file.lineText(line).trimmingBlanks()
            guard text.hasPrefix("#"), !text.hasPrefix("#!") else { break }
            lines.insert(String(text.dropFirst()).trimmingBlanks(), at: 0)
        }
        return lines.joined(separator: " ")
    }

    private func parseTry() throws -> Stmt {
        let kw = advance(peek())
        let body = try parseBlock()
        guard continues(with: "catch") else {
            throw error(.unexpectedToken, "expected `catch` after the `try` block, found \(describe(peek()))", span(peek()),
                        help: "write `try { … } catch err { … }`")
        }
        advance(peek())
        var name: ErrorVariable?
        if peek().kind == .ident {
            let n = try parseName("an error variable name")
            name = ErrorVariable(name: n.text, span: span(n))
        }
        let handler = try parseBlock()
        return TryStmt(body, name, handler, span(kw).to(handler.span))
    }

    private func parseImport() throws -> Stmt {
        let kw = advance(peek())
        let t = peek()
        guard t.kind == .string, t.parts.count <= 1, t.parts.allSatisfy({ if case .text = $0 { true } else { false } }) else {
            throw error(.unexpectedToken, "expected a file name string after `import`, found \(describe(t))", span(t),
                        help: "write `import \"lib.tk8s\"`; the path cannot use variables")
        }
        advance(t)
        var path = ""
        if case .text(let s)? = t.parts.first { path = s }
        guard fnDepth == 0, loopDepth == 0, depth == 0 else {
            throw error(.misplacedStatement, "`import` must be at the top level of a file", span(kw))
        }
        return ImportStmt(path, pathSpan: span(t), span(kw).to(span(t)))
    }

    // MARK: Commands

    /// An expression in a place where a command may also stand: a statement, `let x = …`,
    /// `(…)`, a condition. A leading plain name makes it a command.
    func parsePipeline(stopAtBrace: Bool) throws -> Expr {
        let t = peek()
        if t.kind == .ident, !t.isAnyKeyword, !adjacentPostfixAfter(t) {
            return try parseCommand(stopAtBrace: stopAtBrace)
        }
        return try parseExpr(allowMap: !stopAtBrace)
    }

    private func parseCommand(stopAtBrace: Bool) throws -> Expr {
        let nameTok = advance(peek(.argument))
        var args: [ArgNode] = []
        var last = span(nameTok)
        loop: while true {
            let t = peek(.argument)
            switch t.kind {
            case .eof, .newline, .semicolon, .rbrace, .rparen, .rbracket: break loop
            case .lbrace where stopAtBrace: break loop
            case .comma:
                throw error(.unexpectedToken, "unexpected `,` in command arguments", span(t),
                            help: "arguments are separated by spaces; use `[a, b]` for a list")
            case .flag:
                advance(t)
                var inline: Expr?
                if let (text, start) = t.inlineValue {
                    inline = LiteralExpr(inlineValue(text), Span(file, start, t.end))
                }
                args.append(.flag(name: t.text, short: t.isShortFlag, inline: inline, span: span(t)))
                last = span(t)
            case .spread:
                advance(t)
                let e = try parseArgument()
                args.append(.spread(e))
                last = e.span
            default:
                let e = try parseArgument()
                args.append(.value(e))
                last = e.span
            }
        }
        return CallExpr(nameTok.text, nameSpan: span(nameTok), args: args, span(nameTok).to(last))
    }

    /// The value in `--flag=value`, read as the same word would be on its own: `--tail=20` is an int.
    private func inlineValue(_ text: String) -> Value {
        let scanner = Scanner(file: SourceFile(name: "", text: text))
        let t = scanner.scan(at: 0, mode: .argument, skipNewlines: false)
        guard t.end == text.utf8.count, scanner.diagnostics.isEmpty else { return .string(text) }
        switch t.kind {
        case .int: return .int(t.intValue)
        case .float: return .float(t.floatValue)
        default: return wordValue(text)
        }
    }

    /// `true`, `false` and `null` are literals even as bare words; anything else is a string.
    private func wordValue(_ text: String) -> Value {
        switch text {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        default: return .string(text)
        }
    }

    /// One command argument: a word, number, string, `$var`, `(…)`, list or map.
    private func parseArgument() throws -> Expr {
        try nest()
        defer { depth -= 1 }
        let t = peek(.argument)
        let base: Expr
        switch t.kind {
        case .word:
            advance(t)
            return LiteralExpr(wordValue(t.text), span(t))
        case .int, .float:
            return numberLiteral(advance(t))
        case .invalid:
            throw AlreadyReported()
        case .string:
            base = try parseString(advance(t))
        case .variable:
            advance(t)
            base = NameExpr(t.text, dollar: true, span(t))
        case .lparen:
            base = try parseParenthesized()
        case .lbracket:
            return try parseList(mode: .argument)
        case .lbrace:
            return try parseMap()
        default:
            throw error(.unexpectedToken, "expected an argument, found \(describe(t))", span(t))
        }
        return try parsePostfix(base)
    }

    // MARK: Expressions

    func parseExpr(allowMap: Bool) throws -> Expr {
        try nest()
        defer { depth -= 1 }
        return try parseOr(allowMap)
    }

    private func parseOr(_ m: Bool) throws -> Expr {
        try parseLogical("or", m, operand: parseAnd)
    }

    private func parseAnd(_ m: Bool) throws -> Expr {
        try parseLogical("and", m, operand: parseNot)
    }

    /// `operand (keyword operand)*`, left-associative. Each link deepens the tree, so
    /// it counts against the nesting limit: the resolver and evaluator recurse on it.
    private func parseLogical(_ keyword: String, _ m: Bool, operand: (Bool) throws -> Expr) throws -> Expr {
        let saved = depth
        defer { depth = saved }
        var e = try operand(m)
        while peek().isKeyword(keyword) {
            advance(peek())
            try nest()
            e = LogicalExpr(and: keyword == "and", e, try operand(m))
        }
        return e
    }

    private func parseNot(_ m: Bool) throws -> Expr {
        let t = peek()
        if t.isKeyword("not") {
            advance(t)
            try nest()
            defer { depth -= 1 }
            let operand = try parseNot(m)
            return UnaryExpr(.not, operand, span(t).to(operand.span))
        }
        return try parseComparison(m)
    }

    private func parseComparison(_ m: Bool) throws -> Expr {
        let lhs = try parseAdditive(m)
        let t = peek()
        var op: BinaryOp?
        var opSpan = span(t)
        switch t.kind {
        case .equal: op = .equal
        case .notEqual: op = .notEqual
        case .less: op = .less
        case .lessEqual: op = .lessEqual
        case .greater: op = .greater
        case .greaterEqual: op = .greaterEqual
        case .ident where t.text == "in": op = .contains
        case .ident where t.text == "not":
            let saved = pos
            advance(t)
            if peek().isKeyword("in") {
                opSpan = span(t).to(span(peek()))
                op = .notContains
            } else {
                pos = saved
                return lhs
            }
        default: return lhs
        }
        advance(peek())
        let rhs = try parseAdditive(m)
        return BinaryExpr(op!, lhs, rhs, opSpan: opSpan)
    }

    private func parseAdditive(_ m: Bool) throws -> Expr {
        let saved = depth
        defer { depth = saved }
        var e = try parseMultiplicative(m)
        while true {
            let t = peek()
            guard t.kind == .plus || t.kind == .minus else { return e }
            advance(t)
            try nest()
            e = BinaryExpr(t.kind == .plus ? .add : .subtract, e, try parseMultiplicative(m), opSpan: span(t))
        }
    }

    private func parseMultiplicative(_ m: Bool) throws -> Expr {
        let saved = depth
        defer { depth = saved }
        var e = try parseUnary(m)
        while true {
            let t = peek()
            let op: BinaryOp
            switch t.kind {
            case .star: op = .multiply
            case .slash: op = .divide
            case .percent: op = .remainder
            default: return e
            }
            advance(t)
            try nest()
            e = BinaryExpr(op, e, try parseUnary(m), opSpan: span(t))
        }
    }

    private func parseUnary(_ m: Bool) throws -> Expr {
        let t = peek()
        if t.kind == .minus {
            advance(t)
            try nest()
            defer { depth -= 1 }
            let operand = try parseUnary(m)
            if let lit = operand as? LiteralExpr {
                if case .int(let i) = lit.value { return LiteralExpr(.int(-i), span(t).to(lit.span)) }
                if case .float(let d) = lit.value { return LiteralExpr(.float(-d), span(t).to(lit.span)) }
            }
            return UnaryExpr(.negate, operand, span(t).to(operand.span))
        }
        return try parsePostfix(try parsePrimary(m))
    }

    private func parsePostfix(_ base: Expr) throws -> Expr {
        let saved = depth
        defer { depth = saved }
        var e = base
        while adjacentPostfix() {
            try nest()
            let t = advance(peek())
            if t.kind == .dot {
                let n = peek()
                switch n.kind {
                case .ident:
                    advance(n)
                    e = MemberExpr(e, n.text, e.span.to(span(n)))
                case .int:
                    advance(n)
                    e = IndexExpr(e, LiteralExpr(.int(n.intValue), span(n)), e.span.to(span(n)))
                default:
                    throw error(.unexpectedToken, "expected a key name after `.`, found \(describe(n))", span(n))
                }
            } else {
                try nest()
                defer { depth -= 1 }
                let index = try withNewlines(skipped: true) { try parseExpr(allowMap: true) }
                let close = try expect(.rbracket, "`]`", opener: t)
                e = IndexExpr(e, index, e.span.to(span(close)))
            }
        }
        return e
    }

    private func parsePrimary(_ allowMap: Bool) throws -> Expr {
        let t = peek()
        switch t.kind {
        case .int, .float:
            return numberLiteral(advance(t))
        case .string:
            return try parseString(advance(t))
        case .variable:
            advance(t)
            return NameExpr(t.text, dollar: true, span(t))
        case .ident:
            switch t.text {
            case "true": advance(t); return LiteralExpr(.bool(true), span(t))
            case "false": advance(t); return LiteralExpr(.bool(false), span(t))
            case "null": advance(t); return LiteralExpr(.null, span(t))
            default:
                if t.isAnyKeyword {
                    throw error(.unexpectedToken, "expected an expression, found keyword `\(t.text)`", span(t))
                }
                advance(t)
                return NameExpr(t.text, dollar: false, span(t))
            }
        case .lparen:
            return try parseParenthesized()
        case .lbracket:
            return try parseList(mode: .expression)
        case .lbrace where allowMap:
            return try parseMap()
        case .lbrace:
            throw error(.unexpectedToken, "expected an expression, found `{`", span(t),
                        help: "put a map literal in a condition inside parentheses: `({a: 1})`")
        case .eof:
            throw error(.unexpectedToken, "expected an expression, found end of input", span(t))
        case .invalid:
            throw AlreadyReported()
        default:
            throw error(.unexpectedToken, "expected an expression, found \(describe(t))", span(t))
        }
    }

    private func numberLiteral(_ t: Token) -> Expr {
        LiteralExpr(t.kind == .int ? .int(t.intValue) : .float(t.floatValue), span(t))
    }

    private func parseParenthesized() throws -> Expr {
        try nest()
        defer { depth -= 1 }
        let open = advance(peek())
        return try withNewlines(skipped: true) {
            if peek().kind == .rparen {
                throw error(.unexpectedToken, "empty parentheses", span(open).to(span(peek())),
                            help: "put a command or an expression inside: `(len $x)`")
            }
            let inner = try parsePipeline(stopAtBrace: false)
            _ = try expect(.rparen, "`)`", opener: open)
            return inner
        }
    }

    private func parseList(mode: ScanMode) throws -> Expr {
        try nest()
        defer { depth -= 1 }
        let open = advance(peek())
        return try withNewlines(skipped: true) {
            var elements: [ListElement] = []
            while true {
                let t = peek(mode)
                if t.kind == .rbracket { break }
                if t.kind == .eof {
                    throw error(.unclosedDelimiter, "unclosed `[`", span(open), help: "add the matching `]`")
                }
                if t.kind == .spread {
                    advance(t)
                    elements.append(.spread(mode == .argument ? try parseArgument() : try parseExpr(allowMap: true)))
                } else {
                    elements.append(.value(mode == .argument ? try parseArgument() : try parseExpr(allowMap: true)))
                }
                if peek(mode).kind == .comma { advance(peek(mode)) }
            }
            let close = advance(peek(mode))
            return ListExpr(elements, span(open).to(span(close)))
        }
    }

    private func parseMap() throws -> Expr {
        try nest()
        defer { depth -= 1 }
        let open = advance(peek())
        return try withNewlines(skipped: true) {
            var entries: [MapEntry] = []
            while true {
                let t = peek()
                if t.kind == .rbrace { break }
                if t.kind == .eof {
                    throw error(.unclosedDelimiter, "unclosed `{`", span(open), help: "add the matching `}`")
                }
                let key: Expr
                switch t.kind {
                case .ident, .int:
                    advance(t)
                    key = LiteralExpr(.string(t.text), span(t))
                case .string:
                    key = try parseString(advance(t))
                case .variable, .lparen:
                    key = try parsePostfix(try parsePrimary(false))
                default:
                    throw error(.unexpectedToken, "expected a map key, found \(describe(t))", span(t),
                                help: "keys are names or strings: `{name: 1, \"app.kubernetes.io/name\": 2}`")
                }
                _ = try expect(.colon, "`:` after the map key")
                let value = try parseExpr(allowMap: true)
                entries.append(MapEntry(key: key, value: value))
                if peek().kind == .comma { advance(peek()) }
            }
            let close = advance(peek())
            return MapExpr(entries, span(open).to(span(close)))
        }
    }

    private func parseString(_ t: Token) throws -> Expr {
        let s = span(t)
        var parts: [InterpolationPart] = []
        for part in t.parts {
            switch part {
            case .text(let text): parts.append(.text(text))
            case let .variable(name, start, end): parts.append(.expr(NameExpr(name, dollar: true, Span(file, start, end))))
            case let .code(start, end):
                let sub = Parser(sub: self, start: start, end: end)
                guard sub.depth <= Parser.maxNesting else {
                    diagnostics.append(error(.nestingTooDeep, "nesting deeper than \(Parser.maxNesting) levels", s))
                    throw Abort()
                }
                var inner: Expr
                do {
                    let first = sub.peek()
                    if first.kind == .eof {
                        throw error(.unexpectedToken, "empty `$()` in string", Span(file, start - 2, end + 1))
                    }
                    inner = try sub.withNewlines(skipped: true) { try sub.parsePipeline(stopAtBrace: false) }
                    let rest = sub.withNewlines(skipped: true) { sub.peek() }
                    if rest.kind != .eof {
                        throw error(.unexpectedToken, "expected `)` to end `$(`, found \(sub.describe(rest))", sub.span(rest))
                    }
                } catch let d as Diagnostic {
                    diagnostics.append(d)
                    inner = LiteralExpr(.null, s)
                } catch {
                    // Abort or AlreadyReported: what the sub-parser found is in its own lists.
                    diagnostics.append(contentsOf: sub.scanner.diagnostics + sub.diagnostics)
                    throw error
                }
                diagnostics.append(contentsOf: sub.scanner.diagnostics + sub.diagnostics)
                tokensRead.merge(sub.tokensRead) { a, _ in a }
                scanner.noteComments(of: sub.scanner)
                parts.append(.expr(inner))
            }
        }
        if parts.isEmpty { return LiteralExpr(.string(""), s) }
        if parts.count == 1, case .text(let text) = parts[0] { return LiteralExpr(.string(text), s) }
        return InterpolatedExpr(parts, s)
    }
}

extension Parser {
    /// Whether `text` stops in the middle of a statement (an open `{`, `(`, `[`,
    /// string or `"""`, or a trailing `\`), so a REPL should read another line.
    /// The parser decides, not a character count.
    public static func isIncomplete(_ text: String) -> Bool {
        let file = SourceFile(name: "<input>", text: text)
        if text.hasSuffix("\\") || text.hasSuffix("\\\n") { return true }
        let parser = Parser(file: file)
        _ = parser.parse()
        let end = file.bytes.count
        return parser.diagnostics.contains { d in
            switch d.code {
            case .unterminatedString: return true
            case .unclosedDelimiter: return true
            case .unexpectedToken: return d.span.map { $0.start >= end } ?? false
            default: return false
            }
        }
    }
}
