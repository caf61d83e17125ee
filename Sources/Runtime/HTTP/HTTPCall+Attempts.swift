/// What a call came to once it stopped trying.
struct HTTPOutcome {
    /// The last request sent: the redirects' target, with GET after a 303.
    var request: HTTPRequest
    /// The last response, or why the last attempt got none.
    var result: Result<HTTPResponse, HTTPFailure>
    var attempts: Int
    /// From the first attempt to the end, waits included.
    var seconds: Double
}

extension HTTPCall {
    /// Headers that carry credentials: shown as `********`, and not sent on when a redirect leaves the origin.
    static let credentialHeaders: Set<String> = ["authorization", "cookie", "proxy-authorization"]

    /// Tries the request until it is answered below 500 (and not 429), it fails in a way trying again cannot mend,
    /// or the retries are spent; `pause` waits between attempts (and throws when Ctrl-C ends the wait).
    func perform(_ client: HTTPClient, pause: (Double) throws -> Void) throws -> HTTPOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        var attempts = 0
        while true {
            attempts += 1
            let (last, result) = attempt(client)
            let tryAgain: Bool
            switch result {
            case .success(let response): tryAgain = response.status >= 500 || response.status == 429
            case .failure(let failure): tryAgain = failure.isWorthRetrying
            }
            if tryAgain && attempts <= retries {
                try pause(delay(before: attempts + 1))
                continue
            }
            let elapsed = (clock.now - start).components
            let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
            return HTTPOutcome(request: last, result: result, attempts: attempts, seconds: (seconds * 1000).rounded() / 1000)
        }
    }

    /// The wait before attempt `n` (2 or more): `backoff`, doubled for each attempt after the second, at most 30 s.
    func delay(before n: Int) -> Double {
        var d = backoff
        for _ in 2..<n where d < Self.maxBackoff { d *= 2 }
        return min(d, Self.maxBackoff)
    }

    /// One attempt: the request and the redirects it leads to, all within one timeout.
    private func attempt(_ client: HTTPClient) -> (HTTPRequest, Result<HTTPResponse, HTTPFailure>) {
        let start = ContinuousClock.now
        var request = self.request
        for _ in 0...Self.maxRedirects {
            do {
                let response = try client.send(request, start: start, timeout: timeout)
                guard followsRedirects, let next = try Self.redirected(request, by: response) else {
                    return (request, .success(response))
                }
                request = next
            } catch {
                return (request, .failure(error))
            }
        }
        return (request, .failure(.badRedirect("more than \(Self.maxRedirects) redirects")))
    }

    /// The request a redirect asks for, nil when `response` is not one: GET without the body after a 303, the same
    /// request otherwise; credentials stay behind when it leaves the origin.
    static func redirected(_ request: HTTPRequest, by response: HTTPResponse) throws(HTTPFailure) -> HTTPRequest? {
        guard [301, 302, 303, 307, 308].contains(response.status), let location = response.header("Location") else { return nil }
        var next = request
        do {
            next.target = try request.target.resolving(location)
        } catch {
            throw .badRedirect(error.reason)
        }
        if response.status == 303 && request.method != "HEAD" {
            next.method = "GET"
            next.body = nil
            next.headers.removeAll { ["content-type", "content-length"].contains($0.name.lowercased()) }
        }
        if !next.target.sameOrigin(as: request.target) {
            next.headers.removeAll { credentialHeaders.contains($0.name.lowercased()) }
        }
        return next
    }
}
