/// The names a real cluster makes up: `generateName` plus five random characters (pods of a ReplicaSet or Job,
/// `kubectl create job --from`), and the `pod-template-hash` of a Deployment's ReplicaSets. Both use the same
/// alphabet, with no vowels (no accidental words) and no look-alikes (`0`/`o`, `1`/`l`), as
/// `k8s.io/apiserver/pkg/storage/names` and `k8s.io/apimachinery/pkg/util/rand` do.
enum NameGenerator {
    static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
    /// Random characters appended to a `generateName`.
    static let randomLength = 5
    /// A longer prefix is cut, so that the generated name still fits a 63-character label.
    static let maxPrefixLength = 63 - randomLength

    /// `generateName` + 5 random characters; the prefix is cut to 58 bytes as upstream does.
    static func name(prefix: String) -> String {
        let bytes = Array(prefix.utf8)
        let base = bytes.count > maxPrefixLength ? String(decoding: bytes.prefix(maxPrefixLength), as: UTF8.self) : prefix
        return base + encode(UInt64.random(in: 0...UInt64.max), length: randomLength)
    }

    /// `rand.SafeEncodeString` of a number's decimal digits, as the real controller writes a `pod-template-hash`
    /// (`5d8f6c7b9`: each digit's byte picks a character, so a hash is 1 to 10 of `456789bcdf`).
    static func safeEncode(_ n: UInt32) -> String {
        String(String(n).utf8.map { alphabet[Int($0) % alphabet.count] })
    }

    /// `n` written in the alphabet, `length` characters, least significant first.
    static func encode(_ n: UInt64, length: Int) -> String {
        var n = n, out = ""
        for _ in 0..<length {
            out.append(alphabet[Int(n % UInt64(alphabet.count))])
            n /= UInt64(alphabet.count)
        }
        return out
    }
}
