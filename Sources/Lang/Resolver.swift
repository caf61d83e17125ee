import Core
import OrderedCollections

/// What a name means in a scope.
enum Binding {
    case variable(Int)
    case function(FnDecl)
    /// A top-level variable of an imported module.
    case imported(Frame, Int)
    /// A function of an imported module, declared in that module's frame.
    case importedFunction(FnDecl, Frame)
}

/// The variables of one function (or a module's top level), block by block.
final class FunctionScope {
    var blocks: [[String: Binding]] = [[:]]
    var slotCount = 0
    let parent: FunctionScope?
    /// Set for a module's top level: its variables are reached directly, not by hops.
    let frame: Frame?

    init(parent: FunctionScope?, frame: Frame?) { self.parent = parent; self.frame = frame }

    func declare(_ name: String, _ b: Binding) { blocks[blocks.count - 1][name] = b }

    func newSlot(_ name: String) -> Int {
        let i = slotCount
        slotCount += 1
        declare(name, .variable(i))
        return i
    }
}

/// Binds every name to a slot or a callee and every call to a routing plan,
/// before anything runs. This is also the whole of `tk8s check`: it reports
/// unknown commands, variables and flags and wrong arities, and keeps going.
final class Resolver {
    private let registry: Registry
    private let loader: ModuleLoader
    private var scope: FunctionScope
    private(set) var diagnostics: [Diagnostic] = []
    private let module: Module

    init(module: Module, registry: Registry, loader: ModuleLoader) {
        self.module = module
        self.registry = registry
        self.loader = loader
        scope = module.scope
    }

    private func report(_ d: Diagnostic) { diagnostics.append(d) }

    /// Resolves a module's statements in its top-level scope (kept for the next REPL line).
    func resolveTopLevel(_ block: Block) {
        hoistFunctions(block.statements)
        for s in block.statements { resolve(s) }
        module.frame.grow(to: module.scope.slotCount)
    }

    // MARK: Lookup

    private func lookup(_ name: String) -> (Binding, hops: Int, FunctionScope)? {
        var hops = 0
        var s: FunctionScope? = scope
        while let cur = s {
            for block in cur.blocks.reversed() {
                if let b = block[name] { return (b, hops, cur) }
            }
            hops += 1
            s = cur.parent
        }
        return nil
    }

    private func slotRef(_ b: Binding, hops: Int, in owner: FunctionScope) -> SlotRef? {
        switch b {
        case .variable(let i):
            if let f = owner.frame { return .global(Unmanaged.passUnretained(f), i) }
            return hops == 0 ? .local(i) : .outer(hops: hops, index: i)
        case .imported(let f, let i): return .global(Unmanaged.passUnretained(f), i)
        case .function, .importedFunction: return nil
        }
    }

    /// Names in scope whose binding passes `keep`, innermost scope first: did-you-mean candidates.
    private func visibleNames(_ keep: (Binding) -> Bool) -> [String] {
        var names: [String] = []
        var s: FunctionScope? = scope
        while let cur = s {
            for block in cur.blocks { names += block.filter { keep($0.value) }.map(\.key) }
            s = cur.parent
        }
        return names
    }

    private func visibleVariables() -> [String] {
        visibleNames { if case .variable = $0 { true } else if case .imported = $0 { true } else { false } }
    }

    private func visibleFunctions() -> [String] {
        visibleNames { if case .function = $0 { true } else if case .importedFunction = $0 { true } else { false } }
    }

    private func inBlock(_ body: () -> Void) {
        scope.blocks.append([:])
        body()
        scope.blocks.removeLast()
    }

    /// Functions are visible in their whole block, so they can be called before they are defined.
    private func hoistFunctions(_ stmts: [Stmt]) {
        var seen: [String: FnDecl] = [:]
        for case let fn as FnDecl in stmts {
            if let first = seen[fn.name] {
                report(Diagnostic(.duplicateDefinition, "function `\(fn.name)` is defined twice in this block", at: fn.nameSpan,
                                  help: "the first definition is at \(first.nameSpan.position)"))
            }
            seen[fn.name] = fn
            scope.declare(fn.name, .function(fn))
        }
    }

    // MARK: Statements

    private func resolveBlock(_ b: Block) {
        inBlock {
            hoistFunctions(b.statements)
            for s in b.statements { resolve(s) }
        }
    }

    private func resolve(_ s: Stmt) {
        switch s {
        case let s as ExprStmt:
            resolve(s.expr)
        case let s as LetStmt:
            resolve(s.value)
            let i = scope.newSlot(s.name)
            s.slot = slotRef(.variable(i), hops: 0, in: scope)!
        case let s as AssignStmt:
            resolveAssignment(s)
        case let s as Block:
            resolveBlock(s)
        case let s as IfStmt:
            resolve(s.condition)
            resolveBlock(s.then)
            if let o = s.otherwise { resolve(o) }
        case let s as ForStmt:
            resolve(s.iterable)
            inBlock {
                s.slots = s.names.map { slotRef(.variable(scope.newSlot($0.0)), hops: 0, in: scope)! }
                resolveBlock(s.body)
            }
        case let s as WhileStmt:
            resolve(s.condition)
            resolveBlock(s.body)
        case let s as ReturnStmt:
            if let v = s.value { resolve(v) }
        case let s as FnDecl:
            resolveFunction(s)
        case let s as TryStmt:
            resolveBlock(s.body)
            inBlock {
                if let (name, _) = s.errorName {
                    s.errorSlot = slotRef(.variable(scope.newSlot(name)), hops: 0, in: scope)!
                }
                resolveBlock(s.handler)
            }
        case let s as ImportStmt:
            resolveImport(s)
        default:
            break  // break, continue: nothing to bind
        }
    }

    private func resolveAssignment(_ s: AssignStmt) {
        resolve(s.value)
        if !(s.target is NameExpr) { resolve(s.target) }
        guard let target = innermostName(s.target) else {
            report(Diagnostic(.invalidAssignmentTarget, "cannot assign into this expression", at: s.target.span,
                              help: "assign into a variable: `$m.key = 1`"))
            return
        }
        guard let (b, hops, owner) = lookup(target.name) else {
            report(Diagnostic(.notAssignable, "`\(target.name)` is not defined", at: target.span,
                              help: "declare it first: `let \(target.name) = …`"))
            return
        }
        guard let ref = slotRef(b, hops: hops, in: owner) else {
            report(Diagnostic(.notAssignable, "cannot assign to function `\(target.name)`", at: target.span))
            return
        }
        target.ref = ref
        if s.target === target { s.variableSlot = ref }
        if s.target === target {
            if s.op == .add {
                s.appendsInPlace = true
            } else if s.op == .set, let bin = s.value as? BinaryExpr, bin.op == .add,
                      let lhs = bin.lhs as? NameExpr, lhs.name == target.name {
                s.appendsInPlace = true
            }
        }
    }

    /// The variable at the root of `$m.a[0].b`.
    private func innermostName(_ e: Expr) -> NameExpr? {
        var cur = e
        while true {
            if let m = cur as? MemberExpr { cur = m.object } else if let i = cur as? IndexExpr { cur = i.object } else { break }
        }
        return cur as? NameExpr
    }

    private func resolveFunction(_ fn: FnDecl) {
        let enclosing = scope
        scope = FunctionScope(parent: enclosing, frame: nil)
        defer { scope = enclosing }
        var seen = Set<String>()
        fn.paramSlots = []
        for p in fn.params {
            if !seen.insert(p.name).inserted {
                report(Diagnostic(.duplicateDefinition, "parameter `\(p.name)` appears twice", at: p.span))
            }
            switch p.kind {
            case .optional(let def): resolve(def)
            case .flag(let def?): resolve(def)
            default: break
            }
            // A flag `--dry-run` is the variable `$dry_run` inside the function.
            fn.paramSlots.append(scope.newSlot(String(p.name.map { $0 == "-" ? "_" : $0 })))
        }
        checkParameterOrder(fn)
        resolveBlock(fn.body)
        fn.slotCount = scope.slotCount
    }

    private func checkParameterOrder(_ fn: FnDecl) {
        var sawOptional = false, sawVariadic = false
        for p in fn.params {
            switch p.kind {
            case .required:
                if sawOptional || sawVariadic {
                    report(Diagnostic(.invalidParameter, "required parameter `\(p.name)` after an optional or variadic one",
                                      at: p.span, help: "put required parameters first"))
                }
            case .optional:
                if sawVariadic {
                    report(Diagnostic(.invalidParameter, "optional parameter `\(p.name)` after a variadic one", at: p.span))
                }
                sawOptional = true
            case .variadic:
                if sawVariadic {
                    report(Diagnostic(.invalidParameter, "only one `...` parameter is allowed", at: p.span))
                }
                sawVariadic = true
            case .flag: break
            }
        }
    }

    private func resolveImport(_ s: ImportStmt) {
        do {
            let imported = try loader.load(s.path, from: module, at: s.pathSpan)
            s.module = imported
            for (name, b) in imported.scope.blocks[0] {
                switch b {
                case .variable(let i): scope.declare(name, .imported(imported.frame, i))
                case .function(let fn): scope.declare(name, .importedFunction(fn, imported.frame))
                case .imported, .importedFunction: break  // not re-exported
                }
            }
        } catch let d as Diagnostic {
            report(d)
        } catch {
            report(Diagnostic(.importFailed, "cannot import \(s.path): \(error)", at: s.pathSpan))
        }
    }

    // MARK: Expressions

    private func resolve(_ e: Expr) {
        switch e {
        case let e as NameExpr:
            resolveName(e)
        case let e as InterpolatedExpr:
            for case .expr(let x) in e.parts { resolve(x) }
        case let e as ListExpr:
            for el in e.elements {
                switch el {
                case .value(let x), .spread(let x): resolve(x)
                }
            }
        case let e as MapExpr:
            for (k, v) in e.entries { resolve(k); resolve(v) }
        case let e as UnaryExpr:
            resolve(e.operand)
        case let e as BinaryExpr:
            resolve(e.lhs); resolve(e.rhs)
            e.lhsAccess = access(e.lhs)
            e.rhsAccess = access(e.rhs)
        case let e as LogicalExpr:
            resolve(e.lhs); resolve(e.rhs)
        case let e as MemberExpr:
            resolve(e.object)
        case let e as IndexExpr:
            resolve(e.object); resolve(e.index)
        case let e as CallExpr:
            resolveCall(e)
        default:
            break
        }
    }

    private func access(_ e: Expr) -> OperandAccess {
        if let lit = e as? LiteralExpr { return .constant(lit.value) }
        if let name = e as? NameExpr {
            if case .local(let i) = name.ref { return .local(i) }
            if case .global(let f, let i) = name.ref { return .global(f, i) }
        }
        return .node
    }

    private func resolveName(_ e: NameExpr) {
        if let (b, hops, owner) = lookup(e.name) {
            if let ref = slotRef(b, hops: hops, in: owner) {
                e.ref = ref
                return
            }
            if e.isDollar {
                report(Diagnostic(.unknownVariable, "`\(e.name)` is a function, not a variable", at: e.span,
                                  help: "call it as a command: `(\(e.name) …)`"))
            }
            return
        }
        // A bare word that names no variable is just that word.
        guard e.isDollar else { return }
        let help = closestName(to: e.name, in: visibleVariables()).map { "did you mean `$\($0)`?" }
            ?? "declare it with `let \(e.name) = …`"
        report(Diagnostic(.unknownVariable, "unknown variable `$\(e.name)`", at: e.span, help: help))
    }

    private func resolveCall(_ call: CallExpr) {
        for a in call.args {
            switch a {
            case .value(let x), .spread(let x): resolve(x)
            case .flag(_, _, let inline, _): if let x = inline { resolve(x) }
            }
        }
        if let (b, hops, owner) = lookup(call.name) {
            switch b {
            case .function(let fn):
                call.target = .user(fn, parent: owner.frame.map { .global($0) } ?? .hops(hops))
                call.plan = Binder.plan(fn.signature, call.args, callSpan: call.span, into: &diagnostics)
                return
            case .importedFunction(let fn, let frame):
                call.target = .user(fn, parent: .global(frame))
                call.plan = Binder.plan(fn.signature, call.args, callSpan: call.span, into: &diagnostics)
                return
            case .variable, .imported:
                if registry.commands[call.name] == nil {
                    report(Diagnostic(.unknownCommand, "`\(call.name)` is a variable, not a command", at: call.nameSpan,
                                      help: "write `$\(call.name)` to use its value"))
                    return
                }
            }
        }
        guard let command = registry.commands[call.name] else {
            let candidates = Array(registry.commands.keys) + visibleFunctions()
            let help = closestName(to: call.name, in: candidates).map { "did you mean `\($0)`?" }
                ?? "run `help` to list the commands"
            report(Diagnostic(.unknownCommand, "unknown command `\(call.name)`", at: call.nameSpan, help: help))
            return
        }
        switch command {
        case .builtin(let b):
            call.target = .builtin(b)
            call.plan = Binder.plan(b.signature, call.args, callSpan: call.span, into: &diagnostics)
        case .group(let g):
            let names = g.subcommands.keys.joined(separator: ", ")
            guard case .value(let first)? = call.args.first, let lit = first as? LiteralExpr,
                  case .string(let sub) = lit.value else {
                report(Diagnostic(.unknownSubcommand, "`\(g.name)` needs a subcommand", at: call.nameSpan,
                                  help: "one of: \(names)"))
                return
            }
            if g.subcommands[sub] == nil, let fallback = g.fallback {
                call.target = .builtin(fallback)
                call.plan = Binder.plan(fallback.signature, call.args, callSpan: call.span, into: &diagnostics)
                return
            }
            guard let b = g.subcommands[sub] else {
                let help = closestName(to: sub, in: g.subcommands.keys).map { "did you mean `\(g.name) \($0)`?" }
                    ?? "one of: \(names)"
                report(Diagnostic(.unknownSubcommand, "`\(g.name)` has no subcommand `\(sub)`", at: lit.span, help: help))
                return
            }
            call.subcommand = [sub]
            call.args.removeFirst()
            call.target = .builtin(b)
            call.plan = Binder.plan(b.signature, call.args, callSpan: call.span, into: &diagnostics)
        }
    }
}
