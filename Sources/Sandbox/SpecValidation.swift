import Core
import Foundation

/// The spec checks of each stored kind (k8s.io/kubernetes pkg/apis/{apps,batch,core}/validation), limited to what
/// the sandbox's controllers and printers read: replica counts, selectors that select their own template (or the
/// ReplicaSet would never see its pods), Job counts, Service ports and types, ConfigMap and Secret keys, a claim's
/// access modes and size. Field paths and messages are upstream's, so kubectl prints what a real cluster makes it print.
enum SpecValidation {
    // MARK: - Workloads

    /// `ValidateDeploymentSpec`.
    static func deployment(_ spec: Value?, _ path: FieldPath) -> [FieldError] {
        var errors = FieldError.nonNegative(path.child("replicas").description, spec?[path: "replicas"]?.intValue ?? 1)
        errors += selectorAndTemplate(spec, path)
        for field in ["minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds"] {
            if let n = spec?[path: field]?.intValue { errors += FieldError.nonNegative(path.child(field).description, n) }
        }
        return errors
    }

    /// `ValidateReplicaSetSpec`.
    static func replicaSet(_ spec: Value?, _ path: FieldPath) -> [FieldError] {
        var errors = FieldError.nonNegative(path.child("replicas").description, spec?[path: "replicas"]?.intValue ?? 1)
        if let n = spec?[path: "minReadySeconds"]?.intValue { errors += FieldError.nonNegative(path.child("minReadySeconds").description, n) }
        return errors + selectorAndTemplate(spec, path)
    }

    /// `ValidateJobSpec`: non-negative counts; the selector the server generated selects the template.
    static func job(_ spec: Value?, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for field in ["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished"] {
            if let n = spec?[path: field]?.intValue { errors += FieldError.nonNegative(path.child(field).description, n) }
        }
        return errors + selectorAndTemplate(spec, path)
    }

    /// A required, valid, non-empty selector that matches the template's labels, then the template itself.
    private static func selectorAndTemplate(_ spec: Value?, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let selectorPath = path.child("selector")
        let selector = spec?[path: "selector"]
        let matchLabels = selector?[path: "matchLabels"]?.entries ?? [:]
        let expressions = selector?[path: "matchExpressions"]?.listValue ?? []
        switch selector {
        case nil, .null?:
            errors.append(.required(selectorPath.description))
        default:
            errors += labelSelector(selector, selectorPath)
            if matchLabels.isEmpty && expressions.isEmpty {
                errors.append(.invalid(selectorPath.description, rendered: goLabelSelector(selector), "empty selector is invalid for deployment"))
            }
        }
        let template = spec?[path: "template"]
        let labels = (template?[path: "metadata", "labels"] ?? [:]).stringMap
        if !(matchLabels.isEmpty && expressions.isEmpty), !requirements(selector).allSatisfy({ $0.matches(labels) }) {
            errors.append(.invalid(path.child("template", "metadata", "labels").description, rendered: GoFormat.stringMap(labels),
                                   "`selector` does not match template `labels`"))
        }
        return errors + PodValidation.template(template, path.child("template"))
    }

    /// `ValidateLabelSelector`: valid matchLabels, and expressions with a known operator, a key and values as the
    /// operator needs.
    static func labelSelector(_ selector: Value?, _ path: FieldPath) -> [FieldError] {
        var errors = ObjectValidation.labels(selector?[path: "matchLabels"], path.child("matchLabels"))
        for (i, e) in (selector?[path: "matchExpressions"]?.listValue ?? []).enumerated() {
            let at = path.child("matchExpressions").index(i)
            let values = (e[path: "values"]?.listValue ?? []).compactMap(\.stringValue)
            let op = e[path: "operator"]?.stringValue ?? ""
            switch op {
            case "In", "NotIn":
                if values.isEmpty { errors.append(.required(at.child("values").description, "must be specified when `operator` is 'In' or 'NotIn'")) }
            case "Exists", "DoesNotExist":
                if !values.isEmpty { errors.append(.forbidden(at.child("values").description, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")) }
            default:
                errors.append(.invalid(at.child("operator").description, op, "not a valid selector operator"))
            }
            let key = e[path: "key"]?.stringValue ?? ""
            errors += NameFormat.qualifiedName(key).map { .invalid(at.child("key").description, key, $0) }
            for (j, v) in values.enumerated() {
                errors += NameFormat.labelValue(v).map { .invalid(at.child("values").index(j).description, v, $0) }
            }
        }
        return errors
    }

    /// A `LabelSelector` as requirements the store's label matching evaluates.
    static func requirements(_ selector: Value?) -> [LabelSelector.Requirement] {
        var out = (selector?[path: "matchLabels"]?.entries ?? [:]).map {
            LabelSelector.Requirement(key: $0.key, op: .equals, values: [$0.value.stringValue ?? ""])
        }
        let ops: [String: LabelSelector.Operator] = ["In": .in, "NotIn": .notIn, "Exists": .exists, "DoesNotExist": .doesNotExist]
        for e in selector?[path: "matchExpressions"]?.listValue ?? [] {
            guard let op = ops[e[path: "operator"]?.stringValue ?? ""] else { continue }
            out.append(LabelSelector.Requirement(key: e[path: "key"]?.stringValue ?? "", op: op,
                                                 values: (e[path: "values"]?.listValue ?? []).compactMap(\.stringValue)))
        }
        return out
    }

    /// An empty selector as Go's `%#v` prints the `*metav1.LabelSelector` (upstream puts the struct in the message).
    private static func goLabelSelector(_ selector: Value?) -> String {
        let labels = selector?[path: "matchLabels"].flatMap { $0.entries == nil ? nil : "map[string]string{}" } ?? "map[string]string(nil)"
        let expressions = selector?[path: "matchExpressions"].flatMap { $0.listValue == nil ? nil : "[]v1.LabelSelectorRequirement{}" }
            ?? "[]v1.LabelSelectorRequirement(nil)"
        return "v1.LabelSelector{MatchLabels:\(labels), MatchExpressions:\(expressions)}"
    }

    // MARK: - Services

    static let serviceTypes = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
    static let nodePortRange = 30000...32767

    /// `ValidateService`: ports (named when there are several, each once, in range, with a known protocol and a
    /// valid target), node ports only where the type has them and in the node port range, a valid selector and type.
    static func service(_ spec: Value?, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let type = spec?[path: "type"]?.stringValue ?? "ClusterIP"
        let ports = spec?[path: "ports"]?.listValue ?? []
        let headless = spec?[path: "clusterIP"]?.stringValue == "None"
        if ports.isEmpty, !headless, type != "ExternalName" { errors.append(.required(path.child("ports").description)) }
        var names: Set<String> = []
        for (i, port) in ports.enumerated() {
            let at = path.child("ports").index(i)
            let name = port[path: "name"]?.stringValue ?? ""
            if ports.count > 1, name.isEmpty {
                errors.append(.required(at.child("name").description))
            } else if !name.isEmpty {
                errors += NameFormat.dns1123Label(name).map { .invalid(at.child("name").description, name, $0) }
                if names.contains(name) { errors.append(.duplicate(at.child("name").description, name)) } else { names.insert(name) }
            }
            let number = port[path: "port"]?.intValue ?? 0
            errors += NameFormat.portNumber(number).map { .invalid(at.child("port").description, number, $0) }
            errors += PodValidation.protocolErrors(port, at)
            switch port[path: "targetPort"] {
            case .int(let n)?: errors += NameFormat.portNumber(n).map { .invalid(at.child("targetPort").description, n, $0) }
            case .string(let s)?: errors += NameFormat.portName(s).map { .invalid(at.child("targetPort").description, s, $0) }
            default: break
            }
            if let nodePort = port[path: "nodePort"]?.intValue, nodePort != 0 {
                if type == "ClusterIP" {
                    errors.append(.forbidden(at.child("nodePort").description, "may not be used when `type` is 'ClusterIP'"))
                } else if type == "NodePort" || type == "LoadBalancer", !nodePortRange.contains(nodePort) {
                    errors.append(.invalid(at.child("nodePort").description, nodePort,
                                           "provided port is not in the valid range. The range of valid ports is 30000-32767"))
                }
            }
        }
        errors += ObjectValidation.labels(spec?[path: "selector"], path.child("selector"))
        if !serviceTypes.contains(type) { errors.append(.notSupported(path.child("type").description, type, serviceTypes)) }
        return errors
    }

    // MARK: - Data

    /// The most bytes a ConfigMap's or Secret's data may hold (`MaxSecretSize`).
    static let maxDataSize = 1 << 20

    /// `ValidateConfigMap`: keys usable as file names, not in both `data` and `binaryData`, 1 MiB in all.
    static func configMap(_ o: Value) -> [FieldError] {
        var errors: [FieldError] = []
        let data = o[path: "data"]?.entries ?? [:], binary = o[path: "binaryData"]?.entries ?? [:]
        var size = 0
        for (key, value) in data {
            errors += NameFormat.configMapKey(key).map { .invalid(FieldPath("data").key(key).description, key, $0) }
            if binary[key] != nil { errors.append(.invalid(FieldPath("data").key(key).description, key, "duplicate of key present in binaryData")) }
            size += value.stringValue?.utf8.count ?? 0
        }
        for (key, value) in binary {
            errors += NameFormat.configMapKey(key).map { .invalid(FieldPath("binaryData").key(key).description, key, $0) }
            if data[key] != nil { errors.append(.invalid(FieldPath("binaryData").key(key).description, key, "duplicate of key present in data")) }
            size += decodedSize(value)
        }
        if size > maxDataSize { errors.append(.tooLong("", maxBytes: maxDataSize)) }
        return errors
    }

    /// `ValidateSecret`: keys usable as file names, 1 MiB of decoded data in all.
    static func secret(_ o: Value) -> [FieldError] {
        var errors: [FieldError] = []
        var size = 0
        for (key, value) in o[path: "data"]?.entries ?? [:] {
            errors += NameFormat.configMapKey(key).map { .invalid(FieldPath("data").key(key).description, key, $0) }
            size += decodedSize(value)
        }
        if size > maxDataSize { errors.append(.tooLong("data", maxBytes: maxDataSize)) }
        return errors
    }

    private static func decodedSize(_ base64: Value) -> Int {
        (base64.stringValue.flatMap { Data(base64Encoded: $0, options: .ignoreUnknownCharacters) })?.count ?? 0
    }

    // MARK: - Claims

    static let accessModes = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]

    /// `ValidatePersistentVolumeClaimSpec`: known access modes (at least one) and a requested size.
    static func persistentVolumeClaim(_ spec: Value?, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let modes = (spec?[path: "accessModes"]?.listValue ?? []).compactMap(\.stringValue)
        if modes.isEmpty { errors.append(.required(path.child("accessModes").description, "at least 1 access mode is required")) }
        for mode in modes where !accessModes.contains(mode) {
            errors.append(.notSupported(path.child("accessModes").description, mode, accessModes))
        }
        if spec?[path: "resources", "requests", "storage"] == nil {
            errors.append(.required(path.child("resources").key("storage").description))
        }
        return errors
    }
}
