import Core
import Lang
import OrderedCollections

/// `status` as data: one map per resource of `kubectl get all -o json`, with
/// what the table shows (kind, name, ready, status) and the raw object.
enum ResourceSummary {
    static func list(_ json: Value) -> Value {
        guard case .map(let root) = json, case .list(let items)? = root.dict["items"] else { return .list([]) }
        return .list(items.map(summary))
    }

    private static func int(_ v: Value?) -> Int {
        if case .int(let i)? = v { return i }
        return 0
    }

    static func summary(_ item: Value) -> Value {
        let kind = item.at("kind")?.displayString ?? ""
        var row: OrderedDictionary<String, Value> = [
            "kind": .string(kind),
            "name": item.at("metadata", "name") ?? .null,
        ]
        switch kind {
        case "Deployment", "StatefulSet", "ReplicaSet":
            let want = int(item.at("spec", "replicas")), ready = int(item.at("status", "readyReplicas"))
            row["ready"] = .string("\(ready)/\(want)")
            row["status"] = .string(ready >= want ? "Available" : "Progressing")
        case "Pod":
            let statuses: [Value]
            if case .list(let l)? = item.at("status", "containerStatuses") { statuses = l } else { statuses = [] }
            let ready = statuses.filter { $0.at("ready")?.isTruthy == true }.count
            row["ready"] = .string("\(ready)/\(statuses.count)")
            row["status"] = item.at("status", "phase") ?? .null
            row["restarts"] = .int(statuses.reduce(0) { $0 + int($1.at("restartCount")) })
        case "Service":
            row["type"] = item.at("spec", "type") ?? .null
            row["cluster_ip"] = item.at("spec", "clusterIP") ?? .null
            if case .list(let ingress)? = item.at("status", "loadBalancer", "ingress"), let first = ingress.first {
                row["external_ip"] = first.at("ip") ?? first.at("hostname") ?? .null
            } else {
                row["external_ip"] = .null
            }
        case "Job":
            row["succeeded"] = .int(int(item.at("status", "succeeded")))
            row["failed"] = .int(int(item.at("status", "failed")))
        default:
            break
        }
        row["object"] = item
        return .map(row)
    }
}
