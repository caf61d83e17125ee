import Core

/// What a command resolves to.
enum Callee {
    case builtin(Builtin, args: [ArgNode])
    /// A user function, found `hops` function scopes out from the call.
    case user(FunctionCode, hops: Int)
}

extension Resolver {
    /// Code for a command: a builtin or a user function, its arguments routed by its signature. `isStatement`:
    /// written bare on a line of its own (see `Arguments.valueWanted`); `valueDiscarded`: nothing reads its value,
    /// which a pure builtin is warned about.
    func call(_ c: CallExpr, isStatement: Bool, valueDiscarded: Bool = false) -> ExprCode {
        let arguments = argumentCode(c)
        switch callee(c) {
        case nil:
            return .init { _, _ in .null }  // reported; the module never runs
        case let .user(fn, hops)?:
            let plan = Binder.plan(fn.signature, c.args, callSpan: c.span, into: &diagnostics)
            return userCall(fn, hops: hops, plan: plan, codes: arguments(plan), span: c.span)
        case let .builtin(b, args)?:
            if valueDiscarded, let warning = b.signature.discardedValueWarning(at: c.span) { report(warning) }
            let plan = Binder.plan(b.signature, args, callSpan: c.span, into: &diagnostics)
            return builtinCall(b, plan: plan, codes: arguments(plan), span: c.span, isStatement: isStatement)
        }
    }

    /// Compiles every argument, whatever the call turns out to be (so their own errors are reported),
    /// and gives back what finds the code for the expressions a plan routes.
    private func argumentCode(_ c: CallExpr) -> (CallPlan) -> [ExprCode] {
        var compiled: [ObjectIdentifier: ExprCode] = [:]
        for a in c.args {
            switch a {
            case .value(let x), .spread(let x): compiled[ObjectIdentifier(x)] = expression(x)
            case .flag(_, _, let inline?, _): compiled[ObjectIdentifier(inline)] = expression(inline)
            case .flag: break
            }
        }
        // A passthrough command's undeclared flags become string literals the plan made itself.
        return { plan in plan.exprs.map { compiled[ObjectIdentifier($0)] ?? self.expression($0) } }
    }

    /// What `c` calls, reporting why when it is nothing.
    func callee(_ c: CallExpr) -> Callee? {
        if let (b, hops) = lookup(c.name) {
            switch b {
            case .function(let fn):
                return .user(fn, hops: hops)
            case .variable, .global:
                if registry.commands[c.name] == nil {
                    report(Diagnostic(.unknownCommand, "`\(c.name)` is a variable, not a command", at: c.nameSpan,
                                      help: "write `$\(c.name)` to use its value"))
                    return nil
                }
            }
        }
        guard let command = registry.commands[c.name] else {
            let help = closestName(to: c.name, in: registry.commands.keys, then: visibleFunctions()).map { "did you mean `\($0)`?" }
                ?? "run `help` to list the commands"
            report(Diagnostic(.unknownCommand, "unknown command `\(c.name)`", at: c.nameSpan, help: help))
            return nil
        }
        switch command {
        case .builtin(let b):
            return .builtin(b, args: c.args)
        case .group(let g):
            let names = g.subcommands.keys.joined(separator: ", ")
            guard case .value(let first)? = c.args.first, let lit = first as? LiteralExpr, case .string(let sub) = lit.value else {
                report(Diagnostic(.unknownSubcommand, "`\(g.name)` needs a subcommand", at: c.nameSpan, help: "one of: \(names)"))
                return nil
            }
            if let b = g.subcommands[sub] { return .builtin(b, args: Array(c.args.dropFirst())) }
            if let fallback = g.fallback { return .builtin(fallback, args: c.args) }
            let help = closestName(to: sub, in: g.subcommands.keys).map { "did you mean `\(g.name) \($0)`?" } ?? "one of: \(names)"
            report(Diagnostic(.unknownSubcommand, "`\(g.name)` has no subcommand `\(sub)`", at: lit.span, help: help))
            return nil
        }
    }

    /// The bounds of `(range …)` when `c` is a call of the builtin, for a loop that counts without a list.
    func rangeCall(_ c: CallExpr) -> ((Slots, Interpreter) throws -> (Int, Int, Int))? {
        guard c.name == "range", case .builtin(let b, let args)? = callee(c), b.signature.name == "range" else { return nil }
        let arguments = argumentCode(c)
        let plan = Binder.plan(b.signature, args, callSpan: c.span, into: &diagnostics)
        let codes = arguments(plan), signature = b.signature, span = c.span
        return .init { fp, rt in
            try CoreBuiltins.rangeBounds(Binder.bind(plan, codes, signature, span: span, fp: fp, rt: rt))
        }
    }

    private func builtinCall(_ b: Builtin, plan: CallPlan, codes: [ExprCode], span: Span, isStatement: Bool) -> ExprCode {
        let signature = b.signature, body = b.body
        return .init { fp, rt in
            var args = try Binder.bind(plan, codes, signature, span: span, fp: fp, rt: rt)
            args.valueWanted = !isStatement
            do {
                let value = try body(args, rt)
                return isStatement ? rt.statementValue(value, of: signature) : value
            } catch var d as Diagnostic {
                if let at = d.span {
                    // The error is in a file the builtin read (a template, config.yml): say which call led there.
                    if at.file !== span.file, d.trace.isEmpty { d.addTrace("`\(signature.name)`", at: span) }
                } else {
                    d.span = span
                }
                throw d
            }
        }
    }

    /// A user function's call. When every argument is a required positional one (most calls), the values
    /// go straight into the callee's first slots; otherwise they are bound by the signature.
    private func userCall(_ fn: FunctionCode, hops: Int, plan: CallPlan, codes: [ExprCode], span: Span) -> ExprCode {
        let nested = fn.isNested
        guard plan.isDirect else {
            return .init { fp, rt in
                let args = try Binder.bind(plan, codes, fn.signature, span: span, fp: fp, rt: rt)
                let parent = nested ? rt.stack.frame(fp, up: hops) : nil
                return try rt.invoke(fn, parent: parent, at: span) { frame in try rt.bindParameters(fn, args, into: frame) }
            }
        }
        switch codes.count {
        case 0:
            return .init { fp, rt in
                try rt.invoke(fn, parent: nested ? rt.stack.frame(fp, up: hops) : nil, at: span) { _ in }
            }
        case 1:
            let a0 = codes[0]
            return .init { fp, rt in
                let v0 = try a0(fp, rt)
                return try rt.invoke(fn, parent: nested ? rt.stack.frame(fp, up: hops) : nil, at: span, initialising: 1) { frame in
                    frame.initialize(to: v0)
                }
            }
        case 2:
            let a0 = codes[0], a1 = codes[1]
            return .init { fp, rt in
                let v0 = try a0(fp, rt), v1 = try a1(fp, rt)
                return try rt.invoke(fn, parent: nested ? rt.stack.frame(fp, up: hops) : nil, at: span, initialising: 2) { frame in
                    frame.initialize(to: v0)
                    (frame + 1).initialize(to: v1)
                }
            }
        case 3:
            let a0 = codes[0], a1 = codes[1], a2 = codes[2]
            return .init { fp, rt in
                let v0 = try a0(fp, rt), v1 = try a1(fp, rt), v2 = try a2(fp, rt)
                return try rt.invoke(fn, parent: nested ? rt.stack.frame(fp, up: hops) : nil, at: span, initialising: 3) { frame in
                    frame.initialize(to: v0)
                    (frame + 1).initialize(to: v1)
                    (frame + 2).initialize(to: v2)
                }
            }
        default:
            return .init { fp, rt in
                let values = try codes.map { try $0(fp, rt) }
                return try rt.invoke(fn, parent: nested ? rt.stack.frame(fp, up: hops) : nil, at: span,
                                     initialising: values.count) { frame in
                    frame.initialize(from: values, count: values.count)
                }
            }
        }
    }
}
