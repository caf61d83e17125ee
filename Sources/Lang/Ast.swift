import Core

/// The syntax tree. The parser builds it, the resolver annotates it (slots,
/// call targets and argument routes), and the interpreter runs it. Evaluation
/// lives in `Interpreter+Expr.swift` and `Interpreter+Stmt.swift`.

public protocol Expr: AnyObject {
    var span: Span { get }
    func eval(_ frame: Frame, _ rt: Interpreter) throws -> Value
}

/// How a statement finished; a `return` value travels in `Interpreter.returnValue`.
public enum Flow { case normal, breakLoop, continueLoop, returned }

public protocol Stmt: AnyObject {
    var span: Span { get }
    func exec(_ frame: Frame, _ rt: Interpreter) throws -> Flow
}

/// Where a variable lives, decided by the resolver so that running never looks names up.
public enum SlotRef {
    case unresolved
    /// In the current function's frame.
    case local(Int)
    /// `hops` frames up the chain of enclosing functions.
    case outer(hops: Int, index: Int)
    /// In a module's top-level frame (which its `Module` keeps alive).
    case global(Unmanaged<Frame>, Int)
}

/// A function activation (or a module's top level): one slot per variable.
///
/// Slots live in manually managed memory: the evaluator indexes them millions
/// of times a second, and a Swift array would add bounds, uniqueness and
/// exclusivity checks to every access.
public final class Frame {
    @usableFromInline var slots: UnsafeMutablePointer<Value>
    @usableFromInline var count: Int
    /// The frame of the enclosing function or module. A function's frame never
    /// outlives its caller (functions are not values), so this does not retain.
    @usableFromInline var parent: Unmanaged<Frame>?

    public init(count: Int, parent: Unmanaged<Frame>?) {
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: .null, count: count)
        self.count = count
        self.parent = parent
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    /// Clears the slots so the frame can serve another call.
    func recycle() {
        for i in 0..<count { slots[i] = .null }
    }

    /// Module frames grow as a REPL session declares more variables.
    func grow(to n: Int) {
        guard n > count else { return }
        let bigger = UnsafeMutablePointer<Value>.allocate(capacity: n)
        bigger.moveInitialize(from: slots, count: count)
        (bigger + count).initialize(repeating: .null, count: n - count)
        slots.deallocate()
        slots = bigger
        count = n
    }
}

// MARK: - Expressions

public final class LiteralExpr: Expr {
    public let span: Span
    public let value: Value
    public init(_ value: Value, _ span: Span) { self.value = value; self.span = span }
}

public enum InterpolationPart {
    case text(String)
    case expr(Expr)
}

public final class InterpolatedExpr: Expr {
    public let span: Span
    public let parts: [InterpolationPart]
    /// The parts again, for the evaluator: code parts reached without reference counting.
    let pieces: UnownedBuffer<Piece>
    private let boxes: [ExprBox]
    enum Piece {
        case text(String)
        case code(Unmanaged<ExprBox>)
    }
    public init(_ parts: [InterpolationPart], _ span: Span) {
        self.parts = parts; self.span = span
        var boxes: [ExprBox] = []
        var pieces: [Piece] = []
        for p in parts {
            switch p {
            case .text(let t): pieces.append(.text(t))
            case .expr(let e):
                let box = ExprBox(e)
                boxes.append(box)
                pieces.append(.code(Unmanaged.passUnretained(box)))
            }
        }
        self.boxes = boxes
        self.pieces = UnownedBuffer(pieces)
    }
}

/// `$name`, or a bare identifier in an expression, which is the variable when
/// one of that name is in scope and otherwise the word itself, as a string.
public final class NameExpr: Expr {
    public let span: Span
    public let name: String
    public let isDollar: Bool
    public var ref: SlotRef = .unresolved
    public init(_ name: String, dollar: Bool, _ span: Span) { self.name = name; isDollar = dollar; self.span = span }
}

public enum ListElement {
    case value(Expr)
    case spread(Expr)
}

public final class ListExpr: Expr {
    public let span: Span
    public let elements: [ListElement]
    public init(_ elements: [ListElement], _ span: Span) { self.elements = elements; self.span = span }
}

public final class MapExpr: Expr {
    public let span: Span
    public let entries: [(key: Expr, value: Expr)]
    public init(_ entries: [(key: Expr, value: Expr)], _ span: Span) { self.entries = entries; self.span = span }
}

public enum UnaryOp: String { case negate = "-", not = "not" }

public final class UnaryExpr: Expr {
    public let span: Span
    public let op: UnaryOp
    public let operand: Expr
    public init(_ op: UnaryOp, _ operand: Expr, _ span: Span) { self.op = op; self.operand = operand; self.span = span }
}

public enum BinaryOp: String {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case contains = "in", notContains = "not in"
}

/// How an operand is reached: most are a local variable or a constant, which
/// the evaluator reads directly instead of calling into the operand node.
public enum OperandAccess {
    case node
    case local(Int)
    case global(Unmanaged<Frame>, Int)
    case constant(Value)
}

public final class BinaryExpr: Expr {
    public let span: Span
    public let op: BinaryOp
    public let lhs: Expr
    public let rhs: Expr
    public let opSpan: Span
    /// Set by the resolver once the operands' slots are known.
    public var lhsAccess = OperandAccess.node
    public var rhsAccess = OperandAccess.node
    public init(_ op: BinaryOp, _ lhs: Expr, _ rhs: Expr, opSpan: Span) {
        self.op = op; self.lhs = lhs; self.rhs = rhs; self.opSpan = opSpan
        span = lhs.span.to(rhs.span)
    }
}

public final class LogicalExpr: Expr {
    public let span: Span
    public let isAnd: Bool
    public let lhs: Expr
    public let rhs: Expr
    public init(and isAnd: Bool, _ lhs: Expr, _ rhs: Expr) {
        self.isAnd = isAnd; self.lhs = lhs; self.rhs = rhs
        span = lhs.span.to(rhs.span)
    }
}

/// `$m.key`.
public final class MemberExpr: Expr {
    public let span: Span
    public let object: Expr
    public let name: String
    public init(_ object: Expr, _ name: String, _ span: Span) { self.object = object; self.name = name; self.span = span }
}

/// `$l[0]`, `$m["key"]`.
public final class IndexExpr: Expr {
    public let span: Span
    public let object: Expr
    public let index: Expr
    public init(_ object: Expr, _ index: Expr, _ span: Span) { self.object = object; self.index = index; self.span = span }
}

/// One argument as written in a command statement.
public enum ArgNode {
    case value(Expr)
    /// `--name`, `-n`, or `--name=value` (then `inline` holds the value).
    case flag(name: String, short: Bool, inline: Expr?, span: Span)
    /// `...$list`: its elements become arguments.
    case spread(Expr)

    public var span: Span {
        switch self {
        case .value(let e), .spread(let e): return e.span
        case .flag(_, _, _, let s): return s
        }
    }
}

/// What a command statement calls, decided by the resolver.
public enum CallTarget {
    case unresolved
    case builtin(Builtin)
    /// A user function; `parent` finds the frame it was declared in.
    case user(FnDecl, parent: FrameLocator)
}

/// How to find, from the caller's frame, the frame a function was declared in.
public enum FrameLocator {
    case hops(Int)
    case global(Frame)
}

/// `name arg… --flag value`.
public final class CallExpr: Expr {
    public let span: Span
    public let name: String
    public let nameSpan: Span
    public var args: [ArgNode]
    /// The subcommand words the resolver consumed (`set` in `config set`).
    public var subcommand: [String] = []
    /// A whole statement (`kubectl get pods`), so its value is thrown away; see `Arguments.valueWanted`.
    public var isStatement = false
    public var target: CallTarget = .unresolved {
        didSet {
            if case let .user(fn, parent) = target {
                userFunction = Unmanaged.passUnretained(fn)
                switch parent {
                case .global(let f): userParentFrame = Unmanaged.passUnretained(f); userParentHops = -1
                case .hops(let h): userParentHops = h
                }
            }
        }
    }
    public var plan = CallPlan() {
        didSet {
            argBoxes = plan.isDirect ? plan.exprs.map(ExprBox.init) : []
            directArgs = UnownedBuffer(argBoxes.map { Unmanaged.passUnretained($0) })
            directArgBase = directArgs.base
            directArgCount = directArgs.count
        }
    }
    /// The resolved user function, its parent frame and its arguments, kept
    /// where a call reaches them without reference counting (the tree and
    /// `target` own them).
    var userFunction: Unmanaged<FnDecl>?
    var userParentFrame: Unmanaged<Frame>?
    var userParentHops = 0
    private var argBoxes: [ExprBox] = []
    private var directArgs = UnownedBuffer<Unmanaged<ExprBox>>([])
    /// `directArgs`' storage, read without retaining the buffer object.
    var directArgBase: UnsafeMutablePointer<Unmanaged<ExprBox>>
    var directArgCount = 0
    public init(_ name: String, nameSpan: Span, args: [ArgNode], _ span: Span) {
        self.name = name; self.nameSpan = nameSpan; self.args = args; self.span = span
        directArgBase = directArgs.base
    }
}

// MARK: - Statements

public final class ExprStmt: Stmt {
    public let expr: Expr
    public var span: Span { expr.span }
    public init(_ expr: Expr) { self.expr = expr }
}

public final class LetStmt: Stmt {
    public let span: Span
    public let name: String
    public let nameSpan: Span
    public let value: Expr
    public var slot: SlotRef = .unresolved
    public init(_ name: String, nameSpan: Span, value: Expr, _ span: Span) {
        self.name = name; self.nameSpan = nameSpan; self.value = value; self.span = span
    }
}

public enum AssignOp: String { case set = "=", add = "+=", subtract = "-=" }

/// `name = v`, `$m.key = v`, `$l[0] += v`.
public final class AssignStmt: Stmt {
    public let span: Span
    public let target: Expr
    /// `target` when it is a plain variable, found once instead of by a cast per run.
    let variable: NameExpr?
    /// That variable's slot, copied here by the resolver (reading it costs no reference counting).
    var variableSlot: SlotRef = .unresolved
    /// What is added for `x += e` and `x = x + e`: `e`.
    let addend: Expr
    public let op: AssignOp
    public let value: Expr
    /// Set by the resolver for `x = x + e` and `x += e` on a plain variable: append in place.
    public var appendsInPlace = false
    /// For `$m.a[0] = v`: the variable and the keys to follow, outermost first
    /// (a `.name` step is its name as a string literal). Worked out once.
    public private(set) lazy var path: (root: NameExpr, steps: [Expr]) = {
        var steps: [Expr] = []
        var cur = target
        while true {
            if let m = cur as? MemberExpr {
                steps.append(LiteralExpr(.string(m.name), m.span)); cur = m.object
            } else if let i = cur as? IndexExpr {
                steps.append(i.index); cur = i.object
            } else {
                break
            }
        }
        // The resolver has rejected any other root.
        return (cur as! NameExpr, steps.reversed())
    }()
    public init(_ target: Expr, _ op: AssignOp, _ value: Expr, _ span: Span) {
        self.target = target; self.op = op; self.value = value; self.span = span
        variable = target as? NameExpr
        if op == .set, let bin = value as? BinaryExpr, bin.op == .add { addend = bin.rhs } else { addend = value }
    }
}

public final class Block: Stmt {
    public let span: Span
    public let statements: [Stmt]
    /// The statements again, reachable without reference counting: the
    /// evaluator's inner loop would otherwise retain and release each one.
    let code: UnownedBuffer<Unmanaged<StmtBox>>
    private let boxes: [StmtBox]
    public init(_ statements: [Stmt], _ span: Span) {
        self.statements = statements; self.span = span
        boxes = statements.map(StmtBox.init)
        code = UnownedBuffer(boxes.map { Unmanaged.passUnretained($0) })
    }
}

public final class IfStmt: Stmt {
    public let span: Span
    public let condition: Expr
    /// The condition when it is a comparison, tested without making a bool value.
    let comparison: BinaryExpr?
    public let then: Block
    public let otherwise: Stmt?
    public init(_ condition: Expr, _ then: Block, _ otherwise: Stmt?, _ span: Span) {
        self.condition = condition; self.then = then; self.otherwise = otherwise; self.span = span
        comparison = condition as? BinaryExpr
    }
}

public final class ForStmt: Stmt {
    public let span: Span
    public let names: [(String, Span)]
    public let iterable: Expr
    public let body: Block
    public var slots: [SlotRef] = []
    public init(_ names: [(String, Span)], _ iterable: Expr, _ body: Block, _ span: Span) {
        self.names = names; self.iterable = iterable; self.body = body; self.span = span
    }
}

public final class WhileStmt: Stmt {
    public let span: Span
    public let condition: Expr
    public let body: Block
    public init(_ condition: Expr, _ body: Block, _ span: Span) { self.condition = condition; self.body = body; self.span = span }
}

public final class BreakStmt: Stmt {
    public let span: Span
    public init(_ span: Span) { self.span = span }
}

public final class ContinueStmt: Stmt {
    public let span: Span
    public init(_ span: Span) { self.span = span }
}

public final class ReturnStmt: Stmt {
    public let span: Span
    public let value: Expr?
    public init(_ value: Expr?, _ span: Span) { self.value = value; self.span = span }
}

public enum ParamKind {
    case required
    case optional(Expr)
    case variadic
    /// `--name` (a switch, default false) or `--name = default`.
    case flag(default: Expr?)
}

public struct ParamDecl {
    public let name: String
    public let span: Span
    public let kind: ParamKind
}

public final class FnDecl: Stmt {
    public let span: Span
    public let name: String
    public let nameSpan: Span
    public let params: [ParamDecl]
    public let body: Block
    /// The `#` comment lines right above the `fn`, shown by `help`.
    public let doc: String
    public var signature: Signature
    public var paramSlots: [Int] = [] {
        didSet {
            paramSlotPointer.deallocate()
            paramSlotPointer = .allocate(capacity: max(1, paramSlots.count))
            paramSlotPointer.initialize(from: paramSlots, count: paramSlots.count)
        }
    }
    /// Frames for this function's activations, reused call after call: most
    /// calls would otherwise spend more time in malloc and free than running.
    let frames = FramePool()
    /// `paramSlots` without array overhead, for the call fast path.
    var paramSlotPointer = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    public var slotCount = 0
    public init(_ name: String, nameSpan: Span, params: [ParamDecl], body: Block, doc: String, _ span: Span) {
        self.name = name; self.nameSpan = nameSpan; self.params = params; self.body = body; self.doc = doc; self.span = span
        signature = Signature(userFunction: name, params: params, doc: doc)
    }

    deinit { paramSlotPointer.deallocate() }
}

public final class TryStmt: Stmt {
    public let span: Span
    public let body: Block
    public let errorName: (String, Span)?
    public let handler: Block
    public var errorSlot: SlotRef = .unresolved
    public init(_ body: Block, _ errorName: (String, Span)?, _ handler: Block, _ span: Span) {
        self.body = body; self.errorName = errorName; self.handler = handler; self.span = span
    }
}

public final class ImportStmt: Stmt {
    public let span: Span
    public let path: String
    public let pathSpan: Span
    public var module: Module?
    public init(_ path: String, pathSpan: Span, _ span: Span) { self.path = path; self.pathSpan = pathSpan; self.span = span }
}

/// A child reference that does not retain: the tree's strong references keep nodes alive.
/// Holds a node in a `let`, so that code holding the box through `Unmanaged`
/// can call the node without retaining it.
final class ExprBox {
    let expr: any Expr
    init(_ e: any Expr) { expr = e }
}

final class StmtBox {
    let stmt: any Stmt
    init(_ s: any Stmt) { stmt = s }
}

/// A fixed buffer the evaluator reads without retaining or bounds checks.
final class UnownedBuffer<T> {
    let base: UnsafeMutablePointer<T>
    let count: Int
    init(_ items: [T]) {
        count = items.count
        base = .allocate(capacity: max(1, count))
        base.initialize(from: items, count: count)
    }
    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }
}

/// A stack of frames for one function. A call takes the next free one and
/// gives it back, cleared, when it returns; frames are created only when the
/// recursion gets deeper than it has been. Held through `Unmanaged`, so
/// taking and returning a frame costs no reference counting.
final class FramePool {
    private var frames = UnsafeMutablePointer<Unmanaged<Frame>>.allocate(capacity: 4)
    private var capacity = 4
    private var created = 0
    private var inUse = 0

    @inline(__always) func acquire(slots: Int, parent: Unmanaged<Frame>) -> Unmanaged<Frame> {
        if inUse == created { grow(slots) }
        let f = frames[inUse]
        inUse += 1
        f._withUnsafeGuaranteedRef { $0.parent = parent }
        return f
    }

    @inline(__always) func release(_ f: Unmanaged<Frame>) {
        f._withUnsafeGuaranteedRef { $0.recycle() }
        inUse -= 1
    }

    private func grow(_ slots: Int) {
        if created == capacity {
            let bigger = UnsafeMutablePointer<Unmanaged<Frame>>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: frames, count: created)
            frames.deallocate()
            frames = bigger
            capacity *= 2
        }
        (frames + created).initialize(to: Unmanaged.passRetained(Frame(count: slots, parent: nil)))
        created += 1
    }

    deinit {
        for i in 0..<created { frames[i].release() }
        frames.deallocate()
    }
}
