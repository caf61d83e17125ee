import Core
import OrderedCollections

/// Expression evaluation with Jinja's StrictUndefined: a missing name, key or
/// attribute is an error, except under `is defined` and `|default`.
extension TemplateRenderer {
    func eval(_ e: TemplateExpr) throws -> Value {
        switch e.kind {
        case .literal(let v):
            return v
        case .name(let n):
            if let v = try variable(n, at: e.span) { return v }
            throw undefined(n, at: e.span)
        case .list(let items):
            return .list(try items.map(eval))
        case .dict(let pairs):
            var d = OrderedDictionary<String, Value>()
            for (k, v) in pairs { d[TemplateStrings.str(try eval(k))] = try eval(v) }
            return .map(d)
        case .attribute(let base, let name):
            let b = try eval(base)
            if let v = TemplateValues.attribute(b, name.text) { return v }
            throw TemplateValues.missingAttribute(b, name.text, at: name.span)
        case .item(let base, let key):
            return try TemplateValues.item(try eval(base), try eval(key), at: e.span)
        case .slice(let base, let start, let stop, let step):
            return try TemplateValues.slice(try eval(base), start: try start.map(eval), stop: try stop.map(eval),
                                            step: try step.map(eval), at: e.span)
        case .call(let callee, let args):
            return try call(callee, args, span: e.span)
        case .filter(let input, let name, let args):
            let v: Value
            if name.text == "default" || name.text == "d" {
                guard let defined = try evalIfDefined(input) else {
                    return try args.positional.first.map(eval) ?? .string("")
                }
                v = defined
            } else {
                v = try eval(input)
            }
            return try applyFilter(name, to: v, args, span: e.span)
        case .test(let input, let name, let args, let negated):
            let result: Bool
            if name.text == "defined" || name.text == "undefined" {
                result = (try evalIfDefined(input) != nil) == (name.text == "defined")
            } else {
                result = try applyTest(name, to: try eval(input), args, span: e.span)
            }
            return .bool(result != negated)
        case .not(let x):
            return .bool(!(try eval(x).isTruthy))
        case .negate(let x):
            return try TemplateValues.negate(try eval(x), at: e.span)
        case .binary(let op, let l, let r):
            return try TemplateValues.arithmetic(op, try eval(l), try eval(r), at: e.span)
        case .and(let l, let r):
            let a = try eval(l)
            return a.isTruthy ? try eval(r) : a
        case .or(let l, let r):
            let a = try eval(l)
            return a.isTruthy ? a : try eval(r)
        case .compare(let first, let ops):
            var left = try eval(first)
            for (op, rhsExpr) in ops {
                let right = try eval(rhsExpr)
                guard try TemplateValues.compare(op, left, right, at: e.span) else { return .bool(false) }
                left = right
            }
            return .bool(true)
        case .conditional(let condition, let then, let otherwise):
            if try eval(condition).isTruthy { return try eval(then) }
            // Jinja gives a plain (not strict) Undefined here, which prints as "" even under StrictUndefined.
            guard let otherwise else { return .string("") }
            return try eval(otherwise)
        case .concat(let parts):
            return .string(try parts.map { TemplateStrings.str(try eval($0)) }.joined())
        }
    }

    /// The value, or nil where Jinja would produce Undefined: a missing name, key or attribute, or an inline `if` without `else`.
    /// Only the last step may be missing: with StrictUndefined, `nope.x is defined` is an error, as in Jinja.
    func evalIfDefined(_ e: TemplateExpr) throws -> Value? {
        switch e.kind {
        case .name(let n):
            return try variable(n, at: e.span)
        case .attribute(let base, let name):
            return TemplateValues.attribute(try eval(base), name.text)
        case .item(let base, let key):
            let b = try eval(base), k = try eval(key)
            return try? TemplateValues.item(b, k, at: e.span)
        case .filter(let input, let name, let args) where name.text != "default" && name.text != "d":
            let v = try eval(input)
            let (positional, named) = try arguments(args)
            do {
                return try filter(name.text, nameSpan: name.span, v, positional, named, span: e.span)
            } catch where TemplateValues.isUndefinedResult(error) {
                return nil
            }
        case .conditional(let condition, let then, let otherwise):
            if try eval(condition).isTruthy { return try evalIfDefined(then) }
            return try otherwise.flatMap(evalIfDefined)
        default:
            return try eval(e)
        }
    }

    /// A variable: the innermost `set`/loop name, else the scope's (config) value.
    func variable(_ name: String, at span: Span) throws -> Value? {
        for frame in frames.reversed() {
            if let v = frame[name] { return v }
        }
        do {
            return try scope.lookup(name)
        } catch {
            throw relocated(error) { e in
                if e.span == nil { e.span = span } else { e.addTrace("`\(name)`", at: span) }
            }
        }
    }

    private var knownNames: [String] {
        var names = scope.names() + Array(scope.functions.keys) + Array(TemplateFunctions.names)
        for f in frames { names += f.keys }
        return names
    }

    func undefined(_ name: String, at span: Span) -> TemplateError {
        if scope.functions[name] != nil || TemplateFunctions.names.contains(name) {
            return TemplateError(.templateError, "`\(name)` is a function", at: span, help: "call it: `\(name)(…)`")
        }
        let help = closestName(to: name, in: knownNames).map { "did you mean `\($0)`?" }
            ?? "templates see config keys (`config list`), `{% set %}` names and loop variables; `\(name) is defined` or `\(name)|default(…)` allow a missing name"
        return TemplateError(.templateError, "undefined name `\(name)`", at: span, help: help)
    }

    /// Gives a diagnostic from a function or filter the call's position.
    func located(_ error: Error, _ what: String, at span: Span) -> Error {
        relocated(error) { e in
            if let at = e.span {
                if at.file !== span.file { e.addTrace(what, at: span) }
            } else {
                e.span = span
            }
        }
    }

    /// Evaluated arguments. A name written twice keeps its first place and its last value, as Jinja's keyword dict does;
    /// a `**mapping` key that repeats a written name is an error, as in Python.
    func arguments(_ args: TemplateArguments) throws -> ([Value], [(String, Value)]) {
        var positional = try args.positional.map(eval)
        if let spread = args.spreadPositional { positional += try iterate(try eval(spread), at: spread.span) }
        var named: [(String, Value)] = []
        func add(_ name: String, _ v: Value) {
            if let i = named.firstIndex(where: { $0.0 == name }) { named[i].1 = v } else { named.append((name, v)) }
        }
        for (name, e) in args.named { add(name.text, try eval(e)) }
        if let spread = args.spreadNamed {
            guard case .map(let m) = try eval(spread) else {
                throw TemplateError(.templateError, "`**` wants a mapping", at: spread.span)
            }
            for (k, v) in m.dict {
                if named.contains(where: { $0.0 == k }) {
                    throw TemplateError(.templateError, "got multiple values for the named argument `\(k)`", at: spread.span)
                }
                named.append((k, v))
            }
        }
        return (positional, named)
    }

    private func call(_ callee: TemplateExpr, _ args: TemplateArguments, span: Span) throws -> Value {
        switch callee.kind {
        case .name(let n) where frames.allSatisfy({ $0[n] == nil }):
            let (positional, named) = try arguments(args)
            do {
                if let f = scope.functions[n] { return try f(positional, named) }
                if let f = TemplateFunctions.function(n) { return try f(positional, named) }
            } catch {
                throw located(error, "`\(n)(…)`", at: span)
            }
            if (try? scope.lookup(n)) != nil {
                throw TemplateError(.templateError, "`\(n)` is a value, not a function", at: callee.span)
            }
            let help = closestName(to: n, in: Array(scope.functions.keys) + TemplateFunctions.names).map { "did you mean `\($0)`?" }
            throw TemplateError(.templateError, "unknown function `\(n)`", at: callee.span, help: help)
        case .attribute(let base, let method):
            let receiver = try eval(base)
            let (positional, named) = try arguments(args)
            do {
                return try TemplateMethods.call(method.text, on: receiver, positional, named)
            } catch {
                throw located(error, "`.\(method.text)(…)`", at: span)
            }
        default:
            let v = try eval(callee)
            throw TemplateError(.templateError, "\(v.typeName) \(TemplateStrings.repr(v)) is not callable", at: callee.span)
        }
    }

    func applyFilter(_ name: TemplateName, to input: Value, _ args: TemplateArguments, span: Span) throws -> Value {
        let (positional, named) = try arguments(args)
        return try filter(name.text, nameSpan: name.span, input, positional, named, span: span)
    }

    func filter(_ name: String, nameSpan: Span, _ input: Value, _ positional: [Value], _ named: [(String, Value)], span: Span) throws -> Value {
        do {
            if let f = scope.filters[name] { return try f(input, positional, named) }
            switch name {
            case "map": return try mapFilter(input, positional, named, span: span)
            case "select", "reject", "selectattr", "rejectattr":
                return try selectFilter(name, input, positional, named, span: span)
            default:
                if let f = TemplateFilters.filter(name) { return try f(input, positional, named) }
            }
        } catch {
            throw located(error, "`|\(name)`", at: span)
        }
        let help = closestName(to: name, in: Array(scope.filters.keys) + TemplateFilters.names).map { "did you mean `\($0)`?" }
        throw TemplateError(.templateError, "unknown filter `\(name)`", at: nameSpan, help: help)
    }

    func applyTest(_ name: TemplateName, to input: Value, _ args: TemplateArguments, span: Span) throws -> Bool {
        let (positional, _) = try arguments(args)
        return try test(name.text, nameSpan: name.span, input, positional, span: span)
    }

    func test(_ name: String, nameSpan: Span, _ input: Value, _ args: [Value], span: Span) throws -> Bool {
        switch name {
        case "filter":
            guard case .string(let f) = input else { return false }
            return scope.filters[f] != nil || TemplateFilters.filter(f) != nil || ["map", "select", "reject", "selectattr", "rejectattr"].contains(f)
        case "defined": return true
        case "undefined": return false
        default:
            guard let t = TemplateTests.test(name) else {
                throw TemplateError(.templateError, "unknown test `\(name)`", at: nameSpan,
                                 help: closestName(to: name, in: TemplateTests.names).map { "did you mean `\($0)`?" })
            }
            do { return try t(input, args) } catch { throw located(error, "`is \(name)`", at: span) }
        }
    }

    /// `items|map('upper')`, `items|map(attribute='name', default=…)`.
    private func mapFilter(_ input: Value, _ args: [Value], _ kwargs: [(String, Value)], span: Span) throws -> Value {
        let items = try iterate(input, at: span)
        if let attribute = kwargs.first(where: { $0.0 == "attribute" })?.1 {
            let fallback = kwargs.first(where: { $0.0 == "default" })?.1
            return .list(try items.map { item in
                if let v = TemplateValues.path(item, TemplateStrings.str(attribute)) { return v }
                if let fallback { return fallback }
                throw TemplateValues.missingAttribute(item, TemplateStrings.str(attribute), at: span)
            })
        }
        guard case .string(let name)? = args.first else {
            throw TemplateError(.templateError, "map() needs a filter name or `attribute=`", at: span)
        }
        let rest = Array(args.dropFirst())
        return .list(try items.map { try filter(name, nameSpan: span, $0, rest, kwargs, span: span) })
    }

    /// `select('odd')`, `reject('none')`, `selectattr('enabled')`, `rejectattr('name', 'equalto', 'x')`.
    private func selectFilter(_ name: String, _ input: Value, _ args: [Value], _ kwargs: [(String, Value)], span: Span) throws -> Value {
        let items = try iterate(input, at: span)
        let byAttribute = name.hasSuffix("attr")
        let keep = name.hasPrefix("select")
        var rest = args
        var attribute: String?
        if byAttribute {
            guard !rest.isEmpty else { throw TemplateError(.templateError, "\(name)() needs an attribute name", at: span) }
            attribute = TemplateStrings.str(rest.removeFirst())
        }
        var testName: String?
        if !rest.isEmpty { testName = TemplateStrings.str(rest.removeFirst()) }
        return .list(try items.filter { item in
            var v: Value? = item
            if let attribute { v = TemplateValues.path(item, attribute) }
            let passed: Bool
            if let testName {
                if testName == "defined" || testName == "undefined" {
                    passed = (v != nil) == (testName == "defined")
                } else {
                    guard let v else { throw TemplateValues.missingAttribute(item, attribute ?? "", at: span) }
                    passed = try test(testName, nameSpan: span, v, rest, span: span)
                }
            } else {
                // Jinja tests the truth of the attribute, and a missing one is StrictUndefined, which refuses.
                guard let v else { throw TemplateValues.missingAttribute(item, attribute ?? "", at: span) }
                passed = v.isTruthy
            }
            return passed == keep
        })
    }

    /// The items a `for` loop or a filter walks: list items, map keys, characters of a string.
    func iterate(_ v: Value, at span: Span) throws -> [Value] {
        switch v {
        case .list(let l): return l
        case .map(let m): return m.dict.keys.map { .string($0) }
        case .string(let s): return TemplateStrings.codePoints(s).map { .string($0) }
        default:
            throw TemplateError(.templateError, "cannot loop over \(v.typeName) \(TemplateStrings.repr(v))", at: span,
                             help: "a loop walks a list, the keys of a mapping, or the characters of a string")
        }
    }
}
