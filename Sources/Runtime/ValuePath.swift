import Lang

extension Value {
    /// The value at a path of map keys (`job.at("metadata", "name")`), or nil where a key is missing.
    func at(_ path: String...) -> Value? { at(path) }

    func at(_ path: [String]) -> Value? {
        var cur = self
        for key in path {
            guard case .map(let m) = cur, let next = m.dict[key] else { return nil }
            cur = next
        }
        return cur
    }
}
