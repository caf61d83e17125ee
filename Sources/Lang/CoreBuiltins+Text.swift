import Core

/// Text builtins: `split`, `join`, `trim`, `replace`, case, prefixes, conversions.
///
/// Searching works on UTF-8 bytes, so `"\r\n"` splits on `"\n"` and matches
/// always fall on scalar boundaries; positions (`slice`, `len`) count characters.
extension CoreBuiltins {
    static func registerText(_ r: Registry) {
        r.register(Signature("split", "Split TEXT at every SEP, or at runs of whitespace when SEP is not given.",
                             params: [Param("text", .string, help: "the text to split"),
                                      Param("sep", .string, .optional, help: "the separator; \"\" splits into characters")],
                             flags: [FlagSpec("limit", value: .int, help: "split at most N times; the rest stays in the last element")],
                             statement: .pure, examples: ["split \"a,b,,c\" \",\"            # [\"a\", \"b\", \"\", \"c\"]",
                                        "split \"  lms   cms \"           # [\"lms\", \"cms\"]",
                                        "split \"k=v=w\" \"=\" --limit 1    # [\"k\", \"v=w\"]"])) { args, rt in
            let text = args.string("text")
            let limit = args.optionalInt("limit") ?? Int.max
            if limit < 0 { throw Diagnostic(.invalidArgument, "`split --limit` cannot be negative, got \(limit)", at: args.span) }
            let parts: [String]
            if let sep = args.optionalString("sep") {
                if sep.isEmpty {
                    var chars = text.map { String($0) }
                    if chars.count - 1 > limit {
                        let rest = chars[limit...].joined()
                        chars.removeSubrange(limit...)
                        chars.append(rest)
                    }
                    parts = chars
                } else {
                    parts = splitBytes(text, sep, limit: limit)
                }
            } else {
                parts = splitWhitespace(text, limit: limit)
            }
            try rt.checkCount(parts.count, args.span)
            return .list(parts.map { .string($0) })
        }

        r.register(Signature("join", "Join the elements of LIST into one string, with SEP between them.",
                             params: [Param("list", .list, help: "the elements; non-strings are written as literals"),
                                      Param("sep", .string, .optional, help: "the separator (default: none)")],
                             statement: .pure, examples: ["join [a, b, c] \",\"   # \"a,b,c\"", "join [1, 2] \" + \"   # \"1 + 2\""])) { args, rt in
            let list = args.list("list")
            let sep = args.optionalString("sep") ?? ""
            return try rt.checkString(list.map(\.displayString).joined(separator: sep), args.span)
        }

        r.register(Signature("trim", "Remove whitespace (or the characters of --chars) from both ends of TEXT.",
                             params: [Param("text", .string)],
                             flags: [FlagSpec("left", help: "trim only the start"),
                                     FlagSpec("right", help: "trim only the end"),
                                     FlagSpec("chars", value: .string, help: "the characters to remove instead of whitespace")],
                             statement: .pure, examples: ["trim \"  lms \\n\"            # \"lms\"", "trim \"/api/\" --chars \"/\" --right   # \"/api\""])) { args, _ in
            let text = args.string("text")
            let chars = args.optionalString("chars").map { Set($0.unicodeScalars) }
            let strip: (Unicode.Scalar) -> Bool = { chars?.contains($0) ?? Unicode.Scalar.isWhitespace($0) }
            let left = args.has("left"), right = args.has("right")
            return .string(text.trimming(left: left || !right, right: right || !left, where: strip))
        }

        r.register(Signature("contains", "Whether HAYSTACK holds NEEDLE: a substring, a list element or a map key (like `in`).",
                             params: [Param("haystack", .any, help: "a string, list or map"), Param("needle")],
                             statement: .pure, examples: ["contains \"learn.example.com\" \"example\"   # true", "contains [lms, cms] cms   # true",
                                        "contains {a: 1} a   # true"])) { args, _ in
            let needle = args.value("needle")
            switch args.value("haystack") {
            case .string(let s):
                let n = try args.string(converting: "needle")
                return .bool(n.isEmpty || findBytes(Array(s.utf8), Array(n.utf8), from: 0) != nil)
            case .list(let l):
                return .bool(l.contains { $0.equals(needle) })
            case .map(let m):
                switch needle {
                case .string, .int, .float, .bool: return .bool(m.dict[needle.displayString] != nil)
                default: return .bool(false)
                }
            case let v:
                throw Diagnostic(.invalidArgument, "`contains` wants a string, list or map for haystack, got \(v.described)",
                                 at: args.span)
            }
        }

        r.register(Signature("replace", "Replace every OLD in TEXT with NEW (or only the first N with --count).",
                             params: [Param("text", .string), Param("old", .string, help: "the text to look for; not empty"),
                                      Param("new", .string, help: "the replacement")],
                             flags: [FlagSpec("count", value: .int, help: "replace at most N occurrences, from the start")],
                             statement: .pure, examples: ["replace \"a-b-c\" \"-\" \".\"            # \"a.b.c\"",
                                        "replace \"a-b-c\" \"-\" \".\" --count 1  # \"a.b-c\""])) { args, rt in
            let text = args.string("text")
            let old = args.string("old")
            let new = args.string("new")
            let count = args.optionalInt("count") ?? Int.max
            if old.isEmpty { throw Diagnostic(.invalidArgument, "`replace` cannot replace an empty string", at: args.span) }
            if count < 0 { throw Diagnostic(.invalidArgument, "`replace --count` cannot be negative, got \(count)", at: args.span) }
            return try rt.checkString(text.replacingAll(old, with: new, limit: count, maxBytes: rt.limits.maxStringBytes), args.span)
        }

        r.register(Signature("upper", "TEXT in upper case.", params: [Param("text", .string)],
                             statement: .pure, examples: ["upper \"lms\"   # \"LMS\""])) { args, _ in
            .string(args.string("text").uppercased())
        }

        r.register(Signature("lower", "TEXT in lower case.", params: [Param("text", .string)],
                             statement: .pure, examples: ["lower \"LMS\"   # \"lms\""])) { args, _ in
            .string(args.string("text").lowercased())
        }

        r.register(Signature("starts-with", "Whether TEXT starts with PREFIX.",
                             params: [Param("text", .string), Param("prefix", .string)],
                             statement: .pure, examples: ["starts-with \"tutor-lms\" \"tutor-\"   # true"])) { args, _ in
            .bool(args.string("text").utf8.starts(with: args.string("prefix").utf8))
        }

        r.register(Signature("ends-with", "Whether TEXT ends with SUFFIX.",
                             params: [Param("text", .string), Param("suffix", .string)],
                             statement: .pure, examples: ["ends-with \"config.yml\" \".yml\"   # true"])) { args, _ in
            .bool(args.string("text").utf8.reversed().starts(with: args.string("suffix").utf8.reversed()))
        }

        r.register(Signature("str", "VALUE as a string: strings unchanged, everything else as its literal.",
                             params: [Param("value")],
                             statement: .pure, examples: ["str 42   # \"42\"", "str [1, 2]   # \"[1, 2]\""])) { args, rt in
            try rt.checkString(args.value("value").displayString, args.span)
        }

        r.register(Signature("int", "VALUE as an integer: parses strings, truncates floats, true is 1.",
                             params: [Param("value", .any, help: "an int, float, bool or string such as \"42\"")],
                             flags: [FlagSpec("base", value: .int, help: "the base of a string, 2 to 36 (default 10)")],
                             statement: .pure, examples: ["int \"42\"   # 42", "int 3.9   # 3", "int \"ff\" --base 16   # 255"])) { args, _ in
            let value = args.value("value")
            let base = args.optionalInt("base") ?? 10
            guard (2...36).contains(base) else {
                throw Diagnostic(.invalidArgument, "`int --base` must be between 2 and 36, got \(base)", at: args.span)
            }
            switch value {
            case .int(let i): return .int(i)
            case .bool(let b): return .int(b ? 1 : 0)
            case .float(let d):
                guard d.isFinite, d >= -9.223372036854775808e18, d < 9.223372036854775808e18 else {
                    throw Diagnostic(.invalidArgument, "`int` cannot convert \(formatFloat(d)) to an integer", at: args.span,
                                     help: "integers are 64-bit")
                }
                return .int(Int(d.rounded(.towardZero)))
            case .string(let s):
                let t = s.trimmingWhitespace()
                if let i = Int(t, radix: base) { return .int(i) }
                let digits = t.drop { $0 == "-" || $0 == "+" }
                let help: String?
                if base == 10, !digits.isEmpty, digits.allSatisfy({ ("0"..."9").contains($0) }) {
                    help = "integers are 64-bit, from -9223372036854775808 to 9223372036854775807"
                } else if base == 10, let d = Double(t), d.isFinite {
                    help = "it is a float; `int (float \(quoteString(s)))` truncates it"
                } else {
                    help = nil
                }
                throw Diagnostic(.invalidArgument, "`int` cannot parse \(quoteString(s)) as an integer" + (base == 10 ? "" : " in base \(base)"),
                                 at: args.span, help: help)
            case let v:
                throw Diagnostic(.invalidArgument, "`int` wants a number, bool or string, got \(v.described)", at: args.span)
            }
        }

        r.register(Signature("float", "VALUE as a float: parses strings, widens ints, true is 1.0.",
                             params: [Param("value", .any, help: "an int, float, bool or string such as \"1.5\"")],
                             statement: .pure, examples: ["float \"1.5\"   # 1.5", "float 2   # 2.0"])) { args, _ in
            switch args.value("value") {
            case .int(let i): return .float(Double(i))
            case .float(let d): return .float(d)
            case .bool(let b): return .float(b ? 1 : 0)
            case .string(let s):
                let t = s.trimmingWhitespace()
                // Swift also reads hex floats ("0x1p3"); tk8s keeps to decimal, inf and nan.
                if !t.lowercased().contains("x"), let d = Double(t) { return .float(d) }
                throw Diagnostic(.invalidArgument, "`float` cannot parse \(quoteString(s)) as a number", at: args.span)
            case let v:
                throw Diagnostic(.invalidArgument, "`float` wants a number, bool or string, got \(v.described)", at: args.span)
            }
        }
    }
}

// MARK: - Helpers

private func splitBytes(_ text: String, _ sep: String, limit: Int) -> [String] {
    let h = Array(text.utf8), s = Array(sep.utf8)
    var parts: [String] = []
    var pos = 0
    while parts.count < limit, let at = findBytes(h, s, from: pos) {
        parts.append(String(decoding: h[pos..<at], as: UTF8.self))
        pos = at + s.count
    }
    parts.append(String(decoding: h[pos...], as: UTF8.self))
    return parts
}

/// Python's `str.split()`: runs of whitespace separate, ends never give empty strings.
private func splitWhitespace(_ text: String, limit: Int) -> [String] {
    let view = text.unicodeScalars
    var parts: [String] = []
    var i = view.startIndex
    while true {
        while i < view.endIndex, Unicode.Scalar.isWhitespace(view[i]) { view.formIndex(after: &i) }
        if i == view.endIndex { break }
        if parts.count == limit {
            parts.append(String(view[i...]))
            break
        }
        let start = i
        while i < view.endIndex, !Unicode.Scalar.isWhitespace(view[i]) { view.formIndex(after: &i) }
        parts.append(String(view[start..<i]))
    }
    return parts
}
