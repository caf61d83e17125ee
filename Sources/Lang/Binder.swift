import Core

/// How a call's written arguments reach the callee, worked out once by the
/// resolver from the signature (this is where arity and flag errors come from).
public struct CallPlan {
    public enum Route {
        case positional(Int)
        case variadic
        case flag(Int)
        case spread
        /// A value written after a spread: it takes the next free position, known only when running.
        case next
    }
    /// The expressions to evaluate, in source order, and where each one goes.
    public var exprs: [Expr] = []
    public var routes: [Route] = []
    /// Flags given as switches.
    public var switches: [Int] = []
    public var hasSpread = false
    /// Every argument is a required positional, in order: a user function can take them straight into its frame.
    public var isDirect = false
}

enum Binder {
    /// Routes `args` by `signature`, reporting every problem it finds.
    static func plan(_ signature: Signature, _ args: [ArgNode], callSpan: Span, into diags: inout [Diagnostic]) -> CallPlan {
        var plan = CallPlan()
        var nextPositional = 0
        var variadicStarted = false
        var given = Set<Int>()
        let variadicIndex = signature.params.firstIndex { $0.arity == .variadic }
        func routeValue(_ e: Expr) {
            if plan.hasSpread {
                plan.exprs.append(e)
                plan.routes.append(.next)
                return
            }
            if nextPositional < signature.params.count, signature.params[nextPositional].arity != .variadic {
                plan.exprs.append(e)
                plan.routes.append(.positional(nextPositional))
                nextPositional += 1
            } else if variadicIndex != nil {
                plan.exprs.append(e)
                plan.routes.append(.variadic)
                variadicStarted = true
            } else {
                diags.append(Diagnostic(.argumentCount, "too many arguments to `\(signature.name)`", at: e.span,
                                        help: "usage: \(signature.usage)"))
            }
        }
        var i = 0
        while i < args.count {
            defer { i += 1 }
            switch args[i] {
            case .value(let e):
                routeValue(e)
            case .spread(let e):
                plan.exprs.append(e)
                plan.routes.append(.spread)
                plan.hasSpread = true
                variadicStarted = true
            case let .flag(name, short, inline, span):
                let index = short ? name.count == 1 ? signature.flagIndex(short: name.first!) : nil
                                  : signature.flagIndex(long: name)
                if signature.passthrough, variadicStarted || index == nil {
                    routeValue(LiteralExpr(.string(span.file.text(span)), span))
                    continue
                }
                guard let fi = index else {
                    let written = (short ? "-" : "--") + name
                    let names = signature.flags.map { "--" + $0.long } + signature.flags.compactMap { $0.short.map { "-\($0)" } }
                    let help = closestName(to: written, in: names).map { "did you mean `\($0)`?" }
                        ?? (signature.flags.isEmpty ? "`\(signature.name)` takes no flags" : "usage: \(signature.usage)")
                    diags.append(Diagnostic(.unknownFlag, "`\(signature.name)` has no flag `\(written)`", at: span, help: help))
                    continue
                }
                let flag = signature.flags[fi]
                if !given.insert(fi).inserted, !flag.repeatable {
                    diags.append(Diagnostic(.unknownFlag, "flag `--\(flag.long)` given twice", at: span))
                }
                if let inline {
                    plan.exprs.append(inline)
                    plan.routes.append(.flag(fi))
                } else if flag.isSwitch {
                    plan.switches.append(fi)
                } else if i + 1 < args.count, case .value(let v) = args[i + 1] {
                    plan.exprs.append(v)
                    plan.routes.append(.flag(fi))
                    i += 1
                } else {
                    diags.append(Diagnostic(.flagNeedsValue, "flag `--\(flag.long)` needs a value", at: span,
                                            help: "write `--\(flag.long) \(flag.placeholder!)`"))
                }
            }
        }
        if !plan.hasSpread {
            let missing = signature.params[nextPositional...].filter { $0.arity == .required }
            if let first = missing.first {
                let names = missing.map { $0.name.uppercased() }.joined(separator: ", ")
                diags.append(Diagnostic(.argumentCount,
                                        "`\(signature.name)` is missing \(missing.count == 1 ? "argument" : "arguments") \(names)",
                                        at: callSpan, help: "usage: \(signature.usage)" + (first.help.isEmpty ? "" : "; \(first.name.uppercased()): \(first.help)")))
            }
        }
        diags += plan.literalTypeErrors(signature)
        plan.isDirect = !plan.hasSpread && plan.switches.isEmpty
            && signature.flags.isEmpty && signature.params.allSatisfy { $0.arity == .required }
            && plan.routes.count == signature.params.count
        return plan
    }

    /// Evaluates a call's arguments and fills them in by the plan.
    static func bind(_ plan: CallPlan, _ codes: [ExprCode], _ signature: Signature, span: Span, fp: Slots, rt: Interpreter) throws -> Arguments {
        var args = Arguments(signature: signature, span: span)
        var variadic: [Value] = []
        let facts = signature.binding
        let variadicIndex = facts.variadicIndex
        var nextFree = 0
        for (k, route) in plan.routes.enumerated() {
            let v = try codes[k](fp, rt)
            switch route {
            case .positional(let i):
                args.setPositional(i, v)
                nextFree = i + 1
            case .variadic:
                variadic.append(v)
            case .flag(let i):
                if facts.repeatable[i] {
                    if case .list(var l)? = args.flag(i) { l.append(v); args.setFlag(i, .list(l)) } else { args.setFlag(i, .list([v])) }
                } else {
                    args.setFlag(i, v)
                }
            case .spread, .next:
                let items: [Value]
                if case .next = route {
                    items = [v]
                } else if case .list(let l) = v {
                    items = l
                } else {
                    throw Diagnostic(.typeMismatch, "`...` spreads a list, not \(v.typeName)", at: plan.exprs[k].span)
                }
                for item in items {
                    if nextFree < facts.arities.count, facts.arities[nextFree] != .variadic {
                        args.setPositional(nextFree, item)
                        nextFree += 1
                    } else if variadicIndex != nil {
                        variadic.append(item)
                    } else {
                        throw Diagnostic(.argumentCount, "too many arguments to `\(signature.name)` after spreading \(items.count) values",
                                         at: plan.exprs[k].span, help: "usage: \(signature.usage)")
                    }
                }
            }
        }
        for i in plan.switches { args.setFlag(i, .bool(true)) }
        if let vi = variadicIndex { args.setPositional(vi, .list(variadic)) }
        if plan.hasSpread {
            for (i, p) in signature.params.enumerated() where p.arity == .required && args.positional(i) == nil {
                throw Diagnostic(.argumentCount, "`\(signature.name)` is missing argument \(p.name.uppercased())", at: span,
                                 help: "usage: \(signature.usage)")
            }
        }
        try args.convertToDeclaredTypes(plan)
        return args
    }
}
