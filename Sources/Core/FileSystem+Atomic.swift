#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes that are safe against a crash or a concurrent writer: a reader sees the old file or the new one, never a
/// mix. Here in Lang because both the project root (Runtime) and the sandbox's state file need them.
extension FileSystem.Failure {
    /// "cannot WHAT PATH: REASON", REASON from `errno`.
    public init(_ what: String, _ path: String, errno code: Int32 = errno) {
        self.init(description: "cannot \(what) \(path): \(String(cString: strerror(code)))", code: code)
    }
}

extension FileSystem {
    /// `mkdir -p`.
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws {
        if isDirectory(path) { return }
        let parent = directory(path)
        if parent != path, !parent.isEmpty { try makeDirectories(parent, mode: mode) }
        if mkdir(path, mode) != 0, errno != EEXIST { throw Failure("create directory", path) }
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Writes `bytes` to a temporary file beside `path`, flushes it to disk and renames it over `path`.
    /// A failure names `path`, not the temporary file (removed again): that is the file the user knows.
    /// `createDirectories: false` refuses a missing directory instead of making it (a script's `file write`).
    public static func writeAtomically(_ path: String, _ bytes: some Collection<UInt8>, mode: mode_t = 0o644, sync: Bool = true,
                                       createDirectories: Bool = true) throws {
        if createDirectories { try makeDirectories(directory(path)) }
        let staged = try StagedFile(path, mode: mode)
        do {
            try staged.write(bytes)
            try staged.commit(sync: sync)
        } catch {
            staged.discard()
            throw error
        }
    }

    /// The start of the names of `writeAtomically`'s temporary files for `path` (`DIR/.NAME.tmp-`): a writer
    /// killed before its rename leaves one, which the next writer holding the file's lock may remove.
    public static func temporaryPrefix(for path: String) -> String {
        directory(path) + "/." + baseName(path) + ".tmp-"
    }

    /// Creates `path` (which must not exist) with exactly `mode`, whatever the umask.
    public static func writeNew(_ path: String, _ bytes: some Collection<UInt8>, mode: mode_t = 0o644, sync: Bool = false) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure("create", path) }
        defer { close(fd) }
        fchmod(fd, mode)
        if let e = writeFully(fd, Array(bytes)) {
            unlink(path)
            throw Failure("write", path, errno: e)
        }
        if sync, fsync(fd) != 0 {
            let e = errno
            unlink(path)
            throw Failure("flush", path, errno: e)
        }
    }

    /// Adds `bytes` at the end of `path` (made with `mode` when missing) in one write; when that write fails
    /// halfway (a full disk) the file is cut back to its old length, so it never ends in half a record.
    public static func append(_ path: String, _ bytes: [UInt8], mode: mode_t) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure("open", path) }
        defer { close(fd) }
        var st = stat()
        let before = fstat(fd, &st) == 0 ? st.st_size : -1
        if let e = writeFully(fd, bytes) {
            if before >= 0 { _ = ftruncate(fd, before) }
            throw Failure("append to", path, errno: e)
        }
    }

    /// Writes all of `bytes`, retrying short writes and EINTR; the `errno` of a write that failed, else nil.
    static func writeFully(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += n
        }
        return nil
    }

    public static func syncDirectory(_ dir: String) {
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }
}

extension FileSystem {
    /// A file being written under a temporary name beside its final one (`DIR/.NAME.tmp-PID-RANDOM`), so that a
    /// reader never sees it half-written: `commit` flushes it and renames it into place, `discard` removes it.
    /// Whatever fails on the way, the final name keeps its old content (or stays absent). Programs can write into
    /// `descriptor` directly (a database dump streamed by kubectl), which keeps tk8s's memory flat.
    public final class StagedFile {
        public let path: String
        public let temporaryPath: String
        public private(set) var descriptor: Int32
        private var finished = false

        /// Creates the temporary file with exactly `mode`; its directory must exist (a failure names `path`).
        public init(_ path: String, mode: mode_t = 0o644) throws {
            self.path = path
            temporaryPath = temporaryPrefix(for: path) + "\(getpid())-\(UInt32.random(in: 0 ... .max))"
            descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
            guard descriptor >= 0 else {
                let e = errno
                let folder = directory(path)
                if e == ENOENT, !isDirectory(folder) {
                    throw Failure(description: "cannot write \(path): the folder \(folder) does not exist", code: e)
                }
                throw Failure("write", path, errno: e)
            }
            fchmod(descriptor, mode)
        }

        deinit { discard() }

        public func write(_ bytes: some Collection<UInt8>) throws {
            if let e = writeFully(descriptor, Array(bytes)) { throw Failure("write", path, errno: e) }
        }

        /// The bytes written so far (by tk8s or by a program given the descriptor).
        public var size: Int {
            var st = stat()
            return fstat(descriptor, &st) == 0 ? Int(st.st_size) : 0
        }

        /// Flushes the file to disk (unless `sync` is false), renames it over `path` and flushes the directory.
        public func commit(sync: Bool = true) throws {
            precondition(!finished, "a staged file is committed or discarded once")
            if sync, fsync(descriptor) != 0 { throw Failure("flush", path) }
            if close(descriptor) != 0 { descriptor = -1; throw Failure("write", path) }
            descriptor = -1
            if rename(temporaryPath, path) != 0 { throw Failure("replace", path) }
            finished = true
            if sync { syncDirectory(directory(path)) }
        }

        /// Removes the temporary file; the final name is left as it was. Safe to call more than once.
        public func discard() {
            if finished { return }
            finished = true
            if descriptor >= 0 { close(descriptor); descriptor = -1 }
            unlink(temporaryPath)
        }
    }
}
