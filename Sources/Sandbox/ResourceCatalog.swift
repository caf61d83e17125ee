/// The kinds the sandbox serves: one table that discovery, OpenAPI and the router all read, so they never disagree
/// (kubectl probes CRDs and fails when discovery lists a group/version that is not served).
public struct ResourceType: Sendable, Hashable {
    public var group: String          // "" for the core group
    public var version: String
    public var plural: String
    public var kind: String
    public var namespaced: Bool
    public var shortNames: [String] = []
    /// In the `all` category, which `kubectl get all` lists.
    public var workload = false
    /// Stored and writable; otherwise served as an always-empty list, just so `get all` works.
    public var stored = true

    /// `apps/v1`, or `v1` for the core group.
    public var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// How Status messages name the resource: `deployments.apps`, or `pods`.
    public var qualifiedName: String { group.isEmpty ? plural : "\(plural).\(group)" }
    /// The URL prefix of the group/version: `/api/v1` or `/apis/apps/v1`.
    public var prefix: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }
}

public enum ResourceCatalog {
    // The stored kinds by name, for the store, the controllers and the router (no lookup that could fail).
    static let namespaces = ResourceType(group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false, shortNames: ["ns"])
    static let pods = ResourceType(group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true, shortNames: ["po"], workload: true)
    static let services = ResourceType(group: "", version: "v1", plural: "services", kind: "Service", namespaced: true, shortNames: ["svc"], workload: true)
    static let configmaps = ResourceType(group: "", version: "v1", plural: "configmaps", kind: "ConfigMap", namespaced: true, shortNames: ["cm"])
    static let secrets = ResourceType(group: "", version: "v1", plural: "secrets", kind: "Secret", namespaced: true)
    static let events = ResourceType(group: "", version: "v1", plural: "events", kind: "Event", namespaced: true, shortNames: ["ev"])
    static let pvcs = ResourceType(group: "", version: "v1", plural: "persistentvolumeclaims", kind: "PersistentVolumeClaim", namespaced: true,
                                   shortNames: ["pvc"])
    static let deployments = ResourceType(group: "apps", version: "v1", plural: "deployments", kind: "Deployment", namespaced: true,
                                          shortNames: ["deploy"], workload: true)
    static let replicasets = ResourceType(group: "apps", version: "v1", plural: "replicasets", kind: "ReplicaSet", namespaced: true,
                                          shortNames: ["rs"], workload: true)
    static let jobs = ResourceType(group: "batch", version: "v1", plural: "jobs", kind: "Job", namespaced: true, workload: true)

    public static let all: [ResourceType] = [
        namespaces, pods, services, configmaps, secrets, events, pvcs,
        ResourceType(group: "", version: "v1", plural: "replicationcontrollers", kind: "ReplicationController", namespaced: true,
                     shortNames: ["rc"], workload: true, stored: false),
        deployments, replicasets,
        ResourceType(group: "apps", version: "v1", plural: "statefulsets", kind: "StatefulSet", namespaced: true, shortNames: ["sts"],
                     workload: true, stored: false),
        ResourceType(group: "apps", version: "v1", plural: "daemonsets", kind: "DaemonSet", namespaced: true, shortNames: ["ds"],
                     workload: true, stored: false),
        jobs,
        ResourceType(group: "batch", version: "v1", plural: "cronjobs", kind: "CronJob", namespaced: true, shortNames: ["cj"],
                     workload: true, stored: false),
    ]

    /// The group/versions in discovery order, core first.
    public static var groupVersions: [(group: String, version: String)] {
        var seen: [String] = [], out: [(String, String)] = []
        for r in all where !seen.contains(r.groupVersion) {
            seen.append(r.groupVersion)
            out.append((r.group, r.version))
        }
        return out
    }

    public static func find(group: String, version: String, plural: String) -> ResourceType? {
        all.first { $0.group == group && $0.version == version && $0.plural == plural }
    }

    /// Kinds that carry a scale subresource.
    static func hasScale(_ r: ResourceType) -> Bool { r.plural == "deployments" || r.plural == "replicasets" }

    /// Kinds that carry a status subresource: the stored ones a controller or the kubelet reports on (ConfigMaps,
    /// Secrets and Events have no status).
    static func hasStatus(_ r: ResourceType) -> Bool { r.stored && ![configmaps, secrets, events].contains(r) }
}
