import Core
import Crypto
import Foundation
import Lang
import OrderedCollections
import Template
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
            "rsa_import_key": rsaImportKey,
            "long_to_base64": longToBase64,
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
        return .string(Hex.encode(mac))
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
            if pair[1].isTruthy { names.append("\"" + name.replacingAll("\"", with: "\\\"") + "\"") }
        }
        return .string("[" + names.joined(separator: ", ") + "]")
    }

    /// `{% set key | rsa_import_key %}{{ JWT_RSA_PRIVATE_KEY }}{% endset %}`: the key's numbers, as pycryptodome's
    /// RsaKey names them (n, e, d, p, q, dp, dq, invq). They are larger than any template integer, so each is kept
    /// as `0x` and its big-endian hex digits; `long_to_base64` is the only filter Tutor's templates apply to them.
    static func rsaImportKey(_ input: Value, _: [Value], _: [(String, Value)]) throws -> Value {
        let numbers = try RSAPrivateKeyDER.integers(pem: try string(input, "rsa_import_key"))
        let names = ["n", "e", "d", "p", "q", "dp", "dq", "invq"]
        var out = OrderedDictionary<String, Value>()
        for (name, bytes) in zip(names, numbers) {
            out[name] = .string("0x" + Hex.encode(bytes))
        }
        return .map(out)
    }

    /// `{{ key.n|long_to_base64 }}`: an unsigned integer's big-endian bytes in unpadded base64url (a JWK field).
    static func longToBase64(_ input: Value, _: [Value], _: [(String, Value)]) throws -> Value {
        var bytes: [UInt8]
        switch input {
        case .int(let i) where i >= 0:
            bytes = withUnsafeBytes(of: UInt64(i).bigEndian, Array.init)
        case .string(let s) where s.hasPrefix("0x"):
            guard let parsed = Hex.decode(s.utf8.dropFirst(2)) else {
                throw fail("long_to_base64 wants an integer, got \(s.prefix(20))…")
            }
            bytes = parsed
        default:
            throw fail("long_to_base64 wants a non-negative integer, got \(input.typeName) \(input.literal)")
        }
        bytes = Array(bytes.drop { $0 == 0 })
        if bytes.isEmpty { bytes = [0] }
        let b64 = Data(bytes).base64EncodedString()
            .replacingAll("+", with: "-").replacingAll("/", with: "_")
        return .string(String(b64.prefix { $0 != "=" }))
    }
}

/// The integers of an RSA private key in PEM: PKCS#1 (`BEGIN RSA PRIVATE KEY`, what Tutor and
/// tk8s write) or PKCS#8 (`BEGIN PRIVATE KEY`) around it. Only the DER that such keys use is read.
enum RSAPrivateKeyDER {
    private static func fail(_ why: String) -> Diagnostic {
        Diagnostic(.templateError, "rsa_import_key: \(why)", at: nil, help: "JWT_RSA_PRIVATE_KEY must be an RSA private key in PEM")
    }

    /// n, e, d, p, q, d mod (p-1), d mod (q-1), q⁻¹ mod p: each as big-endian bytes without a sign byte.
    static func integers(pem: String) throws -> [[UInt8]] {
        let lines = pem.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let begin = lines.firstIndex(where: { $0.hasPrefix("-----BEGIN ") }),
              let end = lines.lastIndex(where: { $0.hasPrefix("-----END ") }), begin < end else {
            throw fail("no `-----BEGIN … PRIVATE KEY-----` block")
        }
        guard let der = Data(base64Encoded: lines[(begin + 1)..<end].joined()) else { throw fail("the PEM body is not base64") }
        var reader = Reader(bytes: Array(der))
        var body = try reader.sequence()
        let version = try body.integer()
        if lines[begin].contains("BEGIN PRIVATE KEY") {
            // PKCS#8: version, algorithm, OCTET STRING holding the PKCS#1 key.
            _ = try body.element(tag: 0x30)
            var inner = Reader(bytes: try body.element(tag: 0x04))
            body = try inner.sequence()
            _ = try body.integer()
        } else if version != [0] && !version.isEmpty {
            throw fail("unsupported key version")
        }
        var out: [[UInt8]] = []
        for _ in 0..<8 { out.append(Array(try body.integer().drop { $0 == 0 })) }
        return out
    }

    /// A DER reader over definite-length elements.
    private struct Reader {
        let bytes: [UInt8]
        var pos = 0

        mutating func element(tag: UInt8) throws -> [UInt8] {
            guard pos < bytes.count, bytes[pos] == tag else { throw fail("unexpected DER element") }
            pos += 1
            guard pos < bytes.count else { throw fail("truncated DER") }
            var length = Int(bytes[pos])
            pos += 1
            if length & 0x80 != 0 {
                let count = length & 0x7F
                guard count > 0, count <= 4, pos + count <= bytes.count else { throw fail("bad DER length") }
                length = 0
                for _ in 0..<count { length = length << 8 | Int(bytes[pos]); pos += 1 }
            }
            guard length <= bytes.count - pos else { throw fail("truncated DER") }
            defer { pos += length }
            return Array(bytes[pos..<(pos + length)])
        }

        mutating func sequence() throws -> Reader { Reader(bytes: try element(tag: 0x30)) }
        mutating func integer() throws -> [UInt8] { try element(tag: 0x02) }
    }
}
