import Core
import Crypto
import Foundation
import Lang
import OrderedCollections

/// One process's view of the user's Tutor: found once, its snapshots kept in
/// memory per plugin set and on disk in the `SnapshotCache`. A snapshot made
/// in this process is "fresh"; one read from the cache is trusted only while
/// its files and the config values Python read are unchanged.
final class TutorSession {
    let environment: [String: String]
    let pluginsRoot: String
    /// `render --refresh`: the next snapshot is made anew, whatever the cache holds.
    var forceRefresh = false
    /// How many times the bridge helper ran for this session (the tests read it).
    private(set) var helperRuns = 0

    private var lookup: Result<TutorInstallation?, Error>?
    private var loaded: [String: Entry] = [:]
    private let cache: SnapshotCache

    init(environment: [String: String], pluginsRoot: String) {
        self.environment = environment
        self.pluginsRoot = pluginsRoot
        cache = SnapshotCache(environment: environment)
    }

    /// A snapshot, and what is needed to keep it.
    final class Entry {
        /// Its cache keys: the request's, and for a config.yml without PLUGINS also the key of the PLUGINS Tutor chose.
        let keys: [String]
        let snapshot: TutorSnapshot
        /// Made by the helper in this process (not read from the cache).
        let fresh: Bool
        /// The helper's output, kept until the config reads are known and it can be cached.
        var pendingText: String?
        /// Config key → hash of its value's JSON, as recorded in the cache (for a fresh one: once it is stored).
        var reads: OrderedDictionary<String, String>
        /// Its template roots, each template parsed once per process.
        lazy var templates = TutorTemplates(snapshot: snapshot)
        /// Its patches as sources, made once per process.
        lazy var patches: [String: [Project.PatchText]] = {
            var out: [String: [Project.PatchText]] = [:]
            for (name, texts) in snapshot.patches {
                out[name] = texts.map { Project.PatchText(plugin: $0.plugin, file: SourceFile(name: "plugin \($0.plugin)#patches/\(name)", text: $0.text)) }
            }
            return out
        }()

        init(keys: [String], snapshot: TutorSnapshot, fresh: Bool, pendingText: String?, reads: OrderedDictionary<String, String>) {
            self.keys = keys
            self.snapshot = snapshot
            self.fresh = fresh
            self.pendingText = pendingText
            self.reads = reads
        }
    }

    /// The user's Tutor, or nil when none is installed.
    func installation() throws -> TutorInstallation? {
        if lookup == nil { lookup = Result { try TutorInstallation.find(environment: environment) } }
        return try lookup!.get()
    }

    /// The snapshot for a project whose config.yml is `user`: from memory, the disk cache, or (unless `cachedOnly`,
    /// for the REPL's prompt and Tab, which must not wait for Python) the helper.
    func snapshot(for installation: TutorInstallation, user: OrderedDictionary<String, Value>, root: String,
                  cachedOnly: Bool = false) throws -> Entry? {
        let key = self.key(installation, plugins: Self.pluginNames(user))
        if forceRefresh && !cachedOnly {
            forceRefresh = false
            loaded[key] = nil
        } else if let entry = loaded[key] {
            return entry
        } else if let (snapshot, header) = cache.load(key) {
            let entry = Entry(keys: [key], snapshot: snapshot, fresh: false, pendingText: nil, reads: header.reads)
            loaded[key] = entry
            return entry
        }
        if cachedOnly { return nil }
        helperRuns += 1
        let (snapshot, text) = try TutorBridge(installation: installation, environment: environment).snapshot(user: user, root: root)
        var keys = [key]
        if Self.pluginNames(user) == nil, case .list(let chosen)? = snapshot.base["PLUGINS"] {
            // A fresh root saves base.yml's PLUGINS next: the snapshot serves that config.yml too.
            keys.append(self.key(installation, plugins: chosen.map(\.displayString)))
        }
        let entry = Entry(keys: keys, snapshot: snapshot, fresh: true, pendingText: text, reads: [:])
        for k in keys { loaded[k] = entry }
        return entry
    }

    private func key(_ installation: TutorInstallation, plugins: [String]?) -> String {
        SnapshotCache.key(installation: installation, plugins: plugins, pluginsRoot: pluginsRoot, environment: environment)
    }

    /// Checks a snapshot against the project's config. A new one is written to the cache with the values Python
    /// read; after that, a snapshot whose Python-read values changed since (another config.yml, or a `config set`
    /// earlier in this session) is dropped: false, ask again.
    func confirm(_ entry: Entry, config: ProjectConfig) -> Bool {
        let current = Self.readValues(entry.snapshot.configReads, config: config)
        if let text = entry.pendingText {
            for k in entry.keys { cache.store(k, text: text, fingerprintPaths: entry.snapshot.fingerprintPaths, reads: current) }
            entry.pendingText = nil
            entry.reads = current
            return true
        }
        if current == entry.reads { return true }
        invalidate(entry)
        return false
    }

    /// Forgets `entry` (a memo miss): the next request runs the helper again.
    func invalidate(_ entry: Entry) {
        for k in entry.keys { loaded[k] = nil }
        forceRefresh = true
    }

    /// Key → a SHA-256 of its rendered value's JSON: the cache can tell a change without holding the value (a secret, maybe).
    private static func readValues(_ keys: [String], config: ProjectConfig) -> OrderedDictionary<String, String> {
        var out = OrderedDictionary<String, String>()
        for k in keys {
            let json = (try? config.value(k)).flatMap { try? JSONWriter.encode($0) } ?? "<missing>"
            out[k] = Hex.encode(SHA256.hash(data: Data(json.utf8)))
        }
        return out
    }

    /// config.yml's `PLUGINS`, or nil when it has none (Tutor then enables base.yml's).
    static func pluginNames(_ user: OrderedDictionary<String, Value>) -> [String]? {
        guard case .list(let l)? = user["PLUGINS"] else { return nil }
        return l.map(\.displayString)
    }
}
