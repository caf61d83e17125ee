#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Why a request got no response, in the plain words an operator reads in an error (`connection refused`), and
/// whether trying again may help.
enum HTTPFailure: Error, Equatable {
    case refused
    case timedOut(seconds: Double)
    case unresolvable(host: String)
    /// The TLS handshake failed; `certificate` when the server's certificate was not trusted (which `--ca` or
    /// `--insecure` changes, so the error says so).
    case tls(String, certificate: Bool)
    case tooLarge(limit: Int)
    /// A redirect loop, or a `Location` that is not an http(s) URL.
    case badRedirect(String)
    case interrupted
    /// Anything else: the words say what.
    case broken(String)

    var cause: String {
        switch self {
        case .refused: return "connection refused"
        case .timedOut(let s): return "timed out after \(formatSeconds(s)) s"
        case .unresolvable(let host): return "cannot resolve host \"\(host)\""
        case .tls(let reason, _): return "TLS: " + reason
        case .tooLarge(let limit): return "the response body is over the \(limit >> 20) MiB limit"
        case .interrupted: return "interrupted"
        case .badRedirect(let words), .broken(let words): return words
        }
    }

    /// A server that is starting refuses, times out or is not in DNS yet; a certificate or a size limit stays as it is.
    var isWorthRetrying: Bool {
        switch self {
        case .tls, .tooLarge, .badRedirect, .interrupted: return false
        default: return true
        }
    }
}

/// `2`, `0.5`, `0.012`: seconds as an operator writes them, to the millisecond.
func formatSeconds(_ s: Double) -> String {
    let rounded = (s * 1000).rounded() / 1000
    return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int(rounded)) : String(rounded)
}

extension HTTPFailure {
    /// What an error from NIO, NIOSSL or the HTTP decoder means for a request to `host` given `timeout` seconds.
    init(_ error: Error, host: String, timeout: Double) {
        switch error {
        case let failure as HTTPFailure:
            self = failure
        case let e as NIOConnectionError:
            if let first = e.connectionErrors.first {
                self.init(first.error, host: host, timeout: timeout)
            } else {
                // No address to try: both DNS lookups failed.
                self = .unresolvable(host: host)
            }
        case let e as IOError:
            self = e.errnoCode == ECONNREFUSED ? .refused : .broken(String(cString: strerror(e.errnoCode)).lowercased())
        case ChannelError.connectTimeout:
            // Connecting may only take what is left of the attempt's time: this is the attempt timing out.
            self = .timedOut(seconds: timeout)
        case let e as NIOSSLError:
            self = HTTPFailure.tls(e)
        case let e as NIOSSLExtraError where e == .failedToValidateHostname:
            self = .tls("the server's certificate is not valid for \(host)", certificate: true)
        case let e as HTTPParserError:
            self = .broken("the answer is not valid HTTP (\(e))")
        case is SocketAddressError:
            self = .unresolvable(host: host)
        default:
            self = .broken(String(describing: error))
        }
    }

    /// BoringSSL's reason (the last word of `error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED`)
    /// in plain words where it is a common one.
    private static func tls(_ error: NIOSSLError) -> HTTPFailure {
        guard case .handshakeFailed(let inner) = error else { return .tls("\(error)", certificate: false) }
        let stack: NIOBoringSSLErrorStack
        switch inner {
        case .sslError(let s), .unknownError(let s): stack = s
        default: return .tls("the handshake failed (\(inner))", certificate: false)
        }
        // `Error: 268435581 error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at FILE:LINE`
        let reasons = stack.map { String(describing: $0) }.compactMap { text -> String? in
            guard let start = text.range(of: "error:") else { return nil }
            let error = text[start.lowerBound...].components(separatedBy: " at ")[0]
            return error.split(separator: ":").last.map(String.init)
        }
        switch reasons.last {
        case "CERTIFICATE_VERIFY_FAILED"?:
            return .tls("the server's certificate is not signed by a trusted authority (CERTIFICATE_VERIFY_FAILED)", certificate: true)
        case "WRONG_VERSION_NUMBER"?:
            return .tls("the server does not speak TLS on this port (is it http://?)", certificate: false)
        case let reason?:
            return .tls("the handshake failed (\(reason))", certificate: false)
        case nil:
            return .tls("the handshake failed", certificate: false)
        }
    }
}
