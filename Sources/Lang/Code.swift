import Core

/// The resolved form: what the evaluator runs.
///
/// The resolver compiles the syntax tree into Swift closures, one per node, each specialised for
/// what the resolver learnt about it: where its variables live (a slot in the current frame, a
/// module variable's fixed address), which command it calls and how its arguments are routed,
/// whether an operand is a constant. Running never looks a name up or inspects the tree.
///
/// Memory the closures read millions of times a second lives in manually managed buffers reached
/// through `let` references (a frame's slots, a module variable, the evaluation state): reading
/// them costs neither reference counting nor the exclusivity checks a class's `var` would. That
/// is what the unsafe code here is for, and all of it stays inside this form.

/// A frame's slots: a function activation's variables, at the top of the value stack.
typealias Slots = UnsafeMutablePointer<Value>

// Compiled code is a closure in a small struct. A bare closure that goes through generic code (an
// array, a generic builder's result) is re-abstracted: wrapped in a conversion thunk that costs one
// more call every time it runs. Inside a non-generic struct it keeps its own calling convention.
// `callAsFunction` keeps call sites reading as calls: `try code(fp, rt)`.

/// A compiled expression.
struct ExprCode {
    let run: (Slots, Interpreter) throws -> Value
    @inline(__always) func callAsFunction(_ fp: Slots, _ rt: Interpreter) throws -> Value { try run(fp, rt) }
}

/// A compiled statement; it says how it finished.
struct StmtCode {
    let run: (Slots, Interpreter) throws -> Flow
    @inline(__always) func callAsFunction(_ fp: Slots, _ rt: Interpreter) throws -> Flow { try run(fp, rt) }
}

/// A compiled condition: comparisons answer without making a bool value.
struct TestCode {
    let run: (Slots, Interpreter) throws -> Bool
    @inline(__always) func callAsFunction(_ fp: Slots, _ rt: Interpreter) throws -> Bool { try run(fp, rt) }
}

/// How a statement finished; a `return` value travels in `EvalState.returnValue`.
enum Flow { case normal, breakLoop, continueLoop, returned }

/// Where a variable lives, as the resolver found it.
enum SlotAccess {
    /// In the current function's frame.
    case local(Int)
    /// `hops` frames up the chain of enclosing functions.
    case outer(hops: Int, index: Int)
    /// A module's top-level variable, at an address that never moves.
    case global(Slots)
}

/// A module's top-level variables. Each has a fixed address for the life of the module, which the
/// compiled code holds directly; a REPL session adds variables chunk by chunk without moving any.
final class GlobalSlots {
    private var chunks: [Slots] = []
    private(set) var count = 0
    private static let chunkSize = 64

    /// A new variable, null until assigned.
    func add() -> Slots {
        let k = count % Self.chunkSize
        if k == 0 {
            let chunk = Slots.allocate(capacity: Self.chunkSize)
            chunk.initialize(repeating: .null, count: Self.chunkSize)
            chunks.append(chunk)
        }
        count += 1
        return chunks[chunks.count - 1] + k
    }

    deinit {
        for c in chunks {
            c.deinitialize(count: Self.chunkSize)
            c.deallocate()
        }
    }
}

/// What running changes from moment to moment, in one manually managed struct (see the top of the file).
struct EvalState {
    /// The first free slot of the value stack: the next call's frame starts here.
    var top: Slots
    var callDepth = 0
    /// The interpreter's limits, here so that the checks on every string and collection built read them
    /// without an exclusivity check (`Interpreter.limits` reads and writes this).
    var limits = Limits()
    /// The value of the `return` that is unwinding to its call.
    var returnValue: Value = .null
    /// Address near the bottom of the evaluator's native stack, taken when running starts.
    var stackBase: UInt = 0
    /// How much of the native stack the evaluator may use.
    var stackBudget: UInt = 0
}

/// The value stack that frames live on, and beside it each frame's link to the frame of the function it
/// was declared in (read only by nested functions that use their enclosing function's variables).
final class ValueStack {
    let base: Slots
    let end: Slots
    let links: UnsafeMutablePointer<Slots?>
    let state: UnsafeMutablePointer<EvalState>
    /// Slots in all; the pages are only touched as deep as calls go.
    static let capacity = 1 << 20

    init() {
        base = .allocate(capacity: Self.capacity)
        end = base + Self.capacity
        links = .allocate(capacity: Self.capacity)
        state = .allocate(capacity: 1)
        state.initialize(to: EvalState(top: base))
    }

    deinit {
        // Frames are deinitialised as calls return; only the state holds a value here.
        state.deinitialize(count: 1)
        state.deallocate()
        links.deallocate()
        base.deallocate()
    }

    @inline(__always) func link(of frame: Slots) -> Slots { links[frame - base].unsafelyUnwrapped }

    @inline(__always) func setLink(of frame: Slots, to parent: Slots) { links[frame - base] = parent }

    /// The frame `hops` levels up the chain of enclosing functions.
    @inline(__always) func frame(_ frame: Slots, up hops: Int) -> Slots {
        var f = frame
        // Every frame on the way up belongs to a nested function, whose call set its link.
        for _ in 0..<hops { f = link(of: f) }
        return f
    }
}

/// A user function in resolved form. The resolver makes it when it first meets the `fn` (calls may come
/// before the definition), then fills in the body.
final class FunctionCode {
    let decl: FnDecl
    /// Declared inside another function: its frame links to that function's frame.
    let isNested: Bool
    /// Slots in its frame; the parameters come first, in order.
    var frameSize = 0
    /// Code for the defaults of optional parameters and flags, run in the callee's frame.
    var defaults: [Int: ExprCode] = [:]
    private var bodyBox = StmtBox(StmtCode { _, _ in .normal })
    /// The body, reached without reference counting (the box is owned above).
    private(set) var body: Unmanaged<StmtBox>

    init(_ decl: FnDecl, isNested: Bool) {
        self.decl = decl
        self.isNested = isNested
        body = Unmanaged.passUnretained(bodyBox)
    }

    func setBody(_ code: StmtCode) {
        bodyBox = StmtBox(code)
        body = Unmanaged.passUnretained(bodyBox)
    }

    var name: String { decl.name }
    var signature: Signature { decl.signature }
}

/// A statement's code in a box, so it can be called through `Unmanaged` without retaining it.
final class StmtBox {
    let run: StmtCode
    init(_ run: StmtCode) { self.run = run }
}

/// A module's top level in resolved form: its statements, the last one kept as an expression when it
/// is one (the REPL shows its value).
enum TopLevelCode {
    case statement(StmtCode)
    case expression(ExprCode)
}
