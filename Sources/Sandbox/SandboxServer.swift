import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The NIO wiring: an HTTPS (and plain HTTP, `TLSSniffer`) listener on 127.0.0.1 only, one `HTTPHandler` per
/// connection, all sharing one store.
final class SandboxServer: @unchecked Sendable {
    let store = ObjectStore()
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
    private var channel: Channel?
    /// How often a followed pod log gets a heartbeat line.
    var logHeartbeat = TimeAmount.seconds(1)
    /// The simulated dumps' size and failure, for the execs of this run.
    var dumps = SandboxDumpSettings()

    /// Binds `127.0.0.1:port` (0 picks a free port) and returns the bound port; every request must carry `token`,
    /// TLS connections are served with `tls`.
    func start(port: Int, token: String, tls: NIOSSLContext) throws -> Int {
        let router = Router(store: store, token: token, dumps: dumps)
        let logHeartbeat = self.logHeartbeat
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TLSSniffer(tls))
                    try channel.pipeline.syncOperations.configureSandboxPipeline(router: router, logHeartbeat: logHeartbeat)
                }
            }
        let channel = try bootstrap.bind(host: "127.0.0.1", port: port).wait()
        self.channel = channel
        return channel.localAddress?.port ?? port
    }

    /// Closes the listener and every open connection (watches included), then stops the threads.
    func stop() {
        try? channel?.close().wait()
        channel = nil
        try? group.syncShutdownGracefully()
    }
}
