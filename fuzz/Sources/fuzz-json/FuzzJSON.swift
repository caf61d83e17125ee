import FuzzSupport
import Lang

/// The JSON codec: any text parses or fails with a positioned error; whatever parses is written (compact and
/// indented) as JSON that parses to the same value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = fuzzText(data, size)
    guard let value = try? JSONParser.parse(text, maxCount: 1 << 16, at: nil) else { return 0 }
    for indent in [0, 2] {
        guard let once = try? JSONWriter.encode(value, indent: indent) else { continue }
        let again: Value
        do {
            again = try JSONParser.parse(once, at: nil)
        } catch {
            invariantFailed("tk8s wrote JSON it cannot read back (\(error))", text, once)
        }
        let twice = (try? JSONWriter.encode(again, indent: indent)) ?? "<cannot encode>"
        if once != twice { invariantFailed("a value changed on its way through JSON", text, once, twice) }
    }
    return 0
}
