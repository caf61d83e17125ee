import Core
import Foundation
import NIOCore
import NIOHTTP1

/// What `GET …/pods/P/log` asks for.
struct LogRequest: Sendable {
    var namespace: String
    var pod: String
    var container: String
    var image: String
    /// Lines the demo asked the pod to print (its `sandbox.tk8s/log` annotation), after the startup lines.
    var extra: [String] = []
    var follow: Bool
    var tailLines: Int?
    /// `timestamps=true`: each line starts with its RFC 3339 time, as the kubelet writes it.
    var timestamps = false
    /// `sinceSeconds` / `sinceTime`: lines older than this are left out.
    var since: Date?
    /// When the container started (the pod's `status.startTime`): the time of its history lines.
    var startedAt = Date()
}

/// Pod helpers shared by `log` and `exec`: the container a request names (or the default one), 404 and 400 wording.
enum PodAccess {
    static let pods = ResourceCatalog.pods

    static func pod(_ store: ObjectStore, _ ns: String, _ name: String) throws -> Value {
        guard let o = store.get(PodAccess.pods, namespace: ns, name: name) else { throw APIError.notFound(PodAccess.pods, name) }
        return o
    }

    /// The named container, else the `kubectl.kubernetes.io/default-container` one, else the first.
    static func container(_ pod: Value, named: String?) throws -> Value {
        var containers: [Value] = []
        if case .list(let l)? = pod[path: "spec", "containers"] { containers = l }
        let name = pod[path: "metadata", "name"]?.stringValue ?? ""
        let wanted = named.flatMap { $0.isEmpty ? nil : $0 }
            ?? pod[path: "metadata", "annotations", "kubectl.kubernetes.io/default-container"]?.stringValue
        if let wanted {
            guard let c = containers.first(where: { $0[path: "name"]?.stringValue == wanted }) else {
                throw APIError.badRequest("container \(wanted) is not valid for pod \(name)")
            }
            return c
        }
        guard let first = containers.first else { throw APIError.badRequest("pod \(name) has no containers") }
        return first
    }
}

/// The log lines a sandbox pod "produces": startup lines derived from the container's image and name, then the lines
/// of the pod's `sandbox.tk8s/log` annotation (so a demo can plant an `ERROR` line for a log-scanning routine to find —
/// set it on a Deployment's pod template), then, while a client follows, one heartbeat line per interval until the
/// client goes away or the pod is deleted.
enum PodLogs {
    static let annotation = "sandbox.tk8s/log"

    static func history(container: String, image: String, extra: [String] = []) -> [String] {
        ["[sandbox] pulling image \(image)", "[sandbox] pulled image \(image)", "[sandbox] started container \(container)"] + extra
    }

    static func heartbeat(container: String, _ n: Int) -> String { "[sandbox] \(container) heartbeat \(n)" }

    static func request(_ req: APIRequest, store: ObjectStore, namespace: String, pod name: String) throws -> LogRequest {
        let pod = try PodAccess.pod(store, namespace, name)
        let c = try PodAccess.container(pod, named: req.param("container"))
        let follow = req.param("follow").map { $0 == "true" || $0 == "1" } ?? false
        var tail: Int?
        if let t = req.param("tailLines") {
            guard let n = Int(t), n >= 0 else { throw APIError.badRequest("tailLines must be a non-negative integer") }
            tail = n
        }
        let extra = (pod[path: "metadata", "annotations", annotation]?.stringValue ?? "")
            .split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        var r = LogRequest(namespace: namespace, pod: name, container: c[path: "name"]?.stringValue ?? "",
                           image: c[path: "image"]?.stringValue ?? "", extra: extra, follow: follow, tailLines: tail)
        r.timestamps = req.param("timestamps").map { $0 == "true" || $0 == "1" } ?? false
        if let s = req.param("sinceSeconds") {
            guard let n = Int(s), n > 0 else { throw APIError.badRequest("sinceSeconds must be a positive integer") }
            r.since = Date().addingTimeInterval(-Double(n))
        } else if let t = req.param("sinceTime") {
            guard let d = Timestamp.date(t) else { throw APIError.badRequest("sinceTime must be an RFC 3339 time") }
            r.since = d
        }
        let started = pod[path: "status", "startTime"]?.stringValue ?? pod[path: "metadata", "creationTimestamp"]?.stringValue
        r.startedAt = started.flatMap(Timestamp.date) ?? Date()
        return r
    }

    /// `2026-11-30T08:36:48.123456789Z`: RFC 3339 with nanoseconds, the kubelet's log timestamp.
    static func timestamp(_ date: Date) -> String {
        let whole = date.timeIntervalSince1970.rounded(.down)
        let base = Timestamp.string(Date(timeIntervalSince1970: whole))
        let nanos = Int((date.timeIntervalSince1970 - whole) * 1e9)
        return base.dropLast() + "." + String(format: "%09d", nanos) + "Z"
    }
}

/// One log response in progress: 200 `text/plain`, chunked; the history, then heartbeats while following.
final class LogStream: @unchecked Sendable {
    private let channel: Channel
    private let store: ObjectStore
    private var watchID: Int?
    private var timer: RepeatedTask?
    private var ended = false   // event-loop only
    private var beats = 0       // event-loop only
    private var timestamps = false

    init(_ r: LogRequest, store: ObjectStore, channel: Channel, heartbeat: TimeAmount, version: HTTPVersion, keepAlive: Bool) {
        self.channel = channel
        self.store = store
        channel.writeStreamHead(version, contentType: "text/plain")
        self.timestamps = r.timestamps
        // The history lines all carry the container's start time; `since` after it leaves them out.
        var lines = r.since.map { $0 > r.startedAt } ?? false ? [] : PodLogs.history(container: r.container, image: r.image, extra: r.extra)
        if let t = r.tailLines { lines = Array(lines.suffix(t)) }
        if !lines.isEmpty { write(lines, at: r.startedAt) }
        guard r.follow else {
            end(closing: !keepAlive)
            return
        }
        channel.flush()
        // End the stream when the pod goes away.
        let filter = WatchFilter(resource: PodAccess.pods, namespace: r.namespace, labels: .everything,
                                 fields: .equals("metadata.name", r.pod))
        // Both closures hold `self` until `stop()` (the end of the stream, or the client going away) drops them.
        let (_, id) = store.watch(filter, from: nil) { [self] event in
            guard event.type == "DELETED" else { return }
            channel.eventLoop.execute { self.end(closing: false) }
        }
        watchID = id
        timer = channel.eventLoop.scheduleRepeatedTask(initialDelay: heartbeat, delay: heartbeat) { [self] _ in
            beats += 1
            write([PodLogs.heartbeat(container: r.container, beats)], at: Date())
        }
    }

    private func write(_ lines: [String], at time: Date) {
        let prefix = timestamps ? PodLogs.timestamp(time) + " " : ""
        let text = lines.map { prefix + $0 + "\n" }.joined()
        channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: text))), promise: nil)
    }

    /// Ends the response (on the event loop).
    private func end(closing: Bool) {
        guard !ended else { return }
        ended = true
        stop()
        let channel = self.channel
        channel.writeAndFlush(HTTPServerResponsePart.end(nil)).whenComplete { _ in
            if closing { channel.close(promise: nil) }
        }
    }

    /// Stops the heartbeats and the pod watch (the client went away).
    func stop() {
        timer?.cancel()
        timer = nil
        if let id = watchID { store.unwatch(id) }
        watchID = nil
    }
}
