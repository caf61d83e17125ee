import Core

/// Code for binary operators: one closure per operator and shape of operands, with a fast path for
/// two ints; everything else goes to the rules in `Operators.swift`.

/// `lhs op rhs` as a value.
struct BinaryCode: OperandPairBuilder {
    let op: BinaryOp
    let opSpan: Span

    func build<L: Operand, R: Operand>(_ l: L, _ r: R) -> ExprCode {
        let span = opSpan
        switch op {
        case .add:
            return .init { fp, rt in
                let a = try l.value(fp, rt), b = try r.value(fp, rt)
                if case .int(let x) = a, case .int(let y) = b {
                    let (s, o) = x.addingReportingOverflow(y)
                    if !o { return .int(s) }
                }
                return try rt.add(a, b, span)
            }
        case .subtract:
            return .init { fp, rt in
                let a = try l.value(fp, rt), b = try r.value(fp, rt)
                if case .int(let x) = a, case .int(let y) = b {
                    let (s, o) = x.subtractingReportingOverflow(y)
                    if !o { return .int(s) }
                }
                return try rt.arithmetic(.subtract, a, b, span)
            }
        case .multiply:
            return .init { fp, rt in
                let a = try l.value(fp, rt), b = try r.value(fp, rt)
                if case .int(let x) = a, case .int(let y) = b {
                    let (s, o) = x.multipliedReportingOverflow(by: y)
                    if !o { return .int(s) }
                }
                return try rt.arithmetic(.multiply, a, b, span)
            }
        case .remainder:
            return .init { fp, rt in
                let a = try l.value(fp, rt), b = try r.value(fp, rt)
                if case .int(let x) = a, case .int(let y) = b, y != 0 {
                    let (s, o) = x.remainderReportingOverflow(dividingBy: y)
                    if !o { return .int(s) }
                }
                return try rt.arithmetic(.remainder, a, b, span)
            }
        case .divide:
            return .init { fp, rt in try rt.arithmetic(.divide, l.value(fp, rt), r.value(fp, rt), span) }
        case .equal:
            return .init { fp, rt in .bool(try l.value(fp, rt).equals(r.value(fp, rt))) }
        case .notEqual:
            return .init { fp, rt in .bool(!(try l.value(fp, rt).equals(r.value(fp, rt)))) }
        case .less, .lessEqual, .greater, .greaterEqual:
            let test = ComparisonCode(op: op, opSpan: opSpan).build(l, r)
            return .init { fp, rt in .bool(try test(fp, rt)) }
        case .contains:
            return .init { fp, rt in
                let a = try l.value(fp, rt)
                return .bool(try rt.contains(r.value(fp, rt), a, span))
            }
        case .notContains:
            return .init { fp, rt in
                let a = try l.value(fp, rt)
                return .bool(!(try rt.contains(r.value(fp, rt), a, span)))
            }
        }
    }
}

/// A comparison as a condition: two ints compare without making a bool value.
struct ComparisonCode: OperandPairBuilder {
    let op: BinaryOp
    let opSpan: Span

    func build<L: Operand, R: Operand>(_ l: L, _ r: R) -> TestCode {
        let span = opSpan
        switch op {
        case .less:
            return .init { fp, rt in
                let a = try l.value(fp, rt), b = try r.value(fp, rt)
                if case .int(let x) = a, case .int(let y) = b { return x < y }
                return try rt.compare(.less, a, b, span)
            }
        case .lessEqual:
            return .init { fp, rt in
                let a = try l.value(fp, rt), b = try r.value(fp, rt)
                if case .int(let x) = a, case .int(let y) = b { return x <= y }
                return try rt.compare(.lessEqual, a, b, span)
            }
        case .greater:
            return .init { fp, rt in
                let a = try l.value(fp, rt), b = try r.value(fp, rt)
                if case .int(let x) = a, case .int(let y) = b { return x > y }
                return try rt.compare(.greater, a, b, span)
            }
        case .greaterEqual:
            return .init { fp, rt in
                let a = try l.value(fp, rt), b = try r.value(fp, rt)
                if case .int(let x) = a, case .int(let y) = b { return x >= y }
                return try rt.compare(.greaterEqual, a, b, span)
            }
        case .equal:
            return .init { fp, rt in
                let a = try l.value(fp, rt), b = try r.value(fp, rt)
                if case .int(let x) = a, case .int(let y) = b { return x == y }
                return a.equals(b)
            }
        case .notEqual:
            return .init { fp, rt in
                let a = try l.value(fp, rt), b = try r.value(fp, rt)
                if case .int(let x) = a, case .int(let y) = b { return x != y }
                return !a.equals(b)
            }
        default:
            let value = BinaryCode(op: op, opSpan: opSpan).build(l, r)
            return .init { fp, rt in try value(fp, rt).isTruthy }
        }
    }
}
