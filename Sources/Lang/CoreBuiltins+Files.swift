#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Core
import OrderedCollections

/// `file …`: the local files an operator's routine keeps — dumps, reports, a list of backups to prune.
///
/// Relative paths are relative to the working directory, as for every program tk8s runs, so `file write x`
/// and `run gzip x` mean the same `x`; `file script-dir` gives the script's own folder for the other case.
/// Writes are atomic (a temporary file beside the target, renamed over it), and nothing the script did not
/// name is touched: no parent folder is made behind its back (`file mkdir` does that), no folder is removed.
extension CoreBuiltins {
    static func registerFiles(_ r: Registry) {
        r.describeGroup("file", "Read, write, list and remove local files (dumps, reports, backups to prune).")
        let path = Param("path", .string, help: "a file; relative to the working directory", completion: .file)

        r.register(Signature("file read", "The text of a file (UTF-8), or its lines as a list with --lines.",
                             params: [path],
                             flags: [FlagSpec("lines", help: "a list of lines, without their line breaks")],
                             statement: .printed, examples: ["let settings = (file read \"notes/settings.txt\")",
                                        "for host in (file read hosts.txt --lines) { print $host }"])) { args, rt in
            let p = args.string("path")
            let size = FileInfo(p)?.size ?? 0
            if size > rt.limits.maxStringBytes {
                throw Diagnostic(.sizeLimit, "\(p) has \(size) bytes, over the limit of \(rt.limits.maxStringBytes) for a string", at: args.span,
                                 help: "stream big outputs straight to a file instead (`exec SERVICE --to FILE …`, `run --to FILE …`)")
            }
            let bytes: [UInt8]
            do { bytes = try FileSystem.read(p) } catch let f as FileSystem.Failure {
                throw fileError("cannot read \(p): \(f.description)", p, args.span)
            }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw fileError("\(p) is not UTF-8 text", p, args.span, help: "`file read` reads text files; a binary file cannot be a string")
            }
            guard args.has("lines") else { return .string(text) }
            // Split on the byte: Swift sees "\r\n" as one character, which a "\n" separator would not match.
            var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
                Value.string(String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self))
            }
            if bytes.last == UInt8(ascii: "\n") { lines.removeLast() }
            try rt.checkCount(lines.count, args.span)
            return .list(lines)
        }

        r.register(Signature("file write", "Write TEXT to a file, replacing it atomically (readers see the old file or the new one); its folder must exist. The number of bytes written.",
                             params: [path, Param("text", .string, help: "what to write; a list or map must be turned into text first (`json dump`, `yaml dump`)")],
                             flags: [FlagSpec("append", help: "add TEXT at the end instead (in one write; undone when it fails)"),
                                     FlagSpec("mode", value: .string, help: "permissions in octal, such as 600; default: the file's own, else 666 less the umask", valueName: "MODE")],
                             examples: ["file write report.txt \"backup done\\n\"", "file write backups/LATEST $stamp --mode 600",
                                        "file write backups/log.txt \"$(now) ok\\n\" --append"])) { args, _ in
            let p = args.string("path")
            let text = args.string("text")
            let mode = try args.optionalString("mode").map { try parseMode($0, args.span) }
            let target = FileInfo.resolvingLink(p)
            guard FileSystem.isDirectory(FileSystem.directory(target)) else {
                throw fileError("cannot write \(p): the folder \(FileSystem.directory(p)) does not exist", p, args.span,
                                help: "make it first: `file mkdir \(FileSystem.directory(p))`")
            }
            if FileSystem.isDirectory(target) { throw fileError("cannot write \(p): it is a folder", p, args.span) }
            let existing = FileInfo(target)
            do {
                if args.has("append") {
                    try FileSystem.append(target, Array(text.utf8), mode: mode ?? existing?.permissions ?? defaultMode())
                } else {
                    try FileSystem.writeAtomically(target, Array(text.utf8), mode: mode ?? existing?.permissions ?? defaultMode(),
                                                   createDirectories: false)
                }
            } catch let f as FileSystem.Failure {
                throw fileError(f.description, p, args.span)
            }
            return .int(text.utf8.count)
        }

        r.register(Signature("file exists", "Whether PATH exists (a file, a folder or anything else).",
                             params: [path], statement: .printed, examples: ["if !(file exists backups) { file mkdir backups }"])) { args, _ in
            .bool(FileInfo(args.string("path")) != nil)
        }

        r.register(Signature("file list", "The entries of a folder, sorted by name: a list of {name, path, size, modified, kind}. `modified` is UTC ISO 8601, so it sorts as text; kind is file, folder, link or other.",
                             params: [Param("folder", .string, .optional, help: "default: the working directory", completion: .file)],
                             flags: [FlagSpec("glob", value: .string, help: "only names matching a shell pattern, such as 'mysql-*.sql'", valueName: "PATTERN"),
                                     FlagSpec("all", help: "include names starting with a dot")],
                             statement: .printed, examples: ["for f in (file list backups --glob \"*.sql\") { print $f.name $f.size }",
                                        "let newest = (sort (file list backups) --key modified --reverse)"])) { args, rt in
            let folder = args.optionalString("folder") ?? "."
            let glob = args.optionalString("glob")
            let names: [String]
            do { names = try FileSystem.list(folder) } catch let f as FileSystem.Failure {
                throw fileError(f.description, folder, args.span)
            }
            var out: [Value] = []
            for name in names.sorted() where args.has("all") || !name.hasPrefix(".") {
                if let glob, fnmatch(glob, name, 0) != 0 { continue }
                let full = folder == "." ? name : (folder.hasSuffix("/") ? folder + name : folder + "/" + name)
                guard let info = FileInfo(full) else { continue }  // removed since the listing
                out.append(.map(["name": .string(name), "path": .string(full), "size": .int(info.size),
                                 "modified": .string(info.modifiedISO), "kind": .string(info.kind)]))
            }
            try rt.checkCount(out.count, args.span)
            return .list(out)
        }

        r.register(Signature("file mkdir", "Make a folder and the folders above it that are missing (nothing when it exists).",
                             params: [Param("folder", .string, completion: .file)],
                             flags: [FlagSpec("mode", value: .string, help: "permissions in octal for the folders made, such as 700", valueName: "MODE")],
                             examples: ["file mkdir backups", "file mkdir \"backups/$(now --format %Y)\" --mode 700"])) { args, _ in
            let folder = args.string("folder")
            let mode = try args.optionalString("mode").map { try parseMode($0, args.span) } ?? 0o777
            if let info = FileInfo(folder), info.kind != "folder" {
                throw fileError("cannot make the folder \(folder): a \(info.kind) has that name", folder, args.span)
            }
            do { try FileSystem.makeDirectories(folder, mode: mode) } catch let f as FileSystem.Failure {
                throw fileError(f.description, folder, args.span)
            }
            return .null
        }

        r.register(Signature("file remove", "Remove files (never folders). The number removed.",
                             params: [Param("paths", .string, .variadic, help: "the files", completion: .file)],
                             flags: [FlagSpec("missing-ok", help: "a file that does not exist is not an error")],
                             examples: ["file remove report.txt", "for f in $old { file remove $f.path }",
                                        "file remove ...$expired --missing-ok"])) { args, _ in
            let paths = args.strings("paths")
            var removed = 0
            for p in paths {
                guard let info = FileInfo(p, followLinks: false) else {
                    if args.has("missing-ok") { continue }
                    throw fileError("cannot remove \(p): no such file", p, args.span, help: "add --missing-ok when that is fine")
                }
                if info.kind == "folder" {
                    throw fileError("cannot remove \(p): it is a folder (`file remove` removes files only)", p, args.span)
                }
                if unlink(p) != 0 { throw fileError(FileSystem.Failure("remove", p).description, p, args.span) }
                removed += 1
            }
            return .int(removed)
        }

        r.register(Signature("file script-dir", "The folder of the script making this call (the working directory at the REPL), for files kept beside a script.",
                             statement: .printed, examples: ["let template = (file read \"$(file script-dir)/motd.txt\")"])) { args, _ in
            guard let script = args.span.file.path else { return .string(FileSystem.currentDirectory()) }
            return .string(FileSystem.directory(FileSystem.canonical(script)))
        }
    }

    /// A file operation that failed: E2017 with the path and the system's reason for a `catch` to read.
    private static func fileError(_ message: String, _ path: String, _ span: Span, help: String? = nil) -> Diagnostic {
        var d = Diagnostic(.fileError, message, at: span, help: help)
        d.fields = [("path", .string(path))]
        return d
    }

    /// `600`, `0600`, `0o600` → 0o600.
    private static func parseMode(_ text: String, _ span: Span) throws -> mode_t {
        var digits = Substring(text)
        if digits.hasPrefix("0o") { digits = digits.dropFirst(2) }
        guard !digits.isEmpty, digits.count <= 4, let n = UInt32(digits, radix: 8), n <= 0o7777 else {
            throw Diagnostic(.invalidArgument, "`--mode` wants permissions in octal such as 644 or 0600, got \(quoteString(text))", at: span)
        }
        return mode_t(n)
    }

    /// 666 less the umask, as a new file made by any program.
    private static func defaultMode() -> mode_t {
        let mask = umask(0)
        umask(mask)
        return 0o666 & ~mask
    }
}

/// What `stat` says about a path, in the words `file list` uses.
public struct FileInfo: Sendable {
    public var size: Int
    public var permissions: mode_t
    /// Seconds since 1970 (UTC).
    public var modified: Int
    /// file, folder, link or other.
    public var kind: String

    /// Nil when nothing is there. `followLinks: false` describes a link itself.
    public init?(_ path: String, followLinks: Bool = true) {
        var st = stat()
        guard (followLinks ? stat(path, &st) : lstat(path, &st)) == 0 else { return nil }
        size = Int(st.st_size)
        permissions = st.st_mode & 0o7777
        modified = Int(st.st_mtim.tv_sec)
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = "file"
        case S_IFDIR: kind = "folder"
        case S_IFLNK: kind = "link"
        default: kind = "other"
        }
    }

    public var modifiedISO: String {
        var t = time_t(modified)
        var parts = tm()
        gmtime_r(&t, &parts)
        return formatTime("%Y-%m-%dT%H:%M:%SZ", parts)
    }

    /// A link's target, so that writing through `current.sql -> 2026-12-03.sql` replaces the file and keeps the link.
    public static func resolvingLink(_ path: String) -> String {
        guard let info = FileInfo(path, followLinks: false), info.kind == "link" else { return path }
        return FileSystem.canonical(path)
    }
}
