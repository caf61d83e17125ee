import Core

/// RFC 6902 JSON patch (`application/json-patch+json`): a list of `add`, `remove`, `replace`, `move`, `copy` and
/// `test` operations on RFC 6901 pointers (`/spec/template`, `~1` for `/` and `~0` for `~` in a key, `-` for the end
/// of a list). kubectl sends one for `rollout undo` (replace `/spec/template` and `/metadata/annotations`) and for
/// `patch --type=json`.
///
/// A real API server applies it with evanphx/json-patch v4, and this follows that library where it differs from the
/// RFC, since clients were written against it: `replace` of a missing member of an existing object adds it (kubectl's
/// undo replaces `/metadata/annotations` on a Deployment that may have none), and `test` of a missing member passes
/// when the value is `null`. Operations on the whole document (pointer "") are refused, as there.
///
/// Errors are the server's: a body that is no list of operations is 400 (`JSONPatch.init`), and any operation that
/// does not apply is the same 422 for every cause (`JSONPatch.notApplicable`) — the server drops the library's reason.
struct JSONPatch {
    struct Operation {
        var op: String
        var path: String
        var from: String?
        /// nil when the operation has no `value` member (a `null` member is `.null`).
        var value: Value?
    }

    /// Why an operation did not apply (for tests and logs; the client only ever sees `notApplicable`).
    struct Failure: Error, Equatable {
        var reason: String
    }

    let operations: [Operation]

    /// Every failed operation, as `NewGenericServerResponse(422, …)` in apiserver's patch handler answers it.
    static let notApplicable = APIError(code: 422, reason: "Invalid",
                                        message: "the server rejected our request due to an error in our request")

    /// Decodes a body as the server does. With `fieldValidation=Strict` (kubectl's default) it is decoded into
    /// `[]handlers.jsonPatchOp` first, so the message names that type; otherwise into `jsonpatch.Patch`. A `null`
    /// body is an empty patch (Go decodes it into a nil slice).
    init(decoding body: String, strict: Bool) throws {
        let prefix = strict ? "error decoding patch: " : ""
        let listType = strict ? "[]handlers.jsonPatchOp" : "jsonpatch.Patch"
        let opType = strict ? "handlers.jsonPatchOp" : "jsonpatch.Operation"
        let document: Value
        do {
            document = try JSONParser.parse(body)
        } catch {
            throw APIError.badRequest(prefix + error.message)
        }
        func cannotUnmarshal(_ v: Value, into type: String) -> APIError {
            APIError.badRequest("\(prefix)json: cannot unmarshal \(Self.goKind(v)) into Go value of type \(type)")
        }
        switch document {
        case .null:
            operations = []
        case .list(let items):
            operations = try items.map { item in
                guard let members = item.entries else {
                    if case .null = item { return Operation(op: "", path: "") }
                    throw cannotUnmarshal(item, into: opType)
                }
                if strict {
                    for field in ["op", "path", "from"] {
                        if let v = members[field], v.stringValue == nil, !v.isNull {
                            throw APIError.badRequest("\(prefix)json: cannot unmarshal \(Self.goKind(v)) into Go struct field jsonPatchOp.\(field) of type string")
                        }
                    }
                }
                return Operation(op: members["op"]?.stringValue ?? "", path: members["path"]?.stringValue ?? "",
                                 from: members["from"]?.stringValue, value: members["value"])
            }
        default:
            throw cannotUnmarshal(document, into: listType)
        }
    }

    /// How Go's encoding/json names a JSON value in an `UnmarshalTypeError`.
    private static func goKind(_ v: Value) -> String {
        switch v {
        case .map: return "object"
        case .list: return "array"
        case .string: return "string"
        case .bool: return "bool"
        default: return "number"
        }
    }

    /// The document with every operation applied in order, or the first failure. Members set to `null` are left out
    /// of the result, as the server's decoding into Go types leaves them out (kubectl's undo sends its template with
    /// `metadata.creationTimestamp: null`).
    func apply(to document: Value) throws -> Value {
        var doc = document
        for o in operations {
            switch o.op {
            case "add":
                doc = try Self.add(doc, o.path, try Self.required(o.value, o))
            case "remove":
                doc = try Self.remove(doc, o.path).document
            case "replace":
                let value = try Self.required(o.value, o)
                doc = try Self.edit(doc, o.path) { parent, key in
                    if case .list(var l) = parent {
                        guard let i = Self.index(key, count: l.count) else { throw Failure(reason: "replace operation does not apply: doc is missing key: \(o.path)") }
                        l[i] = value
                        return .list(l)
                    }
                    return try Self.setMember(parent, key, value)
                }
            case "move":
                let from = try Self.required(o.from, o)
                if from == o.path { continue }
                let (rest, moved) = try Self.remove(doc, from)
                doc = try Self.add(rest, o.path, moved)
            case "copy":
                doc = try Self.add(doc, o.path, try Self.get(doc, try Self.required(o.from, o)) ?? .null)
            case "test":
                let expected = try Self.required(o.value, o)
                let actual = try Self.get(doc, o.path) ?? .null
                guard actual.equals(expected) else { throw Failure(reason: "testing value \(o.path) failed") }
            default:
                throw Failure(reason: "Unexpected kind: \(o.op.isEmpty ? "unknown" : o.op)")
            }
        }
        return Self.droppingNullMembers(doc)
    }

    private static func required<T>(_ v: T?, _ o: Operation) throws -> T {
        guard let v else { throw Failure(reason: "\(o.op) operation is missing a member it needs") }
        return v
    }

    // MARK: - Operations on a parent container and the last key of a pointer

    private static func add(_ doc: Value, _ path: String, _ value: Value) throws -> Value {
        try edit(doc, path) { parent, key in
            if case .list(var l) = parent {
                guard let i = key == "-" ? l.count : index(key, count: l.count + 1) else {
                    throw Failure(reason: "add operation does not apply: invalid index \(key) in \(path)")
                }
                l.insert(value, at: i)
                return .list(l)
            }
            return try setMember(parent, key, value)
        }
    }

    private static func remove(_ doc: Value, _ path: String) throws -> (document: Value, removed: Value) {
        var removed = Value.null
        let out = try edit(doc, path) { parent, key in
            switch parent {
            case .list(var l):
                guard let i = index(key, count: l.count) else { throw Failure(reason: "remove operation does not apply: invalid index \(key) in \(path)") }
                removed = l.remove(at: i)
                return .list(l)
            case .map(let m):
                var d = m.dict
                guard let v = d.removeValue(forKey: key) else { throw Failure(reason: "Unable to remove nonexistent key: \(key)") }
                removed = v
                return .map(d)
            default:
                throw Failure(reason: "remove operation does not apply: doc is missing path: \(path)")
            }
        }
        return (out, removed)
    }

    /// The value a pointer names; nil for a missing member of an existing object (what `test` with `null` accepts).
    private static func get(_ doc: Value, _ path: String) throws -> Value? {
        var found: Value?
        _ = try edit(doc, path) { parent, key in
            switch parent {
            case .list(let l):
                guard let i = index(key, count: l.count) else { throw Failure(reason: "invalid index \(key) in \(path)") }
                found = l[i]
            case .map(let m):
                found = m.dict[key]
            default:
                throw Failure(reason: "doc is missing path: \(path)")
            }
            return parent
        }
        return found
    }

    private static func setMember(_ parent: Value, _ key: String, _ value: Value) throws -> Value {
        guard case .map(let m) = parent else { throw Failure(reason: "doc is missing path: \(key)") }
        var d = m.dict
        d[key] = value
        return .map(d)
    }

    /// Rebuilds `doc` with `leaf` applied to the container that holds the pointer's last key; every step before must
    /// exist (a missing parent is "doc is missing path", as there).
    private static func edit(_ doc: Value, _ path: String, _ leaf: (Value, String) throws -> Value) throws -> Value {
        let tokens = try pointer(path)
        func descend(_ v: Value, _ rest: ArraySlice<String>) throws -> Value {
            let key = rest[rest.startIndex]
            if rest.count == 1 { return try leaf(v, key) }
            switch v {
            case .map(let m):
                guard let child = m.dict[key], !child.isNull else { break }
                var d = m.dict
                d[key] = try descend(child, rest.dropFirst())
                return .map(d)
            case .list(var l):
                guard let i = index(key, count: l.count) else { break }
                l[i] = try descend(l[i], rest.dropFirst())
                return .list(l)
            default:
                break
            }
            throw Failure(reason: "doc is missing path: \(path)")
        }
        return try descend(doc, tokens[...])
    }

    /// The reference tokens of an RFC 6901 pointer; the whole document ("") and pointers without a leading `/` are
    /// refused.
    static func pointer(_ path: String) throws -> [String] {
        guard path.hasPrefix("/") else { throw Failure(reason: "doc is missing path: \"\(path)\"") }
        var tokens: [String] = []
        for raw in path.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var chars = raw[...]
            while let c = chars.popFirst() {
                guard c == "~" else { token.append(c); continue }
                switch chars.popFirst() {
                case "0": token.append("~")
                case "1": token.append("/")
                default: throw Failure(reason: "invalid escape in JSON pointer: \(path)")
                }
            }
            tokens.append(token)
        }
        return tokens
    }

    /// A list index as RFC 6901 writes it: digits without a leading zero, below `count`.
    private static func index(_ token: String, count: Int) -> Int? {
        guard !token.isEmpty, token.allSatisfy(\.isASCII), token.allSatisfy(\.isNumber), token == "0" || !token.hasPrefix("0"),
              let i = Int(token), i < count else { return nil }
        return i
    }

    private static func droppingNullMembers(_ v: Value) -> Value {
        switch v {
        case .map(let m):
            var d = m.dict
            d.removeAll { $0.value.isNull }
            for (k, child) in d { d[k] = droppingNullMembers(child) }
            return .map(d)
        case .list(let l): return .list(l.map(droppingNullMembers))
        default: return v
        }
    }
}
