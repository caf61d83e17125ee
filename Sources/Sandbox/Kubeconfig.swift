import Foundation
import Lang

/// The kubeconfig that points kubectl at a sandbox: one cluster by URL, a context named `sandbox`, and an empty user
/// (the sandbox has no TLS and no authentication).
public enum Kubeconfig {
    public static let contextName = "sandbox"

    public static func text(server: String) -> String {
        let config: Value = [
            "apiVersion": "v1", "kind": "Config",
            "clusters": [["name": "sandbox", "cluster": ["server": .string(server)]]],
            "users": [["name": "sandbox", "user": [:]]],
            "contexts": [["name": .string(contextName), "context": ["cluster": "sandbox", "user": "sandbox"]]],
            "current-context": .string(contextName),
        ]
        // JSON is YAML, and kubectl reads it as a kubeconfig.
        return (try? JSONWriter.encode(config, indent: 2)) ?? ""
    }

    /// Writes the kubeconfig to `path`, readable by its owner only.
    public static func write(server: String, to path: String) throws {
        try text(server: server).write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }
}
