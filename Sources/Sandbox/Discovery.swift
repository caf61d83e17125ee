import Core

/// Legacy discovery documents (`/version`, `/api`, `/apis`, `/api/v1`, `/apis/G/V`), built from `ResourceCatalog`.
/// The Google Cloud SDK's kubectl dispatcher reads `/version` to pick its embedded kubectl, so the minor version matters.
enum Discovery {
    static let version: Value = .map([
        "major": "1", "minor": "32", "gitVersion": "v1.32.0", "platform": "linux/amd64",
    ])

    static let coreVersions: Value = .map([
        "kind": "APIVersions", "versions": ["v1"],
        "serverAddressByClientCIDRs": [.map(["clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"])],
    ])

    static var groupList: Value {
        let groups: [Value] = ResourceCatalog.groupVersions.filter { !$0.group.isEmpty }.map { g in
            let gv: Value = .map(["groupVersion": .string("\(g.group)/\(g.version)"), "version": .string(g.version)])
            return .map(["name": .string(g.group), "versions": [gv], "preferredVersion": gv])
        }
        return .map(["kind": "APIGroupList", "apiVersion": "v1", "groups": .list(groups)])
    }

    /// The `APIResourceList` of one group/version, with the status and scale subresources where served; nil when not served.
    static func resourceList(group: String, version: String) -> Value? {
        let types = ResourceCatalog.all.filter { $0.group == group && $0.version == version }
        guard let first = types.first else { return nil }
        var resources: [Value] = []
        for r in types {
            var verbs: [Value] = ["get", "list", "watch"]
            if r.stored { verbs += ["create", "delete", "deletecollection", "patch", "update"] }
            var entry: OrderedMap = [
                "name": .string(r.plural), "singularName": .string(r.kind.lowercased()), "namespaced": .bool(r.namespaced),
                "kind": .string(r.kind), "verbs": .list(verbs),
            ]
            if !r.shortNames.isEmpty { entry["shortNames"] = .list(r.shortNames.map(Value.string)) }
            if r.workload { entry["categories"] = ["all"] }
            resources.append(.map(entry))
            if ResourceCatalog.hasScale(r) {
                resources.append(.map([
                    "name": .string("\(r.plural)/scale"), "singularName": "", "namespaced": true,
                    "group": "autoscaling", "version": "v1", "kind": "Scale", "verbs": ["get", "patch", "update"],
                ]))
            }
            if ResourceCatalog.hasStatus(r) {
                resources.append(.map([
                    "name": .string("\(r.plural)/status"), "singularName": "", "namespaced": .bool(r.namespaced),
                    "kind": .string(r.kind), "verbs": ["get", "patch", "update"],
                ]))
            }
        }
        return .map(["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(first.groupVersion),
                     "resources": .list(resources)])
    }
}
