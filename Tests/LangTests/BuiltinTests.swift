import Core
import Foundation
import XCTest
@testable import Lang

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs tk8s code in-process and returns what it printed.
func runBuiltin(_ code: String, limits: Limits = Limits()) throws -> String {
    let rt = Interpreter()
    rt.limits = limits
    final class Sink { var text = "" }
    let sink = Sink()
    rt.output = { sink.text += $0 }
    let (module, diags) = rt.compile(SourceFile(name: "<test>", text: code))
    guard let module else { throw diags.first(where: \.isError)! }
    try rt.run(module)
    return sink.text
}

/// The printed value of one expression: `show("upper abc")` runs `print (upper abc)`.
private func show(_ expr: String) throws -> String {
    let out = try runBuiltin("print (\(expr))")
    return out.hasSuffix("\n") ? String(out.dropLast()) : out
}

/// The diagnostic a snippet stops with.
func failure(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> Diagnostic? {
    do {
        _ = try runBuiltin(code)
        XCTFail("expected an error from: \(code)", file: file, line: line)
        return nil
    } catch let d as Diagnostic {
        return d
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
        return nil
    }
}

private func assertFails(_ code: String, _ expected: ErrorCode, _ message: String? = nil,
                         file: StaticString = #filePath, line: UInt = #line) {
    guard let d = failure(code, file: file, line: line) else { return }
    XCTAssertEqual(d.code, expected, "code of: \(code) (\(d.message))", file: file, line: line)
    if let message { XCTAssertEqual(d.message, message, file: file, line: line) }
}

final class BuiltinTests: XCTestCase {
    // MARK: Text

    func testSplit() throws {
        XCTAssertEqual(try runBuiltin("print (split \"a,b\" \",\")"), "[\"a\", \"b\"]\n")
        XCTAssertEqual(try show("split \"a,b,,c\" \",\""), "[\"a\", \"b\", \"\", \"c\"]")
        XCTAssertEqual(try show("split \"  lms   cms \""), "[\"lms\", \"cms\"]")
        XCTAssertEqual(try show("split \"a\\tb\\nc\""), "[\"a\", \"b\", \"c\"]")
        XCTAssertEqual(try show("split \"   \""), "[]")
        XCTAssertEqual(try show("split \"\" \",\""), "[\"\"]")
        XCTAssertEqual(try show("split \"k=v=w\" \"=\" --limit 1"), "[\"k\", \"v=w\"]")
        XCTAssertEqual(try show("split \"a b  c \" --limit 1"), "[\"a\", \"b  c \"]")
        XCTAssertEqual(try show("split \"a::b::c\" \"::\""), "[\"a\", \"b\", \"c\"]")
        XCTAssertEqual(try show("split \"héllo\" \"\""), "[\"h\", \"é\", \"l\", \"l\", \"o\"]")
        XCTAssertEqual(try show("split \"abc\" \"\" --limit 1"), "[\"a\", \"bc\"]")
        XCTAssertEqual(try show("split \"a\\r\\nb\" \"\\n\""), "[\"a\\r\", \"b\"]")
        XCTAssertEqual(try show("split \"a,b\" \",\" --limit 0"), "[\"a,b\"]")
        assertFails("split \"a\" \",\" --limit -1", .invalidArgument, "`split --limit` cannot be negative, got -1")
        assertFails("split [1] \",\"", .argumentType, "`split` wants a string for TEXT, got list [1]")
    }

    func testJoin() throws {
        XCTAssertEqual(try show("join [a, b, c] \",\""), "a,b,c")
        XCTAssertEqual(try show("join [a, b]"), "ab")
        XCTAssertEqual(try show("join [1, 2.5, null, true, [x]] \" \""), "1 2.5 null true [\"x\"]")
        XCTAssertEqual(try show("len (join [] \",\")"), "0")
        assertFails("join \"abc\" \",\"", .argumentType, "`join` wants a list for LIST, got string \"abc\"")
    }

    func testTrim() throws {
        XCTAssertEqual(try runBuiltin("print -n (trim \"  lms \\n\")"), "lms")
        XCTAssertEqual(try runBuiltin("print -n (trim \"  x  \" --left)"), "x  ")
        XCTAssertEqual(try runBuiltin("print -n (trim \"  x  \" --right)"), "  x")
        XCTAssertEqual(try runBuiltin("print -n (trim \"  x  \" --left --right)"), "x")
        XCTAssertEqual(try runBuiltin("print -n (trim \"/api/\" --chars \"/\" --right)"), "/api")
        XCTAssertEqual(try runBuiltin("print -n (trim \"-=x=-\" --chars \"=-\")"), "x")
        XCTAssertEqual(try runBuiltin("print -n (trim \"\\u{3000}x\\u{a0}\")"), "x")
    }

    func testContains() throws {
        XCTAssertEqual(try show("contains \"learn.example.com\" \"example\""), "true")
        XCTAssertEqual(try show("contains \"abc\" \"x\""), "false")
        XCTAssertEqual(try show("contains \"abc\" \"\""), "true")
        XCTAssertEqual(try show("contains \"v12\" 12"), "true")
        XCTAssertEqual(try show("contains [lms, cms] cms"), "true")
        XCTAssertEqual(try show("contains [1, 2] 2.0"), "true")
        XCTAssertEqual(try show("contains [[1]] [1]"), "true")
        XCTAssertEqual(try show("contains [1] \"1\""), "false")
        XCTAssertEqual(try show("contains {a: 1} a"), "true")
        XCTAssertEqual(try show("contains {a: 1} b"), "false")
        XCTAssertEqual(try show("contains {\"1\": x} 1"), "true")
        assertFails("contains 5 5", .invalidArgument, "`contains` wants a string, list or map for haystack, got int 5")
    }

    func testReplace() throws {
        XCTAssertEqual(try show("replace \"a-b-c\" \"-\" \".\""), "a.b.c")
        XCTAssertEqual(try show("replace \"a-b-c\" \"-\" \".\" --count 1"), "a.b-c")
        XCTAssertEqual(try show("replace \"a-b-c\" \"-\" \".\" --count 0"), "a-b-c")
        XCTAssertEqual(try show("replace \"aaa\" \"aa\" \"b\""), "ba")
        XCTAssertEqual(try show("replace \"héllo\" \"é\" \"e\""), "hello")
        XCTAssertEqual(try show("replace \"abc\" \"b\" \"\""), "ac")
        assertFails("replace \"abc\" \"\" \"x\"", .invalidArgument, "`replace` cannot replace an empty string")
        assertFails("replace \"abc\" \"a\" \"x\" --count -2", .invalidArgument)
    }

    func testCaseAndAffixes() throws {
        XCTAssertEqual(try show("upper \"lms-é\""), "LMS-É")
        XCTAssertEqual(try show("lower \"LMS-É\""), "lms-é")
        XCTAssertEqual(try show("upper 12"), "12")
        XCTAssertEqual(try show("starts-with \"tutor-lms\" \"tutor-\""), "true")
        XCTAssertEqual(try show("starts-with \"tutor-lms\" \"lms\""), "false")
        XCTAssertEqual(try show("starts-with \"abc\" \"\""), "true")
        XCTAssertEqual(try show("ends-with \"config.yml\" \".yml\""), "true")
        XCTAssertEqual(try show("ends-with \"a\" \"ba\""), "false")
        XCTAssertEqual(try show("ends-with \"x\\r\\n\" \"\\n\""), "true")
        assertFails("upper [1]", .argumentType, "`upper` wants a string for TEXT, got list [1]")
        assertFails("starts-with {a: 1} a", .argumentType)
    }

    func testConversions() throws {
        XCTAssertEqual(try runBuiltin("print (str 42) (type (str 42))"), "42 string\n")
        XCTAssertEqual(try show("str [1, \"a\"]"), "[1, \"a\"]")
        XCTAssertEqual(try show("str \"x\""), "x")
        XCTAssertEqual(try show("int \"42\""), "42")
        XCTAssertEqual(try show("int \" -7 \""), "-7")
        XCTAssertEqual(try show("int 3.9"), "3")
        XCTAssertEqual(try show("int -3.9"), "-3")
        XCTAssertEqual(try show("int true"), "1")
        XCTAssertEqual(try show("int \"ff\" --base 16"), "255")
        XCTAssertEqual(try show("int \"-101\" --base 2"), "-5")
        XCTAssertEqual(try show("type (int \"5\")"), "int")
        XCTAssertEqual(try show("float \"1.5\""), "1.5")
        XCTAssertEqual(try show("float 2"), "2.0")
        XCTAssertEqual(try show("float \"1e3\""), "1000.0")
        XCTAssertEqual(try show("float false"), "0.0")
        assertFails("int \"abc\"", .invalidArgument, "`int` cannot parse \"abc\" as an integer")
        XCTAssertEqual(failure("int \"3.7\"")?.help, "it is a float; `int (float \"3.7\")` truncates it")
        assertFails("int \"99999999999999999999\"", .invalidArgument)
        assertFails("int (float \"1e30\")", .invalidArgument, "`int` cannot convert 1e+30 to an integer")
        XCTAssertEqual(failure("int \"99999999999999999999\"")?.help, "integers are 64-bit, from -9223372036854775808 to 9223372036854775807")
        assertFails("int [1]", .invalidArgument, "`int` wants a number, bool or string, got list [1]")
        assertFails("int \"12\" --base 40", .invalidArgument, "`int --base` must be between 2 and 36, got 40")
        assertFails("float \"x1\"", .invalidArgument, "`float` cannot parse \"x1\" as a number")
        assertFails("float \"0x1p3\"", .invalidArgument)
        assertFails("float null", .invalidArgument, "`float` wants a number, bool or string, got null")
    }

    // MARK: Collections

    func testKeysValues() throws {
        XCTAssertEqual(try show("keys {b: 1, a: 2}"), "[\"b\", \"a\"]")
        XCTAssertEqual(try show("values {b: 1, a: [2]}"), "[1, [2]]")
        XCTAssertEqual(try show("keys {}"), "[]")
        assertFails("keys [1]", .argumentType, "`keys` wants a map for MAP, got list [1]")
        assertFails("values \"x\"", .argumentType)
    }

    func testSort() throws {
        XCTAssertEqual(try show("sort [3, 1, 2.5]"), "[1, 2.5, 3]")
        XCTAssertEqual(try show("sort [b, a, c]"), "[\"a\", \"b\", \"c\"]")
        XCTAssertEqual(try show("sort [b, a, c] --reverse"), "[\"c\", \"b\", \"a\"]")
        XCTAssertEqual(try show("sort [2, 1] -r"), "[2, 1]")
        XCTAssertEqual(try show("sort []"), "[]")
        XCTAssertEqual(try show("sort [[2, 1], [1, 5], [1]]"), "[[1], [1, 5], [2, 1]]")
        XCTAssertEqual(try show("sort [{n: b, i: 1}, {n: a, i: 2}, {n: b, i: 0}] --key n"),
                       "[{n: \"a\", i: 2}, {n: \"b\", i: 1}, {n: \"b\", i: 0}]")
        XCTAssertEqual(try show("sort [{n: a, i: 1}, {n: b, i: 2}, {n: a, i: 3}] --key n --reverse"),
                       "[{n: \"b\", i: 2}, {n: \"a\", i: 1}, {n: \"a\", i: 3}]")
        assertFails("sort [1, \"a\"]", .typeMismatch, "`sort` cannot compare int 1 with string \"a\"")
        assertFails("sort [{a: 1}, {a: \"x\"}] --key a", .typeMismatch)
        assertFails("sort [{a: 1}, {b: 2}] --key a", .keyNotFound, "`sort --key a`: element 1 has no key `a`")
        assertFails("sort [1, 2] --key a", .typeMismatch, "`sort --key a` needs a list of maps; element 0 is int 1")
        assertFails("sort \"abc\"", .argumentType, "`sort` wants a list for LIST, got string \"abc\"")
    }

    func testReverseAppend() throws {
        XCTAssertEqual(try show("reverse [1, 2, 3]"), "[3, 2, 1]")
        XCTAssertEqual(try show("reverse \"héllo\""), "olléh")
        XCTAssertEqual(try show("append [1] 2 3"), "[1, 2, 3]")
        XCTAssertEqual(try show("append [] [x]"), "[[\"x\"]]")
        XCTAssertEqual(try runBuiltin("let a = [1]\nlet b = (append $a 2)\nprint $a $b"), "[1] [1, 2]\n")
        XCTAssertEqual(try runBuiltin("let more = [2, 3]\nprint (append [1] ...$more)"), "[1, 2, 3]\n")
        assertFails("reverse 5", .invalidArgument, "`reverse` wants a list or string, got int 5")
        assertFails("append {a: 1} 2", .argumentType)
    }

    func testAppendRespectsCollectionLimit() throws {
        let rt = Interpreter()
        rt.limits.maxCollectionCount = 3
        rt.output = { _ in }
        let (module, diags) = rt.compile(SourceFile(name: "<test>", text: "append [1, 2] 3 4"))
        XCTAssertEqual(diags.map(\.code), [.discardedValue])
        XCTAssertThrowsError(try rt.run(module!)) { error in
            XCTAssertEqual((error as? Diagnostic)?.code, .sizeLimit)
        }
    }

    func testGetHasRemove() throws {
        XCTAssertEqual(try show("get {a: 1} a"), "1")
        XCTAssertEqual(try show("get {a: 1} b"), "null")
        XCTAssertEqual(try show("get {a: 1} b \"d\""), "d")
        XCTAssertEqual(try show("get {\"1\": x} 1"), "x")
        XCTAssertEqual(try show("get [a, b] 0"), "a")
        XCTAssertEqual(try show("get [a, b] -1"), "b")
        XCTAssertEqual(try show("get [a] 5"), "null")
        XCTAssertEqual(try show("get [a] -2 z"), "z")
        XCTAssertEqual(try show("has {a: 1} a"), "true")
        XCTAssertEqual(try show("has {a: null} a"), "true")
        XCTAssertEqual(try show("has {a: 1} b"), "false")
        XCTAssertEqual(try show("remove {a: 1, b: 2} a"), "{b: 2}")
        XCTAssertEqual(try show("remove {a: 1} z"), "{a: 1}")
        XCTAssertEqual(try runBuiltin("let m = {a: 1}\nlet n = (remove $m a)\nprint $m $n"), "{a: 1} {}\n")
        assertFails("get \"abc\" 0", .invalidArgument, "`get` wants a map or list, got string \"abc\"")
        assertFails("get [1] a", .invalidArgument, "`get` on a list wants an int index, got string \"a\"")
        assertFails("has [1] 0", .argumentType, "`has` wants a map for MAP, got list [1]")
        assertFails("remove {a: 1} [a]", .argumentType)
    }

    func testSlice() throws {
        XCTAssertEqual(try show("slice [a, b, c, d] 1 3"), "[\"b\", \"c\"]")
        XCTAssertEqual(try show("slice [a, b, c, d] 2"), "[\"c\", \"d\"]")
        XCTAssertEqual(try show("slice [a, b, c, d] -2"), "[\"c\", \"d\"]")
        XCTAssertEqual(try show("slice [a, b, c, d] 0 -1"), "[\"a\", \"b\", \"c\"]")
        XCTAssertEqual(try show("slice [a, b] 5"), "[]")
        XCTAssertEqual(try show("slice [a, b] 1 0"), "[]")
        XCTAssertEqual(try show("slice [a, b] -10 10"), "[\"a\", \"b\"]")
        XCTAssertEqual(try show("slice \"tutor-lms\" -3"), "lms")
        XCTAssertEqual(try show("slice \"héllo\" 1 3"), "él")
        assertFails("slice {a: 1} 0", .invalidArgument, "`slice` wants a list or string, got map {a: 1}")
        assertFails("slice [1] x", .argumentType, "`slice` wants an integer for START, got string \"x\"")
    }

    func testUniqueMerge() throws {
        XCTAssertEqual(try show("unique [b, a, b, 1, 1.0, \"1\", null, null]"), "[\"b\", \"a\", 1, \"1\", null]")
        XCTAssertEqual(try show("unique [[1], [1], {a: 1}, {a: 1}]"), "[[1], {a: 1}]")
        XCTAssertEqual(try show("merge {a: 1, b: 2} {b: 3}"), "{a: 1, b: 3}")
        XCTAssertEqual(try show("merge {a: 1} {a: 2} {c: 3}"), "{a: 2, c: 3}")
        XCTAssertEqual(try show("merge {a: 1}"), "{a: 1}")
        XCTAssertEqual(try show("merge {env: {A: 1}} {env: {B: 2}}"), "{env: {B: 2}}")
        XCTAssertEqual(try show("merge {env: {A: 1, C: {x: 1}}} {env: {B: 2, C: {y: 2}}} --deep"),
                       "{env: {A: 1, C: {x: 1, y: 2}, B: 2}}")
        assertFails("merge {a: 1} [1]", .argumentType, "`merge` wants a map for MAPS, got list [1]")
    }

    func testSumMinMax() throws {
        XCTAssertEqual(try show("sum [1, 2, 3]"), "6")
        XCTAssertEqual(try show("sum [1, 0.5]"), "1.5")
        XCTAssertEqual(try show("sum []"), "0")
        XCTAssertEqual(try show("min [3, 1, 2]"), "1")
        XCTAssertEqual(try show("max [3, 1, 2.5]"), "3")
        XCTAssertEqual(try show("max [a, c, b]"), "c")
        XCTAssertEqual(try show("min [2, 1.5]"), "1.5")
        assertFails("sum [1, a]", .typeMismatch, "`sum` adds numbers; element 1 is string \"a\"")
        assertFails("sum [9223372036854775807, 1]", .integerOverflow)
        assertFails("min []", .invalidArgument, "`min` of an empty list")
        assertFails("max [1, a]", .typeMismatch, "`max` cannot compare string \"a\" with int 1")
    }

    // MARK: JSON

    func testJSONParse() throws {
        XCTAssertEqual(try show("json parse '{\"b\": [1, 2.5, null, true, false, \"x\"], \"a\": {}}'"),
                       "{b: [1, 2.5, null, true, false, \"x\"], a: {}}")
        XCTAssertEqual(try show("json parse ' [ ] '"), "[]")
        XCTAssertEqual(try show("json parse '-0.5e2'"), "-50.0")
        XCTAssertEqual(try show("json parse '1E+2'"), "100.0")
        XCTAssertEqual(try show("json parse '9223372036854775807'"), "9223372036854775807")
        XCTAssertEqual(try show("type (json parse '9223372036854775808')"), "float")
        XCTAssertEqual(try show("json parse '0.1'"), "0.1")
        XCTAssertEqual(try show("json parse '\"a\\\"b\\\\c\\/\\n\\t\"'"), "a\"b\\c/\n\t")
        XCTAssertEqual(try show("json parse '\"\\u00e9\\ud83d\\ude00\"'"), "é😀")
        XCTAssertEqual(try show("json parse '{\"a\": 1, \"a\": 2}'"), "{a: 2}")
        XCTAssertEqual(try show("keys (json parse '{\"z\": 1, \"y\": 2, \"x\": 3}')"), "[\"z\", \"y\", \"x\"]")
        XCTAssertEqual(try show("len (json parse (\"[\" * 512 + \"]\" * 512))"), "1")
    }

    func testJSONParseErrors() throws {
        func bad(_ json: String, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
            let escaped = json.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
                .replacingOccurrences(of: "$", with: "\\$")
            assertFails("json parse \"\(escaped)\"", .parseData, "cannot parse JSON: " + message, file: file, line: line)
        }
        bad("{\"a\": 1,}", "unexpected character `}`, expected a string key at line 1 column 9")
        bad("[1, 2", "unexpected end of input, expected `,` or `]` at line 1 column 6")
        bad("", "unexpected end of input, expected a value at line 1 column 1")
        bad("[1]\n x", "unexpected character `x` after the JSON value at line 2 column 2")
        bad("{\"a\" 1}", "unexpected character `1`, expected `:` after an object key at line 1 column 6")
        bad("[tru]", "unexpected character `t`, expected a value at line 1 column 2")
        bad("01", "invalid number: leading zeros are not allowed at line 1 column 1")
        bad("-", "invalid number: a digit must follow `-` at line 1 column 2")
        bad("1.", "invalid number: a digit must follow `.` at line 1 column 3")
        bad("1e", "invalid number: a digit must follow the exponent at line 1 column 3")
        bad("1e400", "number 1e400 is out of range at line 1 column 1")
        bad("\"abc", "unterminated string at line 1 column 1")
        bad("\"a\tb\"", "control character U+0009 in a string; write it as an escape at line 1 column 3")
        bad("\"\\q\"", "invalid escape: `q` after a backslash at line 1 column 2")
        bad("\"\\u12xy\"", "invalid \\u escape: four hex digits expected at line 1 column 2")
        bad("\"\\ud800\"", "lone surrogate \\uD800 in a string at line 1 column 2")
        bad("\"\\ud800\\u0041\"", "lone surrogate \\uD800 in a string at line 1 column 2")
        bad("\"\\udc00\"", "lone surrogate \\uDC00 in a string at line 1 column 2")
        bad("[\"é\", x]", "unexpected character `x`, expected a value at line 1 column 7")
        bad(String(repeating: "[", count: 600), "nesting deeper than 512 levels at line 1 column 513")
        bad("'a'", "unexpected character `'`, expected a value at line 1 column 1")
        assertFails("json parse [1]", .argumentType)
    }

    func testJSONDump() throws {
        XCTAssertEqual(try show("json dump {a: [1, true]}"), "{\"a\":[1,true]}")
        XCTAssertEqual(try show("json dump {b: 1, a: [null, 2.5, 3.0, \"x\"], c: {}}"),
                       "{\"b\":1,\"a\":[null,2.5,3.0,\"x\"],\"c\":{}}")
        XCTAssertEqual(try show("json dump 0.1"), "0.1")
        XCTAssertEqual(try show("json dump (float \"1e20\")"), "1e+20")
        XCTAssertEqual(try show("json dump (float \"-2.5e-7\")"), "-2.5e-7")
        XCTAssertEqual(try show("json dump (float \"1e-300\")"), "1e-300")
        XCTAssertEqual(try show("json dump -9223372036854775807"), "-9223372036854775807")
        XCTAssertEqual(try show("json dump \"q\\\"\\\\\\n\\t\\r\\u{1}\\u{7f}é😀\""),
                       "\"q\\\"\\\\\\n\\t\\r\\u0001\\u007fé😀\"")
        XCTAssertEqual(try show("json dump \"\\$x\""), "\"$x\"")
        XCTAssertEqual(try runBuiltin("print (json dump {a: [1, {b: []}], c: 1.5} --indent 2)"),
                       "{\n  \"a\": [\n    1,\n    {\n      \"b\": []\n    }\n  ],\n  \"c\": 1.5\n}\n")
        XCTAssertEqual(try runBuiltin("print (json dump [1, 2] --indent 4)"), "[\n    1,\n    2\n]\n")
        XCTAssertEqual(try show("json dump {} --indent 2"), "{}")
        XCTAssertEqual(try show("json dump [1] --indent 0"), "[1]")
        assertFails("json dump (float \"nan\")", .invalidArgument, "JSON cannot represent nan")
        assertFails("json dump [1] --indent -1", .invalidArgument, "`json dump --indent` must be between 0 and 16, got -1")
        assertFails("try { fail \"x\" } catch e { json dump [$e] }", .invalidArgument, "JSON cannot represent error error[E2007](\"x\")")
    }

    func testJSONRoundTrip() throws {
        let doc = "{\"z\":[1,-2.5e-7,{\"k\":\"v\\n\\\"\"}],\"a\":null,\"m\":true,\"big\":1.7976931348623157e+308,\"u\":\"é😀\"}"
        let escaped = doc.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        XCTAssertEqual(try show("json dump (json parse \"\(escaped)\")"), doc)
    }

    // MARK: YAML

    func testYAMLParse() throws {
        XCTAssertEqual(try show("yaml parse \"a: 1\\nb: [x, yes, ~, 1.5, 0x10, '3', 1_000, .inf, No, null]\\nc:\\n  d: on\\n\""),
                       "{a: 1, b: [\"x\", true, null, 1.5, 16, \"3\", 1000, inf, false, null], c: {d: true}}")
        XCTAssertEqual(try show("keys (yaml parse \"z: 1\\ny: 2\\nx: 3\\nw: 4\")"), "[\"z\", \"y\", \"x\", \"w\"]")
        XCTAssertEqual(try show("yaml parse \"\""), "null")
        XCTAssertEqual(try show("yaml parse \"- a\\n- b: 1\\n  c: [1, 2]\""), "[\"a\", {b: 1, c: [1, 2]}]")
        XCTAssertEqual(try show("yaml parse \"x: !!str 12\\nw: 2001-12-14\\nu: \\\"true\\\"\\nt: '1.5'\""),
                       "{x: \"12\", w: \"2001-12-14\", u: \"true\", t: \"1.5\"}")
        XCTAssertEqual(try show("yaml parse \"on: 1\\n2: b\""), "{on: 1, \"2\": \"b\"}")
        XCTAssertEqual(try show("yaml parse \"t: |\\n  line1\\n  line2\\n\""), "{t: \"line1\\nline2\\n\"}")
        XCTAssertEqual(try show("yaml parse \"base: &b {x: 1, y: 2}\\nd:\\n  <<: *b\\n  y: 3\\n  z: 4\""),
                       "{base: {x: 1, y: 2}, d: {x: 1, y: 3, z: 4}}")
        XCTAssertEqual(try show("yaml parse \"a: &a {p: 1}\\nb: &b {p: 2, q: 2}\\nc:\\n  <<: [*a, *b]\""),
                       "{a: {p: 1}, b: {p: 2, q: 2}, c: {p: 1, q: 2}}")
        XCTAssertEqual(try show("yaml parse \"a: &x [1]\\nb: *x\""), "{a: [1], b: [1]}")
        XCTAssertEqual(try show("yaml parse \"a: 1\\n---\\nb: 2\\n\" --all"), "[{a: 1}, {b: 2}]")
        XCTAssertEqual(try show("yaml parse \"42\""), "42")
    }

    func testYAMLParseErrors() throws {
        assertFails("yaml parse \"a: [1, 2\"", .parseData,
                    "cannot parse YAML: did not find expected ',' or ']' at line 2 column 1 (while parsing a flow sequence at line 1 column 4)")
        assertFails("yaml parse \"a: 1\\na: 2\"", .parseData, "cannot parse YAML: duplicate key a at line 1 column 1")
        XCTAssertEqual(failure("yaml parse \"a: 1\\n---\\nb: 2\"")?.help,
                       "the text has several documents; `yaml parse --all` reads them into a list")
        assertFails("yaml parse \"? [a]\\n: 1\"", .parseData, "cannot parse YAML: map keys must be scalars, found a list at line 1 column 3")
        assertFails("yaml parse \"a: *nope\"", .parseData)
        assertFails("yaml parse \"a: &x 1\\n<<: *x\"", .parseData, "cannot parse YAML: `<<` merges maps, not int at line 1 column 4")
    }

    func testYAMLAliasBombIsLimited() throws {
        let rt = Interpreter()
        rt.limits.maxCollectionCount = 1000
        rt.output = { _ in }
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]"
        let (module, _) = rt.compile(SourceFile(name: "<test>", text: "yaml parse \"\(bomb)\""))
        XCTAssertThrowsError(try rt.run(module!)) { error in
            XCTAssertEqual((error as? Diagnostic)?.code, .sizeLimit)
        }
    }

    func testYAMLDump() throws {
        XCTAssertEqual(try runBuiltin("print -n (yaml dump {name: lms, ports: [80, 443], nested: {a: [{b: 1, c: 2}]}})"),
                       "name: lms\nports:\n- 80\n- 443\nnested:\n  a:\n  - b: 1\n    c: 2\n")
        XCTAssertEqual(try runBuiltin("print -n (yaml dump {s: \"yes\", n: \"12\", z: \"\", d: \"2024-01-01\", x: \"null\", t: \"a: b\", p: plain})"),
                       "s: 'yes'\nn: '12'\nz: ''\nd: '2024-01-01'\nx: 'null'\nt: 'a: b'\np: plain\n")
        XCTAssertEqual(try runBuiltin("print -n (yaml dump {t: \"multi\\nline\\n\", u: \"a\\n  b\\nc\"})"),
                       "t: |\n  multi\n  line\nu: |-\n  a\n    b\n  c\n")
        XCTAssertEqual(try runBuiltin("print -n (yaml dump {n: null, b: true, i: -3, f: 1.0, g: 2.5, e: {}, l: [], \"1\": x, on: y})"),
                       "n: null\nb: true\ni: -3\nf: 1.0\ng: 2.5\ne: {}\nl: []\n'1': x\n'on': y\n")
        XCTAssertEqual(try runBuiltin("print -n (yaml dump [(float \"inf\"), (float \"-inf\"), (float \"nan\")])"), "- .inf\n- -.inf\n- .nan\n")
        XCTAssertEqual(try runBuiltin("print -n (yaml dump \"hello\")"), "hello\n")
        XCTAssertEqual(try runBuiltin("print -n (yaml dump \"é\")"), "é\n")
        XCTAssertEqual(try runBuiltin("print -n (yaml dump [])"), "[]\n")
    }

    func testYAMLRoundTrip() throws {
        let code = """
        let v = {name: lms, on: "yes", n: "12", list: [1, 2.5, null, true, "x: y"], text: "a\\nb\\n", deep: {k: [{a: 1}]}}
        print ((yaml parse (yaml dump $v)) == $v)
        print ((json parse (json dump $v)) == $v)
        """
        XCTAssertEqual(try runBuiltin(code), "true\ntrue\n")
    }

    /// Tutor's config.yml layout: the bytes PyYAML 6's `yaml.dump(default_flow_style=False, allow_unicode=True)` wrote for the
    /// same mapping (recorded once), plain and with tutor-contrib-aspects' string representer (literal blocks).
    func testYAMLWrittenAsPyYAMLWritesIt() throws {
        let text = """
            a_multi: "line one\\nline two\\n"
            b_long: "\(String(repeating: "word ", count: 25))end"
            c_yes: "yes"
            d_float: "1.0"
            e_octal: "0755"
            f_colon: "a: b"
            g_unicode: "héllo ✓"
            h_empty: ""
            i_null: null
            j_bool: true
            k_int: 3
            l_list: [x, "it's", "- dash"]
            m_nested: {k: [1, {z: q}]}
            n_space: " lead"
            o_pem: "-----BEGIN-----\\nAAA\\nBBB\\n-----END-----"
            """
        let value = try YAMLCodec.decode(text)
        let words = String(repeating: "word ", count: 15).dropLast() + "\n  " + String(repeating: "word ", count: 10) + "end"
        XCTAssertEqual(try YAMLCodec.encode(value, style: .pyYAML),
                       "a_multi: 'line one\n\n  line two\n\n  '\nb_long: \(words)\nc_yes: 'yes'\nd_float: '1.0'\ne_octal: '0755'\n"
                       + "f_colon: 'a: b'\ng_unicode: héllo ✓\nh_empty: ''\ni_null: null\nj_bool: true\nk_int: 3\nl_list:\n- x\n- it's\n"
                       + "- '- dash'\nm_nested:\n  k:\n  - 1\n  - z: q\nn_space: ' lead'\no_pem: '-----BEGIN-----\n\n  AAA\n\n  BBB\n\n  -----END-----'\n")
        XCTAssertEqual(try YAMLCodec.encode(value, style: .pyYAML(literalMultiline: true, literalWithQuote: true)),
                       "a_multi: |\n  line one\n  line two\nb_long: \(words)\nc_yes: 'yes'\nd_float: '1.0'\ne_octal: '0755'\n"
                       + "f_colon: 'a: b'\ng_unicode: héllo ✓\nh_empty: ''\ni_null: null\nj_bool: true\nk_int: 3\nl_list:\n- x\n- |-\n  it's\n"
                       + "- '- dash'\nm_nested:\n  k:\n  - 1\n  - z: q\nn_space: ' lead'\no_pem: |-\n  -----BEGIN-----\n  AAA\n  BBB\n  -----END-----\n")
    }

    // MARK: System

    func testEnv() throws {
        setenv("TK8S_BUILTIN_TEST", "value one", 1)
        unsetenv("TK8S_BUILTIN_MISSING")
        XCTAssertEqual(try show("env TK8S_BUILTIN_TEST"), "value one")
        XCTAssertEqual(try show("env TK8S_BUILTIN_MISSING"), "null")
        XCTAssertEqual(try show("env TK8S_BUILTIN_MISSING fallback"), "fallback")
        XCTAssertEqual(try show("(env).TK8S_BUILTIN_TEST"), "value one")
        XCTAssertEqual(try show("(keys (env)) == (sort (keys (env)))"), "true")
        XCTAssertEqual(try show("type (env)"), "map")
        assertFails("env \"A=B\"", .invalidArgument, "`env`: \"A=B\" is not a variable name")
    }

    func testNow() throws {
        let before = time(nil)
        let out = try runBuiltin("print (now --unix)\nprint (now)\nprint (now --format \"%Y|%H\")\nprint (now --local)")
        let after = time(nil)
        let lines = out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4)
        let unix = Int(lines[0])!
        XCTAssertTrue((Int(before)...Int(after)).contains(unix), "\(unix) not in \(before)...\(after)")
        func utc(_ t: Int, _ format: String) -> String {
            var tt = time_t(t)
            var parts = tm()
            gmtime_r(&tt, &parts)
            var buf = [CChar](repeating: 0, count: 64)
            let n = strftime(&buf, 64, format, &parts)
            return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        let candidates = (Int(before)...Int(after)).map { utc($0, "%Y-%m-%dT%H:%M:%SZ") }
        XCTAssertTrue(candidates.contains(lines[1]), lines[1])
        XCTAssertTrue((Int(before)...Int(after)).map { utc($0, "%Y|%H") }.contains(lines[2]), lines[2])
        XCTAssertEqual(lines[3].count, 25, lines[3])
        XCTAssertEqual(Array(lines[3])[22], ":")
        assertFails("now --unix --local", .invalidArgument, "`now --unix` is a number; it takes neither --format nor --local")
    }

    func testSleep() throws {
        var start = timespec(), end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        XCTAssertEqual(try runBuiltin("print (sleep 0.12)"), "null\n")
        clock_gettime(CLOCK_MONOTONIC, &end)
        let elapsed = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
        XCTAssertGreaterThanOrEqual(elapsed, 0.12)
        XCTAssertLessThan(elapsed, 2)
        XCTAssertEqual(try runBuiltin("sleep 0\nprint ok"), "ok\n")
        assertFails("sleep -1", .invalidArgument, "`sleep` wants a number of seconds, at least 0, got -1.0")
        assertFails("sleep soon", .argumentType, "`sleep` wants a number for SECONDS, got string \"soon\"")
    }

    func testSleepIsInterruptible() throws {
        var start = timespec(), end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        Interpreter.interruptRequested = true
        assertFails("sleep 30", .interrupted, "interrupted")
        clock_gettime(CLOCK_MONOTONIC, &end)
        XCTAssertFalse(Interpreter.interruptRequested)
        XCTAssertLessThan(end.tv_sec - start.tv_sec, 5)
    }

    // MARK: Help and generated docs

    func testHelpShowsSignature() throws {
        XCTAssertEqual(try runBuiltin("help json dump"), """
        json dump VALUE [--indent N]

        VALUE as JSON text: compact by default, indented with --indent.

        Arguments:
          VALUE                  null, bools, numbers, strings, lists and maps

        Flags:
              --indent N         pretty-print, indenting N spaces per level

        Examples:
          json dump {a: [1, true]}   # {"a":[1,true]}
          json dump $config --indent 2

        """)
    }

    /// A passthrough command hands every word after its first variadic one to the program, so its usage shows
    /// its own flags before them, where they work.
    func testPassthroughUsageShowsFlagsBeforeTheCommand() {
        let flags = [FlagSpec("to", value: .string, valueName: "FILE"), FlagSpec("quiet")]
        XCTAssertEqual(Signature("run", "Run.", params: [Param("command", .string, .variadic)], flags: flags, passthrough: true).usage,
                       "run [--to FILE] [--quiet] [COMMAND…]")
        XCTAssertEqual(Signature("exec", "Exec.", params: [Param("service"), Param("command", .string, .variadic)], flags: flags,
                                 passthrough: true).usage, "exec SERVICE [--to FILE] [--quiet] [COMMAND…]")
        XCTAssertEqual(Signature("logs", "Logs.", params: [Param("service")], flags: flags).usage, "logs SERVICE [--to FILE] [--quiet]")
    }

    func testAFlagCanNameItsValue() {
        let sig = Signature("probe", "Probe.", flags: [FlagSpec("timeout", value: .number, help: "seconds", valueName: "SECONDS"),
                                                       FlagSpec("tries", value: .int)])
        XCTAssertEqual(sig.usage, "probe [--timeout SECONDS] [--tries N]")
        XCTAssertTrue(sig.helpText.contains("\n      --timeout SECONDS  seconds\n"), sig.helpText)
        let r = Registry()
        r.register(sig) { _, _ in .null }
        XCTAssertTrue(builtinReference(r).contains("| `--timeout` | `SECONDS` (number) | seconds |\n"))
    }

    func testReferenceSections() {
        let doc = builtinReference(Interpreter().registry)
        XCTAssertTrue(doc.hasPrefix("# Builtin reference\n"))
        XCTAssertTrue(doc.contains("\n## split\n\n```\nsplit TEXT [SEP] [--limit N]\n```\n\nSplit TEXT at every SEP, or at runs of whitespace when SEP is not given.\n"))
        XCTAssertTrue(doc.contains("\n## json\n\nParse JSON text into values and write values as JSON.\n"))
        XCTAssertTrue(doc.contains("\n### json parse\n\n```\njson parse TEXT\n```\n"))
        XCTAssertTrue(doc.contains("| `--limit` | `N` (int) | split at most N times; the rest stays in the last element |\n"))
        XCTAssertTrue(doc.contains("| `-r`, `--reverse` | switch | largest first |\n"))
        XCTAssertTrue(doc.contains("| [`starts-with`](#starts-with) | Whether TEXT starts with PREFIX. |\n"))
        let errors = errorReference()
        XCTAssertTrue(errors.contains("| E2010 | cannot parse data | running |\n"))
        XCTAssertTrue(errors.contains("| E0001 | invalid UTF-8 in source | parsing |\n"))
        XCTAssertTrue(errors.contains("| W1000 | value thrown away | checking (warning) |\n"))
        XCTAssertEqual(errors.split(separator: "\n").filter { $0.hasPrefix("| E") || $0.hasPrefix("| W") }.count, ErrorCode.allCases.count)
    }
}
