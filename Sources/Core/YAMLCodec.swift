import OrderedCollections
import Yams

/// YAML text to values and back, shared by `yaml parse|dump` and every
/// runtime file in YAML (config.yml, plugins, manifests).
///
/// Mappings keep document order; scalars are typed the way Yams' YAML 1.1
/// resolver types them (`yes` is true, `0755` an int), like PyYAML, which
/// is what Tutor reads and writes config.yml with.
public enum YAMLCodec {
    /// Why a text could not be read or a value not written, with the
    /// position libyaml reported (1-based) when it has one.
    public struct Failure: Error, CustomStringConvertible {
        public var problem: String
        public var line: Int?
        public var column: Int?
        /// What libyaml was reading when it failed ("while parsing a block mapping at line 2 column 1").
        public var context: String?
        public var help: String?
        /// The document is too big (an alias bomb), not malformed.
        public var isSizeLimit = false

        public init(problem: String, line: Int? = nil, column: Int? = nil, context: String? = nil, help: String? = nil) {
            self.problem = problem; self.line = line; self.column = column; self.context = context; self.help = help
        }

        public var description: String {
            problem + (line.map { l in " at line \(l)" + (column.map { " column \($0)" } ?? "") } ?? "")
                + (context.map { " (\($0))" } ?? "")
        }
    }

    /// The value of a YAML document (`all`: a list of every document in the stream).
    /// `checkDepth` runs once per node so a host can bound native-stack use.
    public static func decode(_ text: String, all: Bool = false, maxValues: Int = 16 << 20,
                              checkDepth: () throws -> Void = {}) throws -> Value {
        var budget = maxValues
        do {
            if all {
                var docs: [Value] = []
                var seq = try Yams.compose_all(yaml: text)
                while let node = seq.next() {
                    docs.append(try value(node, budget: &budget, maxValues: maxValues, checkDepth: checkDepth))
                }
                if let error = seq.error { throw error }
                return .list(docs)
            }
            guard let node = try Yams.compose(yaml: text) else { return .null }
            return try value(node, budget: &budget, maxValues: maxValues, checkDepth: checkDepth)
        } catch let e as YamlError {
            var f = failure(e)
            if !all, case let .composer(context, problem, _, _) = e,
               problem.contains("another document") || context?.text.contains("single document") == true {
                f.help = "the text has several documents; `yaml parse --all` reads them into a list"
            }
            throw f
        }
    }

    /// Checks that `text` is a well-formed YAML stream (syntax, indentation, duplicate keys) without
    /// building values. Scalars are not typed, which is most of `decode`'s cost, so checking every
    /// rendered manifest stays cheap.
    public static func validate(_ text: String) throws {
        do {
            var seq = try Yams.compose_all(yaml: text, .basic)
            while seq.next() != nil {}
            if let error = seq.error { throw error }
        } catch let e as YamlError {
            throw failure(e)
        }
    }

    /// How `encode` lays out strings.
    public enum Style: Sendable {
        /// Multi-line strings as `|` blocks, no line folding: for people to read.
        case readable
        /// What PyYAML's `yaml.dump(default_flow_style=False, allow_unicode=True)` writes (Tutor's config.yml):
        /// the emitter picks each string's style and folds long lines at 80 columns. libyaml's emitter is the
        /// C port of PyYAML's, so the same choices give the same bytes. A plugin may register its own string
        /// representer in Tutor's process (tutor-contrib-aspects writes multi-line strings and strings with a
        /// `'` as `|` blocks): the two flags say so.
        case pyYAML(literalMultiline: Bool = false, literalWithQuote: Bool = false)

        public static let pyYAML = Style.pyYAML()

        /// Whether `s` is written as a `|` block.
        func literal(_ s: String) -> Bool {
            switch self {
            case .readable: return s.contains("\n")
            case .pyYAML(let multiline, let quote): return (multiline && s.contains("\n")) || (quote && s.contains("'"))
            }
        }
    }

    /// A value as a YAML document: block style, keys in map order, strings quoted where a plain scalar
    /// would read back as another type; `style` decides multi-line strings and folding.
    public static func encode(_ v: Value, style: Style = .readable, checkDepth: () throws -> Void = {}) throws -> String {
        let node = try self.node(v, style: style, checkDepth: checkDepth)
        var width = 80
        if case .readable = style { width = -1 }
        do {
            return try Yams.serialize(node: node, indent: 2, width: width, allowUnicode: true)
        } catch let e as YamlError {
            throw failure(e)
        }
    }

    // MARK: Reading

    private static func value(_ node: Node, budget: inout Int, maxValues: Int, checkDepth: () throws -> Void) throws -> Value {
        try checkDepth()
        budget -= 1
        if budget < 0 {
            var f = Failure(problem: "document has more than \(maxValues) values",
                            help: "aliases that refer to aliases multiply the size of a document")
            f.isSizeLimit = true
            throw f
        }
        switch node {
        case .scalar(let scalar):
            switch node.tag.rawValue {
            case Tag.Name.null.rawValue: return .null
            case Tag.Name.bool.rawValue: if let b = node.bool { return .bool(b) }
            case Tag.Name.int.rawValue:
                if let i = node.int { return .int(i) }
                if let d = node.float { return .float(d) }
            case Tag.Name.float.rawValue: if let d = node.float { return .float(d) }
            default: break
            }
            return .string(scalar.string)
        case .sequence(let seq):
            var list: [Value] = []
            list.reserveCapacity(seq.count)
            for item in seq { list.append(try value(item, budget: &budget, maxValues: maxValues, checkDepth: checkDepth)) }
            return .list(list)
        case .mapping(let mapping):
            var explicit = Set<String>()
            for (k, _) in mapping where k.tag.rawValue != Tag.Name.merge.rawValue { explicit.insert(try key(k)) }
            var dict: OrderedDictionary<String, Value> = [:]
            for (k, v) in mapping {
                if k.tag.rawValue == Tag.Name.merge.rawValue {
                    // `<<: *base` or `<<: [*a, *b]`: keys not written here come from the merged maps, earlier ones first.
                    let sources: [Node]
                    if case .sequence(let s) = v { sources = Array(s) } else { sources = [v] }
                    for src in sources {
                        let merged = try value(src, budget: &budget, maxValues: maxValues, checkDepth: checkDepth)
                        guard case .map(let m) = merged else {
                            throw Failure(problem: "`<<` merges maps, not \(merged.typeName)", line: src.mark?.line, column: src.mark?.column)
                        }
                        for (mk, mv) in m.dict where !explicit.contains(mk) && dict[mk] == nil { dict[mk] = mv }
                    }
                } else {
                    dict[try key(k)] = try value(v, budget: &budget, maxValues: maxValues, checkDepth: checkDepth)
                }
            }
            return .map(dict)
        case .alias:
            throw Failure(problem: "unresolved alias", line: node.mark?.line, column: node.mark?.column)
        }
    }

    /// Map keys are strings: a scalar key is taken as written (`on:` stays "on", `1:` is "1").
    private static func key(_ node: Node) throws -> String {
        if case .scalar(let s) = node { return s.string }
        throw Failure(problem: "map keys must be scalars, found a \(node.mapping != nil ? "map" : "list")",
                      line: node.mark?.line, column: node.mark?.column)
    }

    private static func failure(_ e: YamlError) -> Failure {
        switch e {
        case let .scanner(c, problem, mark, _), let .parser(c, problem, mark, _), let .composer(c, problem, mark, _):
            return Failure(problem: problem, line: mark.line, column: mark.column,
                           context: c.map { "\($0.text) at line \($0.mark.line) column \($0.mark.column)" })
        case let .reader(problem, offset, _, _): return Failure(problem: problem + (offset.map { " at offset \($0)" } ?? ""))
        case let .duplicatedKeysInMapping(duplicates, c):
            return Failure(problem: "duplicate key\(duplicates.count == 1 ? "" : "s") \(duplicates.joined(separator: ", "))",
                           line: c.mark.line, column: c.mark.column)
        case let .emitter(problem), let .writer(problem), let .representer(problem): return Failure(problem: problem)
        default: return Failure(problem: "\(e)")
        }
    }

    // MARK: Writing

    private static func node(_ v: Value, style: Style, checkDepth: () throws -> Void) throws -> Node {
        try checkDepth()
        switch v {
        case .null: return .scalar(.init("null", Tag(.null), .plain))
        case .bool(let b): return .scalar(.init(b ? "true" : "false", Tag(.bool), .plain))
        case .int(let i): return .scalar(.init(String(i), Tag(.int), .plain))
        case .float(let d):
            let text = d.isNaN ? ".nan" : d.isInfinite ? (d < 0 ? "-.inf" : ".inf") : formatFloat(d)
            return .scalar(.init(text, Tag(.float), .plain))
        case .string(let s): return .scalar(string(s, literal: style.literal(s)))
        case .list(let l):
            return .sequence(.init(try l.map { try node($0, style: style, checkDepth: checkDepth) }, Tag(.seq), .block))
        case .map(let m):
            var pairs: [(Node, Node)] = []
            pairs.reserveCapacity(m.dict.count)
            for (k, x) in m.dict {
                pairs.append((.scalar(string(k, literal: false)), try node(x, style: style, checkDepth: checkDepth)))
            }
            return .mapping(.init(pairs, Tag(.map), .block))
        case .error:
            throw Failure(problem: "YAML cannot represent \(v.described)")
        }
    }

    private static func string(_ s: String, literal: Bool) -> Node.Scalar {
        if literal { return .init(s, Tag(.str), .literal) }
        let plainType = Yams.Resolver.default.resolveTag(of: Node(s))
        return .init(s, Tag(.str), plainType == .str ? .any : .singleQuoted)
    }
}
