#if canImport(Glibc)
import Glibc
#endif
import Core
import Dispatch

/// `tk8s sandbox serve --state FILE`: the cluster's objects kept in a JSON file across restarts.
///
/// The file is rewritten (atomically, 0600 — Secrets and settings with passwords live in it) shortly after every
/// change and once more at `stop`, so a killed server loses at most the last `delay` of writes and never leaves a
/// half-written file. It holds the objects exactly as served plus the resourceVersion counter; the watch event log is
/// not kept (a watch from a version older than the restart gets the current objects as ADDED).
///
///     {"apiVersion": "sandbox.tk8s/v1", "kind": "SandboxState", "resourceVersion": 42, "items": [ … ]}
final class StateFile: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let apiVersion = "sandbox.tk8s/v1"
    let path: String
    private let store: ObjectStore
    private let queue = DispatchQueue(label: "tk8s.sandbox.state")
    /// How long after a change the file is written; changes in between share the write (on `queue`).
    private let delay: Double
    private var pending = false
    private var lastError: String?
    private var observer: Int?
    /// Set once `load` has read the file (or found none): until then nothing may be written, or a file that failed to
    /// load would be overwritten by an empty cluster.
    private var loaded = false
    /// Set by `close`: no write after it (on `queue`).
    private var closed = false

    init(path: String, store: ObjectStore, delay: Double = 0.2) {
        self.path = path
        self.store = store
        self.delay = delay
    }

    /// Puts the file's objects into the (empty) store; a missing file is an empty cluster. Throws, naming the file,
    /// when it cannot be read or is not a sandbox state — and then nothing is restored and the file is left alone.
    func load() throws {
        try lock()
        removeStaleTemporaries()
        guard Self.exists(path) else {
            loaded = true
            return
        }
        do {
            let text: String
            do {
                text = String(decoding: try FileSystem.read(path), as: UTF8.self)
            } catch {
                throw Failure(description: "cannot read the sandbox state \(path): \(error)")
            }
            let (items, version) = try Self.decode(text, path: path)
            store.restore(items, resourceVersion: version)
            loaded = true
        } catch {
            unlock()
            throw error
        }
    }

    /// A server killed (SIGKILL, power loss) between writing its temporary file and renaming it leaves that file
    /// behind (`.NAME.tmp-PID-RANDOM`, see `FileSystem.writeAtomically`). With the lock held no other sandbox is
    /// writing this state, so every such file is a leftover: removed, or they would pile up one per crash.
    private func removeStaleTemporaries() {
        let prefix = FileSystem.directory(path) + "/." + FileSystem.baseName(path) + ".tmp-"
        for stale in FileSystem.entries(matching: prefix) where !stale.hasSuffix("/") { unlink(stale) }
    }

    /// Two sandboxes writing one state file would undo each other's changes: the second one is refused.
    private var lockDescriptor: Int32 = -1

    private func lock() throws {
        try FileSystem.makeDirectories(FileSystem.directory(path))
        let fd = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(description: "\(FileSystem.Failure("open", path + ".lock"))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            Glibc.close(fd)
            throw Failure(description: "another sandbox is using the state file \(path) (its lock \(path).lock is held)")
        }
        lockDescriptor = fd
    }

    private func unlock() {
        if lockDescriptor >= 0 { Glibc.close(lockDescriptor) }
        lockDescriptor = -1
    }

    /// Starts writing the file after every change.
    func watchChanges() {
        observer = store.observe { [weak self] _ in
            guard let self else { return }
            self.queue.async { self.scheduleSave() }
        }
    }

    /// Stops watching and writes the final state; returns the last write error, if any.
    @discardableResult
    func close() -> String? {
        if let observer { store.unobserve(observer) }
        return queue.sync {
            save()
            unlock()
            // A save scheduled before this one (a change less than `delay` ago) must not write after the lock is
            // gone: the next sandbox, or the user, may own the file by then.
            closed = true
            return lastError
        }
    }

    // MARK: - On `queue`

    private func scheduleSave() {
        guard !pending, !closed else { return }
        pending = true
        queue.asyncAfter(deadline: .now() + delay) { [self] in
            pending = false
            save()
        }
    }

    private func save() {
        guard loaded, !closed else { return }
        let (objects, version) = store.snapshot()
        do {
            try FileSystem.writeAtomically(path, Array(Self.encode(objects.map(\.1), resourceVersion: version).utf8), mode: 0o600)
            lastError = nil
        } catch {
            // Reported once per distinct error: a full disk must not flood the terminal.
            let message = "cannot save the sandbox state: \(error)"
            if message != lastError { FileSystem.writeAll(2, Array((message + "\n").utf8)[...]) }
            lastError = message
        }
    }

    // MARK: - Format

    static func encode(_ objects: [Value], resourceVersion: Int) -> String {
        let doc: Value = ["apiVersion": .string(apiVersion), "kind": "SandboxState",
                          "resourceVersion": .int(resourceVersion), "items": .list(objects)]
        return ((try? JSONWriter.encode(doc, indent: 1)) ?? "{}") + "\n"
    }

    static func decode(_ text: String, path: String) throws -> (items: [(ResourceType, Value)], resourceVersion: Int) {
        let doc: Value
        do {
            doc = try JSONParser.parse(text)
        } catch {
            throw Failure(description: "\(path): \(error.message)")
        }
        guard doc[path: "kind"]?.stringValue == "SandboxState", doc[path: "apiVersion"]?.stringValue == apiVersion else {
            throw Failure(description: "\(path) is not a sandbox state file (want apiVersion \(apiVersion), kind SandboxState)")
        }
        // Bounded (2^53, what any JSON reader holds exactly) so that the store's counter can always go on.
        guard case .int(let version)? = doc[path: "resourceVersion"], version >= 0, version < 1 << 53 else {
            throw Failure(description: "\(path): resourceVersion must be a non-negative integer below 2^53")
        }
        var items: [(ResourceType, Value)] = []
        for (i, o) in (doc[path: "items"]?.listValue ?? []).enumerated() {
            let apiVersion = o[path: "apiVersion"]?.stringValue ?? "", kind = o[path: "kind"]?.stringValue ?? ""
            guard let r = ResourceCatalog.all.first(where: { $0.stored && $0.groupVersion == apiVersion && $0.kind == kind }) else {
                throw Failure(description: "\(path): items[\(i)] has apiVersion \"\(apiVersion)\" kind \"\(kind)\", which the sandbox does not store")
            }
            guard !o.name.isEmpty, !r.namespaced || !o.namespace.isEmpty else {
                throw Failure(description: "\(path): items[\(i)] (\(kind)) has no metadata.name or metadata.namespace")
            }
            items.append((r, o))
        }
        return (items, version)
    }

    private static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
}
