import Core
import FuzzSupport
import NIOCore
import NIOEmbedded
@testable import Sandbox

/// The sandbox's request handling from raw bytes on a connection: the same pipeline a real connection gets (HTTP/1.1
/// parser, the exec WebSocket upgrade, the router, watches and logs) on an in-memory channel, with a small cluster in
/// a fresh store each time. Every input must leave the server able to go on, and nothing may answer 500: a 500 is a
/// request the router did not expect to fail, i.e. a bug.
private func cluster() -> ObjectStore {
    let store = ObjectStore()
    func add(_ group: String, _ plural: String, _ namespace: String, _ object: Value) {
        let version = "v1"
        guard let type = ResourceCatalog.find(group: group, version: version, plural: plural) else { return }
        _ = try? store.create(type, namespace: namespace, object: object)
    }
    add("", "namespaces", "", ["metadata": ["name": "default"]])
    add("", "namespaces", "", ["metadata": ["name": "openedx"]])
    add("", "configmaps", "openedx", ["metadata": ["name": "openedx-config", "labels": ["app.kubernetes.io/name": "lms"]],
                                      "data": ["LMS_HOST": "www.example.com"]])
    add("apps", "deployments", "openedx", [
        "metadata": ["name": "lms", "labels": ["app.kubernetes.io/name": "lms"]],
        "spec": ["replicas": 1, "selector": ["matchLabels": ["app.kubernetes.io/name": "lms"]],
                 "template": ["metadata": ["labels": ["app.kubernetes.io/name": "lms"]],
                              "spec": ["containers": [["name": "lms", "image": "docker.io/overhangio/openedx:22.0.3"]]]]],
    ])
    add("", "pods", "openedx", ["metadata": ["name": "lms-1", "labels": ["app.kubernetes.io/name": "lms"]],
                                "spec": ["containers": [["name": "lms", "image": "docker.io/overhangio/openedx:22.0.3"]]]])
    add("batch", "jobs", "openedx", ["metadata": ["name": "lms-job-1"],
                                     "spec": ["template": ["spec": ["restartPolicy": "Never",
                                                                    "containers": [["name": "lms", "image": "openedx"]]]]]])
    return store
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let channel = EmbeddedChannel()
    let router = Router(store: cluster(), token: "fuzz-token")
    do {
        try channel.pipeline.syncOperations.configureSandboxPipeline(router: router, logHeartbeat: .seconds(1))
    } catch {
        invariantFailed("the pipeline cannot be set up (\(error))")
    }
    var input = channel.allocator.buffer(capacity: size)
    input.writeBytes(UnsafeBufferPointer(start: data, count: size))
    _ = try? channel.writeInbound(input)
    // Timers a watch or a followed log set (timeouts, heartbeats) fire too.
    channel.embeddedEventLoop.advanceTime(by: .seconds(2))
    var answer: [UInt8] = []
    while let part = try? channel.readOutbound(as: IOData.self) {
        if case .byteBuffer(let b) = part { answer += b.readableBytesView }
    }
    _ = try? channel.finish(acceptAlreadyClosed: true)
    if contains(answer, " 500 Internal Server Error\r\n") {
        invariantFailed("the sandbox answered 500", String(decoding: answer.prefix(2000), as: UTF8.self))
    }
    return 0
}

private func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
    let n = Array(needle.utf8)
    guard haystack.count >= n.count else { return false }
    return (0...(haystack.count - n.count)).contains { haystack[$0..<($0 + n.count)].elementsEqual(n) }
}
