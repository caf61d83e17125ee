import Core
import OrderedCollections

extension ExprStmt {
    public func exec(_ frame: Frame, _ rt: Interpreter) throws -> Flow {
        _ = try expr.eval(frame, rt)
        return .normal
    }
}

extension LetStmt {
    public func exec(_ frame: Frame, _ rt: Interpreter) throws -> Flow {
        frame.store(slot, try value.eval(frame, rt))
        return .normal
    }
}

extension Block {
    public func exec(_ frame: Frame, _ rt: Interpreter) throws -> Flow {
        var i = 0
        while i < code.count {
            let f = try code.base[i]._withUnsafeGuaranteedRef { try $0.stmt.exec(frame, rt) }
            if f != .normal { return f }
            i += 1
        }
        return .normal
    }
}

extension IfStmt {
    public func exec(_ frame: Frame, _ rt: Interpreter) throws -> Flow {
        let yes = try comparison?.test(frame, rt) ?? condition.eval(frame, rt).isTruthy
        if yes { return try then.exec(frame, rt) }
        return try otherwise?.exec(frame, rt) ?? .normal
    }
}

extension WhileStmt {
    public func exec(_ frame: Frame, _ rt: Interpreter) throws -> Flow {
        while try condition.eval(frame, rt).isTruthy {
            try rt.checkInterrupt(span)
            switch try body.exec(frame, rt) {
            case .breakLoop: return .normal
            case .returned: return .returned
            case .normal, .continueLoop: continue
            }
        }
        return .normal
    }
}

extension ForStmt {
    public func exec(_ frame: Frame, _ rt: Interpreter) throws -> Flow {
        // `for i in (range …)` counts without building the list.
        if let call = iterable as? CallExpr, case .builtin(let b) = call.target, b.signature.name == "range", slots.count == 1 {
            let args = try Binder.bind(call.plan, b.signature, span: call.span, frame: frame, rt: rt)
            let (lo, hi, step) = try CoreBuiltins.rangeBounds(args)
            var i = lo
            while step > 0 ? i < hi : i > hi {
                frame.store(slots[0], .int(i))
                if let f = try iterate(frame, rt) { return f }
                i += step
            }
            return .normal
        }
        let v = try iterable.eval(frame, rt)
        switch v {
        case .list(let items):
            if slots.count > 1, !items.isEmpty {
                throw Diagnostic(.typeMismatch, "a list gives one value per step, not two", at: names[1].1,
                                 help: "use `for x in $list`, or `for k, v in $map`")
            }
            for item in items {
                frame.store(slots[0], item)
                if let f = try iterate(frame, rt) { return f }
            }
        case .map(let m):
            for (k, val) in m.dict {
                frame.store(slots[0], .string(k))
                if slots.count > 1 { frame.store(slots[1], val) }
                if let f = try iterate(frame, rt) { return f }
            }
        case .string(let s):
            for ch in s {
                frame.store(slots[0], .string(String(ch)))
                if let f = try iterate(frame, rt) { return f }
            }
        default:
            throw Diagnostic(.typeMismatch, "cannot loop over \(v.typeName)", at: iterable.span,
                             help: "loop over a list, a map, a string or `(range N)`")
        }
        return .normal
    }

    /// Runs the body once; a non-nil result ends the loop with that flow.
    @inline(__always) private func iterate(_ frame: Frame, _ rt: Interpreter) throws -> Flow? {
        try rt.checkInterrupt(span)
        switch try body.exec(frame, rt) {
        case .breakLoop: return .normal
        case .returned: return .returned
        case .normal, .continueLoop: return nil
        }
    }
}

extension BreakStmt {
    public func exec(_ frame: Frame, _ rt: Interpreter) throws -> Flow { .breakLoop }
}

extension ContinueStmt {
    public func exec(_ frame: Frame, _ rt: Interpreter) throws -> Flow { .continueLoop }
}

extension ReturnStmt {
    public func exec(_ frame: Frame, _ rt: Interpreter) throws -> Flow {
        rt.returnValue = try value?.eval(frame, rt) ?? .null
        return .returned
    }
}

extension FnDecl {
    public func exec(_ frame: Frame, _ rt: Interpreter) throws -> Flow { .normal }
}

extension TryStmt {
    public func exec(_ frame: Frame, _ rt: Interpreter) throws -> Flow {
        do {
            return try body.exec(frame, rt)
        } catch let d as Diagnostic where d.code != .interrupted {
            if errorName != nil { frame.store(errorSlot, .error(ErrorBox(d))) }
            return try handler.exec(frame, rt)
        }
    }
}

extension ImportStmt {
    public func exec(_ frame: Frame, _ rt: Interpreter) throws -> Flow {
        guard let module else { return .normal }
        do {
            try rt.runImport(module)
        } catch var d as Diagnostic {
            d.addTrace("import \"\(path)\"", at: span)
            throw d
        }
        return .normal
    }
}

// MARK: - Assignment

extension AssignStmt {
    public func exec(_ frame: Frame, _ rt: Interpreter) throws -> Flow {
        if variable != nil {
            try assignVariable(variableSlot, frame, rt)
            return .normal
        }
        // `$m.a[0] = v`: take the root out of its slot, change it in place, put it back.
        let (root, steps) = path
        let keys = try steps.map { try $0.eval(frame, rt) }
        let rhs = try value.eval(frame, rt)
        var whole = frame.take(root.ref)
        defer { frame.store(root.ref, whole) }
        try rt.assign(into: &whole, keys: keys[...], spans: steps.map(\.span)[...], op: op, value: rhs, span)
        return .normal
    }

    private func assignVariable(_ ref: SlotRef, _ frame: Frame, _ rt: Interpreter) throws {
        switch op {
        case .set where !appendsInPlace:
            frame.store(ref, try value.eval(frame, rt))
        case .set, .add:
            // `x = x + e` or `x += e`: grow the value in place instead of copying it.
            let rhs = try addend.eval(frame, rt)
            if case .int(let y) = rhs, case .int(let x) = frame.load(ref) {
                let (r, o) = x.addingReportingOverflow(y)
                if !o { frame.store(ref, .int(r)); return }
            }
            var cur = frame.take(ref)
            defer { frame.store(ref, cur) }
            try rt.addInPlace(&cur, rhs, span)
        case .subtract:
            let rhs = try value.eval(frame, rt)
            frame.store(ref, try rt.arithmetic(.subtract, frame.load(ref), rhs, span))
        }
    }
}

extension Interpreter {
    /// Sets `keys` inside `base` (maps by key, lists by index), creating nothing implicitly but the last map key.
    func assign(into base: inout Value, keys: ArraySlice<Value>, spans: ArraySlice<Span>, op: AssignOp, value: Value, _ span: Span) throws {
        guard let key = keys.first else {
            switch op {
            case .set: base = value
            case .add: try addInPlace(&base, value, span)
            case .subtract: base = try arithmetic(.subtract, base, value, span)
            }
            return
        }
        let keySpan = spans.first!
        if var box = base.moveMap() {
            let k: String
            do { k = try mapKey(key, keySpan) } catch { base = .map(box); throw error }
            if !isKnownUniquelyReferenced(&box) { box = MapBox(box.dict) }
            defer { base = .map(box) }
            guard let index = box.dict.index(forKey: k) else {
                guard keys.count == 1, op == .set else {
                    throw Diagnostic(.keyNotFound, "no key `\(k)` in the map", at: keySpan)
                }
                try checkCount(box.dict.count + 1, span)
                box.dict[k] = value
                return
            }
            var child = Value.null
            swap(&child, &box.dict.values[index])
            defer { swap(&child, &box.dict.values[index]) }
            try assign(into: &child, keys: keys.dropFirst(), spans: spans.dropFirst(), op: op, value: value, span)
            return
        }
        if var l = base.moveList() {
            defer { base = .list(l) }
            guard case .int(let i) = key else {
                throw Diagnostic(.typeMismatch, "lists are indexed by int, not \(key.typeName)", at: keySpan)
            }
            let j = i < 0 ? l.count + i : i
            guard j >= 0, j < l.count else {
                throw Diagnostic(.indexOutOfRange, "index \(i) is out of range for a list of \(l.count)", at: keySpan)
            }
            var child = l[j]
            l[j] = .null
            defer { l[j] = child }
            try assign(into: &child, keys: keys.dropFirst(), spans: spans.dropFirst(), op: op, value: value, span)
            return
        }
        switch base {
        default:
            throw Diagnostic(.typeMismatch, "cannot set a key or index inside \(base.typeName)", at: keySpan)
        }
    }
}
