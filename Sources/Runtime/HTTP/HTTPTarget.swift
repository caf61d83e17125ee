import Foundation

/// An `http://` or `https://` URL taken apart for a request: where to connect, what to ask for, and how to show it
/// without its credentials. Foundation's URL parser does the parsing (it is linked already; FoundationNetworking,
/// which `URLSession` needs, is not).
struct HTTPTarget: Sendable, Equatable {
    /// The absolute URL, credentials included: what a script gets back as `url`.
    let url: String
    let secure: Bool
    /// The host to connect to, an IPv6 address without its brackets.
    let host: String
    let port: Int
    /// The path and query, as sent on the request line (`/heartbeat?x=1`).
    let requestTarget: String
    /// The user-info part (`user:password@`), percent-decoded: sent as Basic authorization.
    let user: String?
    let password: String?
    /// The URL with its user-info replaced by `********`: the only form tk8s prints.
    let shown: String

    /// Why a text is not a URL `http` can fetch, in words for an E2009 message.
    struct Invalid: Error { let reason: String }

    init(_ text: String) throws(Invalid) {
        guard let parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased() else {
            throw Invalid(reason: "\(quoted(text)) is not a URL")
        }
        guard scheme == "http" || scheme == "https" else {
            throw Invalid(reason: "\(quoted(text)) is not an http or https URL")
        }
        guard var host = parts.host, !host.isEmpty else { throw Invalid(reason: "\(quoted(text)) has no host") }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        secure = scheme == "https"
        self.host = host
        port = parts.port ?? (secure ? 443 : 80)
        let path = parts.percentEncodedPath.isEmpty ? "/" : parts.percentEncodedPath
        requestTarget = path + (parts.percentEncodedQuery.map { "?" + $0 } ?? "")
        user = parts.user
        password = parts.password
        url = text
        var hidden = parts
        if parts.percentEncodedUser != nil || parts.percentEncodedPassword != nil {
            hidden.percentEncodedUser = "********"
            hidden.percentEncodedPassword = nil
        }
        shown = hidden.string ?? text
    }

    /// The target a redirect's `Location` names: absolute, or relative to this URL.
    func resolving(_ location: String) throws(Invalid) -> HTTPTarget {
        guard let base = URL(string: url), let resolved = URL(string: location, relativeTo: base)?.absoluteString else {
            throw Invalid(reason: "the redirect to \(quoted(location)) is not a URL")
        }
        return try HTTPTarget(resolved)
    }

    /// The `Host` header: the port only when it is not the scheme's, an IPv6 address in brackets.
    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (secure ? 443 : 80) ? name : "\(name):\(port)"
    }

    /// Scheme, host and port: credentials are not sent on to another origin when a redirect leaves this one.
    func sameOrigin(as other: HTTPTarget) -> Bool {
        secure == other.secure && host.lowercased() == other.host.lowercased() && port == other.port
    }
}

private func quoted(_ s: String) -> String { "\"\(s)\"" }
