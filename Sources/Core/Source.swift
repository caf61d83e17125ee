/// A piece of tk8s source text: a file, a `-c` string, a REPL line or stdin.
///
/// The text is kept as UTF-8 bytes because the scanner works on bytes; spans
/// are byte offsets into it and are turned into line:column only when a
/// diagnostic is rendered, so the hot path never counts lines.
public final class SourceFile: @unchecked Sendable {
    /// The name shown in diagnostics (`deploy.tk8s`, `<-c>`, `<stdin>`).
    public let name: String
    /// The absolute path when the source came from a file; imports resolve against it.
    public let path: String?
    /// Sanitized text: invalid UTF-8 sequences were replaced by U+FFFD.
    public let bytes: [UInt8]
    /// Offsets of invalid UTF-8 sequences found while loading, for E0001.
    public let invalidUTF8Offsets: [Int]
    /// Byte offset at which each line starts.
    private let lineStarts: [Int]

    public init(name: String, path: String? = nil, bytes raw: [UInt8]) {
        self.name = name
        self.path = path
        // Nearly all input is valid UTF-8: find the first bad sequence without copying, and copy only from there.
        var i = 0
        while i < raw.count {
            let n = raw[i] < 0x80 ? 1 : SourceFile.validSequenceLength(raw, i)
            if n == 0 { break }
            i += n
        }
        var clean = Array(raw[..<i])
        var bad: [Int] = []
        if i < raw.count { clean.reserveCapacity(raw.count + 16) }
        while i < raw.count {
            let n = SourceFile.validSequenceLength(raw, i)
            if n == 0 {
                bad.append(clean.count)
                clean.append(contentsOf: [0xEF, 0xBF, 0xBD])
                i += 1
            } else {
                clean.append(contentsOf: raw[i..<i + n])
                i += n
            }
        }
        self.bytes = clean
        self.invalidUTF8Offsets = bad
        var starts = [0]
        for (k, b) in clean.enumerated() where b == UInt8(ascii: "\n") { starts.append(k + 1) }
        self.lineStarts = starts
    }

    public convenience init(name: String, path: String? = nil, text: String) {
        self.init(name: name, path: path, bytes: Array(text.utf8))
    }

    /// Length of the valid UTF-8 sequence starting at `i`, or 0 if it is invalid.
    private static func validSequenceLength(_ b: [UInt8], _ i: Int) -> Int {
        let c = b[i]
        if c < 0x80 { return 1 }
        let need: Int
        var minScalar: UInt32
        var scalar: UInt32
        switch c {
        case 0xC2...0xDF: need = 1; scalar = UInt32(c & 0x1F); minScalar = 0x80
        case 0xE0...0xEF: need = 2; scalar = UInt32(c & 0x0F); minScalar = 0x800
        case 0xF0...0xF4: need = 3; scalar = UInt32(c & 0x07); minScalar = 0x10000
        default: return 0
        }
        guard i + need < b.count else { return 0 }
        for k in 1...need {
            let cc = b[i + k]
            guard cc & 0xC0 == 0x80 else { return 0 }
            scalar = (scalar << 6) | UInt32(cc & 0x3F)
        }
        if scalar < minScalar || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return 0 }
        return need + 1
    }

    /// 1-based line and column (in Unicode scalars) of a byte offset.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let off = max(0, min(offset, bytes.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= off { lo = mid } else { hi = mid - 1 }
        }
        var col = 1
        var k = lineStarts[lo]
        while k < off {
            if bytes[k] & 0xC0 != 0x80 { col += 1 }
            k += 1
        }
        // A continuation byte at the start would otherwise be miscounted.
        if k > lineStarts[lo], off < bytes.count, bytes[off] & 0xC0 == 0x80 { col -= 1 }
        return (lo + 1, col)
    }

    /// The text of a 1-based line, without its newline.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    public var lineCount: Int { lineStarts.count }

    /// The source text of a span, decoded.
    public func text(_ span: Span) -> String {
        let s = max(0, min(span.start, bytes.count)), e = max(s, min(span.end, bytes.count))
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }
}

/// A half-open byte range in one source file.
public struct Span: Sendable, Equatable {
    public let file: SourceFile
    public let start: Int
    public let end: Int

    public init(_ file: SourceFile, _ start: Int, _ end: Int) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest span covering both (same file assumed).
    public func to(_ other: Span) -> Span { Span(file, min(start, other.start), max(end, other.end)) }

    public static func == (a: Span, b: Span) -> Bool { a.file === b.file && a.start == b.start && a.end == b.end }

    /// `file:line:col`, the form every diagnostic starts with.
    public var position: String {
        let (l, c) = file.location(of: start)
        return "\(file.name):\(l):\(c)"
    }
}
