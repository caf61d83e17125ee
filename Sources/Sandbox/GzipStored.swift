/// A gzip stream (RFC 1952) whose deflate blocks are stored, not compressed: valid for `gunzip` and any reader, made a
/// chunk at a time with nothing kept but a CRC. `mongodump --archive --gzip` streams through it; a simulated dump is
/// not worth compressing, and the stored form keeps the output's size predictable (5 bytes per 64 KiB block).
struct GzipStored {
    private var crc: UInt32 = 0xFFFF_FFFF
    private var length: UInt32 = 0
    private var started = false

    /// The gzip form of the next `data`: the header first, then stored blocks of at most 65535 bytes.
    mutating func compress(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        if !started {
            // Magic, deflate, no flags, no time, no extra flags, unknown OS.
            out += [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF]
            started = true
        }
        var offset = 0
        while offset < data.count {
            let n = min(65535, data.count - offset)
            out += [0x00, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += data[offset..<(offset + n)]
            offset += n
        }
        for b in data { crc = Self.table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        length &+= UInt32(truncatingIfNeeded: data.count)
        return out
    }

    /// The end of the stream: an empty final block, the CRC-32 and the length modulo 2^32.
    mutating func finish() -> [UInt8] {
        var out = compress([])
        out += [0x01, 0x00, 0x00, 0xFF, 0xFF]
        let sum = ~crc
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8((sum >> UInt32(shift)) & 0xFF)) }
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8((length >> UInt32(shift)) & 0xFF)) }
        return out
    }

    private static let table: [UInt32] = (0..<256).map { i in
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }
}
