import Foundation
import Lang

/// The kubeconfig that points kubectl at a sandbox: one cluster by URL, a context named `sandbox`, and an empty user
/// (the sandbox has no TLS and no authentication).
public enum Kubeconfig {
    public static let contextName = "sandbox"

    /// Block-style YAML, as `kubectl config view` writes it, so that a plain line reader (the REPL's prompt reads
    /// `current-context:` without a YAML parser) finds what kubectl finds.
    public static func text(server: String) -> String {
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: sandbox
          cluster:
            server: \(server)
        users:
        - name: sandbox
          user: {}
        contexts:
        - name: \(contextName)
          context:
            cluster: sandbox
            user: sandbox
        current-context: \(contextName)

        """
    }

    /// Writes the kubeconfig to `path`, readable by its owner only.
    public static func write(server: String, to path: String) throws {
        try text(server: server).write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }
}
