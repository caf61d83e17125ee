import Core
import Foundation
import OrderedCollections

/// One change, as a watch stream sends it.
struct WatchEvent: Sendable {
    var type: String          // ADDED, MODIFIED, DELETED
    var resource: ResourceType
    var object: Value
    var resourceVersion: Int

    var json: Value { ["type": .string(type), "object": object] }
}

/// What a watch asks to see: one resource type, optionally one namespace, filtered by selectors.
struct WatchFilter: Sendable {
    var resource: ResourceType
    var namespace: String?
    var labels: LabelSelector
    var fields: LabelSelector

    /// Every object of one type (in one namespace, or all of them): what the controllers and the event trim read.
    static func all(_ resource: ResourceType, namespace: String? = nil) -> WatchFilter {
        WatchFilter(resource: resource, namespace: namespace, labels: .everything, fields: .everything)
    }

    func matches(_ resource: ResourceType, _ object: Value) -> Bool {
        resource == self.resource && (namespace == nil || object[path: "metadata", "namespace"]?.stringValue == namespace)
            && labels.matches(object[path: "metadata", "labels"]?.stringMap ?? [:]) && fields.matches(ObjectStore.fields(of: object))
    }
}

/// The cluster's objects, in memory, behind one lock. Every write takes the next value of one global
/// resourceVersion counter and is appended to an event log, so a watch can replay what happened after the
/// version a list returned (kubectl's `delete --wait` lists, then watches from the list's version).
final class ObjectStore: @unchecked Sendable {
    private struct Key: Hashable {
        var resource: ResourceType
        var namespace: String
        var name: String
    }

    private let lock = NSLock()
    private var objects: OrderedDictionary<Key, Value> = [:]
    private var revision = 0
    private var log: [WatchEvent] = []
    private var watchers: [Int: (filter: WatchFilter, send: @Sendable (WatchEvent) -> Void)] = [:]
    private var nextWatcher = 0
    /// Service cluster IPs and node ports handed out so far.
    private var serviceIPs = 0, nodePorts = 0
    /// Unfiltered listeners (the simulated controllers), called under the lock after the watchers.
    private var observers: [Int: @Sendable (WatchEvent) -> Void] = [:]
    /// How many events are kept for replay, and how many bytes of objects (`Value.approximateBytes`); older watch
    /// versions get every current object instead. The byte budget is what keeps a long-running sandbox's memory
    /// level: the soak (20 clients re-applying a 4 KB ConfigMap) grew by 1.3 MiB a minute with the count alone.
    private let logLimit = 10_000
    var logByteLimit = 8 << 20
    /// Each logged event's size, and their sum.
    private var logSizes: [Int] = []
    private var logBytes = 0

    /// The fields a field selector can name.
    static func fields(of object: Value) -> [String: String] {
        var f: [String: String] = [:]
        f["metadata.name"] = object[path: "metadata", "name"]?.stringValue
        f["metadata.namespace"] = object[path: "metadata", "namespace"]?.stringValue
        // An Event's subject: `kubectl describe` lists the events of the object it shows by these.
        if case .map(let involved)? = object[path: "involvedObject"] {
            for (k, v) in involved.dict { if let s = v.stringValue { f["involvedObject." + k] = s } }
            for k in ["reason", "type"] { f[k] = object[path: k]?.stringValue }
            f["source"] = object[path: "source", "component"]?.stringValue
        }
        return f
    }

    private func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    var resourceVersion: Int { withLock { revision } }

    func get(_ r: ResourceType, namespace: String, name: String) -> Value? {
        withLock { objects[Key(resource: r, namespace: namespace, name: name)] }
    }

    /// The matching objects and the store's version at the time of the list.
    func list(_ filter: WatchFilter) -> (items: [Value], resourceVersion: Int) {
        withLock { (matching(filter).map(\.value), revision) }
    }

    /// Stores a new object with the server-set metadata, in a real server's order: 400 for a body Go could not
    /// decode, 404 when its namespace is missing, a name made from `generateName`, the defaults, 422 when it breaks
    /// a validation rule, 409 when the name is taken.
    func create(_ r: ResourceType, namespace: String, object: Value) throws -> Value {
        try TypedDecoding.check(r, object)
        return try withLock {
            if r.namespaced, objects[Key(resource: ResourceCatalog.namespaces, namespace: "", name: namespace)] == nil {
                throw APIError.notFound(ResourceCatalog.namespaces, namespace)
            }
            var o = object
            if o.name.isEmpty, let prefix = o[path: "metadata", "generateName"]?.stringValue, !prefix.isEmpty {
                // A generated name that happens to be taken is drawn again (27^5 names: a few draws at most).
                var name = NameGenerator.name(prefix: prefix)
                for _ in 0..<8 where objects[Key(resource: r, namespace: namespace, name: name)] != nil {
                    name = NameGenerator.name(prefix: prefix)
                }
                o.set(["metadata", "name"], .string(name))
            }
            o.set(["apiVersion"], .string(r.groupVersion))
            o.set(["kind"], .string(r.kind))
            if r.namespaced { o.set(["metadata", "namespace"], .string(namespace)) } else { o.set(["metadata", "namespace"], nil) }
            o.set(["metadata", "uid"], .string(UUID().uuidString.lowercased()))
            o.set(["metadata", "creationTimestamp"], .string(Timestamp.string()))
            o.set(["metadata", "generation"], .int(1))
            if o[path: "status"]?.entries?.isEmpty ?? true, let status = Self.initialStatus[r.plural] { o.set(["status"], status) }
            APIDefaults.apply(r, &o)
            if r.plural == "jobs" { Self.defaultJobSelector(&o) }
            if r.plural == "secrets" { Self.normalizeSecret(&o) }
            try ObjectValidation.check(r, o)
            let key = Key(resource: r, namespace: namespace, name: o.name)
            if objects[key] != nil { throw APIError.alreadyExists(r, o.name) }
            if r.plural == "services" { allocateServiceAddresses(&o) }
            return commit("ADDED", key, o)
        }
    }

    /// The status a real API server gives a new object before any controller acts: clients read it at once (Tutor's
    /// Python client reads `job.status.active` right after creating a Job and fails on a missing status).
    private static let initialStatus: [String: Value] = [
        "namespaces": ["phase": "Active"], "pods": ["phase": "Pending", "qosClass": "BestEffort"],
        "services": ["loadBalancer": [:]], "persistentvolumeclaims": ["phase": "Pending"],
        "deployments": [:], "replicasets": ["replicas": 0], "jobs": [:],
    ]

    /// A Secret as the API server stores it: `stringData` merged into `data` (base64), `type` Opaque by default.
    static func normalizeSecret(_ secret: inout Value) {
        if case .map(let plain)? = secret[path: "stringData"] {
            for (k, v) in plain.dict {
                secret.set(["data", k], .string(Data((v.stringValue ?? v.displayString).utf8).base64EncodedString()))
            }
            secret.set(["stringData"], nil)
        }
        if secret[path: "type"] == nil { secret.set(["type"], "Opaque") }
    }

    /// What the API server gives a new Service: a cluster IP (10.96.0.0/16; none for `clusterIP: None` or
    /// ExternalName) and, for NodePort and LoadBalancer, a node port (30000–32767) per port that has none.
    /// Under the lock: the counters are the store's.
    private func allocateServiceAddresses(_ svc: inout Value) {
        let type = svc[path: "spec", "type"]?.stringValue ?? "ClusterIP"
        if type != "ExternalName", (svc[path: "spec", "clusterIP"]?.stringValue ?? "").isEmpty {
            serviceIPs += 1
            let ip = "10.96.\(serviceIPs / 254).\(serviceIPs % 254 + 1)"
            svc.set(["spec", "clusterIP"], .string(ip))
            svc.set(["spec", "clusterIPs"], [.string(ip)])
        }
        guard type == "NodePort" || type == "LoadBalancer", case .list(var ports)? = svc[path: "spec", "ports"] else { return }
        for i in ports.indices where ports[i][path: "nodePort"] == nil {
            nodePorts += 1
            ports[i].set(["nodePort"], .int(30000 + (nodePorts - 1) % 2768))
        }
        svc.set(["spec", "ports"], .list(ports))
    }

    /// An update that leaves out the allocated cluster IP or node ports (a `replace` of the original manifest) keeps them.
    static func keepServiceAddresses(of old: Value, in svc: inout Value) {
        if (svc[path: "spec", "clusterIP"]?.stringValue ?? "").isEmpty, let ip = old[path: "spec", "clusterIP"] {
            svc.set(["spec", "clusterIP"], ip)
            svc.set(["spec", "clusterIPs"], old[path: "spec", "clusterIPs"])
        }
        guard case .list(var ports)? = svc[path: "spec", "ports"], case .list(let oldPorts)? = old[path: "spec", "ports"] else { return }
        for i in ports.indices where ports[i][path: "nodePort"] == nil {
            ports[i].set(["nodePort"], oldPorts.first { $0[path: "port"]?.equals(ports[i][path: "port"] ?? .null) ?? false }?[path: "nodePort"])
        }
        svc.set(["spec", "ports"], .list(ports))
    }

    /// What the API server fills in on a new Job: a selector on its uid, and the matching pod labels
    /// (`kubectl logs job/NAME` finds the job's pod through them).
    static func defaultJobSelector(_ job: inout Value) {
        guard job[path: "spec", "selector"] == nil, let uid = job[path: "metadata", "uid"]?.stringValue,
              let name = job[path: "metadata", "name"]?.stringValue else { return }
        job.set(["spec", "selector", "matchLabels", "batch.kubernetes.io/controller-uid"], .string(uid))
        for (k, v) in ["batch.kubernetes.io/controller-uid": uid, "controller-uid": uid,
                       "batch.kubernetes.io/job-name": name, "job-name": name] {
            job.set(["spec", "template", "metadata", "labels", k], .string(v))
        }
    }

    /// Replaces an object with `transform` of it, checked as `create` checks a new one (400, then 422); `generation`
    /// goes up when the spec changes.
    func update(_ r: ResourceType, namespace: String, name: String, _ transform: (Value) throws -> Value) throws -> Value {
        try withLock {
            let key = Key(resource: r, namespace: namespace, name: name)
            guard let old = objects[key] else { throw APIError.notFound(r, name) }
            var o = try transform(old)
            try TypedDecoding.check(r, o)
            if r.plural == "secrets" { Self.normalizeSecret(&o) }
            if r.plural == "services" { Self.keepServiceAddresses(of: old, in: &o) }
            APIDefaults.apply(r, &o)
            // The server owns identity and bookkeeping; a patch cannot change them.
            for field in ["name", "namespace", "uid", "creationTimestamp"] {
                o.set(["metadata", field], old[path: "metadata", field])
            }
            o.set(["apiVersion"], old[path: "apiVersion"])
            o.set(["kind"], old[path: "kind"])
            // A generation restored from a state file may be anything: kept below Int.max so that `+ 1` cannot trap.
            let generation = min(old[path: "metadata", "generation"].flatMap { if case .int(let g) = $0 { g } else { nil } } ?? 1, Int.max - 1)
            let specChanged = !(old[path: "spec"] ?? .null).equals(o[path: "spec"] ?? .null)
            o.set(["metadata", "generation"], .int(specChanged ? generation + 1 : generation))
            o.set(["metadata", "resourceVersion"], old[path: "metadata", "resourceVersion"])
            try ObjectValidation.check(r, o)
            // Like a real server, a write that changes nothing is not a write: no new resourceVersion, no event.
            if o.equals(old) { return old }
            return commit("MODIFIED", key, o)
        }
    }

    /// Removes an object (a namespace takes its objects with it) and returns it as it was last stored.
    func delete(_ r: ResourceType, namespace: String, name: String) throws -> Value {
        try withLock {
            let key = Key(resource: r, namespace: namespace, name: name)
            guard objects[key] != nil else { throw APIError.notFound(r, name) }
            if r.plural == "namespaces" {
                for inner in Array(objects.keys) where inner.resource.namespaced && inner.namespace == name {
                    remove(inner)
                }
            }
            return remove(key)
        }
    }

    /// Registers a watch and returns the events it missed since `version`; when the log no longer reaches back that
    /// far (or `version` is nil or 0), every current match as ADDED. `send` is called under the store's lock, in order.
    func watch(_ filter: WatchFilter, from version: Int?, send: @escaping @Sendable (WatchEvent) -> Void) -> (replay: [WatchEvent], id: Int) {
        withLock {
            let replay: [WatchEvent]
            if let version, version > 0, version >= (log.first?.resourceVersion ?? revision + 1) - 1 {
                replay = log.filter { $0.resourceVersion > version && filter.matches($0.resource, $0.object) }
            } else {
                replay = matching(filter).map {
                    WatchEvent(type: "ADDED", resource: $0.key.resource, object: $0.value,
                               resourceVersion: Int($0.value[path: "metadata", "resourceVersion"]?.stringValue ?? "") ?? 0)
                }
            }
            nextWatcher += 1
            watchers[nextWatcher] = (filter, send)
            return (replay, nextWatcher)
        }
    }

    func unwatch(_ id: Int) {
        withLock { _ = watchers.removeValue(forKey: id) }
    }

    /// Registers a listener for every event of every kind; `send` is called under the store's lock, so it must only
    /// hand the event off (the controllers queue it), never call back into the store.
    func observe(_ send: @escaping @Sendable (WatchEvent) -> Void) -> Int {
        withLock {
            nextWatcher += 1
            observers[nextWatcher] = send
            return nextWatcher
        }
    }

    func unobserve(_ id: Int) {
        withLock { _ = observers.removeValue(forKey: id) }
    }

    /// Every object and the current resourceVersion, taken at one instant (for the state file).
    func snapshot() -> (objects: [(ResourceType, Value)], resourceVersion: Int) {
        withLock { (objects.map { ($0.key.resource, $0.value) }, revision) }
    }

    /// Puts back what `snapshot` took, before anything is served: no events, and the counter continues from
    /// `resourceVersion` so versions a client saw before the restart are never handed out again.
    func restore(_ saved: [(ResourceType, Value)], resourceVersion: Int) {
        withLock {
            for (r, o) in saved {
                objects[Key(resource: r, namespace: r.namespaced ? o.namespace : "", name: o.name)] = o
            }
            revision = max(revision, resourceVersion)
            // New services get addresses after the restored ones'.
            let services = saved.filter { $0.0.plural == "services" }.map(\.1)
            serviceIPs = services.count
            nodePorts = services.reduce(0) { $0 + ($1[path: "spec", "ports"]?.listValue ?? []).filter { $0[path: "nodePort"] != nil }.count }
        }
    }

    // MARK: - Under the lock

    /// The objects a filter selects, in a real server's order: etcd's key order, namespace then name (so
    /// `kubectl get pods` is alphabetical, and a kind's events, named `OBJECT.<hex time>`, are chronological).
    private func matching(_ filter: WatchFilter) -> [(key: Key, value: Value)] {
        objects.filter { filter.matches($0.key.resource, $0.value) }
            .sorted { ($0.key.namespace, $0.key.name) < ($1.key.namespace, $1.key.name) }
            .map { (key: $0.key, value: $0.value) }
    }

    @discardableResult
    private func commit(_ type: String, _ key: Key, _ object: Value) -> Value {
        revision += 1
        var o = object
        o.set(["metadata", "resourceVersion"], .string(String(revision)))
        objects[key] = o
        publish(WatchEvent(type: type, resource: key.resource, object: o, resourceVersion: revision))
        return o
    }

    @discardableResult
    private func remove(_ key: Key) -> Value {
        let old = objects.removeValue(forKey: key) ?? .null
        revision += 1
        var o = old
        o.set(["metadata", "resourceVersion"], .string(String(revision)))
        publish(WatchEvent(type: "DELETED", resource: key.resource, object: o, resourceVersion: revision))
        return o
    }

    private func publish(_ event: WatchEvent) {
        log.append(event)
        logSizes.append(event.object.approximateBytes)
        logBytes += logSizes[logSizes.count - 1]
        // Oldest first, until both budgets hold; the newest event always stays.
        var drop = 0
        while drop < log.count - 1 && (log.count - drop > logLimit || logBytes > logByteLimit) {
            logBytes -= logSizes[drop]
            drop += 1
        }
        if drop > 0 {
            log.removeFirst(drop)
            logSizes.removeFirst(drop)
        }
        for w in watchers.values where w.filter.matches(event.resource, event.object) { w.send(event) }
        for o in observers.values { o(event) }
    }
}
