import Foundation
import Lang
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// One `…/pods/P/exec` request, checked against the store: the command, the streams asked for, the pod's context.
struct ExecRequest: Sendable {
    static let protocolName = "v5.channel.k8s.io"

    var command: [String]
    var stdin: Bool
    var stdout: Bool
    var stderr: Bool
    var tty: Bool
    var context: ExecContext

    /// The checks a real API server makes: 404 for a missing pod, 400 for a finished pod or an unknown container.
    init(_ req: APIRequest, store: ObjectStore, namespace: String, pod name: String) throws {
        let pod = try PodAccess.pod(store, namespace, name)
        let container = try PodAccess.container(pod, named: req.param("container"))
        if let phase = pod[path: "status", "phase"]?.stringValue, phase == "Succeeded" || phase == "Failed" {
            throw APIError.badRequest("cannot exec into a container in a completed pod; current phase is \(phase)")
        }
        command = req.query["command"] ?? []
        guard !command.isEmpty else { throw APIError.badRequest("you must specify at least 1 command") }
        func flag(_ n: String) -> Bool { req.param(n).map { $0 == "true" || $0 == "1" } ?? false }
        stdin = flag("stdin"); stdout = flag("stdout"); stderr = flag("stderr"); tty = flag("tty")
        context = ExecContext(pod: pod, container: container)
    }

    /// Parses an upgrade request's URI: `/api/v1/namespaces/NS/pods/P/exec?…`; nil when it is not an exec.
    static func parse(_ head: HTTPRequestHead, store: ObjectStore) throws -> ExecRequest? {
        let req = APIRequest(method: head.method.rawValue, uri: head.uri)
        let s = req.path.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        guard s.count == 7, s[0] == "api", s[1] == "v1", s[2] == "namespaces", s[4] == "pods", s[6] == "exec" else { return nil }
        return try ExecRequest(req, store: store, namespace: s[3], pod: s[5])
    }
}

/// The exec session after the 101: binary frames whose first byte is the channel (0 stdin, 1 stdout, 2 stderr,
/// 3 status, 4 resize, 255 close-stream). Ends with `[3]`+Status, a close frame (1000), then closes the TCP connection.
final class ExecHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let request: ExecRequest
    private var outcome = ExecOutcome()
    private var finished = false

    init(_ request: ExecRequest) { self.request = request }

    /// How long the "process" takes to start. kubectl (client-go's remotecommand/websocket.go) starts reading frames
    /// before it has registered its streams, so output sent right behind the 101 can be dropped ("Unknown stream id 1,
    /// discarding message", then "error: closed all streams"): seen once in 814 execs of the soak with 20 clients on
    /// a loaded machine, and again once in 967 with a 25 ms delay at a load average of 20 on 2 cores. A real
    /// kubelet's process (through the container runtime) takes about this long to start and print.
    static let startDelay = TimeAmount.milliseconds(100)

    func handlerAdded(context: ChannelHandlerContext) {
        outcome = ExecCommands.run(request.command, in: request.context)
        guard !outcome.readsStdin || !request.stdin else { return }
        let loop = context.eventLoop.assumeIsolated()
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        loop.scheduleTask(in: Self.startDelay) { [self] in finish(context: bound.value) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .binary, .text:
            var bytes = frame.unmaskedData
            guard !finished, let channel = bytes.readInteger(as: UInt8.self) else { return }
            switch channel {
            case 0: // stdin: `cat` echoes it
                if outcome.readsStdin, bytes.readableBytes > 0 { send(context, 1, bytes) }
            case 255: // close-stream; `[255, 0]` is stdin's EOF
                if bytes.readInteger(as: UInt8.self) == 0 { finish(context: context) }
            default: break // 4: resize, nothing to do
            }
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .connectionClose:
            finished = true
            context.close(promise: nil)
        default: break
        }
    }

    private func send(_ context: ChannelHandlerContext, _ stream: UInt8, _ payload: ByteBuffer) {
        var buffer = context.channel.allocator.buffer(capacity: payload.readableBytes + 1)
        buffer.writeInteger(stream)
        buffer.writeImmutableBuffer(payload)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .binary, data: buffer)), promise: nil)
    }

    private func finish(context: ChannelHandlerContext) {
        guard !finished else { return }
        finished = true
        let out = outcome.stdout + (request.tty ? outcome.stderr : "")
        if request.stdout, !out.isEmpty { send(context, 1, ByteBuffer(string: out)) }
        if request.stderr, !request.tty, !outcome.stderr.isEmpty { send(context, 2, ByteBuffer(string: outcome.stderr)) }
        let status = (try? JSONWriter.encode(Self.status(exitCode: outcome.exitCode, command: request.command))) ?? "{}"
        send(context, 3, ByteBuffer(string: status))
        var code = context.channel.allocator.buffer(capacity: 2)
        code.writeInteger(UInt16(1000))
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: code))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    /// The v5 status message: Success, or Failure/NonZeroExitCode with the code in `details.causes`.
    static func status(exitCode: Int, command: [String]) -> Value {
        if exitCode == 0 { return ["metadata": [:], "status": "Success"] }
        return ["metadata": [:], "status": "Failure",
                "message": .string("command terminated with non-zero exit code: error executing command [\(command.joined(separator: " "))], exit code \(exitCode)"),
                "reason": "NonZeroExitCode",
                "details": ["causes": [["reason": "ExitCode", "message": .string(String(exitCode))]]]]
    }
}

extension ChannelPipeline.SynchronousOperations {
    /// HTTP/1.1 with a WebSocket upgrader for pod exec (only `v5.channel.k8s.io`, only with the router's bearer token,
    /// only for a pod that can exec; everything else reaches `HTTPHandler`, which answers with the same Status errors
    /// — 401 without the token — and never upgrades), then the `HTTPHandler`.
    func configureSandboxPipeline(router: Router, logHeartbeat: TimeAmount) throws {
        let store = router.store
        let name = "sandbox-http"
        let upgrader = NIOWebSocketServerUpgrader(
            shouldUpgrade: { channel, head in
                let protocols = head.headers[canonicalForm: "Sec-WebSocket-Protocol"].map(String.init)
                guard router.authorizes(head.headers.first(name: "authorization")), protocols.contains(ExecRequest.protocolName),
                      (try? ExecRequest.parse(head, store: store)) ?? nil != nil else {
                    return channel.eventLoop.makeSucceededFuture(nil)
                }
                return channel.eventLoop.makeSucceededFuture(HTTPHeaders([("Sec-WebSocket-Protocol", ExecRequest.protocolName)]))
            },
            upgradePipelineHandler: { channel, head in
                channel.pipeline.removeHandler(name: name).flatMapThrowing {
                    guard let request = try ExecRequest.parse(head, store: store) else { throw APIError.badRequest("not an exec request") }
                    // A client may split a message into fragments; the channel byte is only on the first one, so
                    // the session reads whole messages (at most 1 MiB, as a real server's stdin frames never are).
                    try channel.pipeline.syncOperations.addHandler(NIOWebSocketFrameAggregator(
                        minNonFinalFragmentSize: 1, maxAccumulatedFrameCount: 1024, maxAccumulatedFrameSize: 1 << 20))
                    try channel.pipeline.syncOperations.addHandler(ExecHandler(request))
                }
            })
        try configureHTTPServerPipeline(withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
        try addHandler(HTTPHandler(router: router, logHeartbeat: logHeartbeat), name: name)
    }
}
