import Core

import OrderedCollections

/// What the resolved form calls into while it runs: entering a user function, and reading and
/// changing the insides of values.
extension Interpreter {
    /// Runs a user function in a new frame on top of the value stack. `fill` puts the arguments into
    /// the frame; they were evaluated before, since calls inside them use the same stack. It initialises
    /// the first `initialising` slots (a direct call's arguments) and assigns to the rest, which start null.
    @inline(__always)
    func invoke(_ fn: FunctionCode, parent: Slots?, at span: Span, initialising: Int = 0,
                fill: (Slots) throws -> Void) throws -> Value {
        let state = stack.state
        let depth = state.pointee.callDepth
        if depth >= state.pointee.limits.maxCallDepth {
            throw Diagnostic(.recursionTooDeep, "more than \(state.pointee.limits.maxCallDepth) nested function calls", at: span,
                             help: "is `\(fn.name)` recursing without an end?")
        }
        // Every 8th level is enough: 8 levels of any function use far less than the margin.
        if depth & 7 == 0 { try checkStack(span) }
        let frame = state.pointee.top
        let size = fn.frameSize
        if stack.end - frame < size {
            throw Diagnostic(.recursionTooDeep, "recursion too deep: the value stack is full", at: span,
                             help: "is `\(fn.name)` recursing without an end?")
        }
        // Slot by slot: for the few slots a frame has, a loop is cheaper than the runtime's array calls.
        var k = initialising
        while k < size {
            (frame + k).initialize(to: .null)
            k += 1
        }
        state.pointee.top = frame + size
        state.pointee.callDepth = depth + 1
        if let parent { stack.setLink(of: frame, to: parent) }
        defer {
            var k = 0
            while k < size {
                _ = (frame + k).move()
                k += 1
            }
            state.pointee.top = frame
            state.pointee.callDepth = depth
        }
        do {
            // A direct call's fill only stores values it already has: it cannot throw before the slots are whole.
            try fill(frame)
            if try fn.body._withUnsafeGuaranteedRef({ try $0.run(frame, self) }) == .returned {
                return state.pointee.returnValue.take()
            }
            return .null
        } catch var d as Diagnostic {
            if d.code != .interrupted { d.addTrace("`\(fn.name)`", at: span) }
            throw d
        }
    }

    /// Fills a user function's parameter slots from bound arguments: given values, then defaults run in the callee's frame.
    func bindParameters(_ fn: FunctionCode, _ args: Arguments, into frame: Slots) throws {
        var pi = 0, fi = 0
        for (k, p) in fn.decl.params.enumerated() {
            switch p.kind {
            case .required, .variadic:
                frame[k] = args.positional(pi) ?? .list([])
                pi += 1
            case .optional:
                if let v = args.positional(pi) {
                    frame[k] = v
                } else if let def = fn.defaults[k] {
                    frame[k] = try def(frame, self)
                }
                pi += 1
            case .flag:
                if let v = args.flag(fi) {
                    frame[k] = v
                } else if let def = fn.defaults[k] {
                    frame[k] = try def(frame, self)
                } else {
                    frame[k] = .bool(false)
                }
                fi += 1
            }
        }
    }

    /// Where a variable is, from the current frame (for code off the hot paths).
    func pointer(_ slot: SlotAccess, _ fp: Slots) -> Slots {
        switch slot {
        case .local(let i): return fp + i
        case .global(let p): return p
        case .outer(let h, let i): return stack.frame(fp, up: h) + i
        }
    }
}

extension Value {
    /// The value, leaving null in its place.
    mutating func take() -> Value {
        var out = Value.null
        swap(&out, &self)
        return out
    }
}

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
            if keys.count == 1, op == .set {
                // One hash lookup, whether the key is new or not.
                if box.dict.updateValue(value, forKey: k) == nil, box.dict.count > limits.maxCollectionCount {
                    box.dict.removeValue(forKey: k)
                    try checkCount(box.dict.count + 1, span)
                }
                return
            }
            guard let index = box.dict.index(forKey: k) else {
                throw Diagnostic(.keyNotFound, "no key `\(k)` in the map", at: keySpan)
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
