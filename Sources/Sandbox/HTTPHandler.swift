import Core
import NIOCore
import NIOHTTP1

/// One connection: collects each request, asks the router, and writes the answer. A watch keeps the response open
/// (chunked, one JSON event per line) until its timeout or until the client goes away; so does a followed pod log.
/// Exec upgrades to WebSocket before this handler sees the request (`configureSandboxPipeline`).
///
/// A request without the sandbox's bearer token is answered 401 whatever its path, and its body is not even kept.
final class HTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let router: Router
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var watch: WatchStream?
    private var logs: LogStream?
    private let logHeartbeat: TimeAmount
    /// The largest request body accepted, as a real API server's 3 MiB limit; a bigger one gets 413 and the
    /// connection closes (the rest is not read into memory).
    static let maxBody = 3 << 20
    private var tooLarge = false
    /// Whether the current request carries the token (decided at its head).
    private var authorized = false

    init(router: Router, logHeartbeat: TimeAmount = .seconds(1)) {
        self.router = router
        self.logHeartbeat = logHeartbeat
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body.clear()
            tooLarge = false
            authorized = router.authorizes(h.headers.first(name: "authorization"))
        case .body(var chunk):
            guard authorized, !tooLarge else { return }
            if body.readableBytes + chunk.readableBytes > Self.maxBody {
                tooLarge = true
                body.clear()
                return
            }
            body.writeBuffer(&chunk)
        case .end:
            guard var head else { return }
            self.head = nil
            if !authorized {
                writeJSON(context: context, head: head, status: 401, value: APIError.unauthorized.status)
                return
            }
            if tooLarge {
                head.headers.replaceOrAdd(name: "connection", value: "close")
                let e = APIError(code: 413, reason: "RequestEntityTooLarge", message: "the request body is larger than \(Self.maxBody) bytes")
                writeJSON(context: context, head: head, status: 413, value: e.status)
                return
            }
            let request = APIRequest(method: head.method.rawValue, uri: head.uri,
                                     contentType: head.headers.first(name: "content-type") ?? "",
                                     accept: head.headers.first(name: "accept") ?? "",
                                     body: Array(body.readableBytesView))
            switch router.respond(request) {
            case .json(let status, let value):
                writeJSON(context: context, head: head, status: status, value: value)
            case .watch(let filter, let from, let timeout, let table):
                watch = WatchStream(store: router.store, channel: context.channel, filter: filter, from: from,
                                    timeoutSeconds: timeout, table: table, version: head.version)
            case .logs(let r):
                logs = LogStream(r, store: router.store, channel: context.channel, heartbeat: logHeartbeat,
                                 version: head.version, keepAlive: head.isKeepAlive)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        watch?.stop()
        watch = nil
        logs?.stop()
        logs = nil
        context.fireChannelInactive()
    }

    private func writeJSON(context: ChannelHandlerContext, head: HTTPRequestHead, status: Int, value: Value) {
        let text = (try? JSONWriter.encode(value)) ?? "{}"
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(text.utf8.count))
        if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .init(statusCode: status), headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: text)))), promise: nil)
        let keepAlive = head.isKeepAlive
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { channel.close(promise: nil) }
        }
    }
}
