import Core
import Lang
import OrderedCollections
import Template

/// `config …`: read and change config.yml the way `tutor config` does.
enum ConfigBuiltins {
    static func register(into r: Registry, _ ctx: RuntimeContext) {
        r.describeGroup("config", "Read and change the project's config.yml, layered as Tutor layers it.")

        r.register(Signature("config printroot", "Print the project root: --root, else $TUTOR_ROOT, else ~/.local/share/tutor.",
                             statement: .printed, examples: ["config printroot"])) { _, _ in
            .string(ctx.root.path)
        }

        let key = Param("key", .string, help: "a config key, e.g. LMS_HOST", completion: .provider("config-key"))
        r.register(Signature("config get", "The rendered value of KEY, typed (a bool, a number, a list…).",
                             params: [key], statement: .printedAs { tutorText($0) },
                             examples: ["config get LMS_HOST", "let ns = (config get K8S_NAMESPACE)", "if (config get ENABLE_HTTPS) { print https }"])) { args, _ in
            try Project.existing(ctx, at: args.span).config.value(args.string("key"), at: args.span)
        }

        r.register(Signature("config printvalue", "Print the rendered value of KEY as `tutor config printvalue` does.",
                             params: [key], statement: .printed, examples: ["config printvalue LMS_HOST"])) { args, _ in
            .string(tutorText(try Project.existing(ctx, at: args.span).config.value(args.string("key"), at: args.span)))
        }

        r.register(Signature("config list", "Every config key with its rendered value, sorted by key.",
                             flags: [FlagSpec("raw", help: "values as written, before `{{ … }}` is rendered")],
                             statement: .printedAs { table(of: $0) }, examples: ["for k, v in (config list) { print \"$k=$v\" }"])) { args, _ in
            let config = try Project.existing(ctx, at: args.span).config
            var out = OrderedDictionary<String, Value>()
            for k in config.keys { out[k] = args.has("raw") ? config.raw(k)! : try config.value(k, at: args.span) }
            return .map(out)
        }

        r.register(Signature("config set", "Save values to config.yml: `config set KEY VALUE…` or `config set KEY=VALUE…`. Text values are typed as YAML (`true`, `3`, `[a, b]`).",
                             params: [Param("assignments", .any, .variadic, help: "KEY VALUE…, or KEY=VALUE pairs", completion: .provider("config-key"))],
                             flags: [FlagSpec("force", help: "allow a key tk8s does not know yet")],
                             examples: ["config set LMS_HOST learn.example.com", "config set ENABLE_HTTPS=true RUN_SMTP=false",
                                        "config set DOCKER_IMAGE_OPENEDX \"docker.io/me/openedx:{{ TUTOR_VERSION }}\""])) { args, _ in
            let pairs = try assignments(args.optionalList("assignments") ?? [], at: args.span)
            try Project.update(ctx, at: args.span) { user, project in
                for (k, v) in pairs {
                    if !args.has("force"), !project.config.isKnown(k) { throw project.config.unknownKey(k, at: args.span) }
                    user[k] = v
                }
            }
            ctx.status("Configuration saved to \(ctx.root.configFile)")
            return .null
        }

        r.register(Signature("config unset", "Remove KEYs from config.yml; they fall back to their defaults (generated ones are made anew).",
                             params: [Param("keys", .string, .variadic, help: "config keys", completion: .provider("config-key"))],
                             examples: ["config unset LMS_HOST"])) { args, _ in
            let keys = args.strings("keys")
            try Project.update(ctx, at: args.span) { user, project in
                for k in keys {
                    guard project.config.isKnown(k) else { throw project.config.unknownKey(k, at: args.span) }
                    user[k] = nil
                }
            }
            ctx.status("Configuration saved to \(ctx.root.configFile)")
            return .null
        }

        r.register(Signature("config save", "Write config.yml (generating IDs, passwords and keys once) and render env, like `tutor config save`.",
                             flags: [FlagSpec("set", value: .string, help: "KEY=VALUE to save first", repeatable: true, completion: .provider("config-key")),
                                     FlagSpec("unset", value: .string, help: "KEY to remove first", repeatable: true, completion: .provider("config-key"))],
                             examples: ["config save", "config save --set ENABLE_HTTPS=true --unset LMS_HOST",
                                        "config save --set \"DOCKER_IMAGE_OPENEDX=docker.io/me/openedx:{{ TUTOR_VERSION }}\""])) { args, _ in
            let setWords = args.optionalList("set") ?? []
            let sets = setWords.isEmpty ? [] : try assignments(setWords, at: args.span, pairsOnly: true)
            let unsets = (args.optionalList("unset") ?? []).map(\.displayString)
            let project = try Project.update(ctx, at: args.span) { user, project in
                for (k, v) in sets {
                    guard project.config.isKnown(k) else { throw project.config.unknownKey(k, at: args.span) }
                    user[k] = v
                }
                for k in unsets {
                    guard project.config.isKnown(k) else { throw project.config.unknownKey(k, at: args.span) }
                    user[k] = nil
                }
            }
            ctx.status("Configuration saved to \(ctx.root.configFile)")
            try RenderBuiltins.render(project, ctx, at: args.span)
            return .null
        }
    }

    /// `KEY=VALUE…` pairs, or `KEY VALUE…` (the values joined by spaces), each text value typed as YAML.
    /// A value with broken template syntax is refused here rather than saved to fail at every later read.
    static func assignments(_ words: [Value], at span: Span, pairsOnly: Bool = false) throws -> [(String, Value)] {
        let pairs = try parseAssignments(words, at: span, pairsOnly: pairsOnly)
        for (key, value) in pairs { try checkTemplates(in: value, key: key) }
        return pairs
    }

    private static func checkTemplates(in value: Value, key: String) throws {
        switch value {
        case .string(let s) where !Template.isPlain(s): _ = try templating { try Template(SourceFile(name: "\(key) (value being set)", text: s)) }
        case .list(let l): for v in l { try checkTemplates(in: v, key: key) }
        case .map(let m): for v in m.dict.values { try checkTemplates(in: v, key: key) }
        default: break
        }
    }

    private static func parseAssignments(_ words: [Value], at span: Span, pairsOnly: Bool) throws -> [(String, Value)] {
        guard let first = words.first else {
            throw Diagnostic(.argumentCount, "nothing to set", at: span, help: "write `config set KEY VALUE` or `config set KEY=VALUE`")
        }
        if pairsOnly || (first.stringValue.flatMap(splitAssignment) != nil) {
            return try words.map { w in
                guard let s = w.stringValue, let (k, v) = splitAssignment(s) else {
                    throw Diagnostic(.invalidArgument, "expected KEY=VALUE, got \(w.literal)", at: span)
                }
                return (k, typed(v))
            }
        }
        guard let key = first.stringValue, isKeyName(key) else {
            throw Diagnostic(.invalidArgument, "expected a config KEY, got \(first.literal)", at: span)
        }
        let rest = Array(words.dropFirst())
        guard !rest.isEmpty else {
            throw Diagnostic(.argumentCount, "`config set \(key)` needs a value", at: span,
                             help: "write `config set \(key) VALUE`; `config unset \(key)` removes it")
        }
        if rest.count == 1, rest[0].stringValue == nil { return [(key, rest[0])] }
        return [(key, typed(rest.map(\.displayString).joined(separator: " ")))]
    }

    private static func isKeyName(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { ($0.properties.isAlphabetic && $0.isASCII) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }

    private static func splitAssignment(_ s: String) -> (String, String)? {
        guard let eq = s.firstIndex(of: "="), isKeyName(String(s[..<eq])) else { return nil }
        return (String(s[..<eq]), String(s[s.index(after: eq)...]))
    }

    /// Text typed as Tutor's `--set` types it: YAML when it parses, the text itself otherwise;
    /// an empty value is the empty string and a leading `#` is not a comment.
    static func typed(_ text: String) -> Value {
        if text.isEmpty || (text.hasPrefix("#") && !text.contains("\n")) { return .string(text) }
        return (try? YAMLCodec.decode(text)) ?? .string(text)
    }

    /// `config list` as a statement: one row a key, each value as `config get` prints it.
    static func table(of config: Value) -> String {
        guard case .map(let m) = config else { return tutorText(config) }
        let rows: [Value] = m.dict.map { k, v in .map(["key": .string(k), "value": .string(tutorText(v))]) }
        return String((TableText.render(rows) ?? "").dropLast())
    }

    /// A value as `tutor config printvalue` prints it: true/false/null, else Python's str().
    static func tutorText(_ v: Value) -> String {
        switch v {
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        default: return Template.pythonString(v)
        }
    }
}

extension Value {
    /// The text of a string value; nil for every other kind.
    var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
}
