import XCTest

@testable import Core
@testable import Lang

/// The evaluator, limits, source locations and diagnostic rendering.
final class InterpreterTests: XCTestCase {
    struct EvalResult: Equatable {
        var out: String
        var err: String
        var status: Int32
    }

    /// Runs `source` as `tk8s -c` would, capturing what it prints and reports.
    private func evalOutput(_ source: String, configure: (Interpreter) -> Void = { _ in }) -> EvalResult {
        let rt = Interpreter()
        configure(rt)
        final class Sink { var text = "" }
        let out = Sink(), err = Sink()
        rt.output = { out.text += $0 }
        let status = rt.execute(SourceFile(name: "t.tk8s", text: source), errors: { err.text += $0 })
        return EvalResult(out: out.text, err: err.text, status: status)
    }

    /// The value of an expression (or the last statement of a snippet), as the REPL shows it.
    private func evalValue(_ source: String, file: StaticString = #filePath, line: UInt = #line) throws -> Value? {
        let rt = Interpreter()
        rt.output = { _ in }
        let module = rt.makeSessionModule()
        let diags = rt.compile(SourceFile(name: "<repl>", text: source), into: module).filter(\.isError)
        XCTAssertEqual(diags.map(\.message), [], file: file, line: line)
        return try rt.runLine(module)
    }

    private func literalOf(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            return try evalValue(source, file: file, line: line)?.literal ?? "<none>"
        } catch let d as Diagnostic {
            return "error[\(d.code.rawValue)]: \(d.message)"
        } catch {
            return "\(error)"
        }
    }

    /// The code of the runtime error `source` stops with, or nil.
    private func runtimeCode(_ source: String, configure: (Interpreter) -> Void = { _ in }) -> ErrorCode? {
        let rt = Interpreter()
        configure(rt)
        rt.output = { _ in }
        let (module, diags) = rt.compile(SourceFile(name: "t.tk8s", text: source))
        guard let module else {
            XCTFail("compile errors: \(diags.map(\.message))")
            return nil
        }
        do {
            try rt.run(module)
            return nil
        } catch let d as Diagnostic {
            return d.code
        } catch {
            XCTFail("not a diagnostic: \(error)")
            return nil
        }
    }

    // MARK: Values

    func testArithmetic() {
        XCTAssertEqual(literalOf("1 + 2 * 3"), "7")
        XCTAssertEqual(literalOf("(1 + 2) * 3"), "9")
        XCTAssertEqual(literalOf("7 / 2"), "3")
        XCTAssertEqual(literalOf("-7 / 2"), "-3")
        XCTAssertEqual(literalOf("-7 % 3"), "-1")
        XCTAssertEqual(literalOf("7 / 2.0"), "3.5")
        XCTAssertEqual(literalOf("1 + 0.5"), "1.5")
        XCTAssertEqual(literalOf("2.0 * 3"), "6.0")
        XCTAssertEqual(literalOf("5.5 % 2"), "1.5")
        XCTAssertEqual(literalOf("0.1 + 0.2"), "0.30000000000000004")
        XCTAssertEqual(literalOf("\"ab\" * 3"), "\"ababab\"")
        XCTAssertEqual(literalOf("[1] * 3"), "[1, 1, 1]")
        XCTAssertEqual(literalOf("[1] + [2]"), "[1, 2]")
        XCTAssertEqual(literalOf("({a: 1, b: 2}) + {b: 3}"), "{a: 1, b: 3}")
        XCTAssertEqual(literalOf("\"a\" + \"b\""), "\"ab\"")
        XCTAssertEqual(literalOf("-(3)"), "-3")
        XCTAssertEqual(literalOf("9223372036854775807"), "9223372036854775807")
    }

    func testComparisonAndLogic() {
        XCTAssertEqual(literalOf("1 == 1.0"), "true")
        XCTAssertEqual(literalOf("[1, {a: 2}] == [1, {a: 2}]"), "true")
        XCTAssertEqual(literalOf("\"a\" < \"b\""), "true")
        XCTAssertEqual(literalOf("[1, 2] < [1, 3]"), "true")
        XCTAssertEqual(literalOf("null or \"d\""), "\"d\"")
        XCTAssertEqual(literalOf("0 and 1"), "0")
        XCTAssertEqual(literalOf("1 and 2"), "2")
        XCTAssertEqual(literalOf("not []"), "true")
        XCTAssertEqual(literalOf("\"ell\" in \"hello\""), "true")
        XCTAssertEqual(literalOf("2 in [1, 2]"), "true")
        XCTAssertEqual(literalOf("\"k\" in {k: 1}"), "true")
        XCTAssertEqual(literalOf("3 not in [1]"), "true")
    }

    func testIndexingAndMembers() {
        XCTAssertEqual(literalOf("let l = [1, 2, 3]\n$l[-1]"), "3")
        XCTAssertEqual(literalOf("let l = [1, 2, 3]\n$l.0"), "1")
        XCTAssertEqual(literalOf("let s = \"héllo\"\n$s[1]"), "\"é\"")
        XCTAssertEqual(literalOf("let m = {a: {b: [5]}}\n$m.a.b[0]"), "5")
        XCTAssertEqual(literalOf("let m = {\"x y\": 1}\n$m[\"x y\"]"), "1")
        XCTAssertEqual(literalOf("let l = [1]\n$l[1]"), "error[E2001]: index 1 is out of range for a list of 1")
        XCTAssertEqual(literalOf("let m = {}\n$m.k"), "error[E2002]: no key `k` in the map")
        XCTAssertEqual(literalOf("let n = 5\n$n.k"), "error[E2000]: cannot read `.k` of int")
    }

    func testValueSemantics() {
        XCTAssertEqual(literalOf("let a = [1]\nlet b = $a\n$b[0] = 2\n[$a, $b]"), "[[1], [2]]")
        XCTAssertEqual(literalOf("let a = {k: [1]}\nlet b = $a\n$b.k[0] = 2\n[$a, $b]"), "[{k: [1]}, {k: [2]}]")
        XCTAssertEqual(literalOf("let a = [1]\nlet b = $a\nb += [2]\n[$a, $b]"), "[[1], [1, 2]]")
        XCTAssertEqual(literalOf("let a = \"x\"\nlet b = $a\nb = $b + \"y\"\n[$a, $b]"), "[\"x\", \"xy\"]")
    }

    func testAssignmentIntoCollections() {
        XCTAssertEqual(literalOf("let m = {}\n$m.a = 1\n$m[\"b\"] = 2\n$m"), "{a: 1, b: 2}")
        XCTAssertEqual(literalOf("let m = {a: [1, 2]}\n$m.a[-1] += 5\n$m"), "{a: [1, 7]}")
        XCTAssertEqual(literalOf("let l = [[1]]\n$l[0][0] -= 3\n$l"), "[[-2]]")
        XCTAssertEqual(literalOf("let m = {}\n$m.a.b = 1"), "error[E2002]: no key `a` in the map")
        XCTAssertEqual(literalOf("let m = {}\n$m.a += 1"), "error[E2002]: no key `a` in the map")
        XCTAssertEqual(literalOf("let l = [1]\n$l[\"x\"] = 1"), "error[E2000]: lists are indexed by int, not string")
        // A failed assignment leaves the value as it was.
        XCTAssertEqual(literalOf("let m = {a: [1]}\ntry { $m.a[5] = 0 } catch { }\n$m"), "{a: [1]}")
    }

    func testTruthiness() {
        let cases: [(Value, Bool)] = [
            (.null, false), (.bool(false), false), (.bool(true), true), (.int(0), false), (.int(-1), true),
            (.float(0), false), (.float(0.5), true), (.string(""), false), (.string("0"), true),
            (.list([]), false), (.list([.null]), true), (.map([:]), false), (.map(["a": .null]), true),
        ]
        for (v, t) in cases { XCTAssertEqual(v.isTruthy, t, v.literal) }
    }

    func testLiteralAndDisplayForms() {
        XCTAssertEqual(Value.string("a\"b\\c\n\t\r$\u{0}\u{1}").literal, #""a\"b\\c\n\t\r\$\0\u{1}""#)
        XCTAssertEqual(Value.string("plain").displayString, "plain")
        XCTAssertEqual(Value.float(3).literal, "3.0")
        XCTAssertEqual(Value.float(.nan).literal, "nan")
        XCTAssertEqual(Value.float(-.infinity).literal, "-inf")
        XCTAssertEqual(Value.map(["a b": .int(1), "ok_key": .list([.null, .bool(true)])]).literal, #"{"a b": 1, ok_key: [null, true]}"#)
        XCTAssertEqual(Value.int(5).typeName, "int")
        XCTAssertTrue(Value.int(1).equals(.float(1)))
        XCTAssertFalse(Value.string("1").equals(.int(1)))
        XCTAssertEqual(Value.string("a").compare(.string("b")), -1)
        XCTAssertNil(Value.string("a").compare(.int(1)))
    }

    // MARK: Statements and functions

    func testControlFlowOutput() {
        let r = evalOutput("""
            let out = []
            for i in (range 10) {
                if $i % 2 == 0 { continue }
                if $i > 6 { break }
                out += [$i]
            }
            let n = 0
            while $n < 3 { n += 1 }
            print $out $n
            """)
        XCTAssertEqual(r, EvalResult(out: "[1, 3, 5] 3\n", err: "", status: 0))
    }

    func testFunctionsAndClosures() {
        let r = evalOutput("""
            fn f(a, b = 2, ...rest, --flag, --opt = "o") { return [$a, $b, $rest, $flag, $opt] }
            print (f 1) (f 1 3 4 5 --flag --opt x)
            fn outer() {
                let v = 10
                fn inner(d) { v += $d; return $v }
                inner 1
                return (inner 2)
            }
            print (outer)
            fn fact(n) { if $n < 2 { return 1 }; return $n * (fact ($n - 1)) }
            print (fact 10)
            """)
        XCTAssertEqual(r.err, "")
        XCTAssertEqual(r.out, "[1, 2, [], false, \"o\"] [1, 3, [4, 5], true, \"x\"]\n13\n3628800\n")
    }

    func testTryCatchErrorFields() {
        let r = evalOutput("try {\n  let x = [1][2]\n} catch e {\n  print $e.code $e.line $e.col $e.file (type $e)\n}")
        XCTAssertEqual(r, EvalResult(out: "E2001 2 11 t.tk8s error\n", err: "", status: 0))
    }

    func testCheckDoesNotRun() {
        let rt = Interpreter()
        var printed = ""
        rt.output = { printed += $0 }
        XCTAssertEqual(rt.check(SourceFile(name: "c", text: "print hi")).count, 0)
        XCTAssertEqual(printed, "")
        XCTAssertEqual(rt.check(SourceFile(name: "c", text: "prnt hi\nprint $x")).map(\.code), [.unknownCommand, .unknownVariable])
    }

    func testScriptArguments() {
        let r = evalOutput("print $args (len $args)") { $0.scriptArguments = ["a", "b c"] }
        XCTAssertEqual(r.out, "[\"a\", \"b c\"] 2\n")
    }

    func testSessionModuleKeepsState() throws {
        let rt = Interpreter()
        rt.output = { _ in }
        let m = rt.makeSessionModule()
        XCTAssertEqual(rt.compile(SourceFile(name: "<repl>", text: "let x = 41"), into: m).count, 0)
        XCTAssertNil(try rt.runLine(m))
        XCTAssertEqual(rt.compile(SourceFile(name: "<repl>", text: "fn inc(n) { return $n + 1 }"), into: m).count, 0)
        XCTAssertNil(try rt.runLine(m))
        XCTAssertEqual(rt.compile(SourceFile(name: "<repl>", text: "inc $x"), into: m).count, 0)
        XCTAssertEqual(try rt.runLine(m)?.literal, "42")
    }

    func testImportThroughTheReadFileSeam() {
        var reads: [String] = []
        let r = evalOutput("import \"/virtual/lib.tk8s\"\nimport \"/virtual/lib.tk8s\"\nprint (twice 4) $loaded") { rt in
            rt.readFile = { path in
                reads.append(path)
                guard path == "/virtual/lib.tk8s" else { throw FileSystem.Failure(description: "no such file") }
                return Array("print \"loading\"\nlet loaded = true\nfn twice(n) { return $n * 2 }\n".utf8)
            }
        }
        XCTAssertEqual(r, EvalResult(out: "loading\n8 true\n", err: "", status: 0))
        XCTAssertEqual(reads, ["/virtual/lib.tk8s"])
    }

    func testHelpListsCommandsAndFunctions() {
        let r = evalOutput("# Does a thing.\nfn thing(a) { }\nhelp")
        XCTAssertTrue(r.out.hasPrefix("Commands (help NAME for details):\n  print "), r.out)
        XCTAssertTrue(r.out.hasSuffix("\nFunctions:\n  thing A\n"), r.out)
        XCTAssertEqual(evalOutput("help thing2").err, """
            error[E1000]: no command `thing2`
             --> t.tk8s:1:1
              |
            1 | help thing2
              | ^^^^^^^^^^^

            """)
    }

    // MARK: Limits

    func testCallDepthLimit() {
        let r = evalOutput("fn down(n) { return (down ($n + 1)) }\ndown 0") { $0.limits.maxCallDepth = 50 }
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.err, """
            error[E2004]: more than 50 nested function calls
             --> t.tk8s:1:22
              |
            1 | fn down(n) { return (down ($n + 1)) }
              |                      ^^^^^^^^^^^^
              = note: in `down`, called at t.tk8s:1:22 (49 times)
              = note: in `down`, called at t.tk8s:2:1
              = help: is `down` recursing without an end?

            """)
        // Within the limit it is fine.
        XCTAssertEqual(evalOutput("fn d(n) { if $n == 0 { return 0 }; return (d ($n - 1)) }\nprint (d 49)") { $0.limits.maxCallDepth = 50 }.out, "0\n")
        // A recursion error can be caught, and the depth is back to zero afterwards.
        XCTAssertEqual(evalOutput("fn r() { r }\ntry { r } catch e { print $e.code }\nfn d(n) { if $n == 0 { return 0 }; return (d ($n - 1)) }\nprint (d 40)") {
            $0.limits.maxCallDepth = 50
        }.out, "E2004\n0\n")
    }

    func testStringSizeLimit() {
        let small: (Interpreter) -> Void = { $0.limits.maxStringBytes = 10 }
        XCTAssertNil(runtimeCode("let s = \"0123456789\"", configure: small))
        XCTAssertEqual(runtimeCode("let s = \"abc\" * 4", configure: small), .sizeLimit)
        XCTAssertEqual(runtimeCode("let s = \"abcdef\" + \"ghijkl\"", configure: small), .sizeLimit)
        XCTAssertEqual(runtimeCode("let s = \"abcdef\"\ns += \"ghijkl\"", configure: small), .sizeLimit)
        XCTAssertEqual(runtimeCode("let s = \"abcdef\"\ns = $s + \"ghijkl\"", configure: small), .sizeLimit)
        XCTAssertEqual(runtimeCode("let a = \"abcdef\"\nlet s = \"$a$a\"", configure: small), .sizeLimit)
        let r = evalOutput("let s = \"abc\" * 4", configure: small)
        XCTAssertEqual(r.err, """
            error[E2005]: string of 12 bytes is over the limit of 10
             --> t.tk8s:1:15
              |
            1 | let s = "abc" * 4
              |               ^

            """)
    }

    func testCollectionSizeLimit() {
        let small: (Interpreter) -> Void = { $0.limits.maxCollectionCount = 5 }
        XCTAssertNil(runtimeCode("let l = [1, 2, 3, 4, 5]", configure: small))
        XCTAssertEqual(runtimeCode("let l = [1, 2, 3] + [4, 5, 6]", configure: small), .sizeLimit)
        XCTAssertEqual(runtimeCode("let l = [1, 2, 3]\nl += [4, 5, 6]", configure: small), .sizeLimit)
        XCTAssertEqual(runtimeCode("let l = [0] * 6", configure: small), .sizeLimit)
        XCTAssertEqual(runtimeCode("let l = (range 6)", configure: small), .sizeLimit)
        XCTAssertEqual(runtimeCode("let a = [1, 2, 3]\nlet l = [...$a, ...$a]", configure: small), .sizeLimit)
        XCTAssertEqual(runtimeCode("let m = {a: 1, b: 2, c: 3, d: 4, e: 5}\n$m.f = 6", configure: small), .sizeLimit)
        // `for … in (range N)` counts without building a list, so it is not limited.
        XCTAssertNil(runtimeCode("let n = 0\nfor i in (range 100) { n += 1 }\nassert ($n == 100)", configure: small))
    }

    func testIntegerOverflowIsAnError() {
        XCTAssertEqual(runtimeCode("let x = 9223372036854775807 + 1"), .integerOverflow)
        XCTAssertEqual(runtimeCode("let x = -9223372036854775807 - 2"), .integerOverflow)
        XCTAssertEqual(runtimeCode("let x = 4611686018427387904 * 2"), .integerOverflow)
        XCTAssertEqual(runtimeCode("let m = -9223372036854775807 - 1\nlet x = $m / -1"), .integerOverflow)
        XCTAssertEqual(runtimeCode("let m = -9223372036854775807 - 1\nlet x = -$m"), .integerOverflow)
        XCTAssertEqual(runtimeCode("let x = 9223372036854775807\nx += 1"), .integerOverflow)
        XCTAssertEqual(runtimeCode("let x = 1 / 0"), .divisionByZero)
    }

    // MARK: Codes no script can raise yet

    func testInterruptedIsE2012AndCannotBeCaught() {
        defer { Interpreter.interruptRequested = false }
        Interpreter.interruptRequested = true
        let r = evalOutput("try { while true { } } catch { print caught }")
        XCTAssertEqual(r.out, "")
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.err, """
            error[E2012]: interrupted
             --> t.tk8s:1:7
              |
            1 | try { while true { } } catch { print caught }
              |       ^^^^^^^^^^^^^^
            
            """)
        XCTAssertFalse(Interpreter.interruptRequested, "the request is consumed")
        Interpreter.interruptRequested = true
        XCTAssertEqual(runtimeCode("for i in (range 5) { }"), .interrupted)
    }

    func testCommandFailedRendering() {
        let file = SourceFile(name: "deploy.tk8s", text: "kubectl apply -f x.yml\n")
        var d = Diagnostic(.commandFailed, "`kubectl` exited with status 1", at: Span(file, 0, 22), help: "see its output above")
        d.fields = [("exit_code", .int(1)), ("stderr", .string("boom"))]
        XCTAssertEqual(DiagnosticRenderer().render(d), """
            error[E2011]: `kubectl` exited with status 1
             --> deploy.tk8s:1:1
              |
            1 | kubectl apply -f x.yml
              | ^^^^^^^^^^^^^^^^^^^^^^
              = help: see its output above

            """)
        let box = ErrorBox(d)
        XCTAssertEqual(Value.error(box).literal, "error[E2011](\"`kubectl` exited with status 1\")")
        XCTAssertEqual(Array(box.fields.keys), ["message", "code", "file", "line", "col", "help", "exit_code", "stderr"])
        XCTAssertEqual(box.fields["help"]?.displayString, "see its output above")
        XCTAssertEqual(box.fields["exit_code"]?.literal, "1")
        XCTAssertEqual(ErrorCode.commandFailed.title, "command failed")
    }

    func testErrorCodesAreStable() {
        XCTAssertEqual(ErrorCode.allCases.count, 42)
        XCTAssertEqual(Set(ErrorCode.allCases.map(\.rawValue)).count, ErrorCode.allCases.count)
        for c in ErrorCode.allCases {
            XCTAssertFalse(c.title.isEmpty)
            XCTAssertTrue((c.rawValue.hasPrefix("E") || c.rawValue.hasPrefix("W")) && c.rawValue.count == 5, c.rawValue)
            XCTAssertEqual(c.severity, c.rawValue.hasPrefix("W") ? .warning : .error)
        }
        XCTAssertEqual(ErrorCode(rawValue: "E0001"), .invalidUTF8)
        XCTAssertEqual(ErrorCode(rawValue: "E2012"), .interrupted)
    }

    // MARK: Source locations

    func testLocationCountsScalarsNotBytes() {
        let file = SourceFile(name: "u", text: "héllo 😀x\nab\n\nlast")
        XCTAssertEqual(file.location(of: 0).line, 1)
        XCTAssertEqual(file.location(of: 0).column, 1)
        XCTAssertEqual(file.location(of: 1).column, 2)   // é starts at byte 1
        XCTAssertEqual(file.location(of: 3).column, 3)   // l after the two-byte é
        XCTAssertEqual(file.location(of: 7).column, 7)   // 😀 starts at byte 7
        XCTAssertEqual(file.location(of: 11).column, 8)  // x after the four-byte emoji
        XCTAssertEqual(file.location(of: 12).line, 1)    // the newline itself
        XCTAssertEqual(file.location(of: 12).column, 9)
        XCTAssertEqual(file.location(of: 13).line, 2)
        XCTAssertEqual(file.location(of: 13).column, 1)
        XCTAssertEqual(file.location(of: 16).line, 3)
        XCTAssertEqual(file.location(of: 17).line, 4)
        XCTAssertEqual(file.location(of: 21).column, 5)  // the end of the file
        XCTAssertEqual(file.location(of: 999).line, 4)   // clamped
        XCTAssertEqual(file.location(of: -5).line, 1)
        XCTAssertEqual(file.lineCount, 4)
        XCTAssertEqual(file.lineText(1), "héllo 😀x")
        XCTAssertEqual(file.lineText(3), "")
        XCTAssertEqual(file.lineText(4), "last")
        XCTAssertEqual(file.lineText(5), "")
        XCTAssertEqual(file.lineText(0), "")
        XCTAssertEqual(file.text(Span(file, 7, 12)), "😀x")
        XCTAssertEqual(Span(file, 13, 14).position, "u:2:1")
    }

    func testCarriageReturnsAreNotShown() {
        let file = SourceFile(name: "crlf", text: "a\r\nbc\r\n")
        XCTAssertEqual(file.lineText(1), "a")
        XCTAssertEqual(file.lineText(2), "bc")
        XCTAssertEqual(file.location(of: 3).line, 2)
    }

    // MARK: Rendering

    func testRendererExactOutput() {
        let file = SourceFile(name: "deploy.tk8s", text: "let x = 1\n\tstrat lms\n")
        var d = Diagnostic(.unknownCommand, "unknown command `strat`", at: Span(file, 11, 16), help: "did you mean `start`?")
        XCTAssertEqual(DiagnosticRenderer().render(d), """
            error[E1000]: unknown command `strat`
             --> deploy.tk8s:2:2
              |
            2 |  strat lms
              |  ^^^^^
              = help: did you mean `start`?

            """)
        d.addTrace("`restart`", at: Span(file, 0, 3))
        d.addTrace("`restart`", at: Span(file, 0, 3))
        d.addTrace("import \"lib.tk8s\"", at: Span(file, 4, 5))
        XCTAssertEqual(d.trace.count, 2)
        XCTAssertEqual(DiagnosticRenderer().render(d), """
            error[E1000]: unknown command `strat`
             --> deploy.tk8s:2:2
              |
            2 |  strat lms
              |  ^^^^^
              = note: in `restart`, called at deploy.tk8s:1:1 (2 times)
              = note: in import "lib.tk8s", called at deploy.tk8s:1:5
              = help: did you mean `start`?

            """)
    }

    func testRendererEdgeCases() {
        let file = SourceFile(name: "f", text: "abc\ndef")
        // A span over two lines is underlined to the end of the first.
        XCTAssertEqual(DiagnosticRenderer().render(Diagnostic(.failed, "m", at: Span(file, 1, 6))), """
            error[E2007]: m
             --> f:1:2
              |
            1 | abc
              |  ^^

            """)
        // An empty span at the end of the file still gets one caret.
        XCTAssertEqual(DiagnosticRenderer().render(Diagnostic(.unexpectedToken, "m", at: Span(file, 7, 7))), """
            error[E0100]: m
             --> f:2:4
              |
            2 | def
              |    ^

            """)
        // A long line (a minified manifest, a 100 KB config value) shows 120 columns around the caret, cut with `…`.
        let wide = SourceFile(name: "g", text: String(repeating: "a", count: 1000) + "XY" + String(repeating: "b", count: 1000))
        XCTAssertEqual(DiagnosticRenderer().render(Diagnostic(.failed, "m", at: Span(wide, 1000, 1002))), """
            error[E2007]: m
             --> g:1:1001
              |
            1 | …\(String(repeating: "a", count: 40))XY\(String(repeating: "b", count: 78))…
              |                                          ^^

            """)
        // At the start of a long line nothing is cut before it; a caret near the end keeps the end.
        XCTAssertTrue(DiagnosticRenderer().render(Diagnostic(.failed, "m", at: Span(wide, 0, 1))).contains("1 | aaa"))
        let tail = DiagnosticRenderer().render(Diagnostic(.failed, "m", at: Span(wide, 2001, 2002)))
        XCTAssertTrue(tail.contains("1 | …" + String(repeating: "b", count: 120) + "\n"), tail)
        XCTAssertTrue(tail.contains("  | " + String(repeating: " ", count: 120) + "^\n"), tail)
        // Without a span: just the message, notes and help.
        var d = Diagnostic(.interrupted, "interrupted", at: nil, help: "h")
        d.addTrace("`f`", at: Span(file, 0, 1))
        XCTAssertEqual(DiagnosticRenderer().render(d), "error[E2012]: interrupted\n  = note: in `f`, called at f:1:1\n  = help: h\n")
        // A wide gutter for line 10.
        let long = SourceFile(name: "g", text: String(repeating: "\n", count: 9) + "x")
        XCTAssertEqual(DiagnosticRenderer().render(Diagnostic(.failed, "m", at: Span(long, 9, 10))), """
            error[E2007]: m
              --> g:10:1
               |
            10 | x
               | ^

            """)
    }

    func testRendererColor() {
        let file = SourceFile(name: "f", text: "x")
        let out = DiagnosticRenderer(color: true).render(Diagnostic(.failed, "m", at: Span(file, 0, 1), help: "h"))
        XCTAssertEqual(out, "\u{1B}[1;31merror[E2007]\u{1B}[0m\u{1B}[1m: m\u{1B}[0m\n"
            + " \u{1B}[34m-->\u{1B}[0m f:1:1\n"
            + "  \u{1B}[34m|\u{1B}[0m\n"
            + "\u{1B}[34m1\u{1B}[0m \u{1B}[34m|\u{1B}[0m x\n"
            + "  \u{1B}[34m|\u{1B}[0m \u{1B}[1;31m^\u{1B}[0m\n"
            + "  = \u{1B}[1mhelp\u{1B}[0m: h\n")
    }

    func testExecuteReportsAllCompileErrorsWithACount() {
        let r = evalOutput("prnt 1\nprint $y")
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.out, "")
        XCTAssertTrue(r.err.hasSuffix("\n2 errors\n"), r.err)
        XCTAssertEqual(r.err.components(separatedBy: "error[").count - 1, 2)
    }
}
