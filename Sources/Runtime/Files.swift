#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Core
import Foundation
import Lang

/// The file operations the project root needs, each safe against a crash
/// or a concurrent tk8s: nothing is ever left half-written.
enum Files {
    typealias Failure = FileSystem.Failure

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// The environment's PATH (the session's, not the process's), or the usual default when it has none.
    static func searchPath(_ environment: [String: String]) -> String {
        environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    }

    /// Every `name` on the search path, executable or not, in order.
    static func candidates(_ name: String, environment: [String: String]) -> [String] {
        searchPath(environment).split(separator: ":").map { "\($0)/\(name)" }
    }

    /// The first executable `name` on the environment's PATH.
    static func which(_ name: String, environment: [String: String]) -> String? {
        candidates(name, environment: environment).first { access($0, X_OK) == 0 && !FileSystem.isDirectory($0) }
    }

    static func readText(_ path: String) throws -> String {
        do {
            return String(decoding: try FileSystem.read(path), as: UTF8.self)
        } catch {
            throw Failure("read", path)
        }
    }

    /// Runs `body` holding an exclusive `flock` on `lockPath`, so that two tk8s
    /// processes doing read-modify-write on the same file take turns.
    static func withLock<T>(_ lockPath: String, _ body: () throws -> T) throws -> T {
        try FileSystem.makeDirectories(FileSystem.directory(lockPath))
        var fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if fd < 0 {
            // On a read-only file system an existing lock file can still be locked (flock needs no write
            // access): the write that follows then fails naming the file it could not write.
            let first = errno
            fd = open(lockPath, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw Failure("open lock file", lockPath, errno: first) }
        }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw Failure("lock", lockPath) }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// Swaps two directories in one step (`renameat2` with RENAME_EXCHANGE): both names exist at every
    /// instant. False when the kernel or the file system cannot.
    static func exchange(_ a: String, _ b: String) -> Bool {
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        // glibc has had renameat2 since 2.28; looked up at run time so older C libraries still link.
        guard let process = dlopen(nil, RTLD_LAZY), let sym = dlsym(process, "renameat2") else { return false }
        let renameat2 = unsafeBitCast(sym, to: RenameAt2.self)
        let atCWD: Int32 = -100
        let renameExchange: UInt32 = 2
        return renameat2(atCWD, a, atCWD, b, renameExchange) == 0
    }

    /// Replaces directory `target` with `fresh`: readers see the old tree or the new one, and `target`
    /// exists at every instant where the exchange works (Linux 3.15 and later, on its usual local file systems).
    /// Elsewhere the old tree is first renamed to `aside`: killed before the second rename, a process
    /// leaves no `target` but the whole old tree in `aside`, which `ProjectRoot.recoverLeftovers` puts back.
    /// `exchange` is the tests' seam to take that path.
    static func replaceDirectory(_ target: String, with fresh: String, aside: String,
                                 exchange: (String, String) -> Bool = exchange) throws {
        if !exists(target) {
            guard rename(fresh, target) == 0 else { throw Failure("move into place", target) }
            return
        }
        // Once the new tree is in place the replacement has happened: the old tree's removal is best
        // effort, and what it leaves is a leftover for the next writer.
        if exchange(fresh, target) {
            try? removeTree(fresh)
            return
        }
        try? removeTree(aside)
        guard rename(target, aside) == 0 else { throw Failure("move aside", target) }
        guard rename(fresh, target) == 0 else {
            let e = errno
            rename(aside, target)
            throw Failure("move into place", target, errno: e)
        }
        try? removeTree(aside)
    }

    /// The help line of a failed write: what was kept as it was, and what to do when the reason says
    /// (a full disk, a read-only file system).
    static func help(after failure: Failure, kept: String, root: String) -> String {
        let remedy: String
        switch failure.code {
        case ENOSPC?, EDQUOT?: remedy = "; free some space on the file system that holds \(root), then try again"
        case EROFS?: remedy = "; \(root) is on a read-only file system: remount it read-write, or pick another root with --root"
        case EACCES?, EPERM?: remedy = "; check the owner and permissions of \(root) and the files in it"
        default: remedy = ""
        }
        return "\(kept) is as it was" + remedy
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
            if !FileSystem.isDirectory(dir + "/" + rel) { out.append(rel) }
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
