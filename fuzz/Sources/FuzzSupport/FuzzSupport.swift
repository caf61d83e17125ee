#if canImport(Glibc)
import Glibc
#endif

/// The input libFuzzer hands a target, as bytes.
public func fuzzBytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}

/// The input as text, the way tk8s reads a file: invalid UTF-8 is repaired, not refused.
public func fuzzText(_ data: UnsafePointer<UInt8>, _ size: Int) -> String {
    String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
}

/// A property the target checks did not hold: print both sides and abort, so libFuzzer keeps the input as a crash.
public func invariantFailed(_ what: String, _ details: String...) -> Never {
    var text = "invariant failed: \(what)\n"
    for d in details { text += "---\n\(d)\n" }
    text.utf8CString.withUnsafeBufferPointer { _ = write(2, $0.baseAddress, $0.count - 1) }
    abort()
}

/// The property both codecs' targets check: whatever was read from `input` is written by each encoder as text that
/// reads back to a value written the same way again (so a value that cannot be compared, NaN, still can be).
/// An encoder may refuse a value (nil); a decoder may not refuse what its own encoder wrote.
public func expectStableRoundTrip<Value>(_ format: String, input: String, value: Value,
                                         encoders: [(Value) -> String?], decode: (String) throws -> Value) {
    for encode in encoders {
        guard let once = encode(value) else { continue }
        let again: Value
        do {
            again = try decode(once)
        } catch {
            invariantFailed("tk8s wrote \(format) it cannot read back (\(error))", input, once)
        }
        let twice = encode(again) ?? "<cannot encode>"
        if once != twice { invariantFailed("a value changed on its way through \(format)", input, once, twice) }
    }
}
