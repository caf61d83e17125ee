import Core
import Foundation

/// Reads the protobuf bodies kubectl's typed clients POST, as the JSON the same object would have been.
///
/// Why it exists: `kubectl create namespace|configmap|secret|deployment|job|service …` send
/// `application/vnd.kubernetes.protobuf` and never fall back to JSON (not even on 415), so the sandbox has to read
/// protobuf to serve them at all. The body is Kubernetes' envelope: the magic `k8s\0`, then a `runtime.Unknown`
/// (typeMeta = 1 with apiVersion/kind, raw = 2 with the object's own message). The object is decoded with the
/// descriptors in `ProtobufSchema`: one generic walk, no generated code, unknown fields skipped one by one so a
/// field the table lacks costs only that field. Replies stay JSON (kubectl accepts them).
enum Protobuf {
    /// The bytes are not a well-formed Kubernetes protobuf message (the router answers 400).
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static let magic: [UInt8] = [0x6B, 0x38, 0x73, 0x00]  // "k8s\0"

    /// The object as JSON would carry it: apiVersion and kind from the envelope, then the decoded message.
    static func decodeObject(_ bytes: [UInt8]) throws -> Value {
        guard bytes.count >= 4, bytes[0..<4].elementsEqual(magic) else { throw Failure("not a Kubernetes protobuf envelope") }
        var typeMeta: OrderedMap = [:]
        var raw: ArraySlice<UInt8> = []
        var envelope = Reader(bytes[4...])
        while let (number, wire) = try envelope.nextField() {
            switch number {
            case 1: typeMeta = try decode(try envelope.lengthDelimited(wire), as: "runtime.TypeMeta")
            case 2: raw = try envelope.lengthDelimited(wire)
            default: try envelope.skip(wire)
            }
        }
        let kind = typeMeta["kind"]?.stringValue ?? ""
        var object = typeMeta
        for (key, value) in try decode(raw, as: ProtobufSchema.message(forKind: kind)) { object[key] = value }
        // Go's marshaller always writes the (non-pointer) status struct, so every create carries an empty one. A
        // real server ignores status on create, and the store gives a new object its initial status (a Namespace's
        // `phase: Active`, a Pod's `Pending`) only when there is none, so an empty one is left out.
        if let status = object["status"]?.entries, status.isEmpty { object["status"] = nil }
        return .map(object)
    }

    /// Decodes one message with the named descriptor, in wire order (Go marshals in struct order, which is the
    /// JSON order). A repeated field or map gathers its elements at its first occurrence.
    static func decode(_ bytes: ArraySlice<UInt8>, as messageName: String) throws -> OrderedMap {
        guard let message = ProtobufSchema.messages[messageName] else { throw Failure("no descriptor for \(messageName)") }
        var out: OrderedMap = [:]
        var reader = Reader(bytes)
        while let (number, wire) = try reader.nextField() {
            guard let field = message[number] else {
                try reader.skip(wire)
                continue
            }
            switch field.kind {
            case .inline(let inner):
                for (key, value) in try decode(try reader.lengthDelimited(wire), as: inner) { out[key] = value }
            case .map(let valueKind):
                let (key, value) = try mapEntry(try reader.lengthDelimited(wire), valueKind)
                var entries = out[field.name]?.entries ?? [:]
                entries[key] = value
                out[field.name] = .map(entries)
            case .repeated(let element):
                var list: [Value] = []
                if case .list(let earlier)? = out[field.name] { list = earlier }
                if wire == 2, element.isVarint {
                    // Packed: one length-delimited run of varints (proto2 Kubernetes does not pack, but a proto3 writer may).
                    var run = Reader(try reader.lengthDelimited(wire))
                    while !run.atEnd { list.append(try scalar(element, 0, &run)) }
                } else if let v = try value(element, wire, &reader) {
                    list.append(v)
                }
                out[field.name] = .list(list)
            default:
                guard let v = try value(field.kind, wire, &reader) else { continue }
                if field.keepsZero || !v.isZeroScalar { out[field.name] = v }
            }
        }
        return out
    }

    /// One value of a non-repeated kind; nil when JSON would leave it out (the zero `Time`).
    private static func value(_ kind: ProtobufSchema.Kind, _ wire: Int, _ reader: inout Reader) throws -> Value? {
        switch kind {
        case .int32, .int64, .bool: return try scalar(kind, wire, &reader)
        case .string: return .string(String(decoding: try reader.lengthDelimited(wire), as: UTF8.self))
        case .bytes: return .string(Data(try reader.lengthDelimited(wire)).base64EncodedString())
        case .message(let name): return .map(try decode(try reader.lengthDelimited(wire), as: name))
        case .quantity:
            var q = Reader(try reader.lengthDelimited(wire))
            var text = ""
            while let (n, w) = try q.nextField() {
                if n == 1 { text = String(decoding: try q.lengthDelimited(w), as: UTF8.self) } else { try q.skip(w) }
            }
            return .string(text.isEmpty ? "0" : text)
        case .intOrString:
            var r = Reader(try reader.lengthDelimited(wire))
            var type = 0, intVal = 0, strVal = ""
            while let (n, w) = try r.nextField() {
                switch n {
                case 1: type = try integer(.int64, w, &r)
                case 2: intVal = try integer(.int32, w, &r)
                case 3: strVal = String(decoding: try r.lengthDelimited(w), as: UTF8.self)
                default: try r.skip(w)
                }
            }
            return type == 1 ? .string(strVal) : .int(intVal)
        case .time:
            var r = Reader(try reader.lengthDelimited(wire))
            var seconds = 0, nanos = 0
            while let (n, w) = try r.nextField() {
                switch n {
                case 1: seconds = try integer(.int64, w, &r)
                case 2: nanos = try integer(.int32, w, &r)
                default: try r.skip(w)
                }
            }
            if seconds == 0 && nanos == 0 { return nil }
            // RFC 3339 has four-digit years (0001–9999, as Go's marshaller insists); a time outside them is left out.
            guard Self.rfc3339Seconds.contains(seconds) else { return nil }
            return .string(Timestamp.string(Date(timeIntervalSince1970: TimeInterval(seconds))))
        case .inline, .map, .repeated:
            throw Failure("\(kind) cannot be nested there")  // the schema never nests these; decode handles them
        }
    }

    /// The seconds (since 1970) from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
    static let rfc3339Seconds = -62_135_596_800...253_402_300_799

    /// A varint kind: int32 keeps the low 32 bits as signed (negatives arrive sign-extended to 10 bytes),
    /// int64 is the 64-bit two's complement, bool is non-zero.
    private static func scalar(_ kind: ProtobufSchema.Kind, _ wire: Int, _ reader: inout Reader) throws -> Value {
        if case .bool = kind {
            guard wire == 0 else { throw Failure("expected a varint, got wire type \(wire)") }
            return .bool(try reader.varint() != 0)
        }
        return .int(try integer(kind, wire, &reader))
    }

    private static func integer(_ kind: ProtobufSchema.Kind, _ wire: Int, _ reader: inout Reader) throws -> Int {
        guard wire == 0 else { throw Failure("expected a varint, got wire type \(wire)") }
        let raw = try reader.varint()
        if case .int32 = kind { return Int(Int32(truncatingIfNeeded: raw)) }
        return Int(Int64(bitPattern: raw))
    }

    /// A map entry message: key = 1 (string), value = 2. A missing part is the zero value, as Go writes it.
    private static func mapEntry(_ bytes: ArraySlice<UInt8>, _ valueKind: ProtobufSchema.Kind) throws -> (String, Value) {
        var r = Reader(bytes)
        var key = ""
        var value: Value?
        while let (n, w) = try r.nextField() {
            switch n {
            case 1: key = String(decoding: try r.lengthDelimited(w), as: UTF8.self)
            case 2: value = try Self.value(valueKind, w, &r)
            default: try r.skip(w)
            }
        }
        return (key, value ?? valueKind.zero)
    }

    /// A cursor over one message's bytes; every read checks the bounds, so a truncated body throws.
    struct Reader {
        let bytes: ArraySlice<UInt8>
        var index: Int

        init(_ bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
            index = bytes.startIndex
        }

        var atEnd: Bool { index >= bytes.endIndex }

        mutating func varint() throws -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard index < bytes.endIndex else { throw Failure("truncated varint") }
                guard shift < 64 else { throw Failure("varint longer than 10 bytes") }
                let b = bytes[index]
                index += 1
                value |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { return value }
                shift += 7
            }
        }

        /// The next field's number and wire type, or nil at the end of the message.
        mutating func nextField() throws -> (Int, Int)? {
            if atEnd { return nil }
            let tag = try varint()
            guard tag >> 3 > 0, tag >> 3 <= UInt64(Int32.max) else { throw Failure("bad field number") }
            return (Int(tag >> 3), Int(tag & 7))
        }

        mutating func lengthDelimited(_ wire: Int) throws -> ArraySlice<UInt8> {
            guard wire == 2 else { throw Failure("expected a length-delimited field, got wire type \(wire)") }
            let n = try varint()
            guard n <= UInt64(bytes.endIndex - index) else { throw Failure("truncated field (\(n) bytes announced)") }
            defer { index += Int(n) }
            return bytes[index..<(index + Int(n))]
        }

        /// Steps over a field the schema does not name.
        mutating func skip(_ wire: Int) throws {
            switch wire {
            case 0: _ = try varint()
            case 1, 5:
                let n = wire == 1 ? 8 : 4
                guard bytes.endIndex - index >= n else { throw Failure("truncated fixed-width field") }
                index += n
            case 2: _ = try lengthDelimited(2)
            default: throw Failure("unsupported wire type \(wire)")  // groups (3/4) never appear in Kubernetes messages
            }
        }
    }
}

extension ProtobufSchema.Kind {
    var isVarint: Bool {
        switch self {
        case .int32, .int64, .bool: return true
        default: return false
        }
    }

    /// What Go holds for a map value the entry left out.
    var zero: Value {
        switch self {
        case .int32, .int64: return .int(0)
        case .bool: return .bool(false)
        case .quantity: return .string("0")
        case .message, .inline: return .map([:])
        default: return .string("")
        }
    }
}

extension Value {
    /// `""`, `0` or `false`: what a Go non-pointer field holds when the client never set it.
    fileprivate var isZeroScalar: Bool {
        switch self {
        case .string(let s): return s.isEmpty
        case .int(let i): return i == 0
        case .bool(let b): return !b
        default: return false
        }
    }
}
