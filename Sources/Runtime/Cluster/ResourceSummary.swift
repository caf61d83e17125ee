import Lang
import OrderedCollections

/// `status` as data: one map per resource of `kubectl get all -o json`, with
/// what the table shows (kind, name, ready, status) and the raw object.
enum ResourceSummary {
    static func list(_ json: Value) -> Value {
        guard case .map(let root) = json, case .list(let items)? = root.dict["items"] else { return .list([]) }
        return .list(items.map(summary))
    }

    private static func get(_ v: Value, _ path: String...) -> Value? {
        var cur = v
        for key in path {
            guard case .map(let m) = cur, let next = m.dict[key] else { return nil }
            cur = next
        }
        return cur
    }

    private static func int(_ v: Value?) -> Int {
        if case .int(let i)? = v { return i }
        return 0
    }

    static func summary(_ item: Value) -> Value {
        let kind = get(item, "kind")?.displayString ?? ""
        var row: OrderedDictionary<String, Value> = [
            "kind": .string(kind),
            "name": get(item, "metadata", "name") ?? .null,
        ]
        switch kind {
        case "Deployment", "StatefulSet", "ReplicaSet":
            let want = int(get(item, "spec", "replicas")), ready = int(get(item, "status", "readyReplicas"))
            row["ready"] = .string("\(ready)/\(want)")
            row["status"] = .string(ready >= want ? "Available" : "Progressing")
        case "Pod":
            let statuses: [Value]
            if case .list(let l)? = get(item, "status", "containerStatuses") { statuses = l } else { statuses = [] }
            let ready = statuses.filter { get($0, "ready")?.isTruthy == true }.count
            row["ready"] = .string("\(ready)/\(statuses.count)")
            row["status"] = get(item, "status", "phase") ?? .null
            row["restarts"] = .int(statuses.reduce(0) { $0 + int(get($1, "restartCount")) })
        case "Service":
            row["type"] = get(item, "spec", "type") ?? .null
            row["cluster_ip"] = get(item, "spec", "clusterIP") ?? .null
            if case .list(let ingress)? = get(item, "status", "loadBalancer", "ingress"), let first = ingress.first {
                row["external_ip"] = get(first, "ip") ?? get(first, "hostname") ?? .null
            } else {
                row["external_ip"] = .null
            }
        case "Job":
            row["succeeded"] = .int(int(get(item, "status", "succeeded")))
            row["failed"] = .int(int(get(item, "status", "failed")))
        default:
            break
        }
        row["object"] = item
        return .map(row)
    }
}
