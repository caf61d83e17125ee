import Core
import FuzzSupport

/// The YAML codec: any text decodes or fails with a `YAMLCodec.Failure`; whatever decodes encodes (in both of
/// tk8s's styles) to YAML that decodes to the same value — config.yml is read, changed and written this way, so a
/// value that did not survive the trip would be a setting silently changed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = fuzzText(data, size)
    _ = try? YAMLCodec.validate(text)
    guard let value = try? YAMLCodec.decode(text, all: true, maxValues: 1 << 16) else { return 0 }
    expectStableRoundTrip("YAML", input: text, value: value,
                          encoders: [{ try? YAMLCodec.encode($0, style: .readable) }, { try? YAMLCodec.encode($0, style: .pyYAML) }],
                          decode: { try YAMLCodec.decode($0) })
    return 0
}
