import Core
import FuzzSupport

/// The JSON codec: any text parses or fails with a positioned error; whatever parses is written (compact and
/// indented) as JSON that parses to the same value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = fuzzText(data, size)
    guard let value = try? JSONParser.parse(text, maxCount: 1 << 16) else { return 0 }
    expectStableRoundTrip("JSON", input: text, value: value,
                          encoders: [{ try? JSONWriter.encode($0) }, { try? JSONWriter.encode($0, indent: 2) }],
                          decode: { try JSONParser.parse($0) })
    return 0
}
