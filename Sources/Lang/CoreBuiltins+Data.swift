extension CoreBuiltins {
    static func registerData(_ r: Registry) {
    }
}
