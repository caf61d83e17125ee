import Core
import Foundation

/// One HTTP request as the router sees it, independent of NIO.
struct APIRequest {
    var method: String
    var path: String
    var query: [String: [String]]
    var contentType: String
    /// The Accept header: `kubectl get` asks for a `Table` there (Tables.swift).
    var accept: String
    var rawBody: [UInt8]
    var body: String { String(decoding: rawBody, as: UTF8.self) }

    init(method: String, uri: String, contentType: String = "", accept: String = "", body: [UInt8] = []) {
        self.method = method
        self.contentType = contentType
        self.accept = accept
        self.rawBody = body
        let parts = URLComponents(string: uri)
        path = parts?.percentEncodedPath ?? uri
        var q: [String: [String]] = [:]
        // Go's clients encode a space as `+` (form encoding), which URLComponents leaves alone.
        func decode(_ s: String) -> String { s.replacingAll("+", with: " ").removingPercentEncoding ?? s }
        for item in parts?.percentEncodedQueryItems ?? [] { q[decode(item.name), default: []].append(decode(item.value ?? "")) }
        query = q
    }

    func param(_ name: String) -> String? { query[name]?.last }
}

/// What to send back: a whole JSON document, or a watch stream the connection handler keeps open.
enum APIResponse {
    case json(status: Int, Value)
    /// With `table`, each event's object is a one-row `Table` (`kubectl get -w` asked for tables).
    case watch(WatchFilter, from: Int?, timeoutSeconds: Int?, table: TableRequest? = nil)
    /// A pod's log: plain text, chunked, open while following (Logs.swift).
    case logs(LogRequest)
}

/// Maps API paths to discovery, OpenAPI and the object store, following the REST layout of a real API server.
struct Router: Sendable {
    let store: ObjectStore
    /// What a client must send as `Authorization: Bearer …` (checked by the connection handler and the exec upgrader,
    /// before anything is read or routed).
    let token: BearerToken
    /// The simulated dumps' size and failure (exec's `mysqldump`, `mongodump`).
    let dumps: SandboxDumpSettings

    init(store: ObjectStore, token: String, dumps: SandboxDumpSettings = SandboxDumpSettings()) {
        self.store = store
        self.token = BearerToken(token)
        self.dumps = dumps
    }

    /// Whether a request's `Authorization` header lets it in.
    func authorizes(_ header: String?) -> Bool { token.authorizes(header) }

    /// The answer to one request. Whatever goes wrong inside is a `Status`: an `APIError` as it is, any other error
    /// a 500 `InternalError`, and the server goes on.
    func respond(_ req: APIRequest) -> APIResponse {
        do {
            return try route(req)
        } catch let e as APIError {
            return .json(status: e.code, e.status)
        } catch {
            return .json(status: 500, APIError.internalError(error).status)
        }
    }

    private func route(_ req: APIRequest) throws -> APIResponse {
        let segments = req.path.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        let get = req.method == "GET"
        switch segments.first {
        case "version" where segments.count == 1 && get: return .json(status: 200, Discovery.version)
        case "openapi" where segments.count >= 2 && segments[1] == "v3" && get: return try openAPI(Array(segments.dropFirst(2)))
        case "api" where segments.count == 1 && get: return .json(status: 200, Discovery.coreVersions)
        case "api" where segments.count >= 2: return try resource(req, group: "", version: segments[1], Array(segments.dropFirst(2)))
        case "apis" where segments.count == 1 && get: return .json(status: 200, Discovery.groupList)
        case "apis" where segments.count >= 3: return try resource(req, group: segments[1], version: segments[2], Array(segments.dropFirst(3)))
        default: throw APIError.pathNotFound(req.path)
        }
    }

    private func openAPI(_ rest: [String]) throws -> APIResponse {
        if rest.isEmpty { return .json(status: 200, OpenAPI.root) }
        let (group, version) = rest.first == "api" && rest.count == 2 ? ("", rest[1])
            : rest.first == "apis" && rest.count == 3 ? (rest[1], rest[2]) : ("?", "?")
        guard let doc = OpenAPI.document(group: group, version: version) else { throw APIError.pathNotFound("/openapi/v3/" + rest.joined(separator: "/")) }
        return .json(status: 200, doc)
    }

    /// `[namespaces/NS/]PLURAL[/NAME[/SUBRESOURCE]]` under a group/version.
    private func resource(_ req: APIRequest, group: String, version: String, _ rest: [String]) throws -> APIResponse {
        if rest.isEmpty {
            guard req.method == "GET", let list = Discovery.resourceList(group: group, version: version) else { throw APIError.pathNotFound(req.path) }
            return .json(status: 200, list)
        }
        var namespace: String?
        var tail = rest
        if rest.count >= 3, rest[0] == "namespaces", ResourceCatalog.find(group: group, version: version, plural: rest[2]) != nil {
            namespace = rest[1]
            tail = Array(rest.dropFirst(2))
        }
        guard let type = ResourceCatalog.find(group: group, version: version, plural: tail[0]), tail.count <= 3,
              type.namespaced == (namespace != nil) || (type.namespaced && tail.count == 1) else {
            throw APIError.pathNotFound(req.path)
        }
        let name = tail.count > 1 ? tail[1] : nil
        let sub = tail.count > 2 ? tail[2] : nil
        let ns = namespace ?? ""
        switch (req.method, name, sub) {
        case ("GET", nil, _): return Tables.answer(try collection(req, type, namespace: namespace), req, type)
        case ("POST", nil, _):
            guard type.stored else { throw APIError.methodNotAllowed(req.method) }
            let object = try body(req)
            try Self.checkNamespace(object, ns)
            return .json(status: 201, try store.create(type, namespace: ns, object: object))
        case ("GET", let name?, nil): return Tables.answer(.json(status: 200, try found(type, ns, name)), req, type)
        case ("PUT", let name?, nil):
            let replacement = try body(req)
            try Self.checkNamespace(replacement, ns)
            if !replacement.name.isEmpty, replacement.name != name {
                throw APIError.badRequest("the name of the object (\(replacement.name)) does not match the name on the URL (\(name))")
            }
            return .json(status: 200, try store.update(type, namespace: ns, name: name) { _ in replacement })
        case ("PATCH", let name?, nil):
            let apply = try patch(req)
            return .json(status: 200, try store.update(type, namespace: ns, name: name) { try apply($0) })
        case ("DELETE", let name?, nil):
            if type == ResourceCatalog.namespaces, Self.immortalNamespaces.contains(name) {
                throw APIError.forbidden(type, name, "this namespace may not be deleted")
            }
            return .json(status: 200, try store.delete(type, namespace: ns, name: name))
        case (_, let name?, "scale") where ResourceCatalog.hasScale(type): return try scale(req, type, ns, name)
        case (_, let name?, "status") where ResourceCatalog.hasStatus(type): return try status(req, type, ns, name)
        case ("GET", let name?, "log") where type.plural == "pods":
            return .logs(try PodLogs.request(req, store: store, namespace: ns, pod: name))
        case (_, let name?, "exec") where type.plural == "pods" && (req.method == "GET" || req.method == "POST"):
            // A WebSocket upgrade never gets here (ExecWebSocket.swift); this answers the same errors, or asks for one.
            _ = try ExecRequest(req, store: store, namespace: ns, pod: name, dumps: dumps)
            throw APIError.badRequest("Upgrade request required")
        default: throw APIError.methodNotAllowed(req.method)
        }
    }

    /// LIST (a `…List` carrying `metadata.resourceVersion`) or, with `watch=true|1`, a watch stream.
    private func collection(_ req: APIRequest, _ type: ResourceType, namespace: String?) throws -> APIResponse {
        let filter = WatchFilter(resource: type, namespace: namespace, labels: try selector(req, "labelSelector"),
                                 fields: try selector(req, "fieldSelector"))
        if let w = req.param("watch"), w == "true" || w == "1" {
            return .watch(filter, from: req.param("resourceVersion").flatMap { Int($0) }, timeoutSeconds: req.param("timeoutSeconds").flatMap { Int($0) })
        }
        let (items, version) = type.stored ? store.list(filter) : ([], store.resourceVersion)
        return .json(status: 200, [
            "kind": .string(type.kind + "List"), "apiVersion": .string(type.groupVersion),
            "metadata": ["resourceVersion": .string(String(version))], "items": .list(items),
        ])
    }

    /// The namespaces a real server's NamespaceLifecycle admission never lets go (the sandbox makes `default`).
    static let immortalNamespaces = ["default", "kube-system", "kube-public"]

    /// A body that names a namespace must name the URL's (kubectl fills it in from the manifest or `-n`).
    private static func checkNamespace(_ object: Value, _ namespace: String) throws {
        guard !namespace.isEmpty, let named = object[path: "metadata", "namespace"]?.stringValue, !named.isEmpty, named != namespace else { return }
        throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
    }

    private func selector(_ req: APIRequest, _ name: String) throws -> LabelSelector {
        do {
            return try LabelSelector(parsing: req.param(name) ?? "")
        } catch let e as LabelSelector.ParseError {
            throw APIError.badRequest("unable to parse requirement: \(e.description)")
        }
    }

    private func found(_ type: ResourceType, _ ns: String, _ name: String) throws -> Value {
        guard let o = store.get(type, namespace: ns, name: name) else { throw APIError.notFound(type, name) }
        return o
    }

    private func body(_ req: APIRequest) throws -> Value {
        if req.contentType.contains("protobuf") {
            guard let object = try? Protobuf.decodeObject(req.rawBody) else { throw APIError.badRequest("cannot decode the protobuf body") }
            return object
        }
        do {
            let v = try JSONParser.parse(req.body)
            guard v.entries != nil else { throw APIError.badRequest("the request body must be a JSON object") }
            return v
        } catch let d as JSONParser.Failure {
            throw APIError.badRequest(d.message)
        }
    }

    /// A PATCH body, decoded once, as the change it makes to the object it is applied to. The media type is checked
    /// before the body is read (415 names the accepted ones, as a real server's does).
    private func patch(_ req: APIRequest) throws -> (Value) throws -> Value {
        let mediaType = req.contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        switch mediaType {
        case "application/json-patch+json":
            let ops = try JSONPatch(decoding: req.body, strict: req.param("fieldValidation") == "Strict")
            return { object in
                do { return try ops.apply(to: object) } catch { throw JSONPatch.notApplicable }
            }
        case "application/merge-patch+json":
            let p = try body(req)
            return { Patch.merge($0, p) }
        case "application/strategic-merge-patch+json":
            let p = try body(req)
            return { Patch.strategic($0, p) }
        default:
            throw APIError(code: 415, reason: "UnsupportedMediaType", message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json")
        }
    }

    /// The scale subresource: an `autoscaling/v1` `Scale` view of `spec.replicas`; a patch of it changes the parent.
    private func scale(_ req: APIRequest, _ type: ResourceType, _ ns: String, _ name: String) throws -> APIResponse {
        func view(_ o: Value) -> Value {
            let replicas = o[path: "spec", "replicas"] ?? 1
            return ["kind": "Scale", "apiVersion": "autoscaling/v1",
                    "metadata": ["name": .string(name), "namespace": .string(ns),
                                 "uid": o[path: "metadata", "uid"] ?? .null, "resourceVersion": o[path: "metadata", "resourceVersion"] ?? .null],
                    "spec": ["replicas": replicas], "status": ["replicas": o[path: "status", "replicas"] ?? 0]]
        }
        switch req.method {
        case "GET": return .json(status: 200, view(try found(type, ns, name)))
        case "PATCH", "PUT":
            let change = try replacementOrPatch(req)
            let updated = try store.update(type, namespace: ns, name: name) { o in
                var o = o
                o.set(["spec", "replicas"], try change(view(o))[path: "spec", "replicas"])
                return o
            }
            return .json(status: 200, view(updated))
        default: throw APIError.methodNotAllowed(req.method)
        }
    }

    /// The status subresource: the whole object to read; a write (PUT or PATCH, applied to the whole object) changes
    /// its `status` only, as a real server's status strategy keeps everything else (so `generation` stays).
    private func status(_ req: APIRequest, _ type: ResourceType, _ ns: String, _ name: String) throws -> APIResponse {
        switch req.method {
        case "GET": return .json(status: 200, try found(type, ns, name))
        case "PATCH", "PUT":
            let change = try replacementOrPatch(req)
            return .json(status: 200, try store.update(type, namespace: ns, name: name) { o in
                var o = o
                o.set(["status"], try change(o)[path: "status"])
                return o
            })
        default: throw APIError.methodNotAllowed(req.method)
        }
    }

    /// A PUT's body replaces what it is applied to; a PATCH's body patches it.
    private func replacementOrPatch(_ req: APIRequest) throws -> (Value) throws -> Value {
        if req.method == "PUT" {
            let replacement = try body(req)
            return { _ in replacement }
        }
        return try patch(req)
    }
}
