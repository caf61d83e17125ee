#if canImport(Glibc)
import Glibc
#endif
import Core
import Crypto
import Foundation
import Lang
import OrderedCollections

/// Tutor snapshots kept between runs, outside the project root:
/// `$XDG_CACHE_HOME/tk8s/tutor/<key>.json` (else `~/.cache/tk8s/tutor`).
///
/// The file name is a hash of what decides which plugins load: the `tutor`
/// executable, `PLUGINS`, the plugins root and the `TUTOR_*` variables. Inside,
/// a first line records what else the snapshot depends on, checked before it
/// is used: the files and directories Tutor's Python imports from (a pip
/// install, upgrade or removal changes their times), and the values of the
/// config keys that Python code read while rendering. When all of that is
/// unchanged, no Python runs at all.
struct SnapshotCache {
    let directory: String

    init(environment: [String: String]) {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            directory = xdg + "/tk8s/tutor"
        } else {
            directory = (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? Files.home()) + "/.cache/tk8s/tutor"
        }
    }

    /// What the snapshot was made from, besides the file name's key.
    struct Header {
        /// `path mtime size` of each path the helper named.
        var fingerprint: [String]
        /// Config key → SHA-256 of its rendered value's JSON, for the keys Python read.
        var reads: OrderedDictionary<String, String>
    }

    static func key(installation: TutorInstallation, plugins: [String]?, pluginsRoot: String, environment: [String: String]) -> String {
        var parts = [installation.executable, installation.python, pluginsRoot]
        parts.append(plugins.map { "PLUGINS=" + $0.sorted().joined(separator: ",") } ?? "PLUGINS=<default>")
        for (k, v) in environment.sorted(by: { $0.key < $1.key }) where k.hasPrefix("TUTOR_") && k != "TUTOR_ROOT" {
            parts.append("\(k)=\(v)")
        }
        let digest = SHA256.hash(data: Data(parts.joined(separator: "\u{0}").utf8))
        return Hex.encode(digest.prefix(16))
    }

    func path(for key: String) -> String { "\(directory)/\(key).json" }

    /// The cached snapshot under `key`, when its files are unchanged; the caller checks the config reads.
    func load(_ key: String) -> (TutorSnapshot, Header)? {
        guard let bytes = try? FileSystem.read(path(for: key)), let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        guard case .map(let h)? = try? JSONParser.parse(String(decoding: bytes[..<newline], as: UTF8.self), at: nil),
              case .list(let fp)? = h.dict["fingerprint"], case .map(let reads)? = h.dict["reads"] else { return nil }
        let header = Header(fingerprint: fp.map(\.displayString),
                            reads: OrderedDictionary(uniqueKeysWithValues: reads.dict.map { ($0.key, $0.value.displayString) }))
        guard header.fingerprint == header.fingerprint.map({ Self.stamp(Self.path(ofStamp: $0)) }) else { return nil }
        let body = String(decoding: bytes[(newline + 1)...], as: UTF8.self)
        guard let json = try? JSONParser.parse(body, at: nil), let snapshot = try? TutorSnapshot(json: json) else { return nil }
        return (snapshot, header)
    }

    /// Keeps `text` (the helper's output) under `key`; a cache that cannot be written only costs time.
    func store(_ key: String, text: String, fingerprintPaths: [String], reads: OrderedDictionary<String, String>) {
        let header: Value = .map([
            "fingerprint": .list(fingerprintPaths.map { .string(Self.stamp($0)) }),
            "reads": .map(OrderedDictionary(uniqueKeysWithValues: reads.map { ($0.key, Value.string($0.value)) })),
        ])
        guard let line = try? JSONWriter.encode(header) else { return }
        let body = text.hasSuffix("\n") ? text : text + "\n"
        try? FileSystem.makeDirectories(directory, mode: 0o700)
        try? FileSystem.writeAtomically(path(for: key), Array((line + "\n" + body).utf8), mode: 0o600, sync: false)
    }

    /// `path mtime-ns size` of a file or directory (`path - -` when it is missing).
    static func stamp(_ path: String) -> String {
        var st = stat()
        guard stat(path, &st) == 0 else { return "\(path)\u{0}-\u{0}-" }
        return "\(path)\u{0}\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)\u{0}\(st.st_size)"
    }

    static func path(ofStamp stamp: String) -> String {
        String(stamp.prefix { $0 != "\u{0}" })
    }
}
