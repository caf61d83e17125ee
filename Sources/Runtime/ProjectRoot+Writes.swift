#if canImport(Glibc)
import Glibc
#endif
import Core
import Foundation
import Lang

/// Writes to a project root take turns between tk8s processes, and the next writer cleans up after one
/// that was killed midway (SIGKILL, the OOM killer, a power cut).
///
/// config.yml is replaced by renaming a `.config.yml.tmp-*` over it; env/ is built in `.env.tmp-PID` and
/// swapped with env/ in one step, or, where the kernel cannot swap, env/ is first renamed `.env.old-PID`
/// (`Files.replaceDirectory`). Only a process holding the write lock makes those names, so whatever
/// holds it next knows that any it finds are leftovers, and never takes one for env/.
extension ProjectRoot {
    /// Serialises writes to config.yml and env/. The file keeps the name it had when it only guarded
    /// config.yml, so that an older tk8s and a newer one still take turns.
    var writeLock: String { path + "/.config.yml.lock" }

    static let freshEnvPrefix = ".env.tmp-"
    static let asideEnvPrefix = ".env.old-"

    /// Where this process builds the new env.
    var freshEnv: String { path + "/" + Self.freshEnvPrefix + "\(getpid())" }
    /// Where this process moves the old env when the kernel cannot swap directories.
    var asideEnv: String { path + "/" + Self.asideEnvPrefix + "\(getpid())" }

    /// Runs `body` holding the write lock, after recovering from a writer that was killed.
    func withWriteLock<T>(_ body: () throws -> T) throws -> T {
        try Files.withLock(writeLock) {
            try recoverLeftovers()
            return try body()
        }
    }

    /// The names in the root that only a write in progress makes (a killed one leaves them), sorted.
    var leftovers: [String] {
        let configTemp = FileSystem.baseName(FileSystem.temporaryPrefix(for: configFile))
        return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter {
            $0.hasPrefix(configTemp) || $0.hasPrefix(Self.freshEnvPrefix) || $0.hasPrefix(Self.asideEnvPrefix)
        }.sorted()
    }

    /// A temporary config.yml or a new env tree is never known to be whole: it goes. An env moved aside is
    /// the whole previous env: when env/ is missing it comes back (it may hold build files of yours that the
    /// next render carries over), else it goes. Removal is best effort (on a read-only root the write that
    /// follows says why); a restore that fails is an error, so that no render replaces what it could not restore.
    func recoverLeftovers() throws {
        var leftovers = self.leftovers
        if !Files.exists(env), let aside = leftovers.first(where: { $0.hasPrefix(Self.asideEnvPrefix) }) {
            guard rename(path + "/" + aside, env) == 0 else { throw Files.Failure("restore the previous env from", path + "/" + aside) }
            leftovers.removeAll { $0 == aside }
        }
        for name in leftovers { try? Files.removeTree(path + "/" + name) }
    }
}
