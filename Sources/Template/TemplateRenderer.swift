import Core
import OrderedCollections

/// Walks a template's nodes and writes its text; the statement half.
/// Expressions are evaluated in TemplateRenderer+Expressions.swift.
final class TemplateRenderer {
    let scope: TemplateScope
    /// Variables set by `{% set %}`, loops, `{% with %}` and includes, innermost last.
    var frames: [[String: Value]] = [[:]]
    private var out = ""
    private var includeDepth = 0
    /// Bodies being run, across includes. The parser bounds one template's nesting;
    /// includes stack templates, so they are refused past this many levels to keep the native stack safe.
    private var nesting = 0

    static let maxIncludeDepth = 32
    static let maxNesting = 256
    /// Output larger than this is a runaway template (`{{ "x" * 10**9 }}`), not a manifest.
    static let maxOutputBytes = 256 << 20

    init(scope: TemplateScope) { self.scope = scope }

    func render(_ template: Template) throws -> String {
        _ = try run(template.nodes)
        return out
    }

    enum Flow { case normal, breakLoop, continueLoop }

    func run(_ nodes: [TemplateNode]) throws -> Flow {
        nesting += 1
        defer { nesting -= 1 }
        for node in nodes {
            switch node {
            case .text(let s):
                out += s
            case .output(let e):
                let v = try eval(e)
                switch v {
                case .list, .map: out += scope.pythonText?(v) ?? TemplateStrings.str(v)
                default: out += TemplateStrings.str(v)
                }
                if out.utf8.count > Self.maxOutputBytes {
                    throw TemplateError(.sizeLimit, "template output is larger than \(Self.maxOutputBytes >> 20) MiB", at: e.span)
                }
            case .conditional(let branches, let otherwise):
                var body = otherwise
                for b in branches where try eval(b.condition).isTruthy {
                    body = b.body
                    break
                }
                let flow = try run(body)
                if flow != .normal { return flow }
            case .forLoop(let loop):
                try runFor(loop)
            case .set(let target, let value, let span):
                try assign(target, try eval(value), at: span)
            case .setBlock(let name, let filters, let body):
                var v = Value.string(try capture(body))
                for (filter, args) in filters { v = try applyFilter(filter, to: v, args, span: filter.span) }
                frames[frames.count - 1][name.text] = v
            case .include(let name, let ignoreMissing, let withContext, let span):
                try include(name, ignoreMissing: ignoreMissing, withContext: withContext, span: span)
            case .with(let assignments, let body):
                var frame: [String: Value] = [:]
                for (name, e) in assignments { frame[name.text] = try eval(e) }
                frames.append(frame)
                defer { frames.removeLast() }
                let flow = try run(body)
                if flow != .normal { return flow }
            case .filterBlock(let filters, let body, _):
                var v = Value.string(try capture(body))
                for (filter, args) in filters { v = try applyFilter(filter, to: v, args, span: filter.span) }
                out += TemplateStrings.str(v)
            case .evaluate(let e):
                _ = try eval(e)
            case .loopControl(let isBreak, _):
                return isBreak ? .breakLoop : .continueLoop
            }
        }
        return .normal
    }

    /// The text `body` renders to, without writing it.
    private func capture(_ body: [TemplateNode]) throws -> String {
        let saved = out
        out = ""
        defer { out = saved }
        _ = try run(body)
        return out
    }

    private func assign(_ target: TemplateTarget, _ value: Value, at span: Span) throws {
        switch target {
        case .names(let names):
            if names.count == 1 {
                frames[frames.count - 1][names[0].text] = value
                return
            }
            let parts = try unpack(value, into: names.count, at: span)
            for (n, v) in zip(names, parts) { frames[frames.count - 1][n.text] = v }
        case .attribute(let ns, let key):
            guard let i = frames.lastIndex(where: { $0[ns.text] != nil }), case .map(let box) = frames[i][ns.text]! else {
                throw TemplateError(.templateError, "`\(ns.text)` is not a namespace", at: ns.span,
                                 help: "create it first: `{% set \(ns.text) = namespace(\(key.text)=0) %}`")
            }
            var dict = box.dict
            dict[key.text] = value
            frames[i][ns.text] = .map(dict)
        }
    }

    func unpack(_ value: Value, into count: Int, at span: Span) throws -> [Value] {
        let items = try iterate(value, at: span)
        guard items.count == count else {
            throw TemplateError(.templateError, "cannot unpack \(items.count) value\(items.count == 1 ? "" : "s") into \(count) names", at: span)
        }
        return items
    }

    private func runFor(_ loop: TemplateForLoop) throws {
        var items = try iterate(try eval(loop.iterable), at: loop.iterable.span)
        let names = loop.target.boundNames
        func bind(_ item: Value) throws -> [String: Value] {
            if names.count == 1 { return [names[0]: item] }
            let parts = try unpack(item, into: names.count, at: loop.span)
            return Dictionary(uniqueKeysWithValues: zip(names, parts))
        }
        if let condition = loop.condition {
            var kept: [Value] = []
            for item in items {
                frames.append(try bind(item))
                defer { frames.removeLast() }
                if try eval(condition).isTruthy { kept.append(item) }
            }
            items = kept
        }
        if items.isEmpty {
            _ = try run(loop.otherwise)
            return
        }
        frames.append([:])
        defer { frames.removeLast() }
        let n = items.count
        for (i, item) in items.enumerated() {
            var frame = try bind(item)
            var info: OrderedDictionary<String, Value> = [
                "index": .int(i + 1), "index0": .int(i), "revindex": .int(n - i), "revindex0": .int(n - i - 1),
                "first": .bool(i == 0), "last": .bool(i == n - 1), "length": .int(n), "depth": .int(1), "depth0": .int(0),
            ]
            if i > 0 { info["previtem"] = items[i - 1] }
            if i < n - 1 { info["nextitem"] = items[i + 1] }
            frame["loop"] = .map(info)
            frames[frames.count - 1] = frame
            if try run(loop.body) == .breakLoop { break }
        }
    }

    private func include(_ nameExpr: TemplateExpr, ignoreMissing: Bool, withContext: Bool, span: Span) throws {
        guard let load = scope.include else {
            throw TemplateError(.templateError, "this template cannot include other templates", at: span)
        }
        let nameValue = try eval(nameExpr)
        let candidates: [Value]
        if case .list(let l) = nameValue { candidates = l } else { candidates = [nameValue] }
        var found: Template?
        for c in candidates {
            guard case .string(let name) = c else {
                throw TemplateError(.templateError, "`{% include %}` wants a template name, got \(c.typeName) \(TemplateStrings.repr(c))", at: nameExpr.span)
            }
            do {
                found = try load(name)
            } catch {
                throw relocated(error) { e in if e.span == nil { e.span = nameExpr.span } }
            }
            if found != nil { break }
        }
        guard let template = found else {
            if ignoreMissing { return }
            throw TemplateError(.templateError, "no template \(candidates.map(TemplateStrings.str).joined(separator: " or ")) to include",
                             at: nameExpr.span, help: "add `ignore missing` to skip a template that may not exist")
        }
        guard includeDepth < Self.maxIncludeDepth else {
            throw TemplateError(.recursionTooDeep, "includes nest more than \(Self.maxIncludeDepth) deep", at: span,
                             help: "does \(template.file.name) include itself?")
        }
        guard nesting < Self.maxNesting else {
            throw TemplateError(.recursionTooDeep, "blocks and includes nest more than \(Self.maxNesting) levels deep", at: span,
                             help: "does \(template.file.name) include itself?")
        }
        includeDepth += 1
        let savedFrames = frames
        if !withContext { frames = [[:]] }
        frames.append([:])
        defer {
            frames = savedFrames
            includeDepth -= 1
        }
        do {
            _ = try run(template.nodes)
        } catch {
            throw relocated(error) { e in e.addTrace("`{% include \(template.file.name) %}`", at: span) }
        }
    }
}
