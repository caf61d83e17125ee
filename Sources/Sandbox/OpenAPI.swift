import Core

/// A minimal OpenAPI v3: one document per group/version with a `patch` operation per kind that carries
/// `x-kubernetes-group-version-kind` and a `fieldValidation` parameter. That is all kubectl needs to send
/// `fieldValidation=Strict` and skip client-side validation; without the parameter it falls back to `/openapi/v2`.
enum OpenAPI {
    /// The `?hash=` kubectl caches documents by; it changes whenever the catalog does.
    static func hash(group: String, version: String) -> String {
        let text = (try? JSONWriter.encode(document(group: group, version: version) ?? .null)) ?? ""
        var h: UInt64 = 0xcbf29ce484222325   // FNV-1a: stable across runs, unlike Hasher
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return String(h, radix: 16, uppercase: true)
    }

    /// `api/v1` or `apis/apps/v1`, the key and path of a group/version document.
    static func path(group: String, version: String) -> String {
        group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
    }

    static var root: Value {
        var paths: OrderedMap = [:]
        for gv in ResourceCatalog.groupVersions {
            let p = path(group: gv.group, version: gv.version)
            paths[p] = ["serverRelativeURL": .string("/openapi/v3/\(p)?hash=\(hash(group: gv.group, version: gv.version))")]
        }
        return ["paths": .map(paths)]
    }

    static func document(group: String, version: String) -> Value? {
        let types = ResourceCatalog.all.filter { $0.group == group && $0.version == version }
        guard !types.isEmpty else { return nil }
        var paths: OrderedMap = [:]
        for r in types {
            let item = r.namespaced ? "\(r.prefix)/namespaces/{namespace}/\(r.plural)/{name}" : "\(r.prefix)/\(r.plural)/{name}"
            paths[item] = ["patch": [
                "x-kubernetes-action": "patch",
                "x-kubernetes-group-version-kind": ["group": .string(r.group), "version": .string(r.version), "kind": .string(r.kind)],
                "parameters": [["name": "fieldValidation", "in": "query", "schema": ["type": "string"]]],
                "responses": ["200": ["description": "OK"]],
            ]]
        }
        return ["openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "v1.32.0"], "paths": .map(paths)]
    }
}
