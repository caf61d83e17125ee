/// Reading nested data (kubectl JSON, manifests) without a chain of `case .map` matches.
extension Value {
    /// The value at a path of map keys (`job.at("metadata", "name")`), or nil where a key is missing.
    public func at(_ path: String...) -> Value? { at(path) }

    public func at(_ path: [String]) -> Value? {
        var cur = self
        for key in path {
            guard case .map(let m) = cur, let next = m.dict[key] else { return nil }
            cur = next
        }
        return cur
    }
}
