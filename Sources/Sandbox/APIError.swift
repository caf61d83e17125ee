import Core

/// A failed request, answered as a `Status` object with the reason and message wording of a real API server
/// (kubectl prints the message and maps 404 to "not found" handling, e.g. `delete --wait` treats it as gone).
struct APIError: Error {
    var code: Int
    var reason: String
    var message: String
    var details: Value = .map([:])

    static func notFound(_ r: ResourceType, _ name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "\(r.qualifiedName) \"\(name)\" not found", details: details(r, name))
    }

    static func alreadyExists(_ r: ResourceType, _ name: String) -> APIError {
        APIError(code: 409, reason: "AlreadyExists", message: "\(r.qualifiedName) \"\(name)\" already exists", details: details(r, name))
    }

    static func badRequest(_ message: String) -> APIError { APIError(code: 400, reason: "BadRequest", message: message) }

    /// `errors.NewUnauthorized("")` as the authentication filter answers it: the same body on every route.
    static let unauthorized = APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    static func forbidden(_ r: ResourceType, _ name: String, _ why: String) -> APIError {
        APIError(code: 403, reason: "Forbidden", message: "\(r.qualifiedName) \"\(name)\" is forbidden: \(why)", details: details(r, name))
    }

    /// `errors.NewInternalError`: what escaped the request's handling, in the message and as the one cause.
    static func internalError(_ error: Error) -> APIError {
        APIError(code: 500, reason: "InternalError", message: "Internal error occurred: \(error)",
                 details: ["causes": [["message": .string("\(error)")]]])
    }

    static func pathNotFound(_ path: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "the server could not find the requested resource (\(path))")
    }

    static func methodNotAllowed(_ method: String) -> APIError {
        APIError(code: 405, reason: "MethodNotAllowed", message: "the server does not allow this method (\(method)) on the requested resource")
    }

    private static func details(_ r: ResourceType, _ name: String) -> Value {
        var d: OrderedMap = ["name": .string(name)]
        if !r.group.isEmpty { d["group"] = .string(r.group) }
        d["kind"] = .string(r.plural)
        return .map(d)
    }

    /// The `Status` body; `details` is left out when empty, as Go's `omitempty` leaves out a nil pointer.
    var status: Value {
        var s: OrderedMap = ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure", "message": .string(message),
                             "reason": .string(reason)]
        if !(details.entries?.isEmpty ?? true) { s["details"] = details }
        s["code"] = .int(code)
        return .map(s)
    }
}
