extension CoreBuiltins {
    static func registerText(_ r: Registry) {
    }
}
