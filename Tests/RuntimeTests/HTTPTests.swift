import Foundation
import Lang
import Sandbox
import Core
import XCTest
import TestSupport
@testable import Runtime

/// `http` against a tiny server on 127.0.0.1 (and a sandbox for https): answers, retries, redirects, timeouts,
/// refusals, certificates, the error's message and fields, echo, dry run, secrets, bad arguments.
final class HTTPTests: XCTestCase {
    /// The servers of the running test, stopped when it ends.
    private var servers: [TestHTTPServer] = []

    override func tearDown() {
        for s in servers { s.stop() }
        servers = []
    }

    private func server(_ reply: @escaping @Sendable (TestHTTPServer.Request, Int) -> TestHTTPServer.Reply) throws -> (TestHTTPServer, String) {
        let s = try TestHTTPServer(reply)
        servers.append(s)
        return (s, "http://127.0.0.1:\(s.port)")
    }

    /// Runs `code`, which must succeed, and returns what it printed (echoes and status lines included).
    private func ok(_ code: String, _ t: TestRoot? = nil, cluster: ClusterOptions = ClusterOptions(),
                    file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try (t ?? TestRoot()).run(code, cluster: cluster)
        XCTAssertEqual(r.status, 0, "tk8s failed:\n\(r.err)", file: file, line: line)
        return r.out
    }

    /// The lines `code` printed, without the echo of its requests (`--quiet`).
    private func printed(_ code: String, _ t: TestRoot? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        lines(try ok(code, t, cluster: ClusterOptions(quiet: true), file: file, line: line))
    }

    private func lines(_ text: String) -> [String] { Array(text.components(separatedBy: "\n").dropLast()) }

    /// Catches the error of `call` and prints `code|message|url|status|cause|attempts`, one field a line.
    private func caught(_ call: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        try printed("""
            try { \(call) } catch err {
                print $err.code; print $err.message; print $err.url; print $err.status; print $err.cause; print $err.attempts
            }
            """, file: file, line: line)
    }

    func testAnAnswerIsARecord() throws {
        let (s, base) = try server { _, _ in .answer(200, "OK", headers: [("X-Test", "yes"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")], body: "ok\n") }
        let got = try printed("""
            let r = (http \(base)/heartbeat)
            print $r.status; print $r.reason; print $r.body; print $r.url; print $r.attempts
            print $r.headers["x-test"]; print $r.headers["set-cookie"]; print (type $r.seconds)
            """)
        XCTAssertEqual(got, ["200", "OK", "ok", "", "\(base)/heartbeat", "1", "yes", "a=1, b=2", "float"])
        XCTAssertEqual(s.requests.map(\.method), ["GET"])
        XCTAssertEqual(s.requests.first?.target, "/heartbeat")
        XCTAssertEqual(s.requests.first?.header("Host"), "127.0.0.1:\(s.port)")
    }

    func testAStatementEchoesTheRequestThenPrintsOneLine() throws {
        let (_, base) = try server { _, _ in .answer(200, "OK") }
        let out = try ok("http \(base)/heartbeat")
        XCTAssertEqual(lines(out).count, 2, out)
        XCTAssertEqual(lines(out).first, "GET \(base)/heartbeat")
        XCTAssertTrue(lines(out).last?.hasPrefix("GET \(base)/heartbeat: 200 OK (1 attempt, ") == true, out)
        XCTAssertTrue(lines(out).last?.hasSuffix(" s)") == true, out)
        // --quiet: no echo, the status line still.
        XCTAssertEqual(try printed("http \(base)/heartbeat").count, 1)
    }

    func testRetriesUntilTheServiceAnswers() throws {
        let (s, base) = try server { _, n in n < 2 ? .answer(503, "Service Unavailable", body: "starting") : .answer(200, "OK", body: "up") }
        XCTAssertEqual(try printed("let r = (http \(base)/heartbeat --retries 5 --backoff 0); print $r.attempts; print $r.body"), ["3", "up"])
        XCTAssertEqual(s.requests.count, 3)
    }

    func testSendsTheMethodHeadersAndBody() throws {
        let (s, base) = try server { _, _ in .answer(201, "Created") }
        XCTAssertEqual(try printed(#"print (http \#(base)/api?x=1 --method post --header "X-One: 1" --header "Content-Type: text/plain" --body "héllo").status"#), ["201"])
        let r = try XCTUnwrap(s.requests.first)
        XCTAssertEqual(r.method, "POST")
        XCTAssertEqual(r.target, "/api?x=1")
        XCTAssertEqual(r.header("X-One"), "1")
        XCTAssertEqual(r.header("Content-Type"), "text/plain")
        XCTAssertEqual(r.header("Content-Length"), "6")
        XCTAssertEqual(r.body, "héllo")
    }

    func testFollowsRedirects() throws {
        let (s, base) = try server { r, _ in
            switch r.target {
            case "/old": return .answer(301, "Moved Permanently", headers: [("Location", "/new")])
            case "/form": return .answer(303, "See Other", headers: [("Location", "http://127.0.0.1:\(r.header("Host")!.split(separator: ":")[1])/done")])
            case "/loop": return .answer(302, "Found", headers: [("Location", "/loop")])
            default: return .answer(200, "OK", body: r.method + " " + r.target)
            }
        }
        XCTAssertEqual(try printed("let r = (http \(base)/old); print $r.body; print $r.url"), ["GET /new", "\(base)/new"])
        XCTAssertEqual(try printed("print (http \(base)/form --method POST --body x).body"), ["GET /done"])
        XCTAssertEqual(try printed("let r = (http \(base)/old --no-redirects); print $r.status; print $r.headers.location"), ["301", "/new"])
        XCTAssertEqual(try caught("http \(base)/loop"),
                       ["E2016", "GET \(base)/loop failed: more than 10 redirects (1 attempt)", "\(base)/loop", "null", "more than 10 redirects", "1"])
        XCTAssertEqual(s.requests.filter { $0.target == "/loop" }.count, 11)
    }

    func testAnErrorStatusIsAnErrorUnlessAnyStatus() throws {
        let (s, base) = try server { r, _ in
            r.target == "/missing" ? .answer(404, "Not Found", body: "\n  no such page  \nsecond line")
                                   : .answer(503, "Service Unavailable", body: "down for maintenance")
        }
        XCTAssertEqual(try caught("http \(base)/heartbeat --retries 3 --backoff 0"),
                       ["E2016", "GET \(base)/heartbeat answered 503 Service Unavailable (4 attempts)", "\(base)/heartbeat", "503",
                        "503 Service Unavailable", "4"])
        // A 404 is an answer: no retry; the help quotes the body's first line.
        let r = try TestRoot().run("http \(base)/missing --retries 3 --backoff 0")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("error[E2016]: GET \(base)/missing answered 404 Not Found (1 attempt)"), r.err)
        XCTAssertTrue(r.err.contains("= help: the answer begins: no such page\n"), r.err)
        XCTAssertEqual(try printed("print (http \(base)/missing --any-status).status"), ["404"])
        XCTAssertEqual(s.requests.count, 4 + 1 + 1)
    }

    func testARefusedConnectionIsRetriedThenReported() throws {
        let url = "http://127.0.0.1:\(TestHTTPServer.closedPort())/heartbeat"
        XCTAssertEqual(try caught("http \(url) --retries 2 --backoff 0"),
                       ["E2016", "GET \(url) failed: connection refused (3 attempts)", url, "null", "connection refused", "3"])
        let r = try TestRoot().run("http \(url)")
        XCTAssertTrue(r.err.contains("= help: add --retries N to try again while the service starts"), r.err)
    }

    func testASilentServerTimesOut() throws {
        let (_, base) = try server { _, _ in .silence }
        XCTAssertEqual(try caught("http \(base)/heartbeat --timeout 0.5"),
                       ["E2016", "GET \(base)/heartbeat failed: timed out after 0.5 s (1 attempt)", "\(base)/heartbeat", "null",
                        "timed out after 0.5 s", "1"])
    }

    func testCtrlCEndsTheWait() throws {
        let (_, base) = try server { _, _ in .silence }
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { Interpreter.interruptRequested = true }
        let r = try TestRoot().run("http \(base)/heartbeat --timeout 20")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("error[E2012]: interrupted while running `GET \(base)/heartbeat`"), r.err)
        XCTAssertFalse(Interpreter.interruptRequested)
    }

    func testABodyOverTheLimitIsAnError() throws {
        let (_, base) = try server { _, _ in .answer(200, "OK", body: String(repeating: "x", count: 100)) }
        let client = HTTPClient(trust: .system(adding: []), maxBodyBytes: 10) { false }
        let request = HTTPRequest(method: "GET", target: try HTTPTarget(base + "/big"), headers: [], body: nil)
        XCTAssertThrowsError(try client.send(request, start: .now, timeout: 5)) { error in
            XCTAssertEqual(error as? HTTPFailure, .tooLarge(limit: 10))
        }
    }

    func testHTTPSVerifiesWithTheSystemRootsOrTheGivenAuthority() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tk8s-http-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let sandbox = Sandbox(directory: dir)
        let (port, kubeconfig) = try sandbox.start()
        defer { sandbox.stop() }
        let config = try String(contentsOfFile: kubeconfig, encoding: .utf8)
        func field(_ name: String) -> String {
            config.split(separator: "\n").first { $0.contains(name + ":") }!.split(separator: ":", maxSplits: 1)[1]
                .trimmingCharacters(in: .whitespaces)
        }
        let ca = dir.appendingPathComponent("ca.pem").path
        try Data(base64Encoded: field("certificate-authority-data"))!.write(to: URL(fileURLWithPath: ca))
        let token = field("token")
        let url = "https://127.0.0.1:\(port)/version"

        let out = try ok(#"print (http \#(url) --ca \#(ca) --header "Authorization: Bearer \#(token)").status"#)
        XCTAssertTrue(out.hasSuffix("\n200\n"), out)
        XCTAssertTrue(out.contains("--header 'Authorization: ********'"), out)
        XCTAssertFalse(out.contains(token), out)

        let r = try TestRoot().run("http \(url)")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("error[E2016]: GET \(url) failed: TLS: the server's certificate is not signed by a trusted authority (CERTIFICATE_VERIFY_FAILED) (1 attempt)"), r.err)
        XCTAssertTrue(r.err.contains("help: trust the server's authority with --ca FILE, or skip the check with --insecure"), r.err)

        // Without the token the sandbox answers 401: the connection itself was accepted.
        XCTAssertEqual(try printed("print (http \(url) --insecure --any-status).status"), ["401"])
    }

    func testCredentialsAndConfigSecretsAreNeverShown() throws {
        let (s, base) = try server { _, _ in .answer(500, "Internal Server Error") }
        let t = try TestRoot()
        try t.write("config.yml", try Fixtures.text("tutor22/default/config.yml"))
        let secret = "ENCftS8s"   // MYSQL_ROOT_PASSWORD in that config
        let url = base.replacingOccurrences(of: "http://", with: "http://admin:pa55word@") + "/x?p=$(config get MYSQL_ROOT_PASSWORD)"
        let r = t.run(#"http "\#(url)" --header "Authorization: Bearer tok3n" --header "cookie: sid=abc123" --header "X-Plain: visible""#)
        XCTAssertEqual(r.status, 1)
        let shown = "http://********@127.0.0.1:\(s.port)/x?p=********"
        XCTAssertEqual(r.out, "GET \(shown) --header 'Authorization: ********' --header 'cookie: ********' --header 'X-Plain: visible'\n")
        // The error's own line (the source line below it shows the script as written).
        let message = try XCTUnwrap(r.err.components(separatedBy: "\n").first)
        XCTAssertEqual(message, "error[E2016]: GET \(shown) answered 500 Internal Server Error (1 attempt)")
        for hidden in [secret, "pa55word", "admin", "tok3n", "abc123"] {
            XCTAssertFalse(r.out.contains(hidden) || message.contains(hidden), hidden)
        }
        XCTAssertEqual(try printed(#"try { http "\#(url)" } catch err { print $err.url }"#, t), [shown])
        // The server gets them all the same; the URL's user-info as Basic authorization only when none is given.
        XCTAssertEqual(s.requests.first?.header("Authorization"), "Bearer tok3n")
        XCTAssertEqual(s.requests.first?.target, "/x?p=\(secret)")
        _ = t.run("http \(base.replacingOccurrences(of: "http://", with: "http://admin:pa55word@"))/y")
        XCTAssertEqual(s.requests.last?.header("Authorization"), "Basic " + Data("admin:pa55word".utf8).base64EncodedString())
    }

    func testADryRunSendsNothing() throws {
        let (s, base) = try server { _, _ in .answer(200, "OK") }
        let dry = ClusterOptions(dryRun: true)
        XCTAssertEqual(try ok("print (http \(base)/heartbeat)", cluster: dry),
                       "GET \(base)/heartbeat   # dry run: not run, read as empty\nnull\n")
        XCTAssertEqual(try ok("http \(base)/api --method DELETE", cluster: dry), "DELETE \(base)/api   # dry run: not run\n")
        XCTAssertEqual(s.requests.count, 0)
    }

    func testBadArgumentsAreInvalidArguments() throws {
        let cases: [(String, String)] = [
            ("http ftp://example.com/", #"`http`: "ftp://example.com/" is not an http or https URL"#),
            ("http http:///path", #"`http`: "http:///path" has no host"#),
            ("http 'not a url'", #"`http`: "not a url" is not a URL"#),
            (#"http http://127.0.0.1/ --header "Authorization Bearer x""#, #"`http --header` wants "Name: value", got "Authorization…""#),
            ("http http://127.0.0.1/ --retries -1", "`http --retries` wants 0 or more, got -1"),
            ("http http://127.0.0.1/ --timeout -1", "`http --timeout` wants seconds, above 0 and at most 86400, got -1"),
            ("http http://127.0.0.1/ --timeout 0", "`http --timeout` wants seconds, above 0 and at most 86400, got 0"),
            ("http http://127.0.0.1/ --timeout 1e300", "`http --timeout` wants seconds, above 0 and at most 86400, got "),
            ("http http://127.0.0.1/ --backoff -0.5", "`http --backoff` wants seconds, 0 or more, got -0.5"),
            ("http http://127.0.0.1/ --method 'GET /'", #"`http --method` wants a method such as GET or POST, got "GET /""#),
            ("http http://127.0.0.1/ --ca /nonexistent.pem", "`http --ca`: no file /nonexistent.pem"),
            ("http http://127.0.0.1/ --ca \(#filePath)", "`http --ca`: \(#filePath) holds no PEM certificate"),
            ("http http://127.0.0.1/ --ca x.pem --insecure", "`http` takes --ca or --insecure, not both"),
        ]
        for (code, message) in cases {
            let r = try TestRoot().run("let x = 1\n  " + code)
            XCTAssertEqual(r.status, 1, code)
            XCTAssertTrue(r.err.contains("error[E2009]: " + message), "\(code):\n\(r.err)")
            XCTAssertTrue(r.err.contains("--> <-c>:2:3"), "\(code):\n\(r.err)")
            XCTAssertEqual(r.out, "", code)
        }
    }

    func testHelpListsTheFlags() throws {
        let out = try ok("help http")
        XCTAssertTrue(out.hasPrefix("http URL [--method METHOD] [--header \"Name: value\"]… [--body TEXT] [--timeout SECONDS] [--retries N] [--backoff SECONDS] [--any-status] [--no-redirects] [--insecure] [--ca FILE]\n"), out)
        for flag in ["--method", "--header", "--body", "--timeout", "--retries", "--backoff", "--any-status", "--no-redirects", "--insecure", "--ca"] {
            XCTAssertTrue(out.contains("  " + flag) || out.contains("    " + flag), flag)
        }
        XCTAssertTrue(out.contains("skip https certificate checks"), out)
    }
}
