import Core
import NIOCore
import NIOHTTP1

/// A watch response in progress: the head, the replayed events, then every matching change as it happens.
/// Events come from the store's lock on any thread; writing through the `Channel` (which is thread-safe) keeps their order.
/// With a `TableRequest` each event carries a one-row `Table` instead of the object (`kubectl get -w`).
final class WatchStream: Sendable {
    private let store: ObjectStore
    private let channel: Channel
    private let id: Int

    init(store: ObjectStore, channel: Channel, filter: WatchFilter, from version: Int?, timeoutSeconds: Int?,
         table: TableRequest? = nil, version httpVersion: HTTPVersion) {
        self.store = store
        self.channel = channel
        channel.writeStreamHead(httpVersion, contentType: "application/json")
        let (replay, id) = store.watch(filter, from: version) { [channel] event in
            WatchStream.send(event, table, on: channel)
        }
        self.id = id
        for event in replay { Self.send(event, table, on: channel) }
        channel.flush()
        // Honour the client's timeout (kubectl asks for 5–10 minutes), so idle streams end on their own.
        let timeout = TimeAmount.seconds(Int64(min(max(timeoutSeconds ?? 1800, 1), 3600)))
        channel.eventLoop.scheduleTask(in: timeout) { [store, channel] in
            store.unwatch(id)
            channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
        }
    }

    func stop() { store.unwatch(id) }

    private static func send(_ event: WatchEvent, _ table: TableRequest?, on channel: Channel) {
        guard let line = try? JSONWriter.encode(table?.event(event) ?? event.json) else { return }
        channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: line + "\n"))), promise: nil)
    }
}

extension Channel {
    /// The head of a 200 response whose body follows in chunks for as long as it lasts (watches, followed logs).
    func writeStreamHead(_ version: HTTPVersion, contentType: String) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Transfer-Encoding", value: "chunked")
        write(HTTPServerResponsePart.head(HTTPResponseHead(version: version, status: .ok, headers: headers)), promise: nil)
    }
}
