import Core
import Foundation

/// The `Event`s a real cluster's controllers and kubelet record, so that `kubectl get events` and the Events section
/// of `kubectl describe` tell the story a teacher narrates: the deployment scaled a replica set, the replica set
/// created a pod, the scheduler assigned it, the kubelet pulled, created and started its container, the job completed.
///
/// Events are ordinary stored objects (core/v1 `events`, namespaced), written through the store so watches see them;
/// the controllers never reconcile them. As on a real cluster they outlive the object they are about. Only the newest
/// `limit` are kept (a real cluster expires them after an hour), so a long-running `serve --state` does not grow
/// without bound.
struct EventRecorder {
    let store: ObjectStore
    var limit = 1000
    /// Events recorded since the last trim: the store is scanned every 50 events, not at each one.
    private var sinceTrim = 0
    private var lastStamp: UInt64 = 0

    private mutating func nextStamp() -> UInt64 {
        lastStamp = max(UInt64(Date().timeIntervalSince1970 * 1e9), lastStamp + 1)
        return lastStamp
    }

    init(store: ObjectStore) { self.store = store }

    enum Kind: String { case normal = "Normal", warning = "Warning" }

    /// Records that `reason` happened to `object` (of `type`), as `component` reports it. `fieldPath` names a
    /// container (`spec.containers{web}`) for the kubelet's events.
    mutating func record(_ object: Value, _ type: ResourceType, _ reason: String, _ message: String, component: String,
                kind: Kind = .normal, fieldPath: String? = nil) {
        let name = object[path: "metadata", "name"]?.stringValue ?? ""
        let namespace = object[path: "metadata", "namespace"]?.stringValue ?? "default"
        var involved: Value = ["apiVersion": .string(type.groupVersion), "kind": .string(type.kind), "name": .string(name),
                               "namespace": .string(namespace), "uid": object[path: "metadata", "uid"] ?? "",
                               "resourceVersion": object[path: "metadata", "resourceVersion"] ?? ""]
        if let fieldPath { involved.set(["fieldPath"], .string(fieldPath)) }
        var source: Value = ["component": .string(component)]
        if component == "kubelet" { source.set(["host"], "sandbox") }
        let now = Timestamp.string()
        let event: Value = [
            // Like a real recorder: the subject's name and the time in nanoseconds, in hex (so names sort by time);
            // strictly increasing here, so two events in one tick never share a name.
            "metadata": ["name": .string("\(name).\(String(nextStamp(), radix: 16))")],
            "involvedObject": involved, "reason": .string(reason), "message": .string(message), "source": source,
            "firstTimestamp": .string(now), "lastTimestamp": .string(now), "count": 1, "type": .string(kind.rawValue),
            "eventTime": .null, "reportingComponent": .string(component), "reportingInstance": "",
        ]
        _ = try? store.create(ResourceCatalog.events, namespace: namespace, object: event)
        sinceTrim += 1
        if sinceTrim >= 50 {
            sinceTrim = 0
            trim()
        }
    }

    /// Deletes the oldest events beyond `limit` (by resourceVersion: the order they were recorded).
    private func trim() {
        let all = store.list(.all(ResourceCatalog.events)).items
        guard all.count > limit else { return }
        let oldest = all.sorted { Int($0.resourceVersionString) ?? 0 < Int($1.resourceVersionString) ?? 0 }.prefix(all.count - limit)
        for e in oldest { _ = try? store.delete(ResourceCatalog.events, namespace: e.namespace, name: e.name) }
    }
}

extension Value {
    fileprivate var resourceVersionString: String { self[path: "metadata", "resourceVersion"]?.stringValue ?? "" }
}
