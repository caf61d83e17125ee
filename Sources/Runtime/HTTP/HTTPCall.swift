import Foundation
import Lang
import NIOSSL

/// One `http` call as its arguments ask for it: the request, and how hard to try. Every argument is checked here,
/// before anything is echoed or sent, so a mistake is an E2009 at the call rather than a failed request.
struct HTTPCall {
    var request: HTTPRequest
    /// Seconds each attempt may take, connecting and redirects included.
    var timeout: Double
    /// Attempts after the first, when one fails or answers 5xx or 429.
    var retries: Int
    /// Seconds before the first retry; doubled for each next one, up to `maxBackoff`.
    var backoff: Double
    var followsRedirects: Bool
    /// Any status is an answer; otherwise 400 and above is an error.
    var acceptsAnyStatus: Bool
    var trust: HTTPClient.Trust

    static let defaultTimeout = 10.0
    /// A day: longer is a mistake (and past what a deadline can hold, at the extreme).
    static let maxTimeout = 86_400.0
    static let defaultBackoff = 1.0
    static let maxBackoff = 30.0
    static let maxRedirects = 10

    init(_ args: Arguments) throws {
        func invalid(_ message: String, help: String? = nil) -> Diagnostic {
            Diagnostic(.invalidArgument, message, at: args.span, help: help)
        }
        let target: HTTPTarget
        do {
            target = try HTTPTarget(args.string("url"))
        } catch {
            throw invalid("`http`: \(error.reason)", help: "write a whole URL, such as http://127.0.0.1:8000/heartbeat")
        }
        let method = (args.optionalString("method") ?? "GET").uppercased()
        guard Self.isToken(method) else {
            throw invalid("`http --method` wants a method such as GET or POST, got \"\(method)\"")
        }
        let headers = try (args.optionalList("header") ?? []).map { try Self.header($0.displayString, invalid) }
        request = HTTPRequest(method: method, target: target, headers: headers,
                              body: args.optionalString("body").map { Array($0.utf8) })

        timeout = args.optionalNumber("timeout") ?? Self.defaultTimeout
        guard timeout > 0, timeout <= Self.maxTimeout else {
            throw invalid("`http --timeout` wants seconds, above 0 and at most \(Int(Self.maxTimeout)), got \(formatSeconds(timeout))")
        }
        retries = args.optionalInt("retries") ?? 0
        guard retries >= 0 else { throw invalid("`http --retries` wants 0 or more, got \(retries)") }
        backoff = args.optionalNumber("backoff") ?? Self.defaultBackoff
        guard backoff.isFinite, backoff >= 0 else { throw invalid("`http --backoff` wants seconds, 0 or more, got \(formatSeconds(backoff))") }
        followsRedirects = !args.has("no-redirects")
        acceptsAnyStatus = args.has("any-status")

        let authority = args.optionalString("ca")
        if args.has("insecure") {
            guard authority == nil else { throw invalid("`http` takes --ca or --insecure, not both") }
            trust = .anything
        } else if let authority {
            guard Files.exists(authority) else { throw invalid("`http --ca`: no file \(authority)") }
            let certificates = (try? NIOSSLCertificate.fromPEMFile(authority)) ?? []
            guard !certificates.isEmpty else { throw invalid("`http --ca`: \(authority) holds no PEM certificate") }
            trust = .system(adding: certificates)
        } else {
            trust = .system(adding: [])
        }
    }

    /// `Name: value`, the value trimmed; a line break would start a header of its own, so it is refused.
    private static func header(_ text: String, _ invalid: (String, String?) -> Diagnostic) throws -> (name: String, value: String) {
        // The text may be a credential written without its colon: the message shows only its first word.
        let firstWord = text.split(whereSeparator: { $0 == " " || $0 == ":" }).first.map(String.init) ?? ""
        guard let colon = text.firstIndex(of: ":"), isToken(String(text[..<colon])) else {
            throw invalid("`http --header` wants \"Name: value\", got \"\(firstWord)…\"", "such as --header \"Accept: application/json\"")
        }
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard !value.contains(where: { $0 == "\r" || $0 == "\n" }) else {
            throw invalid("`http --header \(firstWord)`: a header value cannot contain a line break", nil)
        }
        return (String(text[..<colon]), value)
    }

    /// An HTTP token (a method or a header name): letters, digits and ``!#$%&'*+-.^_`|~``, at least one.
    static func isToken(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { u in
            u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(u) || "!#$%&'*+-.^_`|~".unicodeScalars.contains(u))
        }
    }

    /// GET, HEAD and OPTIONS only read; a dry run answers them empty, as it does kubectl's reads.
    var kind: CallKind { ["GET", "HEAD", "OPTIONS"].contains(request.method) ? .read : .change }
}
