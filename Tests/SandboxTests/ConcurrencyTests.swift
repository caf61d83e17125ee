import Foundation
import XCTest
@testable import Sandbox

/// Twenty real kubectl clients at once: creates, reads and lists all succeed and the store ends consistent.
final class ConcurrencyTests: SandboxTestCase {
    func testTwentyConcurrentClients() throws {
        try ok(["create", "namespace", "load"])
        // `apply` sends JSON; `kubectl create configmap` sends protobuf, whose data the sandbox does not decode yet.
        for i in 0..<20 {
            let manifest = #"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c\#(i)", "namespace": "load"}, "data": {"k": "\#(i)"}}"#
            try manifest.write(to: dir.appendingPathComponent("c\(i).json"), atomically: true, encoding: .utf8)
        }
        let box = Shared(self)
        DispatchQueue.concurrentPerform(iterations: 20) { i in
            do {
                for args in [["apply", "-f", box.test.dir.appendingPathComponent("c\(i).json").path],
                             ["get", "configmap", "c\(i)", "-n", "load", "-o", "jsonpath={.data.k}"],
                             ["get", "configmaps", "-n", "load"]] {
                    let r = try box.test.kubectl(args)
                    let wrongValue = args[0] == "get" && args[1] == "configmap" && r.stdout != "\(i)"
                    if r.status != 0 || wrongValue { box.fail("\(args.joined(separator: " ")): \(r.status) \(r.stdout) \(r.stderr)") }
                }
            } catch {
                box.fail("\(i): \(error)")
            }
        }
        XCTAssertEqual(box.failures, [])
        let names = try ok(["get", "configmaps", "-n", "load", "-o", "jsonpath={.items[*].metadata.name}"]).stdout
        XCTAssertEqual(Set(names.split(separator: " ").map(String.init)), Set((0..<20).map { "c\($0)" }))
    }
}

/// The test case and the failures, shared by the concurrent clients.
private final class Shared: @unchecked Sendable {
    let test: ConcurrencyTests
    private let lock = NSLock()
    private(set) var failures: [String] = []
    init(_ test: ConcurrencyTests) { self.test = test }
    func fail(_ message: String) { lock.lock(); failures.append(message); lock.unlock() }
}
