extension CoreBuiltins {
    static func registerCollections(_ r: Registry) {
    }
}
