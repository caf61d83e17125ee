import Core
import Lang
import OrderedCollections

/// `http URL …`: the health checks of operators' routines (`/heartbeat` after a `start`), with retries and a clear
/// error when the service does not answer; echoed and dry-run like the cluster commands.
enum HTTPBuiltins {
    static let signature = Signature(
        "http",
        "Send an HTTP request and wait for the whole answer, trying again on failures, 5xx and 429 when asked. A status of 400 or more is an error unless --any-status. As a value: {status, reason, headers, body, url, attempts, seconds}; as a statement, one line with the status.",
        params: [Param("url", .string, help: "an http:// or https:// URL; user:password@ in it is sent as Basic authorization")],
        flags: [
            FlagSpec("method", value: .string, help: "GET (the default), POST, PUT, DELETE, HEAD…",
                     completion: .choices(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]), valueName: "METHOD"),
            FlagSpec("header", value: .string, help: "a request header; Authorization, Cookie and Proxy-Authorization values are shown as ********",
                     repeatable: true, valueName: "\"Name: value\""),
            FlagSpec("body", value: .string, help: "the request body (sent with its Content-Length)"),
            FlagSpec("timeout", value: .number, help: "seconds each attempt may take, connecting and redirects included (default 10)",
                     valueName: "SECONDS"),
            FlagSpec("retries", value: .int, help: "attempts after the first on a failure, a timeout, 5xx or 429 (default 0)"),
            FlagSpec("backoff", value: .number, help: "seconds before the first retry, doubled for each next one, at most 30 (default 1)",
                     valueName: "SECONDS"),
            FlagSpec("any-status", help: "return the answer whatever its status instead of failing on 400 and above"),
            FlagSpec("no-redirects", help: "return a 3xx answer instead of following it (at most 10 are followed)"),
            FlagSpec("insecure", help: "skip https certificate checks: any certificate, for any name, is accepted"),
            FlagSpec("ca", value: .string, help: "also trust the certificate authorities in this PEM file (a private or sandbox CA)",
                     completion: .file, valueName: "FILE"),
        ],
        examples: [
            "http \"http://$(config get LMS_HOST)/heartbeat\" --retries 5",
            "let r = (http $url --any-status)",
            "if (http $url --any-status).status != 200 { print \"not ready\" }",
            "http https://127.0.0.1:8443/healthz --ca ca.pem --header \"Authorization: Bearer $token\"",
            "try { http $url --timeout 2 } catch err { print \"$(err.url): $(err.cause)\" }",
        ])

    static func register(into r: Registry, _ ctx: RuntimeContext) {
        r.register(signature) { args, rt in
            let call = try HTTPCall(args)
            let redactor = Redactor.project(ctx, at: args.span)
            if ctx.announce([redactor.redact(shown(call.request))], kind: call.kind) { return .null }
            let client = HTTPClient(trust: call.trust) { Interpreter.interruptRequested }
            let outcome: HTTPOutcome
            do {
                outcome = try call.perform(client) { try rt.pause($0, at: args.span) }
            } catch let d as Diagnostic where d.code == .interrupted {
                throw interruption(call.request, redactor, at: args.span)
            }
            switch outcome.result {
            case .failure(.interrupted):
                Interpreter.interruptRequested = false
                throw interruption(outcome.request, redactor, at: args.span)
            case .failure(let failure):
                throw HTTPReport.failed(outcome, failure, retries: call.retries, redactor: redactor, at: args.span)
            case .success(let response) where response.status >= 400 && !call.acceptsAnyStatus:
                throw HTTPReport.refused(outcome, response, redactor: redactor, at: args.span)
            case .success(let response):
                guard args.valueWanted else {
                    ctx.status(redactor.redact(HTTPReport.line(outcome, response)))
                    return .null
                }
                return HTTPReport.value(outcome, response)
            }
        }
    }

    /// `GET http://host/path --header 'Authorization: ********'`: the request as echoed, credentials hidden.
    static func shown(_ request: HTTPRequest) -> String {
        var words = [request.method, request.target.shown]
        for h in request.headers {
            let value = HTTPCall.credentialHeaders.contains(h.name.lowercased()) ? "********" : h.value
            words += ["--header", CommandRunner.shellQuote("\(h.name): \(value)")]
        }
        return words.joined(separator: " ")
    }

    private static func interruption(_ request: HTTPRequest, _ redactor: Redactor, at span: Span) -> Diagnostic {
        Diagnostic(.interrupted, "interrupted while running `\(redactor.redact("\(request.method) \(request.target.shown)"))`", at: span)
    }
}
