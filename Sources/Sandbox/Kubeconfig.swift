import Core
import Foundation

/// The kubeconfig that points kubectl at a sandbox: one cluster by URL (HTTPS on 127.0.0.1) with the sandbox's own
/// certificate authority, a context named `sandbox`, and a user with the sandbox's bearer token (the only credential,
/// so the file is 0600).
public enum Kubeconfig {
    public static let contextName = "sandbox"

    /// Block-style YAML, as `kubectl config view` writes it, so that a plain line reader (the REPL's prompt reads
    /// `current-context:` without a YAML parser) finds what kubectl finds.
    public static func text(server: String, authority: String, token: String) -> String {
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: sandbox
          cluster:
            server: \(server)
            certificate-authority-data: \(Data(authority.utf8).base64EncodedString())
        users:
        - name: sandbox
          user:
            token: \(token)
        contexts:
        - name: \(contextName)
          context:
            cluster: sandbox
            user: sandbox
        current-context: \(contextName)

        """
    }

    /// Writes the kubeconfig to `path`, readable by its owner only from the first byte on (created 0600, whatever
    /// the umask, then renamed into place: the token is never readable by others, not even for an instant).
    public static func write(server: String, authority: String, token: String, to path: String) throws {
        try FileSystem.writeAtomically(path, Array(text(server: server, authority: authority, token: token).utf8), mode: 0o600)
    }
}
