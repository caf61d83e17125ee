import XCTest

import Core
@testable import Lang

/// The parser on its own: the shape of the tree and the diagnostics it records.
final class ParserTests: XCTestCase {
    private func parse(_ source: String) -> (Block, [Diagnostic]) {
        let parser = Parser(file: SourceFile(name: "p.tk8s", text: source))
        let tree = parser.parse()
        return (Block(tree.statements, tree.span), parser.diagnostics)
    }

    /// The program's statements; fails the test when there were diagnostics.
    private func statements(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> [Stmt] {
        let (block, diags) = parse(source)
        XCTAssertEqual(diags.map { "\($0.code.rawValue) \($0.message)" }, [], "diagnostics for \(source)", file: file, line: line)
        return block.statements
    }

    /// The expression of a single expression statement.
    private func expr(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> Expr? {
        let stmts = statements(source, file: file, line: line)
        XCTAssertEqual(stmts.count, 1, file: file, line: line)
        return (stmts.first as? ExprStmt)?.expr
    }

    private func literal(_ e: Expr?) -> Value? { (e as? LiteralExpr)?.value }

    /// A compact text form of an expression tree, for exact comparisons.
    private func shape(_ e: Expr?) -> String {
        guard let e else { return "nil" }
        switch e.kind {
        case .literal(let l): return l.value.literal
        case .name(let n): return (n.isDollar ? "$" : "") + n.name
        case .binary(let b): return "(\(shape(b.lhs)) \(b.op.rawValue) \(shape(b.rhs)))"
        case .logical(let l): return "(\(shape(l.lhs)) \(l.isAnd ? "and" : "or") \(shape(l.rhs)))"
        case .unary(let u): return "(\(u.op.rawValue) \(shape(u.operand)))"
        case .member(let m): return "\(shape(m.object)).\(m.name)"
        case .index(let i): return "\(shape(i.object))[\(shape(i.index))]"
        case .list(let l):
            return "[" + l.elements.map { el -> String in
                switch el {
                case .value(let x): return shape(x)
                case .spread(let x): return "..." + shape(x)
                }
            }.joined(separator: ", ") + "]"
        case .map(let m): return "{" + m.entries.map { "\(shape($0.key)): \(shape($0.value))" }.joined(separator: ", ") + "}"
        case .interpolated(let s):
            return "\"" + s.parts.map { p -> String in
                switch p {
                case .text(let t): return t
                case .expr(let x): return "${\(shape(x))}"
                }
            }.joined() + "\""
        case .call(let c):
            return "<" + ([c.name] + c.args.map { a -> String in
                switch a {
                case .value(let x): return shape(x)
                case .spread(let x): return "..." + shape(x)
                case let .flag(name, short, inline, _): return (short ? "-" : "--") + name + (inline.map { "=" + shape($0) } ?? "")
                }
            }).joined(separator: " ") + ">"
        }
    }

    // MARK: Commands

    func testCommandWithSubcommandWordsIsOneCall() {
        let call = expr("config set K v") as? CallExpr
        XCTAssertEqual(call?.name, "config")
        XCTAssertEqual(call?.args.count, 3)
        XCTAssertEqual(shape(call), #"<config "set" "K" "v">"#)
        XCTAssertEqual(call?.span.start, 0)
        XCTAssertEqual(call?.span.end, 14)
        XCTAssertEqual(call?.nameSpan.end, 6)
    }

    func testCommandArgumentsOfEveryKind() {
        XCTAssertEqual(shape(expr(#"logs caddy --tail 20 -f --since=1h ./x.py 1.5 -3 true null "s $x" 'r' $v $m.k $l[0] (len $l) [a, 1] {k: v} ...$rest"#)),
                       #"<logs "caddy" --tail 20 -f --since="1h" "./x.py" 1.5 -3 true null "s ${$x}" "r" $v $m.k $l[0] <len $l> ["a", 1] {"k": v} ...$rest>"#)
    }

    func testNestedCommandsInParentheses() {
        let let_ = statements("let ns = (config get K8S_NAMESPACE)").first as? LetStmt
        XCTAssertEqual(let_?.name, "ns")
        XCTAssertEqual(shape(let_?.value), #"<config "get" "K8S_NAMESPACE">"#)
        XCTAssertEqual(shape(expr("print (a (b c))")), #"<print <a <b "c">>>"#)
    }

    func testStatementStartingWithAValueIsAnExpression() {
        XCTAssertTrue(expr("$x + 1") is BinaryExpr)
        XCTAssertTrue(expr(#""text""#) is LiteralExpr)
        XCTAssertTrue(expr("(len $x)") is CallExpr)
        XCTAssertTrue(expr("[1, 2]") is ListExpr)
        XCTAssertTrue(expr("$m.key") is MemberExpr)
    }

    // MARK: Expressions

    func testPrecedence() {
        XCTAssertEqual(shape(expr("$a + 2 * 3")), "($a + (2 * 3))")
        let add = expr("$a + 2 * 3") as? BinaryExpr
        XCTAssertEqual(add?.op, .add)
        XCTAssertTrue(add?.lhs is NameExpr)
        XCTAssertEqual((add?.rhs as? BinaryExpr)?.op, .multiply)
        XCTAssertEqual(shape(expr("($a + 2) * 3")), "(($a + 2) * 3)")
        XCTAssertEqual(shape(expr("$a - 1 - 2")), "(($a - 1) - 2)")
        XCTAssertEqual(shape(expr("$a * 2 % 3 / 4")), "((($a * 2) % 3) / 4)")
        XCTAssertEqual(shape(expr("$a + 1 < $b * 2")), "(($a + 1) < ($b * 2))")
        XCTAssertEqual(shape(expr("$a == 1 and $b != 2 or not $c")), "((($a == 1) and ($b != 2)) or (not $c))")
        XCTAssertEqual(shape(expr("$a or $b and $c")), "($a or ($b and $c))")
        XCTAssertEqual(shape(expr("not $a == $b")), "(not ($a == $b))")
        XCTAssertEqual(shape(expr("$x in $l and $y not in $l")), "(($x in $l) and ($y not in $l))")
        XCTAssertEqual(shape(expr("-$a * 2")), "((- $a) * 2)")
        XCTAssertEqual(shape(expr("-$a[0]")), "(- $a[0])")
        XCTAssertEqual(shape(expr("$a >= 1 + 2")), "($a >= (1 + 2))")
    }

    func testNegativeLiteralsAreFolded() {
        XCTAssertEqual(literal(expr("-2"))?.literal, "-2")
        XCTAssertEqual(literal(expr("-2.5"))?.literal, "-2.5")
        XCTAssertEqual(literal(expr("- -2"))?.literal, "2")
        XCTAssertTrue(expr("-$x") is UnaryExpr)
    }

    func testPostfixMustTouchTheValue() {
        XCTAssertEqual(shape(expr("$m.a.b[0][-1].c")), "$m.a.b[0][-1].c")
        XCTAssertEqual(shape(expr("$l.0")), "$l[0]")
        XCTAssertEqual(shape(expr("print $m.a")), "<print $m.a>")
        XCTAssertEqual(shape(expr("print $m .a")), #"<print $m ".a">"#)
        XCTAssertEqual(shape(expr("print $l [0]")), "<print $l [0]>")
        XCTAssertEqual(shape(expr(#"print "x"[0]"#)), #"<print "x"[0]>"#)
        XCTAssertEqual(shape(expr("print (len $l).x")), "<print <len $l>.x>")
    }

    func testListsMapsAndSpreads() {
        XCTAssertEqual(shape(expr("[1, ...$a, [2], ...[3]]")), "[1, ...$a, [2], ...[3]]")
        XCTAssertEqual(shape(expr("[\n1,\n2,\n]")), "[1, 2]")
        XCTAssertEqual(shape(expr(#"({a: 1, "b c": 2, $k: 3, (x): 4, 5: 6})"#)), #"{"a": 1, "b c": 2, $k: 3, <x>: 4, "5": 6}"#)
        XCTAssertEqual(shape(expr("[]")), "[]")
        XCTAssertEqual(shape(expr("({})")), "{}")
    }

    func testBareNamesInExpressions() {
        let list = expr("[caddy, $x, true, null]") as? ListExpr
        guard case .value(let first)? = list?.elements.first, let name = first as? NameExpr else {
            return XCTFail("expected a name")
        }
        XCTAssertEqual(name.name, "caddy")
        XCTAssertFalse(name.isDollar)
        XCTAssertEqual(shape(list), "[caddy, $x, true, null]")
    }

    func testStrings() {
        XCTAssertEqual(shape(expr(#""a $b $(c d) $($e + 1)""#)), #""a ${$b} ${<c "d">} ${($e + 1)}""#)
        XCTAssertEqual(literal(expr(#""plain""#))?.literal, #""plain""#)
        XCTAssertEqual(literal(expr(#""""#))?.literal, #""""#)
        XCTAssertEqual(literal(expr("'raw $x'"))?.literal, #""raw \$x""#)
    }

    // MARK: Statements

    func testAssignments() {
        let s = statements("x = 1\nx += 2\nx -= 3\n$m.a[0] = 4\n$l[-1] += [5]\n$x = 6")
        XCTAssertEqual(s.count, 6)
        let a = s.compactMap { $0 as? AssignStmt }
        XCTAssertEqual(a.count, 6)
        XCTAssertEqual(a.map(\.op), [.set, .add, .subtract, .set, .add, .set])
        XCTAssertEqual(a.map { shape($0.target) }, ["x", "x", "x", "$m.a[0]", "$l[-1]", "$x"])
        XCTAssertEqual(shape(a[0].value), "1")
        XCTAssertTrue(a[0].target is NameExpr)
        XCTAssertTrue(a[3].target is IndexExpr)
        // `x = (cmd)` reads a command on the right.
        XCTAssertEqual(shape((statements("x = len $l").first as? AssignStmt)?.value), "<len $l>")
    }

    func testLetIfForWhile() {
        let s = statements("""
            let x = 1
            if $x { } else if $y { } else { print no }
            for k, v in $m { }
            for c in "str" { break }
            while $x < 3 { continue }
            """)
        XCTAssertEqual(s.count, 5)
        XCTAssertEqual((s[0] as? LetStmt)?.name, "x")
        let ifs = s[1] as? IfStmt
        XCTAssertEqual(shape(ifs?.condition), "$x")
        let elseIf = ifs?.otherwise as? IfStmt
        XCTAssertEqual(shape(elseIf?.condition), "$y")
        XCTAssertEqual((elseIf?.otherwise as? Block)?.statements.count, 1)
        let f = s[2] as? ForStmt
        XCTAssertEqual(f?.names.map(\.name), ["k", "v"])
        XCTAssertEqual(shape(f?.iterable), "$m")
        XCTAssertEqual((s[3] as? ForStmt)?.names.map(\.name), ["c"])
        XCTAssertTrue((s[3] as? ForStmt)?.body.statements.first is BreakStmt)
        XCTAssertTrue((s[4] as? WhileStmt)?.body.statements.first is ContinueStmt)
        XCTAssertEqual(shape((s[4] as? WhileStmt)?.condition), "($x < 3)")
    }

    func testConditionCanBeACommand() {
        let s = statements("if (len $l) == 2 { }\nfor i in (range 3) { }\nif ready { }")
        XCTAssertEqual(shape((s[0] as? IfStmt)?.condition), "(<len $l> == 2)")
        XCTAssertEqual(shape((s[1] as? ForStmt)?.iterable), "<range 3>")
        XCTAssertEqual(shape((s[2] as? IfStmt)?.condition), "<ready>")
    }

    func testFunctionDeclarations() {
        let s = statements("""
            # Restarts a service.
            #   Second line.
            fn restart(service, wait = 5, ...extra, --force, --timeout = 30) {
                return $service
            }
            fn none() { return }
            """)
        guard let fn = s.first as? FnDecl else { return XCTFail("not a function") }
        XCTAssertEqual(fn.name, "restart")
        XCTAssertEqual(fn.params.map(\.name), ["service", "wait", "extra", "force", "timeout"])
        let kinds = fn.params.map { p -> String in
            switch p.kind {
            case .required: return "required"
            case .optional(let d): return "optional=\(shape(d))"
            case .variadic: return "variadic"
            case .flag(let d): return "flag=\(shape(d))"
            }
        }
        XCTAssertEqual(kinds, ["required", "optional=5", "variadic", "flag=nil", "flag=30"])
        XCTAssertEqual(fn.doc, "Restarts a service. Second line.")
        XCTAssertEqual(fn.signature.usage, "restart SERVICE [WAIT] [EXTRA…] [--force] [--timeout VALUE]")
        XCTAssertEqual(shape((fn.body.statements.first as? ReturnStmt)?.value), "$service")
        let none = s[1] as? FnDecl
        XCTAssertEqual(none?.doc, "")
        XCTAssertNotNil(none?.body.statements.first as? ReturnStmt)
        XCTAssertNil((none?.body.statements.first as? ReturnStmt)?.value)
    }

    func testTryCatchAndImport() {
        let s = statements("try { fail x } catch err { print $err }\ntry { } catch { }\nimport \"lib.tk8s\"")
        let t = s[0] as? TryStmt
        XCTAssertEqual(t?.errorName?.name, "err")
        XCTAssertEqual(t?.body.statements.count, 1)
        XCTAssertNil((s[1] as? TryStmt)?.errorName)
        XCTAssertEqual((s[2] as? ImportStmt)?.path, "lib.tk8s")
    }

    func testSeparatorsCommentsAndShebang() {
        let s = statements("#!/usr/bin/env tk8s\n# c\nprint a; print b ;; print \\\n  c # trailing\n\n")
        XCTAssertEqual(s.map { shape(($0 as? ExprStmt)?.expr) }, [#"<print "a">"#, #"<print "b">"#, #"<print "c">"#])
    }

    /// The tree keeps what a formatter needs: every comment and every token, each with its span.
    func testTheTreeKeepsCommentsAndTokens() {
        let source = "#!/usr/bin/env tk8s\n# first\nlet x = 1 # trailing\nprint \"$(len [1]) # not a comment\" $x\n"
        let file = SourceFile(name: "p.tk8s", text: source)
        let tree = Parser(file: file).parse()
        XCTAssertEqual(tree.comments.map { file.text($0) }, ["# first", "# trailing"])
        let tokens = tree.tokens.filter { $0.kind != .newline }.map { file.text(Span(file, $0.start, $0.end)) }
        XCTAssertEqual(tokens, ["let", "x", "=", "1", "print", "\"$(len [1]) # not a comment\"", "len", "[", "1", "]", "$x"])
        XCTAssertEqual(tree.tokens.map(\.start), tree.tokens.map(\.start).sorted())
    }

    /// `(status)` asks for the value; `status` alone is a command run for its effect.
    func testParenthesesMarkAValueWanted() {
        let s = statements("status\n(status)")
        XCTAssertEqual(s.compactMap { ($0 as? ExprStmt)?.isCommandStatement }, [true, false])
    }

    func testSpans() {
        let (block, _) = parse("let x = 1 + 22")
        let l = block.statements[0] as? LetStmt
        XCTAssertEqual(l?.span.start, 0)
        XCTAssertEqual(l?.span.end, 14)
        XCTAssertEqual(l?.nameSpan.start, 4)
        let bin = l?.value as? BinaryExpr
        XCTAssertEqual(bin?.opSpan.start, 10)
        XCTAssertEqual(bin?.span.start, 8)
        XCTAssertEqual(bin?.span.end, 14)
    }

    // MARK: Errors

    func testParseErrorsAreAllReported() {
        let (block, diags) = parse("let = 1\nprint ok\nlet x 2\nprint (1 +)\nprint fine\n}")
        XCTAssertEqual(diags.map(\.code), [.unexpectedToken, .unexpectedToken, .unexpectedToken, .unexpectedToken])
        XCTAssertEqual(diags.map { $0.span!.file.location(of: $0.span!.start).line }, [1, 3, 4, 6])
        XCTAssertEqual(block.statements.count, 2, "the good statements are kept")
    }

    func testSpecificParseErrors() {
        func codes(_ s: String) -> [String] { parse(s).1.map(\.code.rawValue) }
        XCTAssertEqual(codes("let x = (1"), ["E0101"])
        XCTAssertEqual(codes("let x = [1"), ["E0101"])
        XCTAssertEqual(codes("let x = {a: 1"), ["E0101"])
        XCTAssertEqual(codes("if true {"), ["E0101"])
        XCTAssertEqual(codes("fn f(a {}"), ["E0100"])
        XCTAssertEqual(codes("1 = 2"), ["E0103"])
        XCTAssertEqual(codes("return"), ["E0104"])
        XCTAssertEqual(codes("break"), ["E0104"])
        XCTAssertEqual(codes("fn f() { for x in [1] { fn g() { continue } } }"), ["E0104"])
        XCTAssertEqual(codes("fn f() { import \"x\" }"), ["E0104"])
        XCTAssertEqual(codes("let x = ()"), ["E0100"])
        XCTAssertEqual(codes("print \"$()\""), ["E0100"])
        XCTAssertEqual(codes("print a, b"), ["E0100"])
        XCTAssertEqual(codes("else { }"), ["E0100"])
        XCTAssertEqual(codes("try { }"), ["E0100"])
        XCTAssertEqual(codes("import $x"), ["E0100"])
        XCTAssertEqual(codes("import \"a$(x)\""), ["E0100"])
        XCTAssertEqual(codes("if {a: 1} { }"), ["E0100"])
        XCTAssertEqual(codes("let x = " + String(repeating: "(", count: 300) + "1" + String(repeating: ")", count: 300)), ["E0102"])
        XCTAssertEqual(codes("let x = " + String(repeating: "-", count: 300) + "1"), ["E0102"])
        XCTAssertEqual(codes("let x = " + String(repeating: "not ", count: 300) + "1"), ["E0102"])
        XCTAssertEqual(codes("let x = $l" + String(repeating: "[0", count: 300) + String(repeating: "]", count: 300)), ["E0102"])
    }

    func testNestingLimitInsideInterpolationIsReported() {
        // Too deep inside `$(…)` must be an error like anywhere else, not a silently empty program.
        let src = "print \"$(" + String(repeating: "(", count: 300) + "1" + String(repeating: ")", count: 300) + ")\"\nprint after"
        XCTAssertEqual(parse(src).1.map(\.code.rawValue), ["E0102"])
        let strings = "print " + String(repeating: "\"$(", count: 150) + "x" + String(repeating: ")\"", count: 150)
        XCTAssertEqual(parse(strings).1.map(\.code.rawValue), ["E0102"])
    }

    func testIsIncomplete() {
        XCTAssertTrue(Parser.isIncomplete("if true {"))
        XCTAssertTrue(Parser.isIncomplete("let x = [1,"))
        XCTAssertTrue(Parser.isIncomplete("print \"abc"))
        XCTAssertTrue(Parser.isIncomplete("print \"\"\"\nabc"))
        XCTAssertTrue(Parser.isIncomplete("print a \\"))
        XCTAssertTrue(Parser.isIncomplete("let x ="))
        XCTAssertFalse(Parser.isIncomplete("print a"))
        XCTAssertFalse(Parser.isIncomplete("if true { }"))
        XCTAssertFalse(Parser.isIncomplete("let x = )"))
    }
}
