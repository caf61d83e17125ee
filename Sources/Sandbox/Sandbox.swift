import Foundation

/// A Kubernetes API server emulator that the real kubectl talks to, in this process, on 127.0.0.1.
/// `start` binds it and writes a kubeconfig into `directory`; `stop` closes every connection.
public final class Sandbox: @unchecked Sendable {
    private let server = SandboxServer()
    private let directory: URL
    private let requestedPort: Int

    /// `directory` holds the kubeconfig (and is a good place for `KUBECACHEDIR`); `port` 0 picks a free one.
    public init(directory: URL, port: Int = 0) {
        self.directory = directory
        self.requestedPort = port
    }

    /// Starts serving; returns the bound port and the kubeconfig's path.
    public func start() throws -> (port: Int, kubeconfigPath: String) {
        let port = try server.start(port: requestedPort)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("kubeconfig").path
        try Kubeconfig.write(server: "http://127.0.0.1:\(port)", to: path)
        return (port, path)
    }

    public func stop() { server.stop() }
}
