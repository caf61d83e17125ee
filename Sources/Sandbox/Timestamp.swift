import Foundation

/// `metav1.Time` as Kubernetes' JSON carries it: RFC 3339 in whole seconds, UTC (`2026-11-30T08:36:48Z`). The one
/// place the store, the controllers, events, logs and the protobuf decoder write and read object timestamps.
enum Timestamp {
    static func string(_ date: Date = Date()) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    static func date(_ text: String) -> Date? { ISO8601DateFormatter().date(from: text) }
}
