import OrderedCollections

/// A strict RFC 8259 parser over UTF-8 bytes that keeps object keys in order.
public struct JSONParser {
    /// Where a text stopped being JSON: the reason and a byte offset, turned into a line and column for people.
    struct Malformed: Error {
        var reason: String
        var offset: Int
    }

    /// Why a text is not JSON: `cannot parse JSON: … at line L column C`. Lang reports it as E2010.
    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    static let maxDepth = 512
    private let bytes: [UInt8]
    private let maxCount: Int
    private var pos = 0
    private var depth = 0

    init(text: String, maxCount: Int) {
        bytes = Array(text.utf8)
        self.maxCount = maxCount
    }

    /// 1-based line and column (in characters of the line) of a byte offset.
    func location(of offset: Int) -> (Int, Int) {
        var line = 1, lineStart = 0
        let end = min(offset, bytes.count)
        for i in 0..<end where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        var col = 1
        for i in lineStart..<end where bytes[i] & 0xC0 != 0x80 { col += 1 }
        return (line, col)
    }

    /// The value of a JSON document; a malformed one throws a `Failure` with its line and column.
    public static func parse(_ text: String, maxCount: Int = 16 << 20) throws(Failure) -> Value {
        var parser = JSONParser(text: text, maxCount: maxCount)
        do {
            return try parser.parseDocument()
        } catch {
            let (line, col) = parser.location(of: error.offset)
            throw Failure(message: "cannot parse JSON: \(error.reason) at line \(line) column \(col)")
        }
    }

    mutating func parseDocument() throws(Malformed) -> Value {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { pos = 3 }
        skipSpace()
        let v = try parseValue()
        skipSpace()
        if pos < bytes.count { throw fail("unexpected \(describe(pos)) after the JSON value") }
        return v
    }

    private func fail(_ reason: String, at offset: Int? = nil) -> Malformed { Malformed(reason: reason, offset: offset ?? pos) }

    /// The character at byte `i` as written, for messages.
    private func char(at i: Int) -> String {
        var end = i + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        let c = String(decoding: bytes[i..<min(end, bytes.count)], as: UTF8.self)
        if let u = c.unicodeScalars.first, u.value < 0x20 || u.value == 0x7F { return "U+" + hex4(u.value) }
        return "`\(c)`"
    }

    private func describe(_ i: Int) -> String {
        i < bytes.count ? "character \(char(at: i))" : "end of input"
    }

    private mutating func skipSpace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x09, 0x0A, 0x0D: pos += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(Malformed) -> Value {
        guard pos < bytes.count else { throw fail("unexpected end of input, expected a value") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail("unexpected \(describe(pos)), expected a value")
        }
    }

    private mutating func literal(_ word: String, _ v: Value) throws(Malformed) -> Value {
        let w = Array(word.utf8)
        guard bytes.count - pos >= w.count, Array(bytes[pos..<pos + w.count]) == w else {
            throw fail("unexpected \(describe(pos)), expected a value")
        }
        pos += w.count
        return v
    }

    private mutating func enter() throws(Malformed) {
        depth += 1
        if depth > JSONParser.maxDepth { throw fail("nesting deeper than \(JSONParser.maxDepth) levels") }
    }

    private mutating func parseObject() throws(Malformed) -> Value {
        try enter()
        pos += 1
        var dict: OrderedDictionary<String, Value> = [:]
        skipSpace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") {
            pos += 1
            depth -= 1
            return .map(dict)
        }
        while true {
            skipSpace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else {
                throw fail("unexpected \(describe(pos)), expected a string key")
            }
            let key = try parseString()
            skipSpace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else {
                throw fail("unexpected \(describe(pos)), expected `:` after an object key")
            }
            pos += 1
            skipSpace()
            dict[key] = try parseValue()
            if dict.count > maxCount { throw fail("object has more than \(maxCount) keys") }
            skipSpace()
            guard pos < bytes.count else { throw fail("unexpected end of input, expected `,` or `}`") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; break }
            throw fail("unexpected \(describe(pos)), expected `,` or `}`")
        }
        depth -= 1
        return .map(dict)
    }

    private mutating func parseArray() throws(Malformed) -> Value {
        try enter()
        pos += 1
        var list: [Value] = []
        skipSpace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") {
            pos += 1
            depth -= 1
            return .list(list)
        }
        while true {
            skipSpace()
            list.append(try parseValue())
            if list.count > maxCount { throw fail("array has more than \(maxCount) elements") }
            skipSpace()
            guard pos < bytes.count else { throw fail("unexpected end of input, expected `,` or `]`") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; break }
            throw fail("unexpected \(describe(pos)), expected `,` or `]`")
        }
        depth -= 1
        return .list(list)
    }

    private mutating func parseString() throws(Malformed) -> String {
        let start = pos
        pos += 1
        var out: [UInt8] = []
        var runStart = pos
        while true {
            guard pos < bytes.count else { throw fail("unterminated string", at: start) }
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                out.append(contentsOf: bytes[runStart..<pos])
                pos += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b < 0x20 { throw fail("control character U+\(hex4(UInt32(b))) in a string; write it as an escape") }
            if b != UInt8(ascii: "\\") { pos += 1; continue }
            out.append(contentsOf: bytes[runStart..<pos])
            let escapeStart = pos
            pos += 1
            guard pos < bytes.count else { throw fail("unterminated string", at: start) }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hexQuad(escapeStart)
                if (0xD800...0xDBFF).contains(code) {
                    guard pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                        throw fail("lone surrogate \\u\(hex4(code)) in a string", at: escapeStart)
                    }
                    pos += 2
                    let low = try hexQuad(escapeStart)
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw fail("lone surrogate \\u\(hex4(code)) in a string", at: escapeStart)
                    }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(code) {
                    throw fail("lone surrogate \\u\(hex4(code)) in a string", at: escapeStart)
                }
                out.append(contentsOf: String(Character(Unicode.Scalar(code)!)).utf8)
            default:
                throw fail("invalid escape: \(char(at: pos - 1)) after a backslash", at: escapeStart)
            }
            runStart = pos
        }
    }

    private mutating func hexQuad(_ escapeStart: Int) throws(Malformed) -> UInt32 {
        guard bytes.count - pos >= 4 else { throw fail("incomplete \\u escape", at: escapeStart) }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = bytes[pos + k]
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default: throw fail("invalid \\u escape: four hex digits expected", at: escapeStart)
            }
            v = v << 4 | UInt32(d)
        }
        pos += 4
        return v
    }

    private mutating func parseNumber() throws(Malformed) -> Value {
        let start = pos
        func digits() -> Int {
            let s = pos
            while pos < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos]) { pos += 1 }
            return pos - s
        }
        if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        guard pos < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos]) else {
            throw fail("invalid number: a digit must follow `-`")
        }
        if bytes[pos] == UInt8(ascii: "0") {
            pos += 1
            if pos < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos]) {
                throw fail("invalid number: leading zeros are not allowed", at: start)
            }
        } else {
            _ = digits()
        }
        var isFloat = false
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            isFloat = true
            if digits() == 0 { throw fail("invalid number: a digit must follow `.`") }
        }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            pos += 1
            isFloat = true
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            if digits() == 0 { throw fail("invalid number: a digit must follow the exponent") }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        if !isFloat, let i = Int(text) { return .int(i) }
        guard let d = Double(text), d.isFinite else { throw fail("number \(text) is out of range", at: start) }
        return .float(d)
    }
}
