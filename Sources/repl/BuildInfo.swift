import Core
import Lang
import Runtime

/// What `tk8s --version` prints: the version and the commit the binary was built from. A release
/// (scripts/release.sh) records the commit in its resource bundle (`BUILD`); a build from a source
/// tree reads the tree's git HEAD, found from this file's path at compile time (no git process runs).
enum BuildInfo {
    static var versionLine: String { "\(tk8sVersion) (\(commit))" }

    static var commit: String {
        if let dir = RuntimeResources.directory, let text = try? FileSystem.read(dir + "/BUILD") {
            let line = String(decoding: text, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
            if !line.isEmpty { return line }
        }
        if let head = sourceTreeHead() { return "commit \(head), built from the source tree" }
        return "commit unknown"
    }

    /// The commit `.git/HEAD` names in the tree this file was compiled from, abbreviated as git does.
    private static func sourceTreeHead() -> String? {
        var dir = FileSystem.directory(#filePath)
        while dir.count > 1, !FileSystem.isDirectory(dir + "/.git") { dir = FileSystem.directory(dir) }
        let git = dir + "/.git"
        guard let head = read(git + "/HEAD") else { return nil }
        guard head.hasPrefix("ref: ") else { return String(head.prefix(12)) }
        let ref = String(head.dropFirst(5))
        if let sha = read(git + "/" + ref) { return String(sha.prefix(12)) }
        // A ref git packed: "SHA refs/heads/main" lines in packed-refs.
        for line in (read(git + "/packed-refs", wholeFile: true) ?? "").split(separator: "\n") where line.hasSuffix(" " + ref) {
            return String(line.prefix(12))
        }
        return nil
    }

    private static func read(_ path: String, wholeFile: Bool = false) -> String? {
        guard let bytes = try? FileSystem.read(path) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        return wholeFile ? text : text.split(separator: "\n").first.map { $0.trimmingBlanks() }
    }
}
