import Core
import Lang
import OrderedCollections
import Template

/// The results of the Python callables a render uses (`get_mfe("authn")`,
/// `iter_mounts(MOUNTS, "lms")`), recorded by the bridge while Tutor rendered
/// the same env: (kind, name, arguments) → result. A call that is not in the
/// memo is a miss (a diagnostic marked `isMiss`): the bridge must run again
/// and record it, so the env is never rendered with a guessed value.
struct TemplateMemo {
    static let missField = "tutor_memo_miss"

    /// True for the error a call missing from the memo throws (`render` then asks Tutor again, once).
    static func isMiss(_ error: Error) -> Bool {
        (error as? Diagnostic)?.fields.contains { $0.0 == missField } ?? false
    }

    private var results: [String: Value] = [:]
    /// Calls that gave different results when Tutor made them twice (random values): usable only from a fresh snapshot.
    private var volatile: Set<String> = []

    init(entries: [Value]) throws {
        for e in entries {
            guard case .map(let m) = e, case .string(let kind)? = m.dict["kind"], case .string(let name)? = m.dict["name"],
                  case .list(let args)? = m.dict["args"] else {
                throw TutorSnapshot.Malformed(description: "the Tutor bridge's snapshot has a malformed memo entry")
            }
            let kwargs: OrderedDictionary<String, Value>
            if case .map(let k)? = m.dict["kwargs"] { kwargs = k.dict } else { kwargs = [:] }
            let key = Self.key(kind: kind, name: name, args: args, kwargs: kwargs)
            results[key] = m.dict["result"] ?? .null
            if m.dict["volatile"]?.isTruthy == true { volatile.insert(key) }
        }
    }

    var count: Int { results.count }

    /// The recorded result of calling `name` (a `filter` or a `global`) with these arguments.
    func result(kind: String, name: String, args: [Value], kwargs: [(String, Value)], allowVolatile: Bool) throws -> Value {
        var named = OrderedDictionary<String, Value>()
        for (k, v) in kwargs { named[k] = v }
        let key = Self.key(kind: kind, name: name, args: args, kwargs: named)
        guard let r = results[key], allowVolatile || !volatile.contains(key) else {
            let shown = args.map { Template.pythonRepr($0) } + kwargs.map { "\($0.0)=\(Template.pythonRepr($0.1))" }
            var d = Diagnostic(.pluginError, "the Tutor bridge recorded no result for \(name)(\(shown.joined(separator: ", ")))",
                               at: nil, help: "`render --refresh` asks Tutor again")
            d.fields = [(Self.missField, .bool(true))]
            throw d
        }
        return r
    }

    /// One canonical text per call: map keys sorted at every level, so the same
    /// arguments always give the same key whatever order they were written in.
    private static func key(kind: String, name: String, args: [Value], kwargs: OrderedDictionary<String, Value>) -> String {
        canonicalJSON(.list([.string(kind), .string(name), .list(args), .map(kwargs)]))
    }

    /// JSON text of `v` with map keys sorted at every level: equal values, equal text.
    static func canonicalJSON(_ v: Value) -> String {
        (try? JSONWriter.encode(canonical(v))) ?? v.literal
    }

    private static func canonical(_ v: Value) -> Value {
        switch v {
        case .list(let l): return .list(l.map(canonical))
        case .map(let m):
            var out = OrderedDictionary<String, Value>()
            for k in m.dict.keys.sorted() { out[k] = canonical(m.dict[k]!) }
            return .map(out)
        default: return v
        }
    }
}
