import Lang
import OrderedCollections

/// Small accessors for Kubernetes objects held as `Value` maps, so the store and the router read like the API they serve.
extension Value {
    /// The map's entries, or nil when the value is not a map.
    var entries: OrderedDictionary<String, Value>? {
        if case .map(let m) = self { return m.dict }
        return nil
    }

    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The value at a key path through nested maps, or nil when any step is missing.
    subscript(path keys: String...) -> Value? { at(keys) }

    /// Sets the value at a key path, creating the maps on the way; a non-map value on the way is replaced.
    mutating func set(_ keys: [String], _ newValue: Value?) {
        guard let first = keys.first else { if let newValue { self = newValue }; return }
        var d = entries ?? [:]
        if keys.count == 1 {
            d[first] = newValue
        } else {
            var child = d[first] ?? .map([:])
            child.set(Array(keys.dropFirst()), newValue)
            d[first] = child
        }
        self = .map(d)
    }

    /// The string entries of a map (labels, annotations); other values are skipped.
    var stringMap: [String: String] {
        var out: [String: String] = [:]
        for (k, v) in entries ?? [:] { if let s = v.stringValue { out[k] = s } }
        return out
    }
}
