/// The string helpers every target wants, once: trimming, padding and replacing, without Foundation (Lang and the
/// template engine avoid it; the rest use these so there is one behaviour to know).
extension StringProtocol {
    /// Without the scalars `drop` matches at the start (`left`) and the end (`right`).
    @inlinable  // specialised where it is called: generic code across modules is not, and `trim` calls it per string
    public func trimming(left: Bool = true, right: Bool = true, where drop: (Unicode.Scalar) -> Bool) -> String {
        // On the scalar view's own indices: no array of scalars, and one copy of the bytes kept.
        let view = unicodeScalars
        var lo = view.startIndex, hi = view.endIndex
        if left { while lo < hi, drop(view[lo]) { view.formIndex(after: &lo) } }
        if right {
            while hi > lo {
                let before = view.index(before: hi)
                guard drop(view[before]) else { break }
                hi = before
            }
        }
        if lo == view.startIndex, hi == view.endIndex, let whole = self as? String { return whole }
        return String(self[lo..<hi])
    }

    /// Without Unicode whitespace (newlines included) at either end: the `trim` builtin's default.
    public func trimmingWhitespace() -> String { trimming(where: Unicode.Scalar.isWhitespace) }

    /// Without the spaces, tabs and carriage returns at either end: a line of a file as a person reads it.
    public func trimmingBlanks() -> String { trimming { $0 == " " || $0 == "\t" || $0 == "\r" } }

}

extension String {
    /// A string from a run of scalars (a slice of a string's code points, as Python indexes them).
    public init(scalars: some Sequence<Unicode.Scalar>) {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        self = String(view)
    }

    /// Left-aligned in a column `width` characters wide, followed by at least `minimumGap` spaces when it is wider
    /// (help's columns keep one; the REPL's completion grid, whose cells hold their own gap, none).
    public func padded(to width: Int, minimumGap: Int = 1) -> String {
        self + String(repeating: " ", count: max(width - count, minimumGap))
    }

    /// Every occurrence of `target` replaced, left to right, at most `limit` times; `target` empty changes nothing.
    /// Matched on UTF-8 bytes, so code points match as Python matches them (an accent written as a combining mark
    /// is found), not whole grapheme clusters as Swift's own search does. Stops replacing once the text passes
    /// `maxBytes`, so a caller that bounds strings reports the size instead of building all of it.
    public func replacingAll(_ target: String, with replacement: String, limit: Int = .max, maxBytes: Int = .max) -> String {
        let hay = Array(utf8), needle = Array(target.utf8)
        guard !needle.isEmpty, limit > 0, var at = findBytes(hay, needle, from: 0) else { return self }
        var out: [UInt8] = []
        out.reserveCapacity(hay.count)
        var pos = 0, done = 0
        while true {
            out.append(contentsOf: hay[pos..<at])
            out.append(contentsOf: replacement.utf8)
            if out.count > maxBytes { break }
            pos = at + needle.count
            done += 1
            guard done < limit, let next = findBytes(hay, needle, from: pos) else { break }
            at = next
        }
        out.append(contentsOf: hay[pos...])
        return String(decoding: out, as: UTF8.self)
    }
}

/// The first offset at or after `from` where `needle` (not empty) occurs in `hay`.
public func findBytes(_ hay: [UInt8], _ needle: [UInt8], from: Int) -> Int? {
    guard let first = needle.first, hay.count - needle.count >= from else { return nil }
    var i = from
    let last = hay.count - needle.count
    while i <= last {
        if hay[i] == first {
            var k = 1
            while k < needle.count, hay[i + k] == needle[k] { k += 1 }
            if k == needle.count { return i }
        }
        i += 1
    }
    return nil
}

extension Unicode.Scalar {
    /// Unicode whitespace, with ASCII answered without a property lookup (the common case, on every `trim`).
    @inline(__always) public static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 { return c == " " || (c.value >= 0x09 && c.value <= 0x0D) }
        return c.properties.isWhitespace
    }
}
