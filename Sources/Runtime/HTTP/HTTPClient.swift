import Dispatch
import Foundation
import Lang
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One HTTP request as `http` sends it.
struct HTTPRequest: Sendable {
    var method: String
    var target: HTTPTarget
    /// The caller's headers, in order; `HTTPClient` adds `Host`, `User-Agent`, `Accept`, `Content-Length` and
    /// `Connection` unless they are given.
    var headers: [(name: String, value: String)]
    var body: [UInt8]?
}

/// A whole response, its body read to the end.
struct HTTPResponse: Sendable {
    var status: Int
    var reason: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    /// The first header of that name, whatever its case.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// A blocking HTTP/1.1 client for a synchronous interpreter: each request gets a connection of its own
/// (`Connection: close`; health checks are few and far between), NIO does the I/O on its shared threads, and the
/// caller waits in 50 ms slices so that a deadline or Ctrl-C ends the wait at once, whatever the server does.
final class HTTPClient {
    /// What https trusts.
    enum Trust {
        /// The system's authorities, and these too (`--ca FILE`).
        case system(adding: [NIOSSLCertificate])
        /// Any certificate for any name (`--insecure`).
        case anything
    }

    let trust: Trust
    let maxBodyBytes: Int
    /// Polled while waiting: true when the user pressed Ctrl-C.
    let isInterrupted: () -> Bool
    /// Made at the first https request and kept for the rest (loading the system's roots is not free).
    private var tlsContext: NIOSSLContext?

    init(trust: Trust, maxBodyBytes: Int = 64 << 20, isInterrupted: @escaping () -> Bool) {
        self.trust = trust
        self.maxBodyBytes = maxBodyBytes
        self.isInterrupted = isInterrupted
    }

    /// Sends `request` on a new connection and waits for its whole response, at most `timeout` seconds from `start`
    /// (connecting included).
    func send(_ request: HTTPRequest, start: ContinuousClock.Instant, timeout: Double) throws(HTTPFailure) -> HTTPResponse {
        let deadline = start.advanced(by: .seconds(timeout))
        let target = request.target
        let tls = target.secure ? try context() : nil
        // IP addresses may not be sent as a TLS server name; NIOSSL then checks the certificate against the address.
        let serverName = (try? SocketAddress(ipAddress: target.host, port: target.port)) == nil ? target.host : nil
        let head = Self.head(request)
        let body = request.body
        let limit = maxBodyBytes
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let promise = loop.makePromise(of: HTTPResponse.self)
        let left = max(Int64(1), Self.nanoseconds(deadline - ContinuousClock.now))
        let connection = ClientBootstrap(group: loop)
            .connectTimeout(.nanoseconds(left))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls { try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName)) }
                    try pipeline.addHTTPClientHandlers()
                    try pipeline.addHandler(ExchangeHandler(head: head, body: body, limit: limit, promise: promise))
                }
            }
            .connect(host: target.host, port: target.port)
        connection.cascadeFailure(to: promise)
        // However the wait ends, the connection goes (a no-op when the handler has closed it already).
        defer { connection.whenSuccess { $0.close(promise: nil) } }
        let outcome = Outcome()
        promise.futureResult.whenComplete { outcome.finish($0) }
        while !outcome.wait(milliseconds: 50) {
            if isInterrupted() { throw .interrupted }
            if ContinuousClock.now >= deadline { throw .timedOut(seconds: timeout) }
        }
        switch outcome.result! {
        case .success(let response): return response
        case .failure(let error): throw HTTPFailure(error, host: target.host, timeout: timeout)
        }
    }

    private func context() throws(HTTPFailure) -> NIOSSLContext {
        if let tlsContext { return tlsContext }
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch trust {
        case .system(let extra):
            if !extra.isEmpty { configuration.additionalTrustRoots = [.certificates(extra)] }
        case .anything:
            configuration.certificateVerification = .none
        }
        do {
            let made = try NIOSSLContext(configuration: configuration)
            tlsContext = made
            return made
        } catch {
            throw .tls("cannot set up TLS (\(error))", certificate: false)
        }
    }

    /// The request line and headers: the caller's, after the ones every request needs (which the caller's replace).
    private static func head(_ request: HTTPRequest) -> HTTPRequestHead {
        let target = request.target
        var defaults: [(String, String)] = [("Host", target.hostHeader), ("User-Agent", "tk8s/\(tk8sVersion)"), ("Accept", "*/*")]
        if let user = target.user {
            let credentials = Data((user + ":" + (target.password ?? "")).utf8).base64EncodedString()
            defaults.append(("Authorization", "Basic " + credentials))
        }
        if let body = request.body { defaults.append(("Content-Length", String(body.count))) }
        let given = Set(request.headers.map { $0.name.lowercased() })
        var headers = HTTPHeaders(defaults.filter { !given.contains($0.0.lowercased()) })
        for h in request.headers { headers.add(name: h.name, value: h.value) }
        headers.replaceOrAdd(name: "Connection", value: "close")
        return HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: target.requestTarget,
                               headers: headers)
    }

    private static func nanoseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
    }
}

/// Where NIO's thread leaves the result for the waiting caller.
private final class Outcome: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written once, before `done` is signalled; read only after `wait` saw the signal.
    private(set) var result: Result<HTTPResponse, Error>?

    func finish(_ r: Result<HTTPResponse, Error>) {
        result = r
        done.signal()
    }

    /// True once the result is there; false when `milliseconds` passed first.
    func wait(milliseconds: Int) -> Bool { done.wait(timeout: .now() + .milliseconds(milliseconds)) == .success }
}

/// Writes one request as soon as the connection is up and gathers the response for `promise`, which fails when
/// the body passes `limit` or the connection ends before the response does.
private final class ExchangeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let head: HTTPRequestHead
    private let body: [UInt8]?
    private let limit: Int
    private let promise: EventLoopPromise<HTTPResponse>
    private var response: HTTPResponse?
    private var finished = false

    init(head: HTTPRequestHead, body: [UInt8]?, limit: Int, promise: EventLoopPromise<HTTPResponse>) {
        self.head = head; self.body = body; self.limit = limit; self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body, !body.isEmpty { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !finished else { return }
        switch unwrapInboundIn(data) {
        case .head(let h):
            response = HTTPResponse(status: Int(h.status.code), reason: h.status.reasonPhrase,
                                    headers: h.headers.map { ($0.name, $0.value) }, body: [])
        case .body(let chunk):
            guard let got = response?.body.count else { return }
            if got + chunk.readableBytes > limit {
                finish(context, .failure(HTTPFailure.tooLarge(limit: limit)))
            } else {
                response?.body.append(contentsOf: chunk.readableBytesView)
            }
        case .end:
            // An informational answer (100 Continue) comes before the real one.
            if let r = response, !(100..<200).contains(r.status) { finish(context, .success(r)) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) { finish(context, .failure(error)) }

    func channelInactive(context: ChannelHandlerContext) {
        let words = response == nil ? "the server closed the connection without answering"
                                    : "the server closed the connection before the end of its answer"
        finish(context, .failure(HTTPFailure.broken(words)))
        context.fireChannelInactive()
    }

    private func finish(_ context: ChannelHandlerContext, _ result: Result<HTTPResponse, Error>) {
        guard !finished else { return }
        finished = true
        promise.completeWith(result)
        context.close(promise: nil)
    }
}
