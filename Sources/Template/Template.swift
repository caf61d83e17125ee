import Core

/// A function a template may call: `patch("k8s-jobs")`. Positional and named arguments, in order.
public typealias TemplateFunction = (_ args: [Value], _ kwargs: [(String, Value)]) throws -> Value
/// A filter: `{{ 24|random_string }}` calls it with the input `24` and no arguments.
public typealias TemplateFilter = (_ input: Value, _ args: [Value], _ kwargs: [(String, Value)]) throws -> Value

/// What a template sees while it renders. A closure that throws a `LocatedError` (a tk8s `Diagnostic`)
/// without a span gets the span of the call in the template.
public struct TemplateScope {
    /// The value of a top-level name (a config key), or nil when there is none.
    public var lookup: (String) throws -> Value?
    /// Every name `lookup` knows, for "did you mean" help; called only when a name is undefined.
    public var names: () -> [String]
    public var functions: [String: TemplateFunction]
    public var filters: [String: TemplateFilter]
    /// The template `{% include %}` names, or nil when there is no such template.
    public var include: ((String) throws -> Template?)?
    /// How `{{ v }}` prints a list or map that Python holds as something tk8s has no type for (a tuple in a
    /// plugin's config: `[('a', 'b')]`); nil prints it as a list.
    public var pythonText: ((Value) -> String?)?

    public init(lookup: @escaping (String) throws -> Value?, names: @escaping () -> [String] = { [] },
                functions: [String: TemplateFunction] = [:], filters: [String: TemplateFilter] = [:],
                include: ((String) throws -> Template?)? = nil) {
        self.lookup = lookup
        self.names = names
        self.functions = functions
        self.filters = filters
        self.include = include
    }
}

/// A parsed Jinja template, rendered the way Tutor's Jinja environment renders
/// it: undefined names are errors (StrictUndefined), values print as Python
/// prints them, no trim_blocks, the final newline dropped. Parsing happens
/// once; rendering walks the tree, so a template can be rendered many times.
public final class Template: @unchecked Sendable {
    public let file: SourceFile
    let nodes: [TemplateNode]

    /// Parses `file`; syntax errors are `E2013` diagnostics pointing into it.
    public init(_ file: SourceFile) throws {
        self.file = file
        nodes = try TemplateParser.parse(file)
    }

    public convenience init(name: String, text: String) throws {
        try self.init(SourceFile(name: name, text: text))
    }

    public func render(_ scope: TemplateScope) throws -> String {
        let renderer = TemplateRenderer(scope: scope)
        return try renderer.render(self)
    }

    /// True when `text` has no template syntax, so it renders to itself and need not be parsed.
    public static func isPlain(_ text: String) -> Bool {
        var previousBrace = false
        for b in text.utf8 {
            if previousBrace, b == UInt8(ascii: "{") || b == UInt8(ascii: "%") || b == UInt8(ascii: "#") { return false }
            previousBrace = b == UInt8(ascii: "{")
        }
        return true
    }

    /// Python's `str()` of a value: how `{{ value }}` prints it.
    public static func pythonString(_ v: Value) -> String { TemplateStrings.str(v) }

    /// Python's `repr()` of a value: how a call's arguments read in a message.
    public static func pythonRepr(_ v: Value) -> String { TemplateStrings.repr(v) }
}
