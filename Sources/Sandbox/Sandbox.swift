import Foundation

/// A Kubernetes API server emulator that the real kubectl talks to, in this process, on 127.0.0.1.
/// `start` binds it and writes a kubeconfig into `directory`; `stop` closes every connection.
public final class Sandbox: @unchecked Sendable {
    private let server = SandboxServer()
    private let directory: URL
    private let requestedPort: Int
    private let state: StateFile?
    private lazy var controllers = Controllers(store: server.store, delays: SandboxDelays())
    /// The bearer token of this run (a new one at every `start`); only the kubeconfig holds it.
    private(set) var token = ""

    /// How long the simulated controllers take (pod start, Job run); settable at any time.
    public var delays: SandboxDelays {
        get { controllers.delays }
        set { controllers.delays = newValue }
    }

    /// `directory` holds the kubeconfig (and is a good place for `KUBECACHEDIR`); `port` 0 picks a free one.
    /// With `stateFile`, the objects are read from it at `start` (when it exists) and written back to it after
    /// every change and at `stop`, so a restarted sandbox carries on where the last one left off.
    public init(directory: URL, port: Int = 0, stateFile: String? = nil) {
        self.directory = directory
        self.requestedPort = port
        let store = server.store
        self.state = stateFile.map { StateFile(path: $0, store: store) }
    }

    /// Starts serving; returns the bound port and the kubeconfig's path (owner-only: it holds the bearer token every
    /// request needs). Throws before serving anything when the state file cannot be read (the file is left as it was).
    public func start() throws -> (port: Int, kubeconfigPath: String) {
        try state?.load()
        // kubectl's commands default to the `default` namespace, which every real cluster has.
        _ = try? server.store.create(ResourceCatalog.namespaces, namespace: "", object: ["metadata": ["name": "default"]])
        token = BearerToken.random().value
        let tls = try TLSIdentity.make()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let port = try server.start(port: requestedPort, token: token, tls: tls.context)
        controllers.start()
        state?.watchChanges()
        let path = directory.appendingPathComponent("kubeconfig").path
        try Kubeconfig.write(server: "https://127.0.0.1:\(port)", authority: tls.authorityPEM, token: token, to: path)
        return (port, path)
    }

    /// Stops serving; with a state file, writes it one last time. Returns why that write failed, if it did.
    @discardableResult
    public func stop() -> String? {
        controllers.stop()
        server.stop()
        return state?.close()
    }

    /// The store's resourceVersion counter (for tests).
    var resourceVersion: Int { server.store.resourceVersion }

    /// How big the simulated `mysqldump`/`mongodump` outputs of `kubectl exec` are, and whether they break partway
    /// (docs/sandbox.md, "Simulated dumps"); set before `start`.
    public var dumps: SandboxDumpSettings {
        get { server.dumps }
        set { server.dumps = newValue }
    }

    /// Seconds between the heartbeat lines of a followed pod log (`kubectl logs --follow`); set before `start`.
    public var logHeartbeatSeconds: Double {
        get { Double(server.logHeartbeat.nanoseconds) / 1e9 }
        set { server.logHeartbeat = .nanoseconds(Int64(newValue * 1e9)) }
    }
}
