import Lang

/// Just enough of Kubernetes' protobuf encoding to read what kubectl's typed clients POST (`create namespace`
/// sends `application/vnd.kubernetes.protobuf` and does not fall back to JSON on 415): the `k8s\0` envelope
/// (`runtime.Unknown`: typeMeta, raw) and the object's `metadata` name, namespace, labels and annotations.
/// Anything else in the message (spec, status) is ignored.
enum Protobuf {
    struct Failure: Error {}

    /// The object as JSON would carry it; throws when the bytes are not a Kubernetes protobuf envelope.
    static func decodeObject(_ bytes: [UInt8]) throws -> Value {
        guard bytes.count >= 4, Array(bytes[0..<4]) == [0x6B, 0x38, 0x73, 0x00] else { throw Failure() }
        let unknown = try fields(bytes[4...])
        var object: OrderedMap = [:]
        if let typeMeta = unknown[1]?.first {
            let t = try fields(typeMeta[...])
            if let v = t[1]?.first { object["apiVersion"] = .string(String(decoding: v, as: UTF8.self)) }
            if let v = t[2]?.first { object["kind"] = .string(String(decoding: v, as: UTF8.self)) }
        }
        if let raw = unknown[2]?.first, let metaBytes = try fields(raw[...])[1]?.first {
            let meta = try fields(metaBytes[...])
            var m: OrderedMap = [:]
            for (number, key) in [(1, "name"), (2, "generateName"), (3, "namespace")] {
                if let v = meta[number]?.first { m[key] = .string(String(decoding: v, as: UTF8.self)) }
            }
            for (number, key) in [(11, "labels"), (12, "annotations")] where meta[number] != nil {
                var entries: OrderedMap = [:]
                for entry in meta[number]! {
                    let e = try fields(entry[...])
                    let k = e[1]?.first.map { String(decoding: $0, as: UTF8.self) } ?? ""
                    entries[k] = .string(e[2]?.first.map { String(decoding: $0, as: UTF8.self) } ?? "")
                }
                m[key] = .map(entries)
            }
            object["metadata"] = .map(m)
        }
        return .map(object)
    }

    /// The length-delimited fields of a message by number (varints and fixed-width fields are skipped).
    private static func fields(_ bytes: ArraySlice<UInt8>) throws -> [Int: [[UInt8]]] {
        var out: [Int: [[UInt8]]] = [:]
        var i = bytes.startIndex
        func varint() throws -> Int {
            var value = 0, shift = 0
            while true {
                guard i < bytes.endIndex, shift < 64 else { throw Failure() }
                let b = bytes[i]
                i += 1
                value |= Int(b & 0x7F) << shift
                if b & 0x80 == 0 { return value }
                shift += 7
            }
        }
        while i < bytes.endIndex {
            let tag = try varint()
            switch tag & 7 {
            case 0: _ = try varint()
            case 1: i += 8
            case 5: i += 4
            case 2:
                let n = try varint()
                guard n >= 0, i + n <= bytes.endIndex else { throw Failure() }
                out[tag >> 3, default: []].append(Array(bytes[i..<(i + n)]))
                i += n
            default: throw Failure()
            }
        }
        guard i == bytes.endIndex else { throw Failure() }
        return out
    }
}
