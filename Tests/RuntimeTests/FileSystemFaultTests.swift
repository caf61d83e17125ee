import Foundation
import Core
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import Runtime

/// A full or read-only file system under the root, made real with a small tmpfs: a clear error naming
/// the file and the reason, a failed run, config.yml and env/ byte for byte as they were, no temporary
/// files left. Mounting needs root (CAP_SYS_ADMIN); elsewhere the tests are skipped and say so.
final class FileSystemFaultTests: XCTestCase {
    func testFullDiskKeepsConfigAndEnv() throws {
        let t = try TestRoot()
        try mountTmpfs(on: t, size: "1m")
        try t.write("config.yml", try Fixtures.text("tutor22/default/config.yml"))
        t.ok("render")
        let filler = t.root + "/filler"

        // Full: config.yml cannot be written.
        try fill(filler, leaving: 0)
        let saved = RootSnapshot(t.root)
        let save = t.run("config save --set LMS_HOST=full.example.com")
        XCTAssertEqual(save.status, 1)
        XCTAssertTrue(save.err.hasPrefix("error[E2014]: cannot write \(t.root)/config.yml: No space left on device\n"), save.err)
        XCTAssertTrue(save.err.contains("help: config.yml is as it was; free some space on the file system that holds \(t.root), then try again"), save.err)
        XCTAssertEqual(RootSnapshot(t.root), saved)
        XCTAssertEqual(RootSnapshot.leftovers(t.root, except: ["filler"]), [])

        // Room for config.yml but not for a second env: the render stops midway.
        try FileManager.default.removeItem(atPath: filler)
        t.ok("config set LMS_HOST full.example.com")
        try fill(filler, leaving: 32 << 10)
        let before = RootSnapshot(t.root)
        let render = t.run("render")
        XCTAssertEqual(render.status, 1)
        XCTAssertTrue(render.err.hasPrefix("error[E2014]: cannot write \(t.root)/env/"), render.err)
        XCTAssertTrue(render.err.contains(": No space left on device\n"), render.err)
        XCTAssertTrue(render.err.contains("help: env/ is as it was; free some space on the file system that holds \(t.root), then try again"), render.err)
        XCTAssertEqual(RootSnapshot(t.root), before, RootSnapshot(t.root).difference(from: before))
        XCTAssertEqual(RootSnapshot.leftovers(t.root, except: ["filler"]), [])

        // With space again, the same render goes through.
        try FileManager.default.removeItem(atPath: filler)
        t.ok("render")
        XCTAssertTrue(try t.read("env/apps/openedx/config/lms.env.yml").contains("full.example.com"))
    }

    func testReadOnlyRootKeepsConfigAndEnv() throws {
        let t = try TestRoot()
        try mountTmpfs(on: t, size: "1m")
        try t.write("config.yml", try Fixtures.text("tutor22/default/config.yml"))
        t.ok("render")
        // A saved change not rendered yet, so that `render` has something to write.
        t.ok("config set LMS_HOST ro.example.com")
        let before = RootSnapshot(t.root)
        try remountReadOnly(t.root)

        let save = t.run("config save --set LMS_HOST=other.example.com")
        XCTAssertEqual(save.status, 1)
        XCTAssertTrue(save.err.hasPrefix("error[E2014]: cannot write \(t.root)/config.yml: Read-only file system\n"), save.err)
        XCTAssertTrue(save.err.contains("help: config.yml is as it was; \(t.root) is on a read-only file system: remount it read-write, or pick another root with --root"), save.err)
        let render = t.run("render")
        XCTAssertEqual(render.status, 1)
        XCTAssertTrue(render.err.hasPrefix("error[E2014]: cannot write \(t.root)/env: Read-only file system\n"), render.err)
        XCTAssertTrue(render.err.contains("help: env/ is as it was; \(t.root) is on a read-only file system"), render.err)
        XCTAssertEqual(RootSnapshot(t.root), before)
        XCTAssertEqual(RootSnapshot.leftovers(t.root), [])
        // Reading still works.
        XCTAssertEqual(t.ok("print (config get LMS_HOST)"), "ro.example.com\n")
    }

    /// A routine's own files on a full disk: `file write` keeps the old file, `--append` cuts back what it
    /// could not finish, and a program streaming `--to` a file leaves nothing under the final name.
    func testFullDiskLeavesARoutinesFilesWhole() throws {
        let t = try TestRoot()
        try mountTmpfs(on: t, size: "1m")
        let dir = t.root
        try "old".write(toFile: dir + "/keep.txt", atomically: false, encoding: .utf8)
        try "start\n".write(toFile: dir + "/log.txt", atomically: false, encoding: .utf8)
        try fill(dir + "/filler", leaving: 8 << 10)
        let r = t.run("""
            let big = (join (range 30000) ",")
            try { file write "\(dir)/keep.txt" $big } catch err { print $err.code $err.message }
            try { file write "\(dir)/log.txt" $big --append } catch err { print $err.code $err.message }
            try { run --to "\(dir)/dump.sql" head -c 200000 /dev/zero } catch err { print $err.code $err.exit_code }
            """)
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(r.out, """
            E2017 cannot write \(dir)/keep.txt: No space left on device
            E2017 cannot append to \(dir)/log.txt: No space left on device
            head -c 200000 /dev/zero > \(dir)/dump.sql
            E2011 1

            """)
        XCTAssertEqual(try String(contentsOfFile: dir + "/keep.txt", encoding: .utf8), "old")
        XCTAssertEqual(try String(contentsOfFile: dir + "/log.txt", encoding: .utf8), "start\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/dump.sql"))
        XCTAssertEqual(RootSnapshot.leftovers(dir, except: ["filler", "keep.txt", "log.txt"]), [])
    }

    /// Mounts a tmpfs of `size` on `t.root`. The teardown unmounts it, keeping `t` alive until then so that
    /// its directory is removed after the unmount, not through the mount.
    private func mountTmpfs(on t: TestRoot, size: String) throws {
        try FileManager.default.createDirectory(atPath: t.root, withIntermediateDirectories: true)
        let done = "size=\(size)".withCString { mount("tmpfs", t.root, "tmpfs", 0, $0) }
        guard done == 0 else {
            throw XCTSkip("cannot mount a tmpfs on \(t.root) (\(String(cString: strerror(errno)))): these tests need root with CAP_SYS_ADMIN")
        }
        addTeardownBlock { withExtendedLifetime(t) { XCTAssertEqual(umount2(t.root, Int32(MNT_DETACH)), 0, "unmount \(t.root)") } }
    }

    private func remountReadOnly(_ dir: String) throws {
        guard mount("tmpfs", dir, "tmpfs", UInt(MS_REMOUNT | MS_RDONLY), nil) == 0 else {
            throw XCTSkip("cannot remount \(dir) read-only: \(String(cString: strerror(errno)))")
        }
    }

    /// Writes `path` until the file system is full, then gives `leaving` bytes back.
    private func fill(_ path: String, leaving: Int) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return XCTFail("cannot create \(path)") }
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0x2e, count: 4096)
        var size = 0
        while true {
            let n = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            size += n
        }
        XCTAssertEqual(errno, ENOSPC)
        XCTAssertEqual(ftruncate(fd, off_t(max(0, size - leaving))), 0)
    }
}
