import Core

import OrderedCollections

extension Resolver {
    func expression(_ e: Expr) -> ExprCode {
        switch e.kind {
        case .literal(let l):
            let v = l.value
            return .init { _, _ in v }
        case .interpolated(let s):
            return interpolation(s)
        case .name(let n):
            return name(n)
        case .list(let l):
            return list(l)
        case .map(let m):
            return map(m)
        case .unary(let u):
            return unary(u)
        case .binary(let b):
            return OperandKind.build(operand(b.lhs), operand(b.rhs), BinaryCode(op: b.op, opSpan: b.opSpan))
        case .logical(let l):
            let lhs = expression(l.lhs), rhs = expression(l.rhs)
            // `and`/`or` short-circuit and give back an operand, so `$x or "default"` works.
            if l.isAnd {
                return .init { fp, rt in
                    let a = try lhs(fp, rt)
                    return a.isTruthy ? try rhs(fp, rt) : a
                }
            }
            return .init { fp, rt in
                let a = try lhs(fp, rt)
                return a.isTruthy ? a : try rhs(fp, rt)
            }
        case .member(let m):
            let object = expression(m.object)
            let key = m.name, span = m.span
            return .init { fp, rt in try rt.member(object(fp, rt), key, span) }
        case .index(let i):
            let object = expression(i.object), index = expression(i.index)
            let span = i.span
            return .init { fp, rt in
                let base = try object(fp, rt)
                return try rt.index(base, index(fp, rt), span)
            }
        case .call(let c):
            return call(c, isStatement: false)
        }
    }

    /// A condition: comparisons test without making a bool value.
    func condition(_ e: Expr) -> TestCode {
        if let b = e as? BinaryExpr {
            return OperandKind.build(operand(b.lhs), operand(b.rhs), ComparisonCode(op: b.op, opSpan: b.opSpan))
        }
        let code = expression(e)
        return .init { fp, rt in try code(fp, rt).isTruthy }
    }

    /// An operand read directly where it can be: a variable or a constant.
    func operand(_ e: Expr) -> OperandKind {
        switch e.kind {
        case .literal(let l): return .constant(l.value)
        case .name(let n):
            if let slot = variable(n) { return .variable(slot) }
        default: break
        }
        return .code(expression(e))
    }

    /// The variable a name refers to; nil (with a diagnostic for `$name`) when it is not one.
    private func variable(_ e: NameExpr) -> SlotAccess? {
        if let (b, hops) = lookup(e.name) {
            if let slot = slotAccess(b, hops: hops) { return slot }
            if e.isDollar {
                report(Diagnostic(.unknownVariable, "`\(e.name)` is a function, not a variable", at: e.span,
                                  help: "call it as a command: `(\(e.name) …)`"))
            }
            return nil
        }
        guard e.isDollar else { return nil }
        let help = closestName(to: e.name, in: visibleVariables()).map { "did you mean `$\($0)`?" }
            ?? "declare it with `let \(e.name) = …`"
        report(Diagnostic(.unknownVariable, "unknown variable `$\(e.name)`", at: e.span, help: help))
        return nil
    }

    /// `$name`, or a bare word: the variable when one of that name is in scope, otherwise the word itself.
    private func name(_ e: NameExpr) -> ExprCode {
        guard let slot = variable(e) else {
            let word = Value.string(e.name)
            return .init { _, _ in word }
        }
        return slot.build(LoadCode())
    }

    private func interpolation(_ s: InterpolatedExpr) -> ExprCode {
        let pieces = s.parts.map { part -> InterpolationPiece in
            switch part {
            case .text(let t): return .text(t)
            case .expr(let e): return .code(expression(e))
            }
        }
        // Room for the text and a short value per hole, so a long string is built in one allocation. A short one
        // (15 UTF-8 bytes or fewer, "k$i") is stored inline by Swift with no allocation at all: reserving would add one.
        let estimate = pieces.reduce(0) { n, p in
            if case .text(let t) = p { return n + t.utf8.count }
            return n + 8
        }
        let capacity = estimate > 15 ? estimate : 0
        let span = s.span
        return .init { fp, rt in
            var out = ""
            if capacity > 0 { out.reserveCapacity(capacity) }
            for piece in pieces {
                switch piece {
                case .text(let t): out += t
                case .code(let code): out += try code(fp, rt).displayString
                }
            }
            return try rt.checkString(out, span)
        }
    }

    private func list(_ l: ListExpr) -> ExprCode {
        let elements = l.elements.map { el -> (code: ExprCode, spread: Span?) in
            switch el {
            case .value(let e): return (expression(e), nil)
            case .spread(let e): return (expression(e), e.span)
            }
        }
        let span = l.span
        return .init { fp, rt in
            var out: [Value] = []
            out.reserveCapacity(elements.count)
            for el in elements {
                let v = try el.code(fp, rt)
                guard let spreadSpan = el.spread else {
                    out.append(v)
                    continue
                }
                guard case .list(let items) = v else {
                    throw Diagnostic(.typeMismatch, "`...` spreads a list, not \(v.typeName)", at: spreadSpan)
                }
                try rt.checkCount(out.count + items.count, span)
                out.append(contentsOf: items)
            }
            return .list(out)
        }
    }

    private func map(_ m: MapExpr) -> ExprCode {
        let entries = m.entries.map { (key: expression($0.key), keySpan: $0.key.span, value: expression($0.value)) }
        return .init { fp, rt in
            var d = OrderedDictionary<String, Value>(minimumCapacity: entries.count)
            for e in entries {
                let key = try rt.mapKey(e.key(fp, rt), e.keySpan)
                d[key] = try e.value(fp, rt)
            }
            return .map(d)
        }
    }

    private func unary(_ u: UnaryExpr) -> ExprCode {
        let operand = expression(u.operand)
        let span = u.span
        switch u.op {
        case .not:
            return .init { fp, rt in .bool(!(try operand(fp, rt).isTruthy)) }
        case .negate:
            return .init { fp, rt in
                let v = try operand(fp, rt)
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

    // MARK: Assignment

    func assignment(_ s: AssignStmt) -> StmtCode {
        // `x = x + e` grows `x` in place, as `x += e` does: only `e` is compiled.
        var addend: Expr?
        if s.op == .set, let target = s.target as? NameExpr, let bin = s.value as? BinaryExpr, bin.op == .add,
           let lhs = bin.lhs as? NameExpr, lhs.name == target.name, let (b, hops) = lookup(lhs.name), slotAccess(b, hops: hops) != nil {
            addend = bin.rhs
        }
        let growsInPlace = addend != nil
        let value = expression(addend ?? s.value)
        var steps: [Expr] = []
        var root = s.target
        while true {
            if let m = root as? MemberExpr {
                steps.append(LiteralExpr(.string(m.name), m.span)); root = m.object
            } else if let i = root as? IndexExpr {
                steps.append(i.index); root = i.object
            } else {
                break
            }
        }
        steps.reverse()
        let keys = steps.map { expression($0) }
        guard let target = root as? NameExpr else {
            report(Diagnostic(.invalidAssignmentTarget, "cannot assign into this expression", at: s.target.span,
                              help: "assign into a variable: `$m.key = 1`"))
            return .init { _, _ in .normal }
        }
        // `$m.key = v` reads `$m` first: an unknown one is reported as any unknown variable is.
        if !steps.isEmpty { _ = variable(target) }
        guard let (b, hops) = lookup(target.name) else {
            report(Diagnostic(.notAssignable, "`\(target.name)` is not defined", at: target.span,
                              help: "declare it first: `let \(target.name) = …`"))
            return .init { _, _ in .normal }
        }
        guard let slot = slotAccess(b, hops: hops) else {
            report(Diagnostic(.notAssignable, "cannot assign to function `\(target.name)`", at: target.span))
            return .init { _, _ in .normal }
        }
        if steps.isEmpty {
            switch s.op {
            case .set:
                if growsInPlace { return slot.build(AppendCode(addend: value, span: s.span)) }
                return slot.build(StoreCode(value: value))
            case .add:
                return slot.build(AppendCode(addend: value, span: s.span))
            case .subtract:
                let span = s.span
                return .init { fp, rt in
                    let rhs = try value(fp, rt)
                    let p = rt.pointer(slot, fp)
                    p.pointee = try rt.arithmetic(.subtract, p.pointee, rhs, span)
                    return .normal
                }
            }
        }
        // `$m.a[0] = v`: take the root out of its slot, change it in place, put it back.
        let spans = steps.map(\.span), op = s.op, span = s.span
        return .init { fp, rt in
            let keyValues = try keys.map { try $0(fp, rt) }
            let rhs = try value(fp, rt)
            let p = rt.pointer(slot, fp)
            var whole = p.move()
            defer { p.initialize(to: whole) }
            try rt.assign(into: &whole, keys: keyValues[...], spans: spans[...], op: op, value: rhs, span)
            return .normal
        }
    }
}

/// Reads a variable.
struct LoadCode: PlaceBuilder {
    func build<P: Place>(_ place: P) -> ExprCode {
        ExprCode { fp, rt in place.pointer(fp, rt).pointee }
    }
}

/// `x += e` (and `x = x + e`): ints add; strings and lists grow in place instead of being copied.
struct AppendCode: PlaceBuilder {
    let addend: ExprCode
    let span: Span

    func build<P: Place>(_ place: P) -> StmtCode {
        let addend = self.addend, span = self.span
        return .init { fp, rt in
            let rhs = try addend(fp, rt)
            let p = place.pointer(fp, rt)
            if case .int(let y) = rhs, case .int(let x) = p.pointee {
                let (r, o) = x.addingReportingOverflow(y)
                if !o {
                    p.pointee = .int(r)
                    return .normal
                }
            }
            // Moved out, so the string or list is uniquely referenced while it grows.
            var cur = p.move()
            defer { p.initialize(to: cur) }
            try rt.addInPlace(&cur, rhs, span)
            return .normal
        }
    }
}

/// A part of an interpolated string, compiled.
enum InterpolationPiece {
    case text(String)
    case code(ExprCode)
}
