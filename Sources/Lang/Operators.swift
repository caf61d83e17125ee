import Core

/// The arithmetic, comparison and membership rules, shared by binary
/// expressions and compound assignment.
extension Interpreter {
    func typeError(_ op: String, _ a: Value, _ b: Value, _ span: Span) -> Diagnostic {
        Diagnostic(.typeMismatch, "cannot apply `\(op)` to \(a.typeName) and \(b.typeName)", at: span,
                   help: a.typeName == "string" || b.typeName == "string"
                       ? "build strings with interpolation: \"$a$b\"" : nil)
    }

    func checkString(_ s: String, _ span: Span) throws -> Value {
        if s.utf8.count > limits.maxStringBytes { throw sizeError(bytes: s.utf8.count, span) }
        return .string(s)
    }

    func sizeError(bytes: Int, _ span: Span) -> Diagnostic {
        Diagnostic(.sizeLimit, "string of \(bytes) bytes is over the limit of \(limits.maxStringBytes)", at: span)
    }

    func checkCount(_ n: Int, _ span: Span) throws {
        if n > limits.maxCollectionCount {
            throw Diagnostic(.sizeLimit, "collection of \(n) elements is over the limit of \(limits.maxCollectionCount)", at: span)
        }
    }

    /// `a + b`: numbers add, strings and lists concatenate, maps merge (right wins).
    func add(_ a: Value, _ b: Value, _ span: Span) throws -> Value {
        switch (a, b) {
        case let (.int(x), .int(y)):
            let (r, o) = x.addingReportingOverflow(y)
            if o { throw Diagnostic(.integerOverflow, "integer overflow in \(x) + \(y)", at: span) }
            return .int(r)
        case let (.float(x), .float(y)): return .float(x + y)
        case let (.int(x), .float(y)): return .float(Double(x) + y)
        case let (.float(x), .int(y)): return .float(x + Double(y))
        case let (.string(x), .string(y)):
            if x.utf8.count + y.utf8.count > limits.maxStringBytes { throw sizeError(bytes: x.utf8.count + y.utf8.count, span) }
            return .string(x + y)
        case let (.list(x), .list(y)):
            try checkCount(x.count + y.count, span)
            return .list(x + y)
        case let (.map(x), .map(y)):
            var d = x.dict
            for (k, v) in y.dict { d[k] = v }
            return .map(d)
        default:
            throw typeError("+", a, b, span)
        }
    }

    /// `a += b` on a value taken out of its slot, so the string or list is uniquely owned and grows in place.
    func addInPlace(_ a: inout Value, _ b: Value, _ span: Span) throws {
        // Move the payload out in a separate call so that no copy of `a` (a
        // switch subject, a tuple) is alive while it grows: then it is unique.
        if case .string(let y) = b, var x = a.moveString() {
            if x.utf8.count + y.utf8.count > limits.maxStringBytes {
                a = .string(x)
                throw sizeError(bytes: x.utf8.count + y.utf8.count, span)
            }
            x.append(y)
            a = .string(x)
        } else if case .list(let y) = b, var x = a.moveList() {
            if x.count + y.count > limits.maxCollectionCount {
                a = .list(x)
                try checkCount(x.count + y.count, span)
            }
            x.append(contentsOf: y)
            a = .list(x)
        } else {
            a = try add(a, b, span)
        }
    }

    /// `-`, `*`, `/` and `%` (`+` is `add`); the evaluator calls it for those four only, which is why the inner
    /// switches end in `preconditionFailure()`.
    func arithmetic(_ op: BinaryOp, _ a: Value, _ b: Value, _ span: Span) throws -> Value {
        switch (a, b) {
        case let (.int(x), .int(y)):
            let r: (Int, Bool)
            switch op {
            case .subtract: r = x.subtractingReportingOverflow(y)
            case .multiply: r = x.multipliedReportingOverflow(by: y)
            case .divide, .remainder:
                if y == 0 { throw Diagnostic(.divisionByZero, "division by zero", at: span) }
                r = op == .divide ? x.dividedReportingOverflow(by: y) : x.remainderReportingOverflow(dividingBy: y)
            default: preconditionFailure()
            }
            if r.1 { throw Diagnostic(.integerOverflow, "integer overflow in \(x) \(op.rawValue) \(y)", at: span) }
            return .int(r.0)
        case (.int, .float), (.float, .int), (.float, .float):
            let x = a.asDouble!, y = b.asDouble!
            switch op {
            case .subtract: return .float(x - y)
            case .multiply: return .float(x * y)
            case .divide:
                if y == 0 { throw Diagnostic(.divisionByZero, "division by zero", at: span) }
                return .float(x / y)
            case .remainder:
                if y == 0 { throw Diagnostic(.divisionByZero, "division by zero", at: span) }
                return .float(x.truncatingRemainder(dividingBy: y))
            default: preconditionFailure()
            }
        case let (.string(s), .int(n)) where op == .multiply:
            guard n >= 0 else { throw Diagnostic(.invalidArgument, "cannot repeat a string \(n) times", at: span) }
            let (total, o) = s.utf8.count.multipliedReportingOverflow(by: n)
            if o { throw Diagnostic(.sizeLimit, "repeating the string \(n) times is over the limit of \(limits.maxStringBytes) bytes", at: span) }
            if total > limits.maxStringBytes { throw sizeError(bytes: total, span) }
            return .string(String(repeating: s, count: n))
        case let (.list(l), .int(n)) where op == .multiply:
            guard n >= 0 else { throw Diagnostic(.invalidArgument, "cannot repeat a list \(n) times", at: span) }
            let (total, o) = l.count.multipliedReportingOverflow(by: n)
            if o { try checkCount(Int.max, span) }
            try checkCount(total, span)
            return .list(Array([[Value]](repeating: l, count: n).joined()))
        default:
            throw typeError(op.rawValue, a, b, span)
        }
    }

    func compare(_ op: BinaryOp, _ a: Value, _ b: Value, _ span: Span) throws -> Bool {
        if case let (.int(x), .int(y)) = (a, b) {
            switch op {
            case .less: return x < y
            case .lessEqual: return x <= y
            case .greater: return x > y
            default: return x >= y
            }
        }
        guard let c = a.compare(b) else { throw typeError(op.rawValue, a, b, span) }
        switch op {
        case .less: return c < 0
        case .lessEqual: return c <= 0
        case .greater: return c > 0
        default: return c >= 0
        }
    }

    /// `needle in haystack`: substring, list element or map key.
    func contains(_ haystack: Value, _ needle: Value, _ span: Span) throws -> Bool {
        switch haystack {
        case .string(let s):
            guard case .string(let n) = needle else { throw typeError("in", needle, haystack, span) }
            return n.isEmpty || s.contains(n)
        case .list(let l): return l.contains { $0.equals(needle) }
        case .map(let m):
            // The same key `$m[1]` reads: scalars stand for their text.
            guard let k = try? mapKey(needle, span) else { return false }
            return m.dict[k] != nil
        default: throw typeError("in", needle, haystack, span)
        }
    }
}

extension Value {
    var asDouble: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .float(let d): return d
        default: return nil
        }
    }
}

extension Value {
    /// The string, moved out (self becomes null) so the caller owns the only reference.
    mutating func moveString() -> String? {
        guard case .string(let s) = self else { return nil }
        self = .null
        return s
    }

    mutating func moveList() -> [Value]? {
        guard case .list(let l) = self else { return nil }
        self = .null
        return l
    }

    mutating func moveMap() -> MapBox? {
        guard case .map(let m) = self else { return nil }
        self = .null
        return m
    }
}
