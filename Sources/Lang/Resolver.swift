import Core

/// What a name means in a scope.
enum Binding {
    /// A slot of the function whose scope declares it.
    case variable(Int)
    /// A module variable, this module's or an imported one's.
    case global(Slots)
    case function(FunctionCode)
}

/// The names of one function (or a module's top level), block by block.
final class FunctionScope {
    var blocks: [[String: Binding]] = [[:]]
    var slotCount = 0
    let parent: FunctionScope?
    /// Set for a module's top level: its variables are module variables, not frame slots.
    let globals: GlobalSlots?

    init(parent: FunctionScope?, globals: GlobalSlots?) { self.parent = parent; self.globals = globals }

    func declare(_ name: String, _ b: Binding) { blocks[blocks.count - 1][name] = b }

    /// A new variable in the innermost block.
    func newVariable(_ name: String) -> SlotAccess {
        if let globals {
            let p = globals.add()
            declare(name, .global(p))
            return .global(p)
        }
        let i = slotCount
        slotCount += 1
        declare(name, .variable(i))
        return .local(i)
    }
}

/// Turns the syntax tree into the resolved form (`Code.swift`): binds every name to a slot or a
/// callee and every call to a routing plan, before anything runs. This is also the whole of
/// `tk8s check`: it reports unknown commands, variables and flags and wrong arities, and keeps going.
///
/// Expressions are in `Resolver+Expressions.swift`, calls in `Resolver+Calls.swift`.
final class Resolver {
    let registry: Registry
    let loader: ModuleLoader
    var scope: FunctionScope
    var diagnostics: [Diagnostic] = []
    let module: Module
    /// The interrupt flag, read by every loop on every turn.
    let interrupt = Interpreter.interruptFlag

    init(module: Module, registry: Registry, loader: ModuleLoader) {
        self.module = module
        self.registry = registry
        self.loader = loader
        scope = module.scope
    }

    func report(_ d: Diagnostic) { diagnostics.append(d) }

    /// Resolves a module's statements in its top-level scope (kept for the next REPL line).
    func resolveTopLevel(_ tree: SyntaxTree) -> [TopLevelCode] {
        hoistFunctions(tree.statements)
        return tree.statements.map { s in
            if case .expression(let e) = s.kind { return .expression(expressionStatement(e)) }
            return .statement(statement(s))
        }
    }

    // MARK: Lookup

    func lookup(_ name: String) -> (Binding, hops: Int)? {
        var hops = 0
        var s: FunctionScope? = scope
        while let cur = s {
            for block in cur.blocks.reversed() {
                if let b = block[name] { return (b, hops) }
            }
            hops += 1
            s = cur.parent
        }
        return nil
    }

    func slotAccess(_ b: Binding, hops: Int) -> SlotAccess? {
        switch b {
        case .variable(let i): return hops == 0 ? .local(i) : .outer(hops: hops, index: i)
        case .global(let p): return .global(p)
        case .function: return nil
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

    func visibleVariables() -> [String] {
        visibleNames { if case .function = $0 { false } else { true } }
    }

    func visibleFunctions() -> [String] {
        visibleNames { if case .function = $0 { true } else { false } }
    }

    private func inBlock<T>(_ body: () -> T) -> T {
        scope.blocks.append([:])
        defer { scope.blocks.removeLast() }
        return body()
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
            scope.declare(fn.name, .function(FunctionCode(fn, isNested: scope.globals == nil)))
        }
    }

    // MARK: Statements

    func block(_ b: Block) -> StmtCode {
        inBlock {
            hoistFunctions(b.statements)
            return sequence(b.statements.map(statement)[...])
        }
    }

    /// Statements one after another, as a balanced tree of pairs: no array to walk, and no deeper
    /// than the logarithm of their number.
    private func sequence(_ codes: ArraySlice<StmtCode>) -> StmtCode {
        switch codes.count {
        case 0: return .init { _, _ in .normal }
        case 1: return codes[codes.startIndex]
        case 2:
            let a = codes[codes.startIndex], b = codes[codes.startIndex + 1]
            return .init { fp, rt in
                let f = try a(fp, rt)
                if f != .normal { return f }
                return try b(fp, rt)
            }
        case 3:
            let a = codes[codes.startIndex], b = codes[codes.startIndex + 1], c = codes[codes.startIndex + 2]
            return .init { fp, rt in
                var f = try a(fp, rt)
                if f != .normal { return f }
                f = try b(fp, rt)
                if f != .normal { return f }
                return try c(fp, rt)
            }
        default:
            let mid = codes.startIndex + codes.count / 2
            return sequence([sequence(codes[..<mid]), sequence(codes[mid...])])
        }
    }

    func statement(_ s: Stmt) -> StmtCode {
        switch s.kind {
        case .expression(let e):
            let code = expressionStatement(e)
            return .init { fp, rt in
                _ = try code(fp, rt)
                return .normal
            }
        case .letBinding(let s):
            let value = expression(s.value)
            return scope.newVariable(s.name).build(StoreCode(value: value))
        case .assignment(let s):
            return assignment(s)
        case .block(let b):
            return block(b)
        case .ifElse(let s):
            return ifElse(s)
        case .forLoop(let s):
            return forLoop(s)
        case .whileLoop(let s):
            let test = condition(s.condition)
            let body = block(s.body)
            let interrupt = self.interrupt, span = s.span
            return .init { fp, rt in
                while try test(fp, rt) {
                    if interrupt.pointee { try rt.stopForInterrupt(span) }
                    switch try body(fp, rt) {
                    case .breakLoop: return .normal
                    case .returned: return .returned
                    case .normal, .continueLoop: continue
                    }
                }
                return .normal
            }
        case .breakLoop:
            return .init { _, _ in .breakLoop }
        case .continueLoop:
            return .init { _, _ in .continueLoop }
        case .returnValue(let s):
            guard let value = s.value else {
                return .init { _, rt in
                    rt.stack.state.pointee.returnValue = .null
                    return .returned
                }
            }
            return operand(value).build(ReturnCode())
        case .function(let fn):
            function(fn)
            return .init { _, _ in .normal }
        case .tryCatch(let s):
            return tryCatch(s)
        case .importFile(let s):
            return importFile(s)
        }
    }

    /// An expression on a line of its own: its value is thrown away (a REPL shows the last one).
    private func expressionStatement(_ e: ExprStmt) -> ExprCode {
        guard let call = e.expr as? CallExpr else { return expression(e.expr) }
        return self.call(call, isStatement: e.isCommandStatement, valueDiscarded: true)
    }

    private func ifElse(_ s: IfStmt) -> StmtCode {
        // `if … { return $x }` (a recursion's base case): one closure instead of three.
        if s.otherwise == nil, s.then.statements.count == 1, case .returnValue(let r)? = s.then.statements.first?.kind,
           let value = r.value {
            let test = condition(s.condition)
            return operand(value).build(ReturnIfCode(test: test))
        }
        let test = condition(s.condition)
        let then = block(s.then)
        guard let otherwise = s.otherwise.map(statement) else {
            return .init { fp, rt in try test(fp, rt) ? try then(fp, rt) : .normal }
        }
        return .init { fp, rt in try test(fp, rt) ? try then(fp, rt) : try otherwise(fp, rt) }
    }

    private func forLoop(_ s: ForStmt) -> StmtCode {
        // `for i in (range …)` counts without building the list.
        if s.names.count == 1, let call = s.iterable as? CallExpr, let range = rangeCall(call) {
            let bounds = range
            let body = inBlock { () -> (SlotAccess, StmtCode) in
                let slot = scope.newVariable(s.names[0].name)
                return (slot, block(s.body))
            }
            return body.0.build(RangeLoopCode(bounds: bounds, body: body.1, interrupt: interrupt, span: s.span))
        }
        let iterable = expression(s.iterable)
        let (slots, body) = inBlock { () -> ([SlotAccess], StmtCode) in
            let slots = s.names.map { scope.newVariable($0.name) }
            return (slots, block(s.body))
        }
        let interrupt = self.interrupt, span = s.span, iterableSpan = s.iterable.span
        let secondName = s.names.count > 1 ? s.names[1].span : nil
        return .init { fp, rt in
            let v = try iterable(fp, rt)
            /// Runs the body once; a non-nil result ends the loop with that flow.
            func iterate() throws -> Flow? {
                if interrupt.pointee { try rt.stopForInterrupt(span) }
                switch try body(fp, rt) {
                case .breakLoop: return .normal
                case .returned: return .returned
                case .normal, .continueLoop: return nil
                }
            }
            func set(_ k: Int, _ x: Value) { rt.pointer(slots[k], fp).pointee = x }
            switch v {
            case .list(let items):
                if let secondName, !items.isEmpty {
                    throw Diagnostic(.typeMismatch, "a list gives one value per step, not two", at: secondName,
                                     help: "use `for x in $list`, or `for k, v in $map`")
                }
                for item in items {
                    set(0, item)
                    if let f = try iterate() { return f }
                }
            case .map(let m):
                for (k, val) in m.dict {
                    set(0, .string(k))
                    if slots.count > 1 { set(1, val) }
                    if let f = try iterate() { return f }
                }
            case .string(let str):
                for ch in str {
                    set(0, .string(String(ch)))
                    if let f = try iterate() { return f }
                }
            default:
                throw Diagnostic(.typeMismatch, "cannot loop over \(v.typeName)", at: iterableSpan,
                                 help: "loop over a list, a map, a string or `(range N)`")
            }
            return .normal
        }
    }

    private func tryCatch(_ s: TryStmt) -> StmtCode {
        let body = block(s.body)
        let (slot, handler) = inBlock { () -> (SlotAccess?, StmtCode) in
            let slot = s.errorName.map { scope.newVariable($0.name) }
            return (slot, block(s.handler))
        }
        return .init { fp, rt in
            do {
                return try body(fp, rt)
            } catch let d as Diagnostic where d.code != .interrupted {
                if let slot { rt.pointer(slot, fp).pointee = .error(ErrorBox(d)) }
                return try handler(fp, rt)
            }
        }
    }

    private func function(_ decl: FnDecl) {
        guard case .function(let fn)? = scope.blocks.last?[decl.name], fn.decl === decl else { return }
        let enclosing = scope
        scope = FunctionScope(parent: enclosing, globals: nil)
        defer { scope = enclosing }
        var seen = Set<String>()
        for (k, p) in decl.params.enumerated() {
            if !seen.insert(p.name).inserted {
                report(Diagnostic(.duplicateDefinition, "parameter `\(p.name)` appears twice", at: p.span))
            }
            switch p.kind {
            case .optional(let def): fn.defaults[k] = expression(def)
            case .flag(let def?): fn.defaults[k] = expression(def)
            default: break
            }
            // A flag `--dry-run` is the variable `$dry_run` inside the function; parameters take the first slots, in order.
            _ = scope.newVariable(String(p.name.map { $0 == "-" ? "_" : $0 }))
        }
        checkParameterOrder(decl)
        fn.setBody(block(decl.body))
        fn.frameSize = scope.slotCount
    }

    private func checkParameterOrder(_ fn: FnDecl) {
        if fn.params.count > 64, let extra = fn.params.dropFirst(64).first {
            report(Diagnostic(.invalidParameter, "`\(fn.name)` has \(fn.params.count) parameters; at most 64 are allowed", at: extra.span,
                              help: "pass a map instead: `fn \(fn.name)(options) { … }`"))
        }
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

    private func importFile(_ s: ImportStmt) -> StmtCode {
        let imported: Module
        do {
            imported = try loader.load(s.path, from: module, at: s.pathSpan)
        } catch let d as Diagnostic {
            report(d)
            return .init { _, _ in .normal }
        } catch {
            report(Diagnostic(.importFailed, "cannot import \(s.path): \(error)", at: s.pathSpan))
            return .init { _, _ in .normal }
        }
        // Its top-level names, not what it imported itself (no re-exports).
        for (name, b) in imported.scope.blocks[0] where !imported.importedNames.contains(name) {
            scope.declare(name, b)
            module.importedNames.insert(name)
        }
        let path = s.path, span = s.span
        return .init { _, rt in
            do {
                try rt.runImport(imported)
            } catch var d as Diagnostic {
                d.addTrace("import \"\(path)\"", at: span)
                throw d
            }
            return .normal
        }
    }
}

/// `let x = v` and `x = v`.
struct StoreCode: PlaceBuilder {
    let value: ExprCode
    func build<P: Place>(_ place: P) -> StmtCode {
        let value = self.value
        return .init { fp, rt in
            let v = try value(fp, rt)
            place.pointer(fp, rt).pointee = v
            return .normal
        }
    }
}

/// `for i in (range …)`, counting in the loop variable's own place.
struct RangeLoopCode: PlaceBuilder {
    let bounds: (Slots, Interpreter) throws -> (Int, Int, Int)
    let body: StmtCode
    let interrupt: UnsafeMutablePointer<Bool>
    let span: Span

    func build<P: Place>(_ place: P) -> StmtCode {
        let bounds = self.bounds, body = self.body, interrupt = self.interrupt, span = self.span
        return .init { fp, rt in
            let (lo, hi, step) = try bounds(fp, rt)
            var i = lo
            while step > 0 ? i < hi : i > hi {
                place.pointer(fp, rt).pointee = .int(i)
                if interrupt.pointee { try rt.stopForInterrupt(span) }
                switch try body(fp, rt) {
                case .breakLoop: return .normal
                case .returned: return .returned
                case .normal, .continueLoop: break
                }
                i += step
            }
            return .normal
        }
    }
}

/// `return v`: a variable or a constant is read directly.
struct ReturnCode: OperandBuilder {
    func build<O: Operand>(_ value: O) -> StmtCode {
        StmtCode { fp, rt in
            rt.stack.state.pointee.returnValue = try value.value(fp, rt)
            return .returned
        }
    }
}

/// `if COND { return v }` with nothing else in the block and no `else`.
struct ReturnIfCode: OperandBuilder {
    let test: TestCode
    func build<O: Operand>(_ value: O) -> StmtCode {
        let test = self.test
        return StmtCode { fp, rt in
            guard try test(fp, rt) else { return .normal }
            rt.stack.state.pointee.returnValue = try value.value(fp, rt)
            return .returned
        }
    }
}
