import Core
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

    var isNull: Bool {
        if case .null = self { return true }
        return false
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

/// Accessors for object metadata (the controllers, the store and the state file read objects with them).
extension Value {
    var name: String { self[path: "metadata", "name"]?.stringValue ?? "" }
    var namespace: String { self[path: "metadata", "namespace"]?.stringValue ?? "" }
    var uid: String { self[path: "metadata", "uid"]?.stringValue ?? "" }
    var labels: [String: String] { (self[path: "metadata", "labels"] ?? [:]).stringMap }
    var annotations: [String: String] { (self[path: "metadata", "annotations"] ?? [:]).stringMap }
    var creationTimestamp: String { self[path: "metadata", "creationTimestamp"]?.stringValue ?? "" }

    /// An integer field, read leniently (a state file or a status may hold `2.0` or `"2"`); nil when the value is no
    /// integer Swift can hold — `Int(1e300)` would trap, so an out-of-range float is nil, not a crash.
    var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .float(let d): return Int(exactly: d.rounded(.towardZero))
        case .string(let s): return Int(s)
        default: return nil
        }
    }

    /// A count or a port as Kubernetes holds them (int32), clamped into that range: the controllers and printers
    /// add counts up (`restartCount`s, `readyReplicas`), and a status anyone may patch must not make a sum overflow.
    var countValue: Int? {
        intValue.map { min(max($0, Int(Int32.min)), Int(Int32.max)) }
    }

    var listValue: [Value]? {
        if case .list(let l) = self { return l }
        return nil
    }

    var ownerUIDs: [String] { (self[path: "metadata", "ownerReferences"]?.listValue ?? []).compactMap { $0[path: "uid"]?.stringValue } }

    /// The owner reference marked `controller: true`.
    var controllerRef: (kind: String, name: String, uid: String)? {
        guard let ref = self[path: "metadata", "ownerReferences"]?.listValue?.first(where: {
            if case .bool(true) = $0[path: "controller"] ?? .null { return true } else { return false }
        }) else { return nil }
        return (ref[path: "kind"]?.stringValue ?? "", ref[path: "name"]?.stringValue ?? "", ref[path: "uid"]?.stringValue ?? "")
    }

    /// Phase Running with the Ready condition True.
    var isReady: Bool {
        self[path: "status", "phase"]?.stringValue == "Running"
            && (self[path: "status", "conditions"]?.listValue ?? []).contains {
                $0[path: "type"]?.stringValue == "Ready" && $0[path: "status"]?.stringValue == "True"
            }
    }

    /// Roughly how many bytes the value holds (text, plus a word or two per element): what the store's watch log
    /// counts against its budget. Not exact, only proportional to what a change keeps alive.
    var approximateBytes: Int {
        switch self {
        case .null, .bool, .int, .float: return 8
        case .string(let s): return 16 + s.utf8.count
        case .list(let l): return l.reduce(16) { $0 + 8 + $1.approximateBytes }
        case .map(let m): return m.dict.reduce(32) { $0 + 24 + $1.key.utf8.count + $1.value.approximateBytes }
        case .error: return 64
        }
    }
}
