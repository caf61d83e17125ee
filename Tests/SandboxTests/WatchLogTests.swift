import XCTest
@testable import Sandbox

/// The store's watch log: what a watch that resumes from a resourceVersion is replayed, and what bounds its memory.
final class WatchLogTests: XCTestCase {
    func testLogKeepsToItsByteBudget() throws {
        let store = ObjectStore()
        store.logByteLimit = 1 << 20
        let namespaces = try XCTUnwrap(ResourceCatalog.find(group: "", version: "v1", plural: "namespaces"))
        let configMaps = try XCTUnwrap(ResourceCatalog.find(group: "", version: "v1", plural: "configmaps"))
        _ = try store.create(namespaces, namespace: "", object: ["metadata": ["name": "default"]])
        let payload = String(repeating: "x", count: 50_000)
        let created = try store.create(configMaps, namespace: "default",
                                       object: ["metadata": ["name": "big"], "data": ["round": "0", "payload": .string(payload)]])
        let first = try XCTUnwrap(Int(created[path: "metadata", "resourceVersion"]?.stringValue ?? ""))
        var last = first
        for round in 1...100 {  // 100 changes of a 50 KB object: 5 MB, five times the budget
            let o = try store.update(configMaps, namespace: "default", name: "big") { o in
                var o = o
                o.set(["data", "round"], .string(String(round)))
                return o
            }
            last = try XCTUnwrap(Int(o[path: "metadata", "resourceVersion"]?.stringValue ?? ""))
        }
        let filter = WatchFilter.all(configMaps, namespace: "default")
        // From the start: the log no longer reaches back, so the current object comes as ADDED, as a real server's
        // watch cache does (kubectl then relists).
        let (old, a) = store.watch(filter, from: first, send: { _ in })
        store.unwatch(a)
        XCTAssertEqual(old.map(\.type), ["ADDED"])
        XCTAssertEqual(old.first?.object[path: "data", "round"]?.stringValue, "100")
        // From five changes ago: the five changes, in order.
        let (recent, b) = store.watch(filter, from: last - 5, send: { _ in })
        store.unwatch(b)
        XCTAssertEqual(recent.map(\.type), Array(repeating: "MODIFIED", count: 5))
        XCTAssertEqual(recent.compactMap { $0.object[path: "data", "round"]?.stringValue }, ["96", "97", "98", "99", "100"])
        // About 20 of the 100 changes fit in 1 MiB; the log holds no more than its budget allows.
        let (kept, c) = store.watch(filter, from: last - 40, send: { _ in })
        store.unwatch(c)
        XCTAssertEqual(kept.map(\.type), ["ADDED"], "40 changes of 50 KB are more than 1 MiB")
    }
}
