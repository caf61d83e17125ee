import Core
import OrderedCollections

/// The two patch formats kubectl sends: JSON merge patch (RFC 7386, `scale`) and the minimum of strategic merge
/// patch that client-side `apply` and `patch` produce. Strategic merge differs in three ways: `$`-keys are directives,
/// lists of objects merge by a per-field key instead of being replaced, and `$setElementOrder` fixes their order.
enum Patch {
    /// RFC 7386: maps merge recursively, `null` deletes, anything else replaces.
    static func merge(_ original: Value, _ patch: Value) -> Value {
        guard let p = patch.entries else { return patch }
        var out = original.entries ?? [:]
        for (k, v) in p {
            if case .null = v { out[k] = nil } else { out[k] = merge(out[k] ?? .null, v) }
        }
        return .map(out)
    }

    /// The field name → merge key table for lists of objects; `ports` is keyed by whichever of
    /// `containerPort` (containers) or `port` (services) its entries carry.
    static func mergeKey(field: String, element: OrderedMap) -> String? {
        switch field {
        case "containers", "initContainers", "ephemeralContainers", "env", "volumes", "imagePullSecrets": return "name"
        case "volumeMounts", "volumeDevices": return "mountPath"
        case "ports": return element["containerPort"] != nil ? "containerPort" : "port"
        default: return nil
        }
    }

    /// Applies a strategic merge patch to a map; a patch map with `$patch: replace` replaces the original.
    static func strategic(_ original: Value, _ patch: Value) -> Value {
        guard let p = patch.entries else { return patch }
        if p["$patch"]?.stringValue == "replace" { return .map(p.filter { !$0.key.hasPrefix("$") }) }
        var out = original.entries ?? [:]
        var orders: [String: [Value]] = [:]
        for (k, v) in p {
            if k.hasPrefix("$setElementOrder/") {
                if case .list(let order) = v { orders[String(k.dropFirst("$setElementOrder/".count))] = order }
            } else if k.hasPrefix("$deleteFromPrimitiveList/") {
                let field = String(k.dropFirst("$deleteFromPrimitiveList/".count))
                if case .list(let gone) = v, case .list(let items)? = out[field] {
                    out[field] = .list(items.filter { item in !gone.contains { $0.equals(item) } })
                }
            } else if k.hasPrefix("$") {
                continue   // $retainKeys and other directives: nothing the sandbox needs to honour
            } else if case .null = v {
                out[k] = nil
            } else if case .list(let items) = v {
                out[k] = mergeList(field: k, original: out[k], patch: items)
            } else if v.entries != nil {
                out[k] = strategic(out[k] ?? .map([:]), v)
            } else {
                out[k] = v
            }
        }
        for (field, order) in orders {
            if case .list(let items)? = out[field] { out[field] = .list(reorder(items, field: field, by: order)) }
        }
        return .map(out)
    }

    /// Merges a patch list into a list by the field's merge key; lists without one (or of scalars) are replaced.
    static func mergeList(field: String, original: Value?, patch: [Value]) -> Value {
        let patchMaps = patch.compactMap(\.entries)
        guard patchMaps.count == patch.count, let first = patchMaps.first(where: { $0["$patch"] == nil }) ?? patchMaps.first,
              let key = mergeKey(field: field, element: first) else { return .list(patch) }
        if patchMaps.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
            return .list(patchMaps.filter { $0["$patch"] == nil }.map(Value.map))
        }
        guard case .list(var items)? = original else {
            return .list(patchMaps.filter { $0["$patch"] == nil }.map(Value.map))
        }
        for element in patchMaps {
            let id = element[key] ?? .null
            let index = items.firstIndex { ($0.entries?[key] ?? .null).equals(id) }
            if element["$patch"]?.stringValue == "delete" {
                if let index { items.remove(at: index) }
            } else if let index {
                items[index] = strategic(items[index], .map(element))
            } else {
                items.append(strategic(.map([:]), .map(element)))
            }
        }
        return .list(items)
    }

    /// `$setElementOrder`: the listed entries first, in the given order, then any others as they were.
    static func reorder(_ items: [Value], field: String, by order: [Value]) -> [Value] {
        guard let first = order.first?.entries, let key = mergeKey(field: field, element: first) else { return items }
        var rest = items, out: [Value] = []
        for o in order {
            let id = o.entries?[key] ?? .null
            if let i = rest.firstIndex(where: { ($0.entries?[key] ?? .null).equals(id) }) { out.append(rest.remove(at: i)) }
        }
        return out + rest
    }
}
