import Core
import OrderedCollections

extension Frame {
    @inline(__always) func up(_ hops: Int) -> Unmanaged<Frame> {
        var f = Unmanaged.passUnretained(self)
        for _ in 0..<hops { f = f._withUnsafeGuaranteedRef { $0.parent.unsafelyUnwrapped } }
        return f
    }

    @inline(__always) func load(_ ref: SlotRef) -> Value {
        switch ref {
        case .local(let i): return slots[i]
        case .global(let f, let i): return f._withUnsafeGuaranteedRef { $0.slots[i] }
        case .outer(let h, let i): return up(h)._withUnsafeGuaranteedRef { $0.slots[i] }
        case .unresolved: return .null
        }
    }

    @inline(__always) func store(_ ref: SlotRef, _ v: Value) {
        switch ref {
        case .local(let i): slots[i] = v
        case .global(let f, let i): f._withUnsafeGuaranteedRef { $0.slots[i] = v }
        case .outer(let h, let i): up(h)._withUnsafeGuaranteedRef { $0.slots[i] = v }
        case .unresolved: break
        }
    }

    /// Moves the value out of its slot (leaving null) so that it can be mutated without a copy.
    @inline(__always) func take(_ ref: SlotRef) -> Value {
        switch ref {
        case .local(let i): return swapOut(&slots[i])
        case .global(let f, let i): return f._withUnsafeGuaranteedRef { swapOut(&$0.slots[i]) }
        case .outer(let h, let i): return up(h)._withUnsafeGuaranteedRef { swapOut(&$0.slots[i]) }
        case .unresolved: return .null
        }
    }
}

@inline(__always) private func swapOut(_ v: inout Value) -> Value {
    var out = Value.null
    swap(&out, &v)
    return out
}

extension LiteralExpr {
    public func eval(_ frame: Frame, _ rt: Interpreter) throws -> Value { value }
}

extension NameExpr {
    public func eval(_ frame: Frame, _ rt: Interpreter) throws -> Value {
        if case .unresolved = ref { return .string(name) }
        return frame.load(ref)
    }
}

extension InterpolatedExpr {
    public func eval(_ frame: Frame, _ rt: Interpreter) throws -> Value {
        var s = ""
        let pieces = self.pieces
        for k in 0..<pieces.count {
            switch pieces.base[k] {
            case .text(let t): s += t
            case .code(let e): s += try e._withUnsafeGuaranteedRef { try $0.expr.eval(frame, rt) }.displayString
            }
        }
        return try rt.checkString(s, span)
    }
}

extension ListExpr {
    public func eval(_ frame: Frame, _ rt: Interpreter) throws -> Value {
        var out: [Value] = []
        out.reserveCapacity(elements.count)
        for el in elements {
            switch el {
            case .value(let e): out.append(try e.eval(frame, rt))
            case .spread(let e):
                let v = try e.eval(frame, rt)
                guard case .list(let items) = v else {
                    throw Diagnostic(.typeMismatch, "`...` spreads a list, not \(v.typeName)", at: e.span)
                }
                try rt.checkCount(out.count + items.count, span)
                out.append(contentsOf: items)
            }
        }
        return .list(out)
    }
}

extension MapExpr {
    public func eval(_ frame: Frame, _ rt: Interpreter) throws -> Value {
        var d = OrderedDictionary<String, Value>(minimumCapacity: entries.count)
        for (k, v) in entries {
            let key = try rt.mapKey(k.eval(frame, rt), k.span)
            d[key] = try v.eval(frame, rt)
        }
        return .map(d)
    }
}

extension UnaryExpr {
    public func eval(_ frame: Frame, _ rt: Interpreter) throws -> Value {
        let v = try operand.eval(frame, rt)
        switch op {
        case .not: return .bool(!v.isTruthy)
        case .negate:
            switch v {
            case .int(let i):
                if i == Int.min { throw Diagnostic(.integerOverflow, "integer overflow in -(\(i))", at: span) }
                return .int(-i)
            case .float(let d): return .float(-d)
            default: throw Diagnostic(.typeMismatch, "cannot negate \(v.typeName)", at: span)
            }
        }
    }
}

extension BinaryExpr {
    /// The operator's truth for a condition; int comparisons skip making a bool value.
    @inline(__always) func test(_ frame: Frame, _ rt: Interpreter) throws -> Bool {
        if case .local(let i) = lhsAccess, case .constant(.int(let y)) = rhsAccess, case .int(let x) = frame.slots[i] {
            switch op {
            case .less: return x < y
            case .lessEqual: return x <= y
            case .greater: return x > y
            case .greaterEqual: return x >= y
            case .equal: return x == y
            case .notEqual: return x != y
            default: break
            }
        }
        return try eval(frame, rt).isTruthy
    }

    public func eval(_ frame: Frame, _ rt: Interpreter) throws -> Value {
        let a: Value, b: Value
        switch lhsAccess {
        case .local(let i): a = frame.slots[i]
        case .global(let f, let i): a = f._withUnsafeGuaranteedRef { $0.slots[i] }
        case .constant(let v): a = v
        case .node: a = try lhs.eval(frame, rt)
        }
        switch rhsAccess {
        case .local(let i): b = frame.slots[i]
        case .global(let f, let i): b = f._withUnsafeGuaranteedRef { $0.slots[i] }
        case .constant(let v): b = v
        case .node: b = try rhs.eval(frame, rt)
        }
        if case let (.int(x), .int(y)) = (a, b) {
            let r: (Int, Bool)
            switch op {
            case .add: r = x.addingReportingOverflow(y)
            case .subtract: r = x.subtractingReportingOverflow(y)
            case .multiply: r = x.multipliedReportingOverflow(by: y)
            case .remainder where y != 0: r = x.remainderReportingOverflow(dividingBy: y)
            case .less: return .bool(x < y)
            case .lessEqual: return .bool(x <= y)
            case .greater: return .bool(x > y)
            case .greaterEqual: return .bool(x >= y)
            case .equal: return .bool(x == y)
            case .notEqual: return .bool(x != y)
            default: r = (0, true)
            }
            if !r.1 { return .int(r.0) }
        }
        switch op {
        case .add:
            if case let (.int(x), .int(y)) = (a, b) {
                let (r, o) = x.addingReportingOverflow(y)
                if !o { return .int(r) }
            }
            return try rt.add(a, b, opSpan)
        case .subtract, .multiply, .divide, .remainder:
            if op == .subtract, case let (.int(x), .int(y)) = (a, b) {
                let (r, o) = x.subtractingReportingOverflow(y)
                if !o { return .int(r) }
            }
            return try rt.arithmetic(op, a, b, opSpan)
        case .equal: return .bool(a.equals(b))
        case .notEqual: return .bool(!a.equals(b))
        case .less, .lessEqual, .greater, .greaterEqual: return .bool(try rt.compare(op, a, b, opSpan))
        case .contains: return .bool(try rt.contains(b, a, opSpan))
        case .notContains: return .bool(!(try rt.contains(b, a, opSpan)))
        }
    }
}

extension LogicalExpr {
    /// `and`/`or` short-circuit and give back an operand, so `$x or "default"` works.
    public func eval(_ frame: Frame, _ rt: Interpreter) throws -> Value {
        let a = try lhs.eval(frame, rt)
        if isAnd { return a.isTruthy ? try rhs.eval(frame, rt) : a }
        return a.isTruthy ? a : try rhs.eval(frame, rt)
    }
}

extension MemberExpr {
    public func eval(_ frame: Frame, _ rt: Interpreter) throws -> Value {
        try rt.member(try object.eval(frame, rt), name, span)
    }
}

extension IndexExpr {
    public func eval(_ frame: Frame, _ rt: Interpreter) throws -> Value {
        let base = try object.eval(frame, rt)
        let key = try index.eval(frame, rt)
        return try rt.index(base, key, span)
    }
}

extension CallExpr {
    public func eval(_ frame: Frame, _ rt: Interpreter) throws -> Value {
        if let fnRef = userFunction, plan.isDirect {
            return try fnRef._withUnsafeGuaranteedRef { fn in
                let parent = userParentHops < 0 ? userParentFrame.unsafelyUnwrapped : frame.up(userParentHops)
                let pool = fn.frames
                let calleeRef = pool.acquire(slots: fn.slotCount, parent: parent)
                defer { pool.release(calleeRef) }
                return try calleeRef._withUnsafeGuaranteedRef { callee in
                    let params = fn.paramSlotPointer
                    let args = directArgBase
                    for k in 0..<directArgCount {
                        callee.slots[params[k]] = try args[k]._withUnsafeGuaranteedRef { try $0.expr.eval(frame, rt) }
                    }
                    return try invoke(fn, callee, rt)
                }
            }
        }
        switch target {
        case .builtin(let b):
            var args = try Binder.bind(plan, b.signature, span: span, frame: frame, rt: rt)
            args.valueWanted = !isStatement
            do {
                return try b.body(args, rt)
            } catch var d as Diagnostic {
                if d.span == nil {
                    d.span = span
                } else if d.span!.file !== span.file, d.trace.isEmpty {
                    // The error is in a file the builtin read (a template, config.yml): say which call led there.
                    d.addTrace("`\(b.signature.name)`", at: span)
                }
                throw d
            }
        case .user(let fn, _):
            let parent = userParentHops < 0 ? userParentFrame.unsafelyUnwrapped : frame.up(userParentHops)
            let callee = Frame(count: fn.slotCount, parent: parent)
            try bindParameters(fn, into: callee, frame, rt)
            return try invoke(fn, callee, rt)
        case .unresolved:
            throw Diagnostic(.unknownCommand, "unknown command `\(name)`", at: nameSpan)
        }
    }

    @inline(__always) private func invoke(_ fn: FnDecl, _ callee: Frame, _ rt: Interpreter) throws -> Value {
        if rt.callDepth >= rt.limits.maxCallDepth {
            throw Diagnostic(.recursionTooDeep, "more than \(rt.limits.maxCallDepth) nested function calls", at: span,
                             help: "is `\(fn.name)` recursing without an end?")
        }
        // Every 8th level is enough: 8 levels of any function use far less than the margin.
        if rt.callDepth & 7 == 0 { try rt.checkStack(span) }
        rt.callDepth += 1
        defer { rt.callDepth -= 1 }
        do {
            if try fn.body.exec(callee, rt) == .returned {
                let v = rt.returnValue
                rt.returnValue = .null
                return v
            }
            return .null
        } catch var d as Diagnostic {
            if d.code != .interrupted { d.addTrace("`\(fn.name)`", at: span) }
            throw d
        }
    }

    /// Fills a user function's parameter slots: given values, then defaults evaluated in the callee.
    private func bindParameters(_ fn: FnDecl, into callee: Frame, _ frame: Frame, _ rt: Interpreter) throws {
        let args = try Binder.bind(plan, fn.signature, span: span, frame: frame, rt: rt)
        var pi = 0, fi = 0
        for (k, p) in fn.params.enumerated() {
            let slot = fn.paramSlots[k]
            switch p.kind {
            case .required, .variadic:
                callee.slots[slot] = args.positional[pi] ?? .list([])
                pi += 1
            case .optional(let def):
                callee.slots[slot] = try args.positional[pi] ?? def.eval(callee, rt)
                pi += 1
            case .flag(let def):
                if let v = args.flags[fi] {
                    callee.slots[slot] = v
                } else if let def {
                    callee.slots[slot] = try def.eval(callee, rt)
                } else {
                    callee.slots[slot] = .bool(false)
                }
                fi += 1
            }
        }
    }
}

// MARK: - Access

extension Interpreter {
    func mapKey(_ v: Value, _ span: Span) throws -> String {
        switch v {
        case .string(let s): return s
        case .int, .float, .bool: return v.displayString
        default: throw Diagnostic(.typeMismatch, "map keys are strings, not \(v.typeName)", at: span)
        }
    }

    /// `$v.name`: a map key or an error field.
    func member(_ v: Value, _ name: String, _ span: Span) throws -> Value {
        switch v {
        case .map(let m):
            if let x = m.dict[name] { return x }
            throw Diagnostic(.keyNotFound, "no key `\(name)` in the map", at: span,
                             help: closestName(to: name, in: m.dict.keys).map { "did you mean `\($0)`?" }
                                 ?? (m.dict.isEmpty ? "the map is empty" : "keys: \(m.dict.keys.prefix(8).joined(separator: ", "))"))
        case .error(let e):
            let f = e.fields
            if let x = f[name] { return x }
            throw Diagnostic(.keyNotFound, "errors have no field `\(name)`", at: span,
                             help: "fields: \(f.keys.joined(separator: ", "))")
        default:
            throw Diagnostic(.typeMismatch, "cannot read `.\(name)` of \(v.typeName)", at: span)
        }
    }

    /// `$v[i]`: list or string position (negative counts from the end) or map key.
    func index(_ base: Value, _ key: Value, _ span: Span) throws -> Value {
        switch (base, key) {
        case let (.list(l), .int(i)):
            let j = i < 0 ? l.count + i : i
            guard j >= 0, j < l.count else {
                throw Diagnostic(.indexOutOfRange, "index \(i) is out of range for a list of \(l.count)", at: span)
            }
            return l[j]
        case let (.string(s), .int(i)):
            let chars = Array(s)
            let j = i < 0 ? chars.count + i : i
            guard j >= 0, j < chars.count else {
                throw Diagnostic(.indexOutOfRange, "index \(i) is out of range for a string of \(chars.count)", at: span)
            }
            return .string(String(chars[j]))
        case (.map, _), (.error, _):
            return try member(base, mapKey(key, span), span)
        default:
            throw Diagnostic(.typeMismatch, "cannot index \(base.typeName) with \(key.typeName)", at: span)
        }
    }
}
