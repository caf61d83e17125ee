import Lang

/// The operations layer: a Tutor-compatible project root and the builtins
/// that work on it, registered into Lang's registry.
public enum Runtime {}
