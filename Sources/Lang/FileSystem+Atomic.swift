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
    public static func writeAtomically(_ path: String, _ bytes: some Collection<UInt8>, mode: mode_t = 0o644, sync: Bool = true) throws {
        let dir = directory(path)
        try makeDirectories(dir)
        let tmp = temporaryPrefix(for: path) + "\(getpid())-\(UInt32.random(in: 0 ... .max))"
        do {
            try writeNew(tmp, bytes, mode: mode, sync: sync)
        } catch let f as Failure {
            throw f.code.map { Failure("write", path, errno: $0) } ?? f
        }
        if rename(tmp, path) != 0 {
            let e = errno
            unlink(tmp)
            throw Failure("replace", path, errno: e)
        }
        if sync { syncDirectory(dir) }
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

    public static func syncDirectory(_ dir: String) {
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }
}
