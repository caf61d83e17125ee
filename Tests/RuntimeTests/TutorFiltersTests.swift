import Core
import Foundation
@testable import Lang
@testable import Runtime
import Template
import XCTest

/// `rsa_import_key` and `long_to_base64` against Tutor 22 itself (Fixtures/jinja/rsa-cases.json,
/// made by make-rsa-cases.py with pycryptodome and Tutor's own Jinja environment): the JWK numbers
/// of Tutor's LMS settings must come out byte for byte the same.
final class TutorFiltersTests: XCTestCase {
    private struct Fixture {
        var template: String
        var keys: [(name: String, pem: String, output: String)]
        var ints: [(value: Int, output: String)]
    }

    private func loadFixture() throws -> Fixture {
        let doc = try JSONParser.parse(try Fixtures.text("jinja/rsa-cases.json"), maxCount: 1 << 16)
        var fixture = Fixture(template: doc.at("template")?.displayString ?? "", keys: [], ints: [])
        if case .list(let keys)? = doc.at("keys") {
            for k in keys {
                fixture.keys.append((k.at("name")?.displayString ?? "?", k.at("pem")?.displayString ?? "", k.at("output")?.displayString ?? ""))
            }
        }
        if case .list(let ints)? = doc.at("ints") {
            for i in ints {
                guard case .int(let n)? = i.at("value") else { continue }
                fixture.ints.append((n, i.at("output")?.displayString ?? ""))
            }
        }
        return fixture
    }

    private func render(_ text: String, _ context: [String: Value] = [:]) throws -> String {
        let scope = TemplateScope(lookup: { context[$0] }, filters: TutorFilters.all)
        return try templating { try Template(name: "t.j2", text: text).render(scope) }
    }

    func testJWKNumbersMatchTutor() throws {
        let fixture = try loadFixture()
        XCTAssertEqual(fixture.keys.count, 4)
        XCTAssertEqual(Set(fixture.keys.map { $0.pem.hasPrefix("-----BEGIN PRIVATE KEY-----") }), [true, false],
                       "the fixture has PKCS#1 and PKCS#8 keys")
        for key in fixture.keys {
            let output = try render(fixture.template, ["KEY": .string(key.pem)])
            XCTAssertEqual(output, key.output, key.name)
            XCTAssertEqual(output.split(separator: " ").count, 8, key.name)
        }
    }

    /// The same key as PKCS#1 and as PKCS#8 has the same numbers.
    func testPKCS8AndPKCS1GiveTheSameNumbers() throws {
        let fixture = try loadFixture()
        let pkcs1 = try XCTUnwrap(fixture.keys.first { $0.name == "pkcs1-1" })
        let pkcs8 = try XCTUnwrap(fixture.keys.first { $0.name == "pkcs8-1" })
        XCTAssertEqual(try TutorFilters.rsaImportKey(.string(pkcs1.pem), [], []).literal,
                       try TutorFilters.rsaImportKey(.string(pkcs8.pem), [], []).literal)
    }

    func testLongToBase64OfIntegersMatchesTutor() throws {
        let fixture = try loadFixture()
        XCTAssertGreaterThanOrEqual(fixture.ints.count, 5)
        for (n, expected) in fixture.ints {
            XCTAssertEqual(Template.pythonString(try TutorFilters.longToBase64(.int(n), [], [])), expected, "\(n)")
            XCTAssertEqual(try render("{{ \(n)|long_to_base64 }}"), expected, "\(n) in a template")
        }
    }

    /// The PEM as Tutor's config.yml holds it after a YAML round trip: CRLF line ends, a final newline.
    func testPEMWithCRLFAndTrailingNewline() throws {
        let fixture = try loadFixture()
        let key = try XCTUnwrap(fixture.keys.first)
        let pem = key.pem.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"
        XCTAssertEqual(try render(fixture.template, ["KEY": .string(pem)]), key.output)
    }

    func testMalformedPEMIsADiagnostic() throws {
        let fixture = try loadFixture()
        let good = try XCTUnwrap(fixture.keys.first).pem
        let lines = good.split(separator: "\n").map(String.init)
        let body = lines.dropFirst().dropLast()
        let der = try XCTUnwrap(Data(base64Encoded: body.joined()))
        func pem(_ bytes: Data, _ label: String = "RSA PRIVATE KEY") -> String {
            "-----BEGIN \(label)-----\n" + bytes.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
                + "\n-----END \(label)-----"
        }
        let malformed: [(String, String)] = [
            ("empty", ""),
            ("not a PEM", "not a key"),
            ("no END line", lines.dropLast().joined(separator: "\n")),
            ("END before BEGIN", lines.last! + "\n" + lines.first!),
            ("body not base64", "-----BEGIN RSA PRIVATE KEY-----\n!!!!\n-----END RSA PRIVATE KEY-----"),
            ("empty body", "-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----"),
            ("truncated DER", pem(der.prefix(der.count / 2))),
            ("DER cut after the header", pem(der.prefix(4))),
            ("one byte", pem(Data([0x30]))),
            ("not a sequence", pem(Data([0x02, 0x01, 0x00]))),
            ("too few integers", pem(Data([0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x05]))),
            ("unsupported version", pem(Data([0x30, 0x03, 0x02, 0x01, 0x07]))),
            ("length past the end", pem(Data([0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF, 0x02]))),
            ("length of length too long", pem(Data([0x30, 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9]))),
            ("PKCS#1 DER labelled PKCS#8", pem(der, "PRIVATE KEY")),
            ("encrypted", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n"
                + body.joined(separator: "\n") + "\n-----END RSA PRIVATE KEY-----"),
            ("a public key", pem(Data([0x30, 0x0D, 0x30, 0x0B, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]), "PUBLIC KEY")),
        ]
        for (what, text) in malformed {
            let d = expectDiagnostic(what) { try TutorFilters.rsaImportKey(.string(text), [], []) }
            XCTAssertEqual(d?.code, .templateError, what)
            XCTAssertEqual(d?.message.hasPrefix("rsa_import_key: "), true, "\(what): \(d?.message ?? "")")
        }
        XCTAssertNotNil(expectDiagnostic("not a string") { try TutorFilters.rsaImportKey(.int(1), [], []) })

        // In a template, the error points at the filter.
        let d = expectDiagnostic("in a template") { try self.render(fixture.template, ["KEY": .string("garbage")]) }
        XCTAssertEqual(d?.code, .templateError)
        XCTAssertEqual(d?.message, "rsa_import_key: no `-----BEGIN … PRIVATE KEY-----` block")
        if let span = d?.span {
            XCTAssertEqual(span.file.name, "t.j2")
            XCTAssertEqual(span.file.location(of: span.start).1, 12, "the column of `rsa_import_key`")
        } else {
            XCTFail("no span")
        }
    }

    func testLongToBase64RefusesWhatIsNotANonNegativeInteger() {
        for v: Value in [.int(-1), .string("12"), .string("0xZZ"), .string("0x123"), .float(1.5), .null, .list([])] {
            let d = expectDiagnostic("\(v.literal)") { try TutorFilters.longToBase64(v, [], []) }
            XCTAssertEqual(d?.code, .templateError, v.literal)
        }
    }

    /// The engine's own errors reach scripts as diagnostics with their code, position and help; a filter's
    /// diagnostic keeps its own code and is given the filter's position.
    func testEngineErrorsBecomeDiagnosticsAtTheRuntimeBoundary() {
        let d = expectDiagnostic("an undefined name") { try render("a\n  {{ LMS_HOTS }}", ["LMS_HOST": .string("x")]) }
        XCTAssertEqual(d?.code, .templateError)
        XCTAssertEqual(d?.span?.position, "t.j2:2:6")
        XCTAssertEqual(d?.message, "undefined name `LMS_HOTS`")
        let overflow = expectDiagnostic("integer overflow") { try render("{{ 9223372036854775807 + 1 }}") }
        XCTAssertEqual(overflow?.code, .integerOverflow)
        let filter = expectDiagnostic("a Tutor filter's error") { try render("x\n{{ 5000|random_string }}") }
        XCTAssertEqual(filter?.code, .templateError)
        XCTAssertEqual(filter?.span?.position, "t.j2:2:4")
    }
}
