import Foundation

/// A Kubernetes API server emulator that the real kubectl talks to, in this process, on 127.0.0.1.
/// `start` binds it and writes a kubeconfig into `directory`; `stop` closes every connection.
public final class Sandbox: @unchecked Sendable {
    private let server = SandboxServer()
    private let directory: URL
    private let requestedPort: Int
    private lazy var controllers = Controllers(store: server.store, delays: SandboxDelays())

    /// How long the simulated controllers take (pod start, Job run); settable at any time.
    public var delays: SandboxDelays {
        get { controllers.delays }
        set { controllers.delays = newValue }
    }

    /// `directory` holds the kubeconfig (and is a good place for `KUBECACHEDIR`); `port` 0 picks a free one.
    public init(directory: URL, port: Int = 0) {
        self.directory = directory
        self.requestedPort = port
    }

    /// Starts serving; returns the bound port and the kubeconfig's path.
    public func start() throws -> (port: Int, kubeconfigPath: String) {
        let port = try server.start(port: requestedPort)
        controllers.start()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("kubeconfig").path
        try Kubeconfig.write(server: "http://127.0.0.1:\(port)", to: path)
        return (port, path)
    }

    public func stop() {
        controllers.stop()
        server.stop()
    }

    /// Seconds between the heartbeat lines of a followed pod log (`kubectl logs --follow`); set before `start`.
    public var logHeartbeatSeconds: Double {
        get { Double(server.logHeartbeat.nanoseconds) / 1e9 }
        set { server.logHeartbeat = .nanoseconds(Int64(newValue * 1e9)) }
    }
}
