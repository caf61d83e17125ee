/// The deterministic material simulated dumps are made of: a random stream seeded from names (the same database
/// and table always give the same rows), and byte-level writers for the values a row holds.
struct DumpRandom {
    private var state: UInt64

    /// A stream for row `index` of `parts` (database, table): rows can be made in any order, each on its own.
    init(_ parts: [String], index: Int) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            for b in part.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            h = (h ^ 0xff) &* 0x100_0000_01b3
        }
        state = h ^ (UInt64(truncatingIfNeeded: index) &* 0x9e37_79b9_7f4a_7c15)
    }

    /// SplitMix64.
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
}

/// Appending the pieces of a row to a byte buffer, without going through `String` for every value.
extension Array where Element == UInt8 {
    mutating func put(_ text: String) { append(contentsOf: text.utf8) }

    mutating func put(_ n: Int) { append(contentsOf: String(n).utf8) }

    /// `n` with at least `width` digits, zero-padded (dates, times).
    mutating func put(_ n: Int, width: Int) {
        let digits = String(n)
        for _ in digits.count..<Swift.max(width, digits.count) { append(0x30) }
        append(contentsOf: digits.utf8)
    }

    mutating func putHex(_ random: inout DumpRandom, count: Int) {
        let hex = Array("0123456789abcdef".utf8)
        for _ in 0..<count { append(hex[Int(random.next() & 15)]) }
    }

    /// A timestamp in 2024, `YYYY-MM-DD HH:MM:SS` with `separator` between date and time.
    mutating func putDate(_ random: inout DumpRandom, separator: UInt8 = 0x20) {
        put(2024); append(0x2D); put(random.int(1...12), width: 2); append(0x2D); put(random.int(1...28), width: 2)
        append(separator)
        put(random.int(0...23), width: 2); append(0x3A); put(random.int(0...59), width: 2); append(0x3A); put(random.int(0...59), width: 2)
    }

    /// Exactly `count` bytes of lowercase words separated by `separator` (the filler text of rows, which the
    /// generator lengthens to end a section on the byte).
    mutating func putWords(_ random: inout DumpRandom, count: Int, separator: UInt8 = 0x20) {
        let words = DumpText.words
        var left = count
        var first = true
        while left > 0 {
            if !first {
                append(separator)
                left -= 1
                if left == 0 { break }
            }
            first = false
            let word = words[Int(random.next() % UInt64(words.count))]
            let n = Swift.min(word.count, left)
            append(contentsOf: word[..<n])
            left -= n
        }
    }

    /// Exactly `count` base64 characters (session data, password hashes).
    mutating func putBase64(_ random: inout DumpRandom, count: Int) {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for _ in 0..<Swift.max(count, 0) { append(alphabet[Int(random.next() % 64)]) }
    }
}

enum DumpText {
    static let words: [[UInt8]] = ["lorem", "ipsum", "dolor", "sit", "amet", "course", "learner", "problem", "answer",
                                   "video", "unit", "section", "grade", "forum", "thread", "reply", "module", "block",
                                   "open", "edx", "studio", "lms", "quiz", "week", "final", "exam", "notes", "discussion"]
        .map { Array($0.utf8) }

    /// Course keys of a few demo courses.
    static let courses = ["OpenedX+DemoX+Demo_Course", "OpenedX+Sandbox101+2024", "OpenedX+DataX+2024_T1"]

    /// `n` bytes of a comment filler: `PREFIX` then dots up to a newline, or only newlines when too short.
    static func filler(_ n: Int, comment: String) -> [UInt8] {
        guard n > comment.utf8.count + 1 else { return [UInt8](repeating: 0x0A, count: Swift.max(n, 0)) }
        var out = Array(comment.utf8)
        out += [UInt8](repeating: 0x2E, count: n - out.count - 1)
        out.append(0x0A)
        return out
    }

    /// The image's version tag (`mysql:8.4.0` → `8.4.0`), when it reads like one.
    static func versionTag(_ image: String) -> String? {
        let last = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = last.lastIndex(of: ":") else { return nil }
        let tag = last[last.index(after: colon)...].prefix { $0 != "@" && $0 != "-" }
        let parts = tag.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count >= 2 && parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) ? String(tag) : nil
    }

    /// The repository part of an image name, lowercased (`docker.io/bitnami/mysql:8.4` → `mysql`).
    static func repository(_ image: String) -> String {
        let last = image.split(separator: "/").last.map(String.init) ?? image
        return String(last.prefix { $0 != ":" && $0 != "@" }).lowercased()
    }
}
