import Core
import Foundation
import XCTest
@testable import Sandbox

/// A bare HTTP/1.1 client on a TCP socket to 127.0.0.1, for what kubectl never sends: no token, a wrong one,
/// malformed bodies, an exec upgrade by hand. Every request says `Connection: close`, so a response is whatever
/// arrives until the server closes (a receive timeout ends a stream that would not close).
struct RawHTTP {
    let port: Int
    /// The `Authorization` header value sent with every request, if any.
    var authorization: String?

    struct Response {
        var status: Int
        var head: String
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: Value? { try? JSONParser.parse(text) }
    }

    /// A connected socket with a receive timeout.
    static func connect(port: Int, timeout: Int = 10) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawHTTPError(description: "socket: \(errno)") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var t = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &t, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw RawHTTPError(description: "connect to 127.0.0.1:\(port): \(errno)")
        }
        return fd
    }

    static func send(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Everything the server sends until it closes the connection (or the receive timeout passes).
    static func receiveAll(_ fd: Int32) -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received += buffer[0..<n]
        }
        return received
    }

    /// One request; `headers` come after Host, Connection and (when set) Authorization.
    func request(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []) throws -> Response {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let authorization { head += "Authorization: \(authorization)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" || method == "PATCH" { head += "Content-Length: \(body.count)\r\n" }
        let fd = try Self.connect(port: port)
        defer { close(fd) }
        Self.send(fd, Array((head + "\r\n").utf8) + body)
        return try Self.parse(Self.receiveAll(fd))
    }

    /// A JSON body with the given content type (JSON by default).
    func request(_ method: String, _ path: String, json: String, contentType: String = "application/json") throws -> Response {
        try request(method, path, headers: [("Content-Type", contentType)], body: Array(json.utf8))
    }

    static func parse(_ bytes: [UInt8]) throws -> Response {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else {
            throw RawHTTPError(description: "no HTTP head in \(String(decoding: bytes, as: UTF8.self).debugDescription)")
        }
        let head = String(decoding: bytes[..<end], as: UTF8.self)
        let status = head.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return Response(status: status, head: head, body: Array(bytes[(end + 4)...]))
    }
}

struct RawHTTPError: Error, CustomStringConvertible {
    var description: String
}

extension SandboxTestCase {
    /// A raw client for this test's sandbox, with its bearer token.
    var http: RawHTTP { RawHTTP(port: port, authorization: "Bearer \(sandbox.token)") }
}
