import Core

/// The type errors a real API server finds while it decodes a JSON body into its Go structs, for the fields the
/// sandbox's store, controllers and printers read: `replicas: "two"` is refused with 400 BadRequest and Go's own
/// wording (`Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go
/// struct field DeploymentSpec.spec.replicas of type int32`) instead of being stored and read as 1 later.
///
/// `structs` mirrors the Go types (`k8s.io/api` core/v1, apps/v1, batch/v1 and meta/v1), field by field, only as far
/// as the sandbox reads them; anything not listed is accepted as it comes. The walk follows Go's decoder: document
/// order, the first error wins, `null` is always accepted (it leaves the Go zero value), and the message names the
/// innermost struct and the JSON path of field names from the root (list indices and map keys are not part of it).
enum TypedDecoding {
    indirect enum GoType: Sendable {
        case string, bool, int32, int64, bytes, intOrString, quantity
        case object(String)
        case list(GoType)
        case map(GoType)

        /// The type as Go's `reflect` names it in the message.
        var name: String {
            switch self {
            case .string, .bool, .int32, .int64: return "\(self)"
            case .bytes: return "[]uint8"
            case .intOrString: return "intstr.IntOrString"
            case .quantity: return "resource.Quantity"
            case .object(let s): return "v1." + s
            case .list(let t): return "[]" + t.name
            case .map(let t): return "map[string]" + t.name
            }
        }
    }

    /// A decode failure: the text after `cannot be handled as a KIND: `.
    struct Failure: Error {
        var message: String
    }

    /// Checks a body (or the result of a patch) for the kind `r`; throws the 400 a real server answers.
    static func check(_ r: ResourceType, _ object: Value) throws {
        guard let fields = structs[r.kind] else { return }
        do {
            try walkStruct(r.kind, fields, object.entries ?? [:], path: [])
        } catch let f as Failure {
            let kind = object[path: "kind"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? r.kind
            let version = object[path: "apiVersion"]?.stringValue.map { $0.split(separator: "/").last.map(String.init) ?? $0 } ?? r.version
            throw APIError.badRequest("\(kind) in version \(GoFormat.quote(version)) cannot be handled as a \(r.kind): \(f.message)")
        }
    }

    private static func walkStruct(_ name: String, _ fields: [String: GoType], _ entries: OrderedMap, path: [String]) throws {
        for (key, value) in entries {
            guard let type = fields[key] else { continue }
            try walk(value, type, inStruct: name, path: path + [key])
        }
    }

    /// One value against its Go type; `inStruct` and `path` are Go's error context (the struct holding the field).
    private static func walk(_ value: Value, _ type: GoType, inStruct: String, path: [String]) throws {
        func mismatch() -> Failure {
            Failure(message: "json: cannot unmarshal \(describe(value, for: type)) into Go struct field \(inStruct).\(path.joined(separator: ".")) of type \(type.name)")
        }
        if case .null = value { return }
        switch type {
        case .string:
            guard case .string = value else { throw mismatch() }
        case .bool:
            guard case .bool = value else { throw mismatch() }
        case .int32, .int64:
            let range = type.name == "int32" ? Int(Int32.min)...Int(Int32.max) : Int.min...Int.max
            guard case .int(let i) = value, range.contains(i) else { throw mismatch() }
        case .bytes:
            guard case .string(let s) = value else { throw mismatch() }
            if let offset = GoBase64.firstError(Array(s.utf8)) { throw Failure(message: "illegal base64 data at input byte \(offset)") }
        case .intOrString:
            switch value {
            case .string, .int(Int(Int32.min)...Int(Int32.max)): break
            default: throw Failure(message: "json: cannot unmarshal \(describe(value, for: .int32)) into Go value of type int32")
            }
        case .quantity:
            switch value {
            case .string, .int, .float: break
            default: throw Failure(message: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
            }
        case .object(let name):
            guard case .map(let m) = value else { throw mismatch() }
            try walkStruct(name, structs[name] ?? [:], m.dict, path: path)
        case .list(let element):
            guard case .list(let items) = value else { throw mismatch() }
            for item in items { try walk(item, element, inStruct: inStruct, path: path) }
        case .map(let element):
            guard case .map(let m) = value else { throw mismatch() }
            for (_, item) in m.dict { try walk(item, element, inStruct: inStruct, path: path) }
        }
    }

    /// How Go's decoder names the JSON value it could not store: `string`, `bool`, `object`, `array`, and for
    /// numbers `number` — with the literal when the target is an integer it did not fit.
    private static func describe(_ value: Value, for type: GoType) -> String {
        switch value {
        case .string: return "string"
        case .bool: return "bool"
        case .map: return "object"
        case .list: return "array"
        case .int(let i): return type.isInteger ? "number \(i)" : "number"
        case .float(let d): return type.isInteger ? "number \(d)" : "number"
        default: return "\(value.typeName)"
        }
    }

    /// The Go structs, by name, with the JSON fields the sandbox reads. Top-level kinds are keyed by their kind.
    static let structs: [String: [String: GoType]] = {
        let meta: GoType = .object("ObjectMeta")
        let template: GoType = .object("PodTemplateSpec"), selector: GoType = .object("LabelSelector")
        return [
            "ObjectMeta": ["name": .string, "generateName": .string, "namespace": .string, "uid": .string, "resourceVersion": .string,
                           "generation": .int64, "labels": .map(.string), "annotations": .map(.string),
                           "ownerReferences": .list(.object("OwnerReference")), "finalizers": .list(.string)],
            "OwnerReference": ["apiVersion": .string, "kind": .string, "name": .string, "uid": .string, "controller": .bool,
                               "blockOwnerDeletion": .bool],
            "LabelSelector": ["matchLabels": .map(.string), "matchExpressions": .list(.object("LabelSelectorRequirement"))],
            "LabelSelectorRequirement": ["key": .string, "operator": .string, "values": .list(.string)],
            "PodTemplateSpec": ["metadata": meta, "spec": .object("PodSpec")],
            "PodSpec": ["containers": .list(.object("Container")), "initContainers": .list(.object("Container")),
                        "restartPolicy": .string, "nodeName": .string, "terminationGracePeriodSeconds": .int64,
                        "activeDeadlineSeconds": .int64, "hostname": .string, "subdomain": .string],
            "Container": ["name": .string, "image": .string, "command": .list(.string), "args": .list(.string), "workingDir": .string,
                          "env": .list(.object("EnvVar")), "ports": .list(.object("ContainerPort")), "imagePullPolicy": .string,
                          "restartPolicy": .string, "stdin": .bool, "stdinOnce": .bool, "tty": .bool],
            "EnvVar": ["name": .string, "value": .string],
            "ContainerPort": ["name": .string, "hostPort": .int32, "containerPort": .int32, "protocol": .string, "hostIP": .string],
            "DeploymentSpec": ["replicas": .int32, "selector": selector, "template": template, "strategy": .object("DeploymentStrategy"),
                               "minReadySeconds": .int32, "revisionHistoryLimit": .int32, "paused": .bool, "progressDeadlineSeconds": .int32],
            "DeploymentStrategy": ["type": .string],
            "ReplicaSetSpec": ["replicas": .int32, "minReadySeconds": .int32, "selector": selector, "template": template],
            "JobSpec": ["parallelism": .int32, "completions": .int32, "activeDeadlineSeconds": .int64, "backoffLimit": .int32,
                        "selector": selector, "manualSelector": .bool, "template": template, "ttlSecondsAfterFinished": .int32,
                        "completionMode": .string, "suspend": .bool],
            "ServiceSpec": ["ports": .list(.object("ServicePort")), "selector": .map(.string), "clusterIP": .string,
                            "clusterIPs": .list(.string), "type": .string, "externalIPs": .list(.string), "sessionAffinity": .string,
                            "externalName": .string],
            "ServicePort": ["name": .string, "protocol": .string, "appProtocol": .string, "port": .int32, "targetPort": .intOrString,
                            "nodePort": .int32],
            "PersistentVolumeClaimSpec": ["accessModes": .list(.string), "resources": .object("VolumeResourceRequirements"),
                                          "volumeName": .string, "storageClassName": .string, "volumeMode": .string],
            "VolumeResourceRequirements": ["limits": .map(.quantity), "requests": .map(.quantity)],
            "ObjectReference": ["kind": .string, "namespace": .string, "name": .string, "uid": .string, "apiVersion": .string,
                                "resourceVersion": .string, "fieldPath": .string],
            "EventSource": ["component": .string, "host": .string],

            "Namespace": ["metadata": meta],
            "Pod": ["metadata": meta, "spec": .object("PodSpec")],
            "Service": ["metadata": meta, "spec": .object("ServiceSpec")],
            "ConfigMap": ["metadata": meta, "immutable": .bool, "data": .map(.string), "binaryData": .map(.bytes)],
            "Secret": ["metadata": meta, "immutable": .bool, "data": .map(.bytes), "stringData": .map(.string), "type": .string],
            "PersistentVolumeClaim": ["metadata": meta, "spec": .object("PersistentVolumeClaimSpec")],
            "Event": ["metadata": meta, "involvedObject": .object("ObjectReference"), "reason": .string, "message": .string,
                      "source": .object("EventSource"), "count": .int32, "type": .string],
            "Deployment": ["metadata": meta, "spec": .object("DeploymentSpec")],
            "ReplicaSet": ["metadata": meta, "spec": .object("ReplicaSetSpec")],
            "Job": ["metadata": meta, "spec": .object("JobSpec")],
        ]
    }()
}

extension TypedDecoding.GoType {
    fileprivate var isInteger: Bool {
        switch self {
        case .int32, .int64: return true
        default: return false
        }
    }
}

/// Where Go's `base64.StdEncoding.Decode` stops on a bad input (the offset in its `illegal base64 data at input
/// byte N`): the same quantum-by-quantum walk, newlines skipped, padding required.
enum GoBase64 {
    static func firstError(_ src: [UInt8]) -> Int? {
        var si = 0
        while si < src.count {
            var j = 0
            while j < 4 {
                if si == src.count {
                    return j == 0 ? nil : si - j
                }
                let c = src[si]
                si += 1
                if isAlphabet(c) {
                    j += 1
                    continue
                }
                if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") { continue }
                guard c == UInt8(ascii: "="), j >= 2 else { return si - 1 }
                if j == 2 {
                    si = skipNewlines(src, si)
                    if si == src.count { return src.count }
                    guard src[si] == UInt8(ascii: "=") else { return si - 1 }
                    si += 1
                }
                si = skipNewlines(src, si)
                return si < src.count ? si : nil
            }
        }
        return nil
    }

    private static func skipNewlines(_ src: [UInt8], _ start: Int) -> Int {
        var si = start
        while si < src.count, src[si] == UInt8(ascii: "\n") || src[si] == UInt8(ascii: "\r") { si += 1 }
        return si
    }

    private static func isAlphabet(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "+") || c == UInt8(ascii: "/")
    }
}
