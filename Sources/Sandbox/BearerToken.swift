/// The secret a sandbox's clients must present: `Authorization: Bearer TOKEN`, as a real API server's token
/// authenticator reads it. The sandbox listens on 127.0.0.1 only, but every local user and every process (a browser
/// page's fetch included) can reach that; the token, written only into the owner-only kubeconfig, keeps them out.
///
/// 32 random bytes from the system's CSPRNG (`getrandom` on Linux), hex-encoded; a new one at every start.
struct BearerToken: Sendable {
    let value: String

    init(_ value: String) { self.value = value }

    static func random() -> BearerToken {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return BearerToken(bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
    }

    /// Whether an `Authorization` header value carries this token. Like `k8s.io/apiserver`'s bearer token
    /// authenticator: the scheme is case-insensitive and the token is the second space-separated word. The
    /// comparison takes the same time wherever the first difference is, so timing tells nothing about the token.
    func authorizes(_ header: String?) -> Bool {
        guard let header else { return false }
        let words = header.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard words.count >= 2, words[0].lowercased() == "bearer", !words[1].isEmpty else { return false }
        let offered = Array(words[1].utf8), expected = Array(value.utf8)
        var difference: UInt8 = offered.count == expected.count ? 0 : 1
        for i in expected.indices { difference |= expected[i] ^ (i < offered.count ? offered[i] : 0) }
        return difference == 0
    }
}
