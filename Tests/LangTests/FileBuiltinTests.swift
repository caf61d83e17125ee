@testable import Core
import Foundation
import XCTest
@testable import Lang

#if canImport(Glibc)
import Glibc
#endif

/// `file …` and `table`: what a backup routine needs from local files, and what it must never do
/// (leave half a file, make folders it was not asked for, remove a folder).
final class FileBuiltinTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "tk8s-files-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    /// Runs code with `$dir` bound to the test's folder; returns what it printed.
    private func run(_ code: String, limits: Limits = Limits()) throws -> String {
        try runBuiltin("let dir = \(Value.string(dir).literal)\n" + code, limits: limits)
    }

    private func failure(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> Diagnostic? {
        LangTests.failure("let dir = \(Value.string(dir).literal)\n" + code, file: file, line: line)
    }

    private func mode(_ path: String) -> mode_t {
        var st = stat()
        return stat(path, &st) == 0 ? st.st_mode & 0o7777 : 0
    }

    private func leftovers() throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
    }

    func testWriteReadAppendRoundTrip() throws {
        let out = try run("""
            print (file write "$dir/a.txt" "héllo\\n")
            print (file write "$dir/a.txt" "line 2\\r\\nline 3\\n" --append)
            print (file read "$dir/a.txt")
            print (file read "$dir/a.txt" --lines)
            print (file exists "$dir/a.txt") (file exists "$dir/nope") (file exists $dir)
            """)
        XCTAssertEqual(out, "7\n15\nhéllo\nline 2\r\nline 3\n\n[\"héllo\", \"line 2\", \"line 3\"]\ntrue false true\n")
        XCTAssertEqual(try leftovers(), [])
    }

    func testWriteReplacesAtomicallyAndKeepsTheFilesMode() throws {
        let path = dir + "/secret.txt"
        _ = try run("file write \"$dir/secret.txt\" old --mode 600")
        XCTAssertEqual(mode(path), 0o600)
        _ = try run("file write \"$dir/secret.txt\" new")
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "new")
        XCTAssertEqual(mode(path), 0o600, "a replaced file keeps its permissions")
        let mask = umask(0o022); defer { umask(mask) }
        _ = try run("file write \"$dir/plain.txt\" x")
        XCTAssertEqual(mode(dir + "/plain.txt"), 0o644, "a new file: 666 less the umask")
        XCTAssertEqual(try leftovers(), [])
        XCTAssertEqual(failure("file write \"$dir/x\" y --mode 999")?.message, "`--mode` wants permissions in octal such as 644 or 0600, got \"999\"")
    }

    func testWriteThroughALinkReplacesItsTarget() throws {
        try "old".write(toFile: dir + "/2026.sql", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/latest.sql", withDestinationPath: "2026.sql")
        _ = try run("file write \"$dir/latest.sql\" new")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/latest.sql"), "2026.sql")
        XCTAssertEqual(try String(contentsOfFile: dir + "/2026.sql", encoding: .utf8), "new")
    }

    func testWriteIntoAMissingFolderMakesNothing() throws {
        let d = failure("file write \"$dir/backups/x.sql\" data")
        XCTAssertEqual(d?.code, .fileError)
        XCTAssertEqual(d?.message, "cannot write \(dir)/backups/x.sql: the folder \(dir)/backups does not exist")
        XCTAssertEqual(d?.help, "make it first: `file mkdir \(dir)/backups`")
        XCTAssertEqual(d?.fields.first?.1.displayString, dir + "/backups/x.sql")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/backups"))
        // `try` catches it, with the path as a field.
        XCTAssertEqual(try run("try { file write \"$dir/no/x\" y } catch err { print $err.code ($err.path == \"$dir/no/x\") }"), "E2017 true\n")
    }

    func testWriteRefusesCollectionsAndFolders() throws {
        let d = failure("file write \"$dir/x.json\" {a: 1}")
        XCTAssertEqual(d?.code, .argumentType)
        XCTAssertEqual(d?.message, "`file write` wants a string for TEXT, got map {a: 1}")
        XCTAssertEqual(d?.help, "turn it into text first: `(json dump $value)` or `(yaml dump $value)`")
        XCTAssertEqual(failure("file write $dir text")?.message, "cannot write \(dir): it is a folder")
        XCTAssertEqual(try run("file write \"$dir/n.txt\" 42\nprint (file read \"$dir/n.txt\")"), "42\n")
    }

    func testReadFailures() throws {
        XCTAssertEqual(failure("file read \"$dir/none\"")?.message, "cannot read \(dir)/none: No such file or directory")
        FileManager.default.createFile(atPath: dir + "/bin", contents: Data([0x66, 0xff, 0xfe]))
        XCTAssertEqual(failure("file read \"$dir/bin\"")?.message, "\(dir)/bin is not UTF-8 text")
        FileManager.default.createFile(atPath: dir + "/big", contents: Data(repeating: 0x61, count: 2048))
        var small = Limits()
        small.maxStringBytes = 1024
        XCTAssertThrowsError(try run("file read \"$dir/big\"", limits: small)) { error in
            XCTAssertEqual((error as? Diagnostic)?.code, .sizeLimit)
            XCTAssertEqual((error as? Diagnostic)?.message, "\(dir)/big has 2048 bytes, over the limit of 1024 for a string")
        }
    }

    func testListGivesSortedRecordsAndFilters() throws {
        _ = try run("""
            file mkdir "$dir/b/sub"
            file write "$dir/b/mysql-2.sql" "22"
            file write "$dir/b/mysql-1.sql" "1"
            file write "$dir/b/mongo-1.archive" "333"
            file write "$dir/b/.hidden" ""
            """)
        let out = try run("""
            for f in (file list "$dir/b") {
                let size = "-"
                if $f.kind == "file" { size = $f.size }
                print $f.name $f.kind $size ($f.path == "$dir/b/$(f.name)")
            }
            print (len (file list "$dir/b" --all))
            print (len (file list "$dir/b" --glob "mysql-*"))
            let f = (file list "$dir/b" --glob "mongo-*")[0]
            print (keys $f)
            print (len $f.modified) (slice $f.modified -1)
            """)
        XCTAssertEqual(out, """
            mongo-1.archive file 3 true
            mysql-1.sql file 1 true
            mysql-2.sql file 2 true
            sub folder - true
            5
            2
            ["name", "path", "size", "modified", "kind"]
            20 Z

            """)
        XCTAssertEqual(failure("file list \"$dir/none\"")?.message, "cannot list \(dir)/none: No such file or directory")
        XCTAssertEqual(failure("file list \"$dir/none\"")?.code, .fileError)
    }

    func testMkdirAndRemove() throws {
        XCTAssertEqual(try run("""
            file mkdir "$dir/x/y/z" --mode 700
            file mkdir "$dir/x/y/z"
            file write "$dir/x/a" 1
            file write "$dir/x/b" 2
            print (file remove "$dir/x/a" "$dir/x/b")
            print (file remove "$dir/x/a" --missing-ok)
            """), "2\n0\n")
        XCTAssertEqual(mode(dir + "/x/y/z"), 0o700)
        XCTAssertEqual(failure("file remove \"$dir/x/y\"")?.message, "cannot remove \(dir)/x/y: it is a folder (`file remove` removes files only)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/x/y/z"))
        XCTAssertEqual(failure("file remove \"$dir/x/gone\"")?.help, "add --missing-ok when that is fine")
        FileManager.default.createFile(atPath: dir + "/plain", contents: nil)
        XCTAssertEqual(failure("file mkdir \"$dir/plain\"")?.message, "cannot make the folder \(dir)/plain: a file has that name")
    }

    func testScriptDirIsTheCallersFolder() throws {
        let rt = Interpreter()
        var out = ""
        rt.output = { out += $0 }
        let script = dir + "/routine.tk8s"
        XCTAssertEqual(rt.execute(SourceFile(name: "routine.tk8s", path: script, text: "print (file script-dir)\n"), errors: { _ in }), 0)
        XCTAssertEqual(out, FileSystem.canonical(dir) + "\n")
    }

    func testTableAlignsColumns() throws {
        XCTAssertEqual(try run("""
            table [{file: "a.sql", size: 1200, ok: true}, {file: "mongodb.archive", size: 3, note: null}]
            print -n (table [{b: 1, a: x}] --columns [a, b, c])
            """), """
            FILE              SIZE   OK     NOTE
            a.sql             1200   true
            mongodb.archive   3
            A   B   C
            x   1

            """)
        XCTAssertEqual(failure("table [1]")?.message, "`table` wants a list of maps; element 0 is int")
        XCTAssertEqual(try run("print (len (table []))"), "0\n")
    }
}
