import Crypto
import Foundation
import Lang
import _CryptoExtras

/// The template filters Tutor adds to Jinja, so the values in base.yml and
/// Tutor YAML plugins render here as they do there. Secrets come from the
/// system CSPRNG (`SystemRandomNumberGenerator` reads getrandom(2)).
enum TutorFilters {
    static var all: [String: TemplateFilter] {
        [
            "random_string": randomString,
            "rsa_private_key": rsaPrivateKey,
            "uuid": uuid,
            "uid_master_hash": uidMasterHash,
            "common_domain": commonDomain,
            "reverse_host": reverseHost,
            "list_if": listIf,
        ]
    }

    private static func fail(_ message: String) -> Diagnostic { Diagnostic(.templateError, message, at: nil) }

    private static func int(_ v: Value, _ what: String) throws -> Int {
        if case .int(let i) = v { return i }
        throw fail("\(what) wants an integer, got \(v.typeName) \(v.literal)")
    }

    private static func string(_ v: Value, _ what: String) throws -> String {
        if case .string(let s) = v { return s }
        throw fail("\(what) wants a string, got \(v.typeName) \(v.literal)")
    }

    /// `{{ 24|random_string }}`: letters and digits, uniformly drawn.
    static func randomString(_ input: Value, _: [Value], _: [(String, Value)]) throws -> Value {
        let n = try int(input, "random_string")
        guard (0...4096).contains(n) else { throw fail("random_string length must be between 0 and 4096, got \(n)") }
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var rng = SystemRandomNumberGenerator()
        return .string(String((0..<n).map { _ in alphabet.randomElement(using: &rng)! }))
    }

    /// `{{ 2048|rsa_private_key }}`: a new key in PKCS#1 PEM, as Tutor writes it.
    static func rsaPrivateKey(_ input: Value, _: [Value], _: [(String, Value)]) throws -> Value {
        let bits = try int(input, "rsa_private_key")
        let size: _RSA.Signing.KeySize
        switch bits {
        case 2048: size = .bits2048
        case 3072: size = .bits3072
        case 4096: size = .bits4096
        default: throw fail("rsa_private_key supports 2048, 3072 or 4096 bits, got \(bits)")
        }
        do {
            let key = try _RSA.Signing.PrivateKey(keySize: size)
            return .string(key.pemRepresentation.trimmingCharacters(in: .newlines))
        } catch {
            throw fail("cannot generate an RSA key: \(error)")
        }
    }

    /// `{{ 4|uuid }}`: a random (version 4) UUID in lower case.
    static func uuid(_ input: Value, _: [Value], _: [(String, Value)]) throws -> Value {
        let version = try int(input, "uuid")
        guard version == 4 else { throw fail("uuid supports version 4 only, got \(version)") }
        return .string(UUID().uuidString.lowercased())
    }

    /// `{{ MASTER|uid_master_hash(UID) }}`: Meilisearch's API key for a key UID, HMAC-SHA256 in hex.
    static func uidMasterHash(_ input: Value, _ args: [Value], _: [(String, Value)]) throws -> Value {
        let master = try string(input, "uid_master_hash")
        guard let uidValue = args.first else { throw fail("uid_master_hash needs the key UID: `MASTER|uid_master_hash(UID)`") }
        let uid = try string(uidValue, "uid_master_hash")
        let mac = HMAC<SHA256>.authenticationCode(for: Data(uid.utf8), using: SymmetricKey(data: Data(master.utf8)))
        return .string(mac.map { String(format: "%02x", $0) }.joined())
    }

    /// `{{ LMS_HOST|common_domain(CMS_HOST) }}`: the shared suffix of two domains.
    static func commonDomain(_ input: Value, _ args: [Value], _: [(String, Value)]) throws -> Value {
        let a = try string(input, "common_domain").split(separator: ".", omittingEmptySubsequences: false).reversed()
        guard let other = args.first else { throw fail("common_domain needs a second domain") }
        let b = try string(other, "common_domain").split(separator: ".", omittingEmptySubsequences: false).reversed()
        var common: [Substring] = []
        for (x, y) in zip(a, b) {
            if x != y { break }
            common.append(x)
        }
        return .string(common.reversed().joined(separator: "."))
    }

    /// `{{ "www.example.com"|reverse_host }}` → `com.example.www`.
    static func reverseHost(_ input: Value, _: [Value], _: [(String, Value)]) throws -> Value {
        .string(try string(input, "reverse_host").split(separator: ".", omittingEmptySubsequences: false).reversed().joined(separator: "."))
    }

    /// `{{ [("lms", RUN_LMS), ("cms", true)]|list_if }}` → `["lms", "cms"]` as JSON.
    static func listIf(_ input: Value, _: [Value], _: [(String, Value)]) throws -> Value {
        guard case .list(let pairs) = input else { throw fail("list_if wants a list of (name, condition) pairs") }
        var names: [String] = []
        for p in pairs {
            guard case .list(let pair) = p, pair.count == 2, case .string(let name) = pair[0] else {
                throw fail("list_if wants (name, condition) pairs, got \(p.literal)")
            }
            if pair[1].isTruthy { names.append("\"" + name.replacingOccurrences(of: "\"", with: "\\\"") + "\"") }
        }
        return .string("[" + names.joined(separator: ", ") + "]")
    }
}
