import Core

/// `json` and `yaml`: text to values and back, keeping map keys in document order.
extension CoreBuiltins {
    static func registerData(_ r: Registry) {
        r.describeGroup("json", "Parse JSON text into values and write values as JSON.")
        r.register(Signature("json parse", "The value a JSON text stands for; objects become maps with their keys in order.",
                             params: [Param("text", .string, help: "a JSON document")],
                             statement: .pure, examples: ["let pods = (json parse $output)",
                                        "json parse '{\"a\": [1, 2.5, null]}'   # {a: [1, 2.5, null]}"])) { args, rt in
            try JSONParser.parse(args.string("text"), maxCount: rt.limits.maxCollectionCount, at: args.span)
        }

        r.register(Signature("json dump", "VALUE as JSON text: compact by default, indented with --indent.",
                             params: [Param("value", .any, help: "null, bools, numbers, strings, lists and maps")],
                             flags: [FlagSpec("indent", value: .int, help: "pretty-print, indenting N spaces per level")],
                             statement: .pure, examples: ["json dump {a: [1, true]}   # {\"a\":[1,true]}", "json dump $config --indent 2"])) { args, rt in
            let indent = args.optionalInt("indent") ?? 0
            guard (0...16).contains(indent) else {
                throw Diagnostic(.invalidArgument, "`json dump --indent` must be between 0 and 16, got \(indent)", at: args.span)
            }
            var out = ""
            do {
                try JSONWriter.write(args.value("value"), indent: indent, into: &out) { out in
                    try rt.checkStack(args.span)
                    if out.utf8.count > rt.limits.maxStringBytes { _ = try rt.checkString(out, args.span) }
                }
            } catch let f as JSONWriter.Failure {
                throw Diagnostic(.invalidArgument, f.message, at: args.span)
            }
            return try rt.checkString(out, args.span)
        }

        r.describeGroup("yaml", "Parse YAML text into values and write values as YAML.")
        r.register(Signature("yaml parse", "The value a YAML document stands for; mappings become maps in document order.",
                             params: [Param("text", .string, help: "a YAML document")],
                             flags: [FlagSpec("all", help: "read every document of a multi-document stream into a list")],
                             statement: .pure, examples: ["let config = (yaml parse $text)",
                                        "yaml parse \"a: 1\\nb: [x, yes, ~]\"   # {a: 1, b: [\"x\", true, null]}",
                                        "yaml parse $manifests --all"])) { args, rt in
            do {
                return try YAMLCodec.decode(args.string("text"), all: args.has("all"), maxValues: rt.limits.maxCollectionCount,
                                            checkDepth: { try rt.checkStack(args.span) })
            } catch let f as YAMLCodec.Failure {
                if f.isSizeLimit { throw Diagnostic(.sizeLimit, "YAML \(f.problem)", at: args.span, help: f.help) }
                throw Diagnostic(.parseData, "cannot parse YAML: \(f.description)", at: args.span, help: f.help)
            }
        }

        r.register(Signature("yaml dump", "VALUE as a YAML document in block style, keys in map order, multi-line strings as `|` blocks.",
                             params: [Param("value", .any, help: "null, bools, numbers, strings, lists and maps")],
                             statement: .pure, examples: ["yaml dump {name: lms, ports: [80, 443]}", "print -n (yaml dump $config)"])) { args, rt in
            do {
                return try rt.checkString(try YAMLCodec.encode(args.value("value"), checkDepth: { try rt.checkStack(args.span) }), args.span)
            } catch let f as YAMLCodec.Failure {
                throw Diagnostic(.invalidArgument, "cannot write YAML: \(f.description)", at: args.span)
            }
        }
    }
}
