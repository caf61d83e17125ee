import Core
import FuzzSupport
@testable import Sandbox

/// The protobuf decoder kubectl's typed clients' bodies go through: any bytes decode or fail with
/// `Protobuf.Failure` (a 400), and what decodes can be written as the JSON the sandbox stores.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProtobuf(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // The corpus holds bodies without the 4-byte magic as well as with it, so mutations of the message
    // itself are not wasted on a broken envelope.
    var bytes = fuzzBytes(data, size)
    if !bytes.starts(with: Protobuf.magic) { bytes = Protobuf.magic + bytes }
    guard let object = try? Protobuf.decodeObject(bytes) else { return 0 }
    do {
        _ = try JSONWriter.encode(object)
    } catch {
        invariantFailed("a decoded protobuf object cannot be written as JSON (\(error))")
    }
    return 0
}
