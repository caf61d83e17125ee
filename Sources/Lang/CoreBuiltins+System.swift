extension CoreBuiltins {
    static func registerSystem(_ r: Registry) {
    }
}
