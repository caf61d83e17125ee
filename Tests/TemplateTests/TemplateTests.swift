import Core
import Core
import Foundation
import Template
import XCTest

/// The template engine against real Jinja2 (Fixtures/jinja/cases.json, made by
/// make-cases.py with Tutor's Environment), plus what a differential file
/// cannot show: tk8s's diagnostics, limits and host hooks.
final class TemplateTests: XCTestCase {
    // MARK: Differential corpus

    private struct Case {
        var name: String
        var template: String
        var context: [String: Value]
        /// nil when Jinja raised.
        var output: String?
    }

    /// Read with Core's JSON parser, which keeps key order (dicts print in
    /// insertion order) and tells `1` from `1.0`, as Python's json does.
    private func loadCases() throws -> [Case] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/jinja/cases.json").path
        guard case .list(let items) = try JSONParser.parse(try String(contentsOfFile: path, encoding: .utf8), maxCount: 1 << 20)
        else { return [] }
        return items.map { item in
            var context: [String: Value] = [:]
            if case .map(let m)? = item.at("context") { for (k, v) in m.dict { context[k] = v } }
            var output: String?
            if case .string(let s)? = item.at("output") { output = s }
            return Case(name: item.at("name")?.displayString ?? "?",
                        template: item.at("template")?.displayString ?? "", context: context, output: output)
        }
    }

    func testMatchesJinja2() throws {
        let cases = try loadCases()
        XCTAssertGreaterThan(cases.count, 400)
        var failures: [String] = []
        for c in cases {
            let actual: String?
            var error = ""
            do {
                actual = try Template(name: c.name, text: c.template).render(TemplateScope(lookup: { c.context[$0] }))
            } catch let e as TemplateError {
                actual = nil
                error = "\(e.kind): \(e.message)"
            }
            if actual != c.output {
                failures.append("""
                    \(c.name): \(c.template.debugDescription)
                      jinja2: \(c.output.map(\.debugDescription) ?? "<error>")
                      tk8s:   \(actual.map(\.debugDescription) ?? "<error> " + error)
                    """)
            }
        }
        XCTAssert(failures.isEmpty, "\(failures.count) of \(cases.count) cases differ from Jinja2:\n" + failures.joined(separator: "\n"))
    }

    /// `%`-formatting values no 64-bit integer holds, and widths no memory holds: errors, not a trap or an
    /// exabyte of padding.
    func testPercentFormatRefusesWhatCannotBeMade() throws {
        XCTAssertEqual(try render("{{ '%d|%5.1f' % (2.9, 3.14159) }}"), "2|  3.1")
        XCTAssertEqual(failure("{{ '%d' % 1e300 }}")?.message, "format: %d of 1e+300 is beyond 64-bit integers")
        XCTAssertEqual(failure("{{ '%i' % (1e308 * 10) }}")?.message, "format: %i cannot convert float infinity to integer")
        XCTAssertEqual(failure("{{ '%999999999999d' % 1 }}")?.message, "format: width or precision larger than 1048576")
        XCTAssertEqual(failure("{{ '%.99999999999f' % 1 }}")?.message, "format: width or precision larger than 1048576")
        XCTAssertEqual(try render("{{ '%8s|' % 'ab' }}"), "      ab|")
    }

    // MARK: Helpers

    private func render(_ text: String, _ context: [String: Value] = [:], names: [String] = [],
                        functions: [String: TemplateFunction] = [:], filters: [String: TemplateFilter] = [:],
                        include: ((String) throws -> Template?)? = nil) throws -> String {
        let scope = TemplateScope(lookup: { context[$0] }, names: { names }, functions: functions, filters: filters, include: include)
        return try Template(name: "t.j2", text: text).render(scope)
    }

    /// The error rendering `text` fails with.
    private func failure(_ text: String, _ context: [String: Value] = [:], names: [String] = [],
                         functions: [String: TemplateFunction] = [:], filters: [String: TemplateFilter] = [:],
                         include: ((String) throws -> Template?)? = nil,
                         file: StaticString = #filePath, line: UInt = #line) -> TemplateError? {
        do {
            let output = try render(text, context, names: names, functions: functions, filters: filters, include: include)
            XCTFail("rendering \(text.debugDescription): no error, got \(output.debugDescription)", file: file, line: line)
        } catch let e as TemplateError {
            return e
        } catch {
            XCTFail("rendering \(text.debugDescription): not a TemplateError: \(error)", file: file, line: line)
        }
        return nil
    }

    private func position(_ d: TemplateError?) -> String {
        guard let span = d?.span else { return "no span" }
        let (l, c) = span.file.location(of: span.start)
        return "\(span.file.name):\(l):\(c)"
    }

    // MARK: Diagnostics

    func testUndefinedNameSuggestsAKnownName() {
        let d = failure("a\n  {{ LMS_HOTS }}", names: ["LMS_HOST", "CMS_HOST"])
        XCTAssertEqual(d?.kind, .templateError)
        XCTAssertEqual(d?.message, "undefined name `LMS_HOTS`")
        XCTAssertEqual(d?.help, "did you mean `LMS_HOST`?")
        XCTAssertEqual(position(d), "t.j2:2:6")
    }

    func testUndefinedKeySuggestsAKey() {
        let d = failure("{{ cfg.hots }}", ["cfg": .map(["host": .string("h"), "port": .int(1)])])
        XCTAssertEqual(d?.message, "no key `hots` in this mapping")
        XCTAssertEqual(d?.help, "did you mean `host`?")
        XCTAssertEqual(position(d), "t.j2:1:8")
    }

    func testMisspeltFilterSuggestsBuiltinAndScopeFilters() {
        let d = failure("{{ 'x'|uper }}")
        XCTAssertEqual(d?.message, "unknown filter `uper`")
        XCTAssertEqual(d?.help, "did you mean `upper`?")
        XCTAssertEqual(position(d), "t.j2:1:8")
        let custom = failure("{{ 1|random_strng }}", filters: ["random_string": { v, _, _ in v }])
        XCTAssertEqual(custom?.help, "did you mean `random_string`?")
    }

    func testMisspeltEndTagSuggestsTheRightOne() {
        let d = failure("{% for x in xs %}\n{{ x }}\n{% endfro %}", ["xs": .list([])])
        XCTAssertEqual(d?.message, "unknown tag `endfro`")
        XCTAssertEqual(d?.help, "did you mean `endfor`?")
        XCTAssertEqual(position(d), "t.j2:3:4")
    }

    func testUnclosedIfPointsAtItsOpeningTag() {
        let d = failure("a\n{% if x %}\nb\n", ["x": .bool(true)])
        XCTAssertEqual(d?.kind, .templateError)
        XCTAssertEqual(d?.message, "`{% if %}` is never closed")
        XCTAssertEqual(position(d), "t.j2:2:4")
        XCTAssertEqual(d?.help?.contains("endif"), true)
    }

    func testMacroIsRefused() {
        let d = failure("{% macro m() %}x{% endmacro %}")
        XCTAssertEqual(d?.kind, .templateError)
        XCTAssertEqual(d?.message, "tk8s templates do not support `{% macro %}`")
        XCTAssertEqual(position(d), "t.j2:1:4")
    }

    func testRecursiveLoopIsRefused() {
        let d = failure("{% for x in xs recursive %}{% endfor %}", ["xs": .list([])])
        XCTAssertEqual(d?.message.contains("recursive"), true)
    }

    /// Hostile templates must fail with a diagnostic, not overflow the stack.
    func testDeepNestingIsAnErrorNotACrash() {
        let n = 10_000
        let cases = [
            "{{ " + String(repeating: "(", count: n) + "1" + String(repeating: ")", count: n) + " }}",
            "{{ " + String(repeating: "[", count: n) + String(repeating: "]", count: n) + " }}",
            "{{ " + String(repeating: "not ", count: n) + "1 }}",
            "{{ " + String(repeating: "-", count: n) + "1 }}",
            String(repeating: "{% if true %}", count: n) + String(repeating: "{% endif %}", count: n),
            "{{ 1" + String(repeating: " + 1", count: n) + " }}",
            "{{ x" + String(repeating: "|upper", count: n) + " }}",
            "{{ x" + String(repeating: ".a", count: n) + " }}",
            "{{ x" + String(repeating: " or x", count: n) + " }}",
        ]
        for text in cases {
            let d = failure(text, ["x": .string("a")])
            XCTAssertEqual(d?.kind, .templateError, String(text.prefix(20)))
            XCTAssertEqual(d?.message.contains("nests more than"), true, "\(text.prefix(20)): \(d?.message ?? "")")
        }
        // Includes multiply the depth: a self-include inside deep blocks must stop at the include limit.
        let deep = String(repeating: "{% if true %}", count: 150) + "{% include 'self' %}" + String(repeating: "{% endif %}", count: 150)
        let loop = failure("{% include 'self' %}", include: { _ in try Template(name: "self", text: deep) })
        XCTAssertEqual(loop?.kind, .recursionTooDeep)
        XCTAssertEqual(loop?.message, "blocks and includes nest more than 256 levels deep")
        // Just under the limit still works.
        XCTAssertEqual(try render("{{ " + String(repeating: "(", count: 50) + "1" + String(repeating: ")", count: 50) + " }}"), "1")
    }

    // MARK: Host hooks

    func testIncludeRendersWithTheCallersContext() throws {
        let library = ["part": "[{{ x }}{{ y|default('') }}]", "self": "{% include 'self' %}"]
        let load: (String) throws -> Template? = { name in try library[name].map { try Template(name: name, text: $0) } }
        XCTAssertEqual(try render("{% set y = 2 %}{% include 'part' %}", ["x": .int(1)], include: load), "[12]")
        XCTAssertEqual(try render("{% set y = 2 %}{% include 'part' without context %}", ["x": .int(1)], include: load), "[1]")
        XCTAssertEqual(try render("a{% include 'nope' ignore missing %}b", include: load), "ab")
        XCTAssertEqual(try render("{% include ['nope', 'part'] %}", ["x": .int(3)], include: load), "[3]")

        let missing = failure("{% include 'nope' %}", include: load)
        XCTAssertEqual(missing?.kind, .templateError)
        XCTAssertEqual(missing?.message, "no template nope to include")
        XCTAssertEqual(position(missing), "t.j2:1:12")

        let loop = failure("{% include 'self' %}", include: load)
        XCTAssertEqual(loop?.kind, .recursionTooDeep)
        XCTAssertEqual(loop?.message, "includes nest more than 32 deep")

        let noHook = failure("{% include 'part' %}")
        XCTAssertEqual(noHook?.message, "this template cannot include other templates")
    }

    func testFunctionsGetPositionalAndNamedArgumentsInOrder() throws {
        var seen: [String] = []
        let f: TemplateFunction = { args, kwargs in
            seen = args.map(Template.pythonString) + kwargs.map { "\($0.0)=\(Template.pythonString($0.1))" }
            return .list(args)
        }
        XCTAssertEqual(try render("{{ patch(1, 'a', z=[2], b=none) }}", functions: ["patch": f]), "[1, 'a']")
        XCTAssertEqual(seen, ["1", "a", "z=[2]", "b=None"])
    }

    func testHostClosureErrorsGetTheCallSpan() {
        let boom: TemplateFilter = { _, _, _ in throw TemplateError(.templateError, "x", at: nil) }
        let d = failure("line\n  {{ v|boom(1) }}", ["v": .int(1)], filters: ["boom": boom])
        XCTAssertEqual(d?.message, "x")
        XCTAssertEqual(position(d), "t.j2:2:6")

        let fn: TemplateFunction = { _, _ in throw TemplateError(.templateError, "y", at: nil) }
        let e = failure("{{ 1 }}{{ f() }}", functions: ["f": fn])
        XCTAssertEqual(e?.message, "y")
        XCTAssertEqual(position(e), "t.j2:1:11")
    }

    func testScopeFiltersOverrideBuiltins() throws {
        XCTAssertEqual(try render("{{ 'a'|upper }}", filters: ["upper": { _, _, _ in .string("custom") }]), "custom")
    }
}
