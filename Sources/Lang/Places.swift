import Core

/// Variables and operands as small generic types, so that the resolver's code for `x += 1` or
/// `$i < 10` is specialised by the compiler for where `x` and `$i` live: a frame slot is one
/// indexed load, a module variable one load from a fixed address, a constant no load at all.

/// Somewhere a variable lives.
protocol Place {
    func pointer(_ fp: Slots, _ rt: Interpreter) -> Slots
}

/// A slot of the current function's frame.
struct LocalPlace: Place {
    let index: Int
    @inline(__always) func pointer(_ fp: Slots, _ rt: Interpreter) -> Slots { fp + index }
}

/// A module variable.
struct GlobalPlace: Place {
    let address: Slots
    @inline(__always) func pointer(_ fp: Slots, _ rt: Interpreter) -> Slots { address }
}

/// A slot of an enclosing function's frame.
struct OuterPlace: Place {
    let hops: Int
    let index: Int
    @inline(__always) func pointer(_ fp: Slots, _ rt: Interpreter) -> Slots { rt.stack.frame(fp, up: hops) + index }
}

/// Builds code for one place; `SlotAccess.build` calls it with the place's own type.
protocol PlaceBuilder {
    associatedtype Built
    func build<P: Place>(_ place: P) -> Built
}

extension SlotAccess {
    func build<B: PlaceBuilder>(_ builder: B) -> B.Built {
        switch self {
        case .local(let i): return builder.build(LocalPlace(index: i))
        case .global(let p): return builder.build(GlobalPlace(address: p))
        case .outer(let h, let i): return builder.build(OuterPlace(hops: h, index: i))
        }
    }
}

/// An operand of a binary operator.
protocol Operand {
    func value(_ fp: Slots, _ rt: Interpreter) throws -> Value
}

struct PlaceOperand<P: Place>: Operand {
    let place: P
    @inline(__always) func value(_ fp: Slots, _ rt: Interpreter) throws -> Value { place.pointer(fp, rt).pointee }
}

struct ConstantOperand: Operand {
    let constant: Value
    @inline(__always) func value(_ fp: Slots, _ rt: Interpreter) throws -> Value { constant }
}

struct CodeOperand: Operand {
    let code: ExprCode
    @inline(__always) func value(_ fp: Slots, _ rt: Interpreter) throws -> Value { try code(fp, rt) }
}

/// How the resolver found an operand.
enum OperandKind {
    case variable(SlotAccess)
    case constant(Value)
    case code(ExprCode)
}

/// Builds code for a pair of operands; `OperandKind.build(_:_:)` calls it with their own types.
protocol OperandPairBuilder {
    associatedtype Built
    func build<L: Operand, R: Operand>(_ lhs: L, _ rhs: R) -> Built
}

/// The right operand's step of `OperandKind.build(_:_:_:)`: the left one is concrete by now.
private struct RightOperandStep<L: Operand, Pair: OperandPairBuilder>: OperandBuilder {
    let lhs: L
    let pair: Pair
    func build<R: Operand>(_ rhs: R) -> Pair.Built { pair.build(lhs, rhs) }
}

/// The left operand's step of `OperandKind.build(_:_:_:)`.
private struct LeftOperandStep<Pair: OperandPairBuilder>: OperandBuilder {
    let rhs: OperandKind
    let pair: Pair
    func build<L: Operand>(_ lhs: L) -> Pair.Built { rhs.build(RightOperandStep(lhs: lhs, pair: pair)) }
}

extension OperandKind {
    /// Calls `builder` with both operands as concrete types: each shape of operands gets its own code.
    static func build<B: OperandPairBuilder>(_ lhs: OperandKind, _ rhs: OperandKind, _ builder: B) -> B.Built {
        lhs.build(LeftOperandStep(rhs: rhs, pair: builder))
    }

    func build<B: OperandBuilder>(_ builder: B) -> B.Built {
        switch self {
        case .variable(.local(let i)): return builder.build(PlaceOperand(place: LocalPlace(index: i)))
        case .variable(.global(let p)): return builder.build(PlaceOperand(place: GlobalPlace(address: p)))
        case .variable(.outer(let h, let i)): return builder.build(PlaceOperand(place: OuterPlace(hops: h, index: i)))
        case .constant(let v): return builder.build(ConstantOperand(constant: v))
        case .code(let c): return builder.build(CodeOperand(code: c))
        }
    }
}

protocol OperandBuilder {
    associatedtype Built
    func build<O: Operand>(_ operand: O) -> Built
}
