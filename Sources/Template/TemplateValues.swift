import Core
import Foundation
import OrderedCollections

/// Python's operators and lookups on template values: `a.b`, `a[b]`, `+`, `<`, `in`.
enum TemplateValues {
    static func fail(_ message: String, at span: Span?, help: String? = nil) -> TemplateError {
        TemplateError(.templateError, message, at: span, help: help)
    }

    static func describe(_ v: Value) -> String {
        let r = TemplateStrings.repr(v)
        return "\(v.typeName) " + (r.count > 40 ? String(r.prefix(37)) + "…" : r)
    }

    /// What a filter throws where Jinja returns Undefined (`[]|first`, `x|attr('y')`): an error
    /// when the value is used, but `is defined` and `|default` see a missing value.
    static func undefinedResult(_ message: String, help: String? = nil) -> TemplateError {
        var e = TemplateError(.templateError, message, at: nil, help: help)
        e.isUndefinedResult = true
        return e
    }

    static func isUndefinedResult(_ error: Error) -> Bool {
        if let e = error as? TemplateError { return e.isUndefinedResult }
        guard let caught = error as? any CaughtError, case .bool(true)? = caught.record[TemplateError.undefinedField] else { return false }
        return true
    }

    /// `v.name`: a key of a mapping, or nil.
    static func attribute(_ v: Value, _ name: String) -> Value? {
        if case .map(let m) = v { return m.dict[name] }
        if case .error(let e) = v { return e.fields[name] }
        return nil
    }

    /// `v.a.b` from the text `a.b`, as `map(attribute=…)` reads it; numeric parts index lists.
    static func path(_ v: Value, _ dotted: String) -> Value? {
        var cur = v
        for part in dotted.split(separator: ".", omittingEmptySubsequences: false) {
            if let next = attribute(cur, String(part)) {
                cur = next
            } else if let i = Int(part), let next = try? item(cur, .int(i), at: nil) {
                cur = next
            } else {
                return nil
            }
        }
        return cur
    }

    static func missingAttribute(_ v: Value, _ name: String, at span: Span?) -> TemplateError {
        if case .map(let m) = v {
            return fail("no key `\(name)` in this mapping", at: span,
                        help: closestName(to: name, in: m.dict.keys).map { "did you mean `\($0)`?" }
                            ?? "its keys are: " + m.dict.keys.prefix(10).joined(separator: ", ") + (m.dict.count > 10 ? ", …" : ""))
        }
        return fail("\(describe(v)) has no attribute `\(name)`", at: span)
    }

    /// `v[key]`: a list or string index (negative counts from the end) or a mapping key.
    static func item(_ v: Value, _ key: Value, at span: Span?) throws -> Value {
        switch (v, key) {
        case let (.list(l), .int(i)):
            let j = i < 0 ? l.count + i : i
            guard l.indices.contains(j) else { throw TemplateError(.indexOutOfRange, "index \(i) is out of range for a list of \(l.count)", at: span) }
            return l[j]
        case let (.string(s), .int(i)):
            let chars = TemplateStrings.codePoints(s)
            let j = i < 0 ? chars.count + i : i
            guard chars.indices.contains(j) else { throw TemplateError(.indexOutOfRange, "index \(i) is out of range for a string of \(chars.count)", at: span) }
            return .string(String(chars[j]))
        case let (.map(m), _):
            let k = TemplateStrings.str(key)
            if let x = m.dict[k] { return x }
            throw missingAttribute(v, k, at: span)
        default:
            if case .string(let name) = key, let a = attribute(v, name) { return a }
            throw fail("cannot index \(describe(v)) with \(describe(key))", at: span)
        }
    }

    static func slice(_ v: Value, start: Value?, stop: Value?, step: Value?, at span: Span) throws -> Value {
        func int(_ x: Value?) throws -> Int? {
            switch x {
            case nil, .null?: return nil
            case .int(let i)?: return i
            default: throw fail("slice bounds must be integers, got \(describe(x!))", at: span)
            }
        }
        let st = try int(step) ?? 1
        guard st != 0 else { throw fail("slice step cannot be zero", at: span) }
        func pick<T>(_ items: [T]) throws -> [T] {
            let n = items.count
            func clamp(_ i: Int?, _ dflt: Int) -> Int {
                guard var i else { return dflt }
                if i < 0 { i += n }
                return st > 0 ? min(max(i, 0), n) : min(max(i, -1), n - 1)
            }
            var out: [T] = []
            var i = clamp(try int(start), st > 0 ? 0 : n - 1)
            let end = clamp(try int(stop), st > 0 ? n : -1)
            while st > 0 ? i < end : i > end {
                out.append(items[i])
                i += st
            }
            return out
        }
        switch v {
        case .list(let l): return .list(try pick(l))
        case .string(let s): return .string(try pick(TemplateStrings.codePoints(s)).joined())
        default: throw fail("cannot slice \(describe(v))", at: span)
        }
    }

    static func negate(_ v: Value, at span: Span) throws -> Value {
        switch v {
        case .int(let i):
            guard i != .min else { throw TemplateError(.integerOverflow, "integer overflow", at: span) }
            return .int(-i)
        case .float(let d): return .float(-d)
        case .bool(let b): return .int(b ? -1 : 0)
        default: throw fail("cannot negate \(describe(v))", at: span)
        }
    }

    static func number(_ v: Value) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .float(let d): return d
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    static func integer(_ v: Value) -> Int? {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// Largest string or list `*` may build.
    static let maxRepeatBytes = 64 << 20

    static func arithmetic(_ op: String, _ a: Value, _ b: Value, at span: Span?) throws -> Value {
        if op == "%", case .string(let format) = a { return .string(try TemplateFormat.percent(format, b, at: span)) }
        if let x = integer(a), let y = integer(b) { return try integerArithmetic(op, x, y, at: span) }
        if let x = number(a), let y = number(b) {
            switch op {
            case "+": return .float(x + y)
            case "-": return .float(x - y)
            case "*": return .float(x * y)
            case "/", "//", "%":
                guard y != 0 else { throw TemplateError(.divisionByZero, "division by zero", at: span) }
                if op == "/" { return .float(x / y) }
                if op == "//" { return .float((x / y).rounded(.down)) }
                let r = x.truncatingRemainder(dividingBy: y)
                return .float(r != 0 && (r < 0) != (y < 0) ? r + y : r)
            case "**": return .float(pow(x, y))
            default: break
            }
        }
        switch (op, a, b) {
        case let ("+", .string(x), .string(y)): return .string(x + y)
        case let ("+", .list(x), .list(y)): return .list(x + y)
        case let ("*", .string(s), .int(n)), let ("*", .int(n), .string(s)):
            guard s.utf8.count * max(n, 0) <= maxRepeatBytes else { throw TemplateError(.sizeLimit, "string repetition larger than 64 MiB", at: span) }
            return .string(String(repeating: s, count: max(n, 0)))
        case let ("*", .list(l), .int(n)), let ("*", .int(n), .list(l)):
            guard l.count * max(n, 0) <= maxRepeatBytes / 8 else { throw TemplateError(.sizeLimit, "list repetition too large", at: span) }
            return .list(Array([[Value]](repeating: l, count: max(n, 0)).joined()))
        default:
            let help = op == "+" && (a.typeName == "string" || b.typeName == "string") ? "use `~` to join values as text: `a ~ b`" : nil
            throw fail("unsupported operand types for `\(op)`: \(a.typeName) and \(b.typeName)", at: span, help: help)
        }
    }

    private static func integerArithmetic(_ op: String, _ x: Int, _ y: Int, at span: Span?) throws -> Value {
        func checked(_ r: (partialValue: Int, overflow: Bool)) throws -> Value {
            guard !r.overflow else { throw TemplateError(.integerOverflow, "integer overflow", at: span) }
            return .int(r.partialValue)
        }
        switch op {
        case "+": return try checked(x.addingReportingOverflow(y))
        case "-": return try checked(x.subtractingReportingOverflow(y))
        case "*": return try checked(x.multipliedReportingOverflow(by: y))
        case "/":
            guard y != 0 else { throw TemplateError(.divisionByZero, "division by zero", at: span) }
            return .float(Double(x) / Double(y))
        case "//", "%":
            guard y != 0 else { throw TemplateError(.divisionByZero, "division by zero", at: span) }
            guard !(x == .min && y == -1) else { throw TemplateError(.integerOverflow, "integer overflow", at: span) }
            var q = x / y, r = x % y
            if r != 0 && (r < 0) != (y < 0) { q -= 1; r += y }
            return .int(op == "//" ? q : r)
        case "**":
            if y < 0 { return .float(pow(Double(x), Double(y))) }
            var result = 1, base = x, e = y
            while e > 0 {
                if e & 1 == 1 {
                    let m = result.multipliedReportingOverflow(by: base)
                    guard !m.overflow else { throw TemplateError(.integerOverflow, "integer overflow", at: span) }
                    result = m.partialValue
                }
                e >>= 1
                if e > 0 {
                    let m = base.multipliedReportingOverflow(by: base)
                    guard !m.overflow else { throw TemplateError(.integerOverflow, "integer overflow", at: span) }
                    base = m.partialValue
                }
            }
            return .int(result)
        default:
            throw fail("unknown operator `\(op)`", at: span)
        }
    }

    /// Python equality: numbers by value (`1 == 1.0 == True`), containers structurally.
    static func equal(_ a: Value, _ b: Value) -> Bool {
        if let x = number(a), let y = number(b), a.typeName != "string", b.typeName != "string" { return x == y }
        return a.equals(b)
    }

    static func compare(_ op: String, _ a: Value, _ b: Value, at span: Span?) throws -> Bool {
        switch op {
        case "==": return equal(a, b)
        case "!=": return !equal(a, b)
        case "in", "not in": return try contains(b, a, at: span) == (op == "in")
        default:
            guard let c = order(a, b) else {
                throw fail("cannot compare \(a.typeName) and \(b.typeName) with `\(op)`", at: span)
            }
            switch op {
            case "<": return c < 0
            case "<=": return c <= 0
            case ">": return c > 0
            default: return c >= 0
            }
        }
    }

    /// Python's ordering of two values as -1, 0 or 1, or nil where Python raises TypeError: numbers
    /// (bools too) by value, strings, lists item by item (skipping equal items, then by length).
    static func order(_ a: Value, _ b: Value) -> Int? {
        if let x = integer(a), let y = integer(b) { return x < y ? -1 : (x == y ? 0 : 1) }
        if let x = number(a), let y = number(b) { return x < y ? -1 : (x == y ? 0 : 1) }
        if case .list(let l) = a, case .list(let r) = b {
            for (x, y) in zip(l, r) where !equal(x, y) { return order(x, y) }
            return l.count < r.count ? -1 : (l.count == r.count ? 0 : 1)
        }
        return a.compare(b)
    }

    static func contains(_ container: Value, _ item: Value, at span: Span?) throws -> Bool {
        switch container {
        case .string(let s):
            guard case .string(let sub) = item else {
                throw fail("`in <string>` wants a string on the left, got \(item.typeName)", at: span)
            }
            return TemplateStrings.find(s, sub) != nil
        case .list(let l): return l.contains { equal($0, item) }
        case .map(let m): return m.dict[TemplateStrings.str(item)] != nil
        default: throw fail("cannot look inside \(describe(container)) with `in`", at: span)
        }
    }
}
