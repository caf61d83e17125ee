#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Lang

/// The file operations the project root needs, each safe against a crash
/// or a concurrent tk8s: nothing is ever left half-written.
enum Files {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ what: String, _ path: String, errno code: Int32 = errno) {
            description = "cannot \(what) \(path): \(String(cString: strerror(code)))"
        }
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    static func readText(_ path: String) throws -> String {
        do {
            return String(decoding: try FileSystem.read(path), as: UTF8.self)
        } catch {
            throw Failure("read", path)
        }
    }

    /// `mkdir -p`.
    static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws {
        if isDirectory(path) { return }
        let parent = FileSystem.directory(path)
        if parent != path, !parent.isEmpty { try makeDirectories(parent, mode: mode) }
        if mkdir(path, mode) != 0, errno != EEXIST { throw Failure("create directory", path) }
    }

    /// Writes `bytes` to a temporary file beside `path`, flushes it to disk and
    /// renames it over `path`: readers see the old file or the new one, never a mix.
    static func writeAtomically(_ path: String, _ bytes: some Collection<UInt8>, mode: mode_t = 0o644, sync: Bool = true) throws {
        let dir = FileSystem.directory(path)
        try makeDirectories(dir)
        let tmp = dir + "/." + FileSystem.baseName(path) + ".tmp-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        try writeNew(tmp, bytes, mode: mode, sync: sync)
        if rename(tmp, path) != 0 {
            let e = errno
            unlink(tmp)
            throw Failure("replace", path, errno: e)
        }
        if sync { syncDirectory(dir) }
    }

    /// Creates `path` (which must not exist) with exactly `mode`, whatever the umask.
    static func writeNew(_ path: String, _ bytes: some Collection<UInt8>, mode: mode_t = 0o644, sync: Bool = false) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure("create", path) }
        defer { close(fd) }
        fchmod(fd, mode)
        let data = Array(bytes)
        var offset = 0
        while offset < data.count {
            let n = data[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let e = errno
                unlink(path)
                throw Failure("write", path, errno: e)
            }
            offset += n
        }
        if sync, fsync(fd) != 0 {
            let e = errno
            unlink(path)
            throw Failure("flush", path, errno: e)
        }
    }

    static func syncDirectory(_ dir: String) {
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    /// Runs `body` holding an exclusive `flock` on `lockPath`, so that two tk8s
    /// processes doing read-modify-write on the same file take turns.
    static func withLock<T>(_ lockPath: String, _ body: () throws -> T) throws -> T {
        try makeDirectories(FileSystem.directory(lockPath))
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure("open lock file", lockPath) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw Failure("lock", lockPath) }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// Swaps two directories in one step where the kernel can (`renameat2`
    /// with RENAME_EXCHANGE); elsewhere moves `old` aside first. Returns
    /// false when the exchange is not available.
    static func exchange(_ a: String, _ b: String) -> Bool {
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        // glibc has had renameat2 since 2.28; looked up at run time so older C libraries still link.
        guard let process = dlopen(nil, RTLD_LAZY), let sym = dlsym(process, "renameat2") else { return false }
        let renameat2 = unsafeBitCast(sym, to: RenameAt2.self)
        let atCWD: Int32 = -100
        let renameExchange: UInt32 = 2
        return renameat2(atCWD, a, atCWD, b, renameExchange) == 0
    }

    /// Replaces directory `target` with `fresh`: readers see the old tree or the new one.
    static func replaceDirectory(_ target: String, with fresh: String) throws {
        if !exists(target) {
            guard rename(fresh, target) == 0 else { throw Failure("move into place", target) }
            return
        }
        if exchange(fresh, target) {
            try removeTree(fresh)
            return
        }
        let aside = target + ".old-\(getpid())"
        try? removeTree(aside)
        guard rename(target, aside) == 0 else { throw Failure("move aside", target) }
        guard rename(fresh, target) == 0 else {
            let e = errno
            rename(aside, target)
            throw Failure("move into place", target, errno: e)
        }
        try removeTree(aside)
    }

    static func removeTree(_ path: String) throws {
        guard exists(path) else { return }
        do { try FileManager.default.removeItem(atPath: path) } catch { throw Failure("remove", path) }
    }

    /// Regular files under `dir`, as sorted paths relative to it.
    static func walk(_ dir: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: dir) else { return [] }
        var out: [String] = []
        while let rel = e.nextObject() as? String {
            if !isDirectory(dir + "/" + rel) { out.append(rel) }
        }
        return out.sorted()
    }

    /// The `*.yml`/`*.yaml` files directly in `dir`, sorted; none when it does not exist.
    static func yamlFiles(in dir: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        return names.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted().map { dir + "/" + $0 }
    }

    static func home() -> String {
        if let h = FileSystem.environment("HOME"), !h.isEmpty { return h }
        if let pw = getpwuid(getuid()), let dir = pw.pointee.pw_dir { return String(cString: dir) }
        return "/"
    }
}
