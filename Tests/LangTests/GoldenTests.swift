@testable import Core
import Foundation
import XCTest

@testable import Lang

/// Golden tests: every `Golden/NAME.tk8s` is run the way the CLI runs a script
/// (`Interpreter.execute`), and its standard output and rendered diagnostics are
/// compared exactly with `NAME.out` and `NAME.err`. The exit status must be 0
/// when `NAME.err` is empty and 1 otherwise. Files under `Golden/lib/` are only
/// imported, never run as cases.
///
/// `TK8S_UPDATE_GOLDEN=1 swift test --filter GoldenTests` rewrites the expected
/// files from what the interpreter does now: read every change before keeping it.
/// `TK8S_GOLDEN_ONLY=name1,name2` restricts running (and updating) to those cases.
final class GoldenTests: XCTestCase {
    /// The directory of the cases, found from this file so expectations can be regenerated in place.
    static let goldenDirectory: String = {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        return FileSystem.canonical(here.appendingPathComponent("Golden").path)
    }()

    /// Error codes no pure-Lang script can raise yet; `InterpreterTests` covers them instead.
    /// Run-time codes raised only by the runtime or by commands, covered by their own unit tests (RuntimeTests for E2013–E2016),
    /// and warnings, which only `tk8s check` shows (a golden case runs its script): `TypedArgumentTests` covers W1000.
    static let codesCoveredByUnitTests: Set<ErrorCode> = [.commandFailed, .interrupted, .templateError, .configError, .pluginError, .requestFailed,
                                                          .discardedValue]

    struct GoldenResult {
        var output = ""
        var errors = ""
        var status: Int32 = 0
    }

    /// Runs one script the way `tk8s FILE` does, capturing both streams.
    ///
    /// It runs from the golden directory, as a user runs a script from its own
    /// directory: imported files are named relative to the working directory.
    static func goldenRun(_ path: String, name: String) throws -> GoldenResult {
        let bytes = try FileSystem.read(path)
        let saved = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(goldenDirectory)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(saved) }
        let rt = Interpreter()
        final class Sink { var text = "" }
        let out = Sink(), err = Sink()
        rt.output = { out.text += $0 }
        let file = SourceFile(name: name, path: path, bytes: bytes)
        let status = rt.execute(file, errors: { err.text += $0 })
        return GoldenResult(output: goldenNormalize(out.text), errors: goldenNormalize(err.text), status: status)
    }

    /// Imported files are named relative to the working directory (or absolutely); make both
    /// forms relative to the golden directory so the expectations hold on any machine.
    static func goldenNormalize(_ s: String) -> String {
        var t = s
        let dir = goldenDirectory
        t = t.replacingOccurrences(of: dir + "/", with: "")
        t = t.replacingOccurrences(of: dir, with: ".")
        let cwd = FileSystem.currentDirectory()
        if dir.hasPrefix(cwd + "/") {
            let rel = String(dir.dropFirst(cwd.count + 1))
            t = t.replacingOccurrences(of: rel + "/", with: "")
        }
        return t
    }

    static func goldenCaseNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: goldenDirectory)
            .filter { $0.hasSuffix(".tk8s") }
            .map { String($0.dropLast(5)) }
            .sorted()
    }

    static func goldenReadText(_ path: String) -> String? {
        guard let bytes = try? FileSystem.read(path) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    func testGoldenCases() throws {
        let env = ProcessInfo.processInfo.environment
        let update = env["TK8S_UPDATE_GOLDEN"] == "1"
        var names = try Self.goldenCaseNames()
        XCTAssertGreaterThan(names.count, 50, "golden cases not found in \(Self.goldenDirectory)")
        if let only = env["TK8S_GOLDEN_ONLY"], !only.isEmpty {
            let wanted = Set(only.split(separator: ",").map(String.init))
            names = names.filter { wanted.contains($0) }
        }
        for name in names {
            let base = Self.goldenDirectory + "/" + name
            let result = try Self.goldenRun(base + ".tk8s", name: name + ".tk8s")
            if update {
                try Data(result.output.utf8).write(to: URL(fileURLWithPath: base + ".out"))
                try Data(result.errors.utf8).write(to: URL(fileURLWithPath: base + ".err"))
                continue
            }
            guard let expectedOut = Self.goldenReadText(base + ".out"),
                  let expectedErr = Self.goldenReadText(base + ".err") else {
                XCTFail("\(name): missing \(name).out or \(name).err (run with TK8S_UPDATE_GOLDEN=1)")
                continue
            }
            if result.output != expectedOut {
                XCTFail("\(name).out differs\n--- expected\n\(expectedOut)--- actual\n\(result.output)---")
            }
            if result.errors != expectedErr {
                XCTFail("\(name).err differs\n--- expected\n\(expectedErr)--- actual\n\(result.errors)---")
            }
            let expectedStatus: Int32 = expectedErr.isEmpty ? 0 : 1
            XCTAssertEqual(result.status, expectedStatus, "\(name): exit status")
        }
    }

    /// Every error code has a golden case whose expected diagnostics show it.
    func testEveryErrorCodeHasAGoldenCase() throws {
        var seen = Set<String>()
        for name in try Self.goldenCaseNames() {
            guard let err = Self.goldenReadText(Self.goldenDirectory + "/" + name + ".err") else { continue }
            var rest = Substring(err)
            while let r = rest.range(of: "error[E") {
                let code = rest[rest.index(r.lowerBound, offsetBy: 6)...].prefix(5)
                seen.insert(String(code))
                rest = rest[r.upperBound...]
            }
        }
        for code in ErrorCode.allCases where !Self.codesCoveredByUnitTests.contains(code) {
            XCTAssertTrue(seen.contains(code.rawValue), "no golden case produces \(code.rawValue) (\(code))")
        }
    }

    /// The files under `lib/` are helpers for imports, not cases.
    func testLibraryFilesAreNotCases() throws {
        let names = try Self.goldenCaseNames()
        XCTAssertFalse(names.contains("lib"))
        let lib = try FileManager.default.contentsOfDirectory(atPath: Self.goldenDirectory + "/lib")
        XCTAssertTrue(lib.contains("util.tk8s"))
    }
}
