import CEditShim
import CLibEdit
import Core
import Glibc
import Lang

/// The REPL's history on disk, in libedit's own format (`_HiStOrY_V2_`), so
/// it is shared by every session: each entry is merged into what the file
/// holds now (other sessions may have added to it), with older copies of the
/// same entry dropped and only the newest `limit` kept.
struct HistoryFile {
    let path: String
    var limit = 1000

    /// `$XDG_STATE_HOME/tk8s/history`, else `~/.local/state/tk8s/history`.
    static func standard(environment: [String: String]) -> HistoryFile {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"] ?? "") + "/.local/state"
        return HistoryFile(path: state + "/tk8s/history")
    }

    /// The saved entries, oldest first; none when there is no file yet.
    func entries() -> [String] {
        guard let h = history_init() else { return [] }
        defer { history_end(h) }
        tk8s_history_setsize(h, Int32(limit))
        guard access(path, R_OK) == 0, tk8s_history_load(h, path) >= 0 else { return [] }
        var out: [String] = []
        var entry = tk8s_history_oldest(h)
        while let e = entry {
            out.append(String(cString: e))
            entry = tk8s_history_newer(h)
        }
        return out
    }

    /// Adds `entry` as the newest and saves; returns the merged list, oldest
    /// first. A file that cannot be written leaves the history in memory only.
    @discardableResult
    func append(_ entry: String) -> [String] {
        let merged = Self.merge(entries(), entry, limit: limit)
        save(merged)
        return merged
    }

    /// `entry` appended, earlier copies of it dropped, at most `limit` kept.
    static func merge(_ entries: [String], _ entry: String, limit: Int) -> [String] {
        Array((entries.filter { $0 != entry } + [entry]).suffix(limit))
    }

    /// Writes a temporary file and renames it over the old one, so a session
    /// reading the file never sees half of it.
    private func save(_ list: [String]) {
        guard let h = history_init() else { return }
        defer { history_end(h) }
        tk8s_history_setsize(h, Int32(limit))
        for e in list { tk8s_history_enter(h, e) }
        makeDirectories(FileSystem.directory(path))
        let temporary = path + ".\(getpid()).tmp"
        if tk8s_history_save(h, temporary) >= 0 {
            chmod(temporary, 0o600)
            rename(temporary, path)
        } else {
            unlink(temporary)
        }
    }

    private func makeDirectories(_ dir: String) {
        guard !dir.isEmpty, access(dir, F_OK) != 0 else { return }
        makeDirectories(FileSystem.directory(dir))
        mkdir(dir, 0o700)
    }
}
