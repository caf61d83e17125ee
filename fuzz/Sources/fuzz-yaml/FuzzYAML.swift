import FuzzSupport
import Lang

/// The YAML codec: any text decodes or fails with a `YAMLCodec.Failure`; whatever decodes encodes (in both of
/// tk8s's styles) to YAML that decodes to the same value — config.yml is read, changed and written this way, so a
/// value that did not survive the trip would be a setting silently changed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = fuzzText(data, size)
    _ = try? YAMLCodec.validate(text)
    guard let value = try? YAMLCodec.decode(text, all: true, maxValues: 1 << 16) else { return 0 }
    for style in [YAMLCodec.Style.readable, .pyYAML] {
        guard let once = try? YAMLCodec.encode(value, style: style) else { continue }
        let again: Value
        do {
            again = try YAMLCodec.decode(once, all: false)
        } catch {
            invariantFailed("tk8s wrote YAML it cannot read back (\(error))", text, once)
        }
        let twice = (try? YAMLCodec.encode(again, style: style)) ?? "<cannot encode>"
        if once != twice { invariantFailed("a value changed on its way through YAML", text, once, twice) }
    }
    return 0
}
