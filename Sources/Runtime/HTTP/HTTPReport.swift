import Core
import Foundation
import Lang
import OrderedCollections

/// What `http` gives back: the answer as a record or a status line, or an E2016 error whose message names the
/// request and the cause (`GET http://… failed: connection refused (3 attempts)`) and whose fields a `catch` reads.
enum HTTPReport {
    /// `{status, reason, headers, body, url, attempts, seconds}`; header names in lower case, repeated ones joined by `, `.
    static func value(_ outcome: HTTPOutcome, _ response: HTTPResponse) -> Value {
        var headers: OrderedDictionary<String, Value> = [:]
        for h in response.headers {
            let name = h.name.lowercased()
            if case .string(let earlier)? = headers[name] {
                headers[name] = .string(earlier + ", " + h.value)
            } else {
                headers[name] = .string(h.value)
            }
        }
        return .map([
            "status": .int(response.status),
            "reason": .string(response.reason),
            "headers": .map(headers),
            "body": .string(String(decoding: response.body, as: UTF8.self)),
            "url": .string(outcome.request.target.url),
            "attempts": .int(outcome.attempts),
            "seconds": .float(outcome.seconds),
        ])
    }

    /// `GET http://127.0.0.1:8000/heartbeat: 200 OK (2 attempts, 0.3 s)`.
    static func line(_ outcome: HTTPOutcome, _ response: HTTPResponse) -> String {
        "\(request(outcome)): \(response.status) \(response.reason) (\(attempts(outcome)), \(formatSeconds(outcome.seconds)) s)"
    }

    /// No answer after the retries.
    static func failed(_ outcome: HTTPOutcome, _ failure: HTTPFailure, retries: Int, redactor: Redactor, at span: Span) -> Diagnostic {
        let help: String?
        switch failure {
        case .tls(_, certificate: true):
            help = "trust the server's authority with --ca FILE, or skip the check with --insecure"
        default:
            help = failure.isWorthRetrying && retries == 0 ? "add --retries N to try again while the service starts" : nil
        }
        return error("\(request(outcome)) failed: \(failure.cause) (\(attempts(outcome)))", help: help, outcome,
                     status: nil, cause: failure.cause, redactor: redactor, at: span)
    }

    /// An answer of 400 or more, without `--any-status`; the help quotes the body's first line.
    static func refused(_ outcome: HTTPOutcome, _ response: HTTPResponse, redactor: Redactor, at span: Span) -> Diagnostic {
        let status = "\(response.status) \(response.reason)"
        let firstLine = String(decoding: response.body.prefix(4096), as: UTF8.self)
            .split(whereSeparator: \.isNewline).lazy.map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
        let help = firstLine.map { "the answer begins: " + ($0.count > 200 ? String($0.prefix(200)) + "…" : $0) }
        return error("\(request(outcome)) answered \(status) (\(attempts(outcome)))", help: help, outcome,
                     status: response.status, cause: status, redactor: redactor, at: span)
    }

    private static func error(_ message: String, help: String?, _ outcome: HTTPOutcome, status: Int?, cause: String,
                              redactor: Redactor, at span: Span) -> Diagnostic {
        var d = Diagnostic(.requestFailed, redactor.redact(message), at: span, help: help.map(redactor.redact))
        d.fields = [
            ("url", .string(redactor.redact(outcome.request.target.shown))),
            ("status", status.map { .int($0) } ?? .null),
            ("cause", .string(redactor.redact(cause))),
            ("attempts", .int(outcome.attempts)),
        ]
        return d
    }

    private static func request(_ outcome: HTTPOutcome) -> String {
        "\(outcome.request.method) \(outcome.request.target.shown)"
    }

    private static func attempts(_ outcome: HTTPOutcome) -> String {
        outcome.attempts == 1 ? "1 attempt" : "\(outcome.attempts) attempts"
    }
}
