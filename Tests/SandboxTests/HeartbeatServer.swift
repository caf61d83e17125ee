import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An LMS heartbeat for the health-check example: an HTTP/1.1 server on 127.0.0.1 that answers each request
/// with the next of `answers` (the last one repeats), one request per connection. It stops when `stop()` is
/// called or when it is released.
final class HeartbeatServer: @unchecked Sendable {
    struct Answer {
        var status: Int
        var reason: String
        var body: String
    }

    /// What the serving thread shares with the test: the answers and how many were given.
    private final class State: @unchecked Sendable {
        let answers: [Answer]
        let lock = NSLock()
        var served = 0
        init(_ answers: [Answer]) { self.answers = answers }

        func next() -> Answer {
            lock.withLock {
                defer { served += 1 }
                return answers[min(served, answers.count - 1)]
            }
        }
    }

    let port: Int
    private let listener: Int32
    private let state: State

    /// How many requests were answered.
    var requests: Int { state.lock.withLock { state.served } }

    init(answers: [Answer]) throws {
        state = State(answers)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { close(fd); throw POSIXError(.EADDRNOTAVAIL) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        let state = self.state
        Thread { Self.acceptLoop(fd, state) }.start()
    }

    deinit { stop() }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private static func acceptLoop(_ listener: Int32, _ state: State) {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { if errno == EINTR { continue }; break }
            // Read the request head (the client sends no body).
            var request: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !request.ends(with: Array("\r\n\r\n".utf8)) {
                let n = read(client, &buffer, buffer.count)
                if n <= 0 { break }
                request += buffer[0..<n]
            }
            let answer = state.next()
            let response = "HTTP/1.1 \(answer.status) \(answer.reason)\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(answer.body.utf8.count)\r\nConnection: close\r\n\r\n" + answer.body
            _ = Array(response.utf8).withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            close(client)
        }
        close(listener)
    }
}

private extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
