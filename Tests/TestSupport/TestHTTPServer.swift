import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for the `http` tests and the health-check example: plain POSIX sockets on one thread, one connection at a
/// time, every answer `Connection: close`. `reply` decides each answer from the request and how many came before it;
/// the server stops when it is released (or `stop` is called), so a test needs no clean-up.
public final class TestHTTPServer: @unchecked Sendable {
    public struct Request {
        public var method: String
        public var target: String
        public var headers: [(name: String, value: String)]
        public var body: String

        public func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
    }

    public enum Reply {
        case answer(Int, String, headers: [(String, String)] = [], body: String = "")
        /// Reads the request and never answers, until the client gives up.
        case silence
    }

    public let port: Int
    private let state: State

    /// What the serving thread shares with the test, so that the thread does not keep the server alive.
    private final class State: @unchecked Sendable {
        let listener: Int32
        private let lock = NSLock()
        private var stopped = false
        private var received: [Request] = []

        init(listener: Int32) { self.listener = listener }

        var isStopped: Bool { lock.withLock { stopped } }
        var requests: [Request] { lock.withLock { received } }
        func stop() { lock.withLock { stopped = true } }
        /// Records a request; returns how many came before it.
        func record(_ r: Request) -> Int { lock.withLock { received.append(r); return received.count - 1 } }
    }

    /// The requests so far, in order.
    public var requests: [Request] { state.requests }

    public init(_ reply: @escaping @Sendable (Request, Int) -> Reply) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else {
            close(listener)
            throw POSIXError(.EADDRINUSE)
        }
        port = Self.port(of: listener)
        let state = State(listener: listener)
        self.state = state
        Thread { Self.serve(state, reply) }.start()
    }

    deinit { stop() }

    public func stop() { state.stop() }

    private static func serve(_ state: State, _ reply: (Request, Int) -> Reply) {
        defer { close(state.listener) }
        while !state.isStopped {
            guard readable(state.listener, milliseconds: 50) else { continue }
            let fd = accept(state.listener, nil, nil)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            guard let request = read(fd) else { continue }
            switch reply(request, state.record(request)) {
            case let .answer(status, reason, headers, body):
                var head = "HTTP/1.1 \(status) \(reason)\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
                for (name, value) in headers { head += "\(name): \(value)\r\n" }
                let bytes = Array((head + "\r\n" + body).utf8)
                _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            case .silence:
                // Until the client closes (recv gives 0) or the test ends.
                var byte: UInt8 = 0
                while !state.isStopped {
                    if readable(fd, milliseconds: 50), recv(fd, &byte, 1, 0) <= 0 { break }
                }
            }
        }
    }

    /// One request: the head up to the blank line, then Content-Length bytes of body.
    private static func read(_ fd: Int32) -> Request? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var headEnd: Int?
        var bodyLength = 0
        while headEnd == nil || data.count < headEnd! + bodyLength {
            guard readable(fd, milliseconds: 5000) else { return nil }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return nil }
            data += buffer[0..<n]
            if headEnd == nil, let end = data.indices.dropLast(3).first(where: { data[$0..<$0 + 4] == [13, 10, 13, 10] }) {
                headEnd = end + 4
                let lines = String(decoding: data[..<end], as: UTF8.self).components(separatedBy: "\r\n")
                let length = lines.first { $0.lowercased().hasPrefix("content-length:") }
                bodyLength = Int(length?.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces) ?? "") ?? 0
            }
        }
        let lines = String(decoding: data[..<(headEnd! - 4)], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ").map(String.init)
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return Request(method: requestLine[0], target: requestLine.count > 1 ? requestLine[1] : "", headers: headers,
                       body: String(decoding: data[headEnd!...], as: UTF8.self))
    }

    private static func readable(_ fd: Int32, milliseconds: Int32) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, milliseconds) > 0
    }

    public static func loopback(port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return addr
    }

    private static func port(of fd: Int32) -> Int {
        var addr = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// A port nobody listens on: bound, then closed, so a connection to it is refused.
    public static func closedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = loopback(port: 0)
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return port(of: fd)
    }
}
