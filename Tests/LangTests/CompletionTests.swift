import Core
import Foundation
import XCTest
@testable import Lang

final class CompletionTests: XCTestCase {
    private func completer(variables: [String] = [], functions: [String: Signature] = [:]) -> Completer {
        var c = Completer(registry: Interpreter().registry, functions: functions, variables: variables)
        c.providers["color"] = { ["red", "green"] }
        return c
    }

    func testCompletesCommandNames() {
        let (word, found) = completer().complete("pri")
        XCTAssertEqual(word, "pri")
        XCTAssertEqual(found, ["print"])
    }

    func testCompletesSubcommands() {
        XCTAssertEqual(completer().complete("json ").candidates, ["dump", "parse"])
        XCTAssertEqual(completer().complete("yaml d").candidates, ["dump"])
    }

    func testCompletesFlagsOfTheCurrentCommand() {
        XCTAssertEqual(completer().complete("print --").candidates, ["--no-newline", "--sep"])
        XCTAssertEqual(completer().complete("json dump $x --i").candidates, ["--indent"])
    }

    /// The `file` commands complete like every builtin: subcommands, flags, and paths for their path arguments.
    func testCompletesFileCommandsAndTheirPaths() throws {
        XCTAssertEqual(completer().complete("file ").candidates, ["exists", "list", "mkdir", "read", "remove", "script-dir", "write"])
        XCTAssertEqual(completer().complete("file write x y --").candidates, ["--append", "--mode"])
        XCTAssertEqual(completer().complete("file list --").candidates, ["--all", "--glob"])
        let dir = NSTemporaryDirectory() + "tk8s-complete-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: dir + "/backups", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertEqual(completer().complete("file remove \(dir)/ba").candidates, ["\(dir)/backups/"])
        XCTAssertEqual(completer().complete("table [] --").candidates, ["--columns"])
    }

    func testCompletesVariables() {
        let c = completer(variables: ["host", "hosts", "ns"])
        XCTAssertEqual(c.complete("print $ho").candidates, ["$host", "$hosts"])
    }

    func testCompletesAfterStatementSeparators() {
        XCTAssertEqual(completer().complete("let x = 1; pri").candidates, ["print"])
        XCTAssertEqual(completer().complete("for i in [1] { pri").candidates, ["print"])
    }

    func testCompletesParameterValuesFromTheSignature() {
        XCTAssertEqual(completer().complete("help ra").candidates, ["range"])
        let c = completer()
        c.registry.register(Signature("paint", "Paint.", params: [Param("color", .string, completion: .provider("color"))])) { _, _ in .null }
        XCTAssertEqual(c.complete("paint g").candidates, ["green"])
    }

    func testCompletesUserFunctionsAndTheirFlags() {
        let rt = Interpreter()
        let (module, _) = rt.compile(SourceFile(name: "t", text: "fn restart(svc, --timeout = 5) { }"))
        XCTAssertNotNil(module)
        let c = completer(functions: rt.userFunctions)
        XCTAssertEqual(c.complete("rest").candidates, ["restart"])
        XCTAssertEqual(c.complete("restart lms --t").candidates, ["--timeout"])
    }

    func testCompletesFileNamesAfterImport() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tk8s-completion-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "".write(to: dir.appendingPathComponent("lib.tk8s"), atomically: true, encoding: .utf8)
        let found = completer().complete("import \"\(dir.path)/l").candidates
        XCTAssertEqual(found, ["\"\(dir.path)/lib.tk8s"])
    }
}
