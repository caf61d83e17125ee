/// Lower-case hexadecimal text of bytes and back: digests (Meilisearch keys, cache keys, the
/// hashes of config values) and the big integers of `rsa_import_key`.
enum Hex {
    static func encode<S: Sequence<UInt8>>(_ bytes: S) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of hex digits (either case), or nil for an odd count or a non-digit.
    static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 2)
        var high: UInt8?
        for c in text {
            guard let n = nibble(c) else { return nil }
            if let h = high { out.append(h << 4 | n); high = nil } else { high = n }
        }
        return out
    }
}
