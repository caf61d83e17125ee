import Foundation
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
    init(_ req: APIRequest, store: ObjectStore, namespace: String, pod name: String, dumps: SandboxDumpSettings = SandboxDumpSettings()) throws {
        let pod = try PodAccess.pod(store, namespace, name)
        let container = try PodAccess.container(pod, named: req.param("container"))
        if let phase = pod[path: "status", "phase"]?.stringValue, phase == "Succeeded" || phase == "Failed" {
            throw APIError.badRequest("cannot exec into a container in a completed pod; current phase is \(phase)")
        }
        command = req.query["command"] ?? []
        guard !command.isEmpty else { throw APIError.badRequest("you must specify at least 1 command") }
        func flag(_ n: String) -> Bool { req.param(n).map { $0 == "true" || $0 == "1" } ?? false }
        stdin = flag("stdin"); stdout = flag("stdout"); stderr = flag("stderr"); tty = flag("tty")
        context = ExecContext(pod: pod, container: container, dumps: dumps)
    }

    /// Parses an upgrade request's URI: `/api/v1/namespaces/NS/pods/P/exec?…`; nil when it is not an exec.
    static func parse(_ head: HTTPRequestHead, router: Router) throws -> ExecRequest? {
        let req = APIRequest(method: head.method.rawValue, uri: head.uri)
        let s = req.path.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        guard s.count == 7, s[0] == "api", s[1] == "v1", s[2] == "namespaces", s[4] == "pods", s[6] == "exec" else { return nil }
        return try ExecRequest(req, store: router.store, namespace: s[3], pod: s[5], dumps: router.dumps)
    }
}

extension ChannelPipeline.SynchronousOperations {
    /// HTTP/1.1 with a WebSocket upgrader for pod exec (only `v5.channel.k8s.io`, only with the router's bearer token,
    /// only for a pod that can exec; everything else reaches `HTTPHandler`, which answers with the same Status errors
    /// — 401 without the token — and never upgrades), then the `HTTPHandler`.
    func configureSandboxPipeline(router: Router, logHeartbeat: TimeAmount) throws {
        let name = "sandbox-http"
        let upgrader = NIOWebSocketServerUpgrader(
            shouldUpgrade: { channel, head in
                let protocols = head.headers[canonicalForm: "Sec-WebSocket-Protocol"].map(String.init)
                guard router.authorizes(head.headers.first(name: "authorization")), protocols.contains(ExecRequest.protocolName),
                      (try? ExecRequest.parse(head, router: router)) ?? nil != nil else {
                    return channel.eventLoop.makeSucceededFuture(nil)
                }
                return channel.eventLoop.makeSucceededFuture(HTTPHeaders([("Sec-WebSocket-Protocol", ExecRequest.protocolName)]))
            },
            upgradePipelineHandler: { channel, head in
                channel.pipeline.removeHandler(name: name).flatMapThrowing {
                    guard let request = try ExecRequest.parse(head, router: router) else { throw APIError.badRequest("not an exec request") }
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
