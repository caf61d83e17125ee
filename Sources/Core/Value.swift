import OrderedCollections

/// A tk8s value.
///
/// Scalars are stored inline so arithmetic never allocates; lists and maps
/// have value semantics (copy on write), so `let b = $a` never aliases.
public enum Value: @unchecked Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case list([Value])
    case map(MapBox)
    case error(ErrorBox)

    /// The name `type` returns.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "string"
        case .list: return "list"
        case .map: return "map"
        case .error: return "error"
        }
    }

    public var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        case .map(let m): return !m.dict.isEmpty
        case .error: return true
        }
    }

    public static func map(_ d: OrderedDictionary<String, Value>) -> Value { .map(MapBox(d)) }
}

/// Storage of a map; `Value` copies it before mutating a shared one.
public final class MapBox {
    /// The dictionary lives in memory the box owns, reached through addressors: a stored `var` of a
    /// public class would cost a dynamic exclusivity check on every read and write of every map key.
    private let storage: UnsafeMutablePointer<OrderedDictionary<String, Value>>

    public var dict: OrderedDictionary<String, Value> {
        unsafeAddress { UnsafePointer(storage) }
        unsafeMutableAddress { storage }
    }

    public init(_ dict: OrderedDictionary<String, Value> = [:]) {
        storage = .allocate(capacity: 1)
        storage.initialize(to: dict)
    }

    deinit {
        storage.deinitialize(count: 1)
        storage.deallocate()
    }
}

/// What an error value needs from the error it holds. Lang's `Diagnostic` conforms; Core knows no more of it, so
/// the sandbox and the template engine can share `Value` without linking the interpreter.
public protocol CaughtError: Sendable {
    /// The stable code a literal shows (`E2007`).
    var codeText: String { get }
    var message: String { get }
    /// The record a script reads: `err.message`, `err.code`, where it happened and whatever the raiser added.
    var record: OrderedDictionary<String, Value> { get }
}

/// An error caught by `catch`: the error, readable as a record.
public final class ErrorBox {
    public let error: any CaughtError
    public init(error: any CaughtError) { self.error = error }

    public var message: String { error.message }
    /// `err.message`, `err.code`, `err.file`, `err.line`, `err.col`, and whatever the raiser added.
    public var fields: OrderedDictionary<String, Value> { error.record }
}

// MARK: - Equality and ordering

extension Value {
    /// Structural equality; ints and floats compare by value (`1 == 1.0`).
    public func equals(_ other: Value) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.float(a), .float(b)): return a == b
        case let (.int(a), .float(b)): return Double(a) == b
        case let (.float(a), .int(b)): return a == Double(b)
        case let (.string(a), .string(b)): return a == b
        case let (.list(a), .list(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.equals($1) }
        case let (.map(a), .map(b)):
            if a === b { return true }
            guard a.dict.count == b.dict.count else { return false }
            for (k, v) in a.dict {
                guard let w = b.dict[k], v.equals(w) else { return false }
            }
            return true
        case let (.error(a), .error(b)): return a === b
        default: return false
        }
    }

    /// Ordering for `<` and `sort`: numbers with numbers, strings with strings, lists lexicographically.
    public func compare(_ other: Value) -> Int? {
        switch (self, other) {
        case let (.int(a), .int(b)): return a < b ? -1 : (a == b ? 0 : 1)
        case let (.float(a), .float(b)): return a < b ? -1 : (a == b ? 0 : 1)
        case let (.int(a), .float(b)): let x = Double(a); return x < b ? -1 : (x == b ? 0 : 1)
        case let (.float(a), .int(b)): let y = Double(b); return a < y ? -1 : (a == y ? 0 : 1)
        case let (.string(a), .string(b)): return a < b ? -1 : (a == b ? 0 : 1)
        case let (.bool(a), .bool(b)): return a == b ? 0 : (a ? 1 : -1)
        case let (.list(a), .list(b)):
            for (x, y) in zip(a, b) {
                guard let c = x.compare(y) else { return nil }
                if c != 0 { return c }
            }
            return a.count < b.count ? -1 : (a.count == b.count ? 0 : 1)
        default: return nil
        }
    }
}

// MARK: - Text forms

extension Value {
    /// How a value reads inside a string or as `print`'s argument: strings bare, the rest in literal syntax.
    public var displayString: String {
        if case .string(let s) = self { return s }
        return literal
    }

    /// The tk8s literal for a value: strings quoted, maps as `{a: 1}`.
    public var literal: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d): return formatFloat(d)
        case .string(let s): return quoteString(s)
        case .list(let l): return "[" + l.map(\.literal).joined(separator: ", ") + "]"
        case .map(let m):
            return "{" + m.dict.map { "\(quoteKey($0.key)): \($0.value.literal)" }.joined(separator: ", ") + "}"
        case .error(let e): return "error[\(e.error.codeText)](\(quoteString(e.message)))"
        }
    }

    /// The type and literal for error messages (`list [1, 2]`), cut short; just `null` for null.
    public var described: String {
        if case .null = self { return "null" }
        let l = literal
        return typeName + " " + (l.count > 60 ? String(l.prefix(57)) + "…" : l)
    }
}

/// A float as tk8s writes it: `3.0` for integral values, `nan` and `inf` spelled out.
public func formatFloat(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    if d == d.rounded(), abs(d) < 1e16 { return String(format1: d) }
    return "\(d)"
}

extension String {
    /// `3.0` rather than Swift's `3.0` for integral floats, without Foundation.
    init(format1 d: Double) {
        self = String(Int(d)) + ".0"
    }
}

public func quoteString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        case "$": out += "\\$"
        case "\0": out += "\\0"
        default:
            if u.value < 0x20 || u.value == 0x7F {
                out += "\\u{" + String(u.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(u)
            }
        }
    }
    return out + "\""
}

/// A map key as a literal writes it: bare when it is a name, else quoted (public for the REPL's printer).
public func quoteKey(_ k: String) -> String {
    guard let f = k.unicodeScalars.first, f == "_" || f.properties.isAlphabetic,
          k.unicodeScalars.allSatisfy({ $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) })
    else { return quoteString(k) }
    return k
}
