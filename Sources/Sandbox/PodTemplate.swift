import Core

/// A Deployment's pod template as its controller compares and names it. A ReplicaSet's template is the Deployment's
/// with a `pod-template-hash` label added; the real controller finds "the new ReplicaSet" by comparing templates with
/// that label ignored (`EqualIgnoreHash`), not by the hash, and so does the sandbox.
///
/// The comparison and the hash are over a canonical form, because the same template comes back written differently:
/// `kubectl rollout undo` sends the old ReplicaSet's template (label removed) as Go marshals it — keys in struct order,
/// `metadata.creationTimestamp: null`, empty strings left out — where `apply` wrote it in its own order. Undoing to a
/// template must find (and so keep the hash of) the ReplicaSet that ran it.
enum PodTemplate {
    static let hashLabel = "pod-template-hash"

    /// The template without the hash label, without `null` and `""` members, with every map's keys sorted.
    static func canonical(_ template: Value) -> Value {
        var t = template
        if case .map(let labels)? = t[path: "metadata", "labels"] {
            var l = labels.dict
            l[hashLabel] = nil
            t.set(["metadata", "labels"], l.isEmpty ? nil : .map(l))
        }
        return sorted(t)
    }

    private static func sorted(_ v: Value) -> Value {
        switch v {
        case .map(let m):
            var out = OrderedMap()
            for key in m.dict.keys.sorted() {
                let child = m.dict[key] ?? .null
                if child.isNull || child.stringValue == "" { continue }
                out[key] = sorted(child)
            }
            return .map(out)
        case .list(let l): return .list(l.map(sorted))
        default: return v
        }
    }

    /// Whether two templates are the same pod, the hash label aside.
    static func equalIgnoringHash(_ a: Value, _ b: Value) -> Bool {
        canonical(a).equals(canonical(b))
    }

    /// A short stable hash of the template written as a real cluster writes its `pod-template-hash` (FNV-1a 32,
    /// then `SafeEncodeString`), over the canonical JSON: the same template always gives the same ReplicaSet name.
    static func hash(_ template: Value) -> String {
        let text = (try? JSONWriter.encode(canonical(template))) ?? ""
        var h: UInt32 = 2_166_136_261
        for b in text.utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
        return NameGenerator.safeEncode(h)
    }
}
