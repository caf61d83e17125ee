import Core

/// What a real API server's `Validate…` functions check before an object is stored, for the kinds the sandbox
/// stores: the metadata every object has (`ValidateObjectMeta` in k8s.io/apimachinery/pkg/api/validation, v0.32)
/// and the spec fields the sandbox's controllers and printers rely on (`SpecValidation`, `PodValidation`). A failure
/// is the 422 `Invalid` Status kubectl prints as `The Deployment "x" is invalid: …`.
///
/// It runs on the object as it would be stored — after the server's defaults, a generated name and a patch — on
/// every create and update, so `apply`, `create`, `replace`, `patch` and `scale` are all held to the same rules.
enum ObjectValidation {
    /// Throws the 422 a real server answers when `object` (of kind `r`) breaks a rule.
    static func check(_ r: ResourceType, _ object: Value) throws {
        let errors = self.errors(r, object)
        if !errors.isEmpty { throw APIError.invalid(r, name: object.name, errors) }
    }

    static func errors(_ r: ResourceType, _ o: Value) -> [FieldError] {
        var errors = objectMeta(o, nameRule: nameRule(r))
        let spec = FieldPath("spec")
        switch r.plural {
        case "pods": errors += PodValidation.podSpec(o[path: "spec"], spec)
        case "deployments": errors += SpecValidation.deployment(o[path: "spec"], spec)
        case "replicasets": errors += SpecValidation.replicaSet(o[path: "spec"], spec)
        case "jobs": errors += SpecValidation.job(o[path: "spec"], spec)
        case "services": errors += SpecValidation.service(o[path: "spec"], spec)
        case "configmaps": errors += SpecValidation.configMap(o)
        case "secrets": errors += SpecValidation.secret(o)
        case "persistentvolumeclaims": errors += SpecValidation.persistentVolumeClaim(o[path: "spec"], spec)
        default: break
        }
        return errors
    }

    /// The name rule of each kind (`ValidateNameFunc`): Namespaces are DNS-1123 labels, Services DNS-1035 labels
    /// (they become DNS names and environment variables), everything else here a DNS-1123 subdomain.
    static func nameRule(_ r: ResourceType) -> (String) -> [String] {
        switch r.plural {
        case "namespaces": return NameFormat.dns1123Label
        case "services": return NameFormat.dns1035Label
        default: return NameFormat.dns1123Subdomain
        }
    }

    /// `ValidateObjectMetaAccessor`: generateName (as a prefix), name, labels, annotations, owner references and
    /// finalizers, in upstream's order. The namespace is the URL's, which exists, so it needs no check here.
    static func objectMeta(_ o: Value, nameRule: (String) -> [String]) -> [FieldError] {
        var errors: [FieldError] = []
        let generateName = o[path: "metadata", "generateName"]?.stringValue ?? ""
        if !generateName.isEmpty {
            errors += nameRule(NameFormat.maskTrailingDash(generateName)).map { .invalid("metadata.generateName", generateName, $0) }
        }
        let name = o.name
        if name.isEmpty {
            errors.append(.required("metadata.name", "name or generateName is required"))
        } else {
            errors += nameRule(name).map { .invalid("metadata.name", name, $0) }
        }
        errors += labels(o[path: "metadata", "labels"], FieldPath("metadata.labels"))
        errors += annotations(o[path: "metadata", "annotations"], FieldPath("metadata.annotations"))
        for ref in o[path: "metadata", "ownerReferences"]?.listValue ?? [] {
            for (field, what) in [("apiVersion", "version"), ("kind", "kind"), ("name", "name"), ("uid", "uid")] {
                let value = ref[path: field]?.stringValue ?? ""
                if field == "apiVersion" ? !hasVersion(value) : value.isEmpty {
                    errors.append(.invalid("metadata.ownerReferences.\(field)", value, "\(what) must not be empty"))
                }
            }
        }
        for finalizer in (o[path: "metadata", "finalizers"]?.listValue ?? []).compactMap(\.stringValue) {
            errors += NameFormat.qualifiedName(finalizer).map { .invalid("metadata.finalizers", finalizer, $0) }
        }
        return errors
    }

    /// Whether `schema.ParseGroupVersion` finds a version in an owner reference's `apiVersion` (`v1`, `apps/v1`).
    private static func hasVersion(_ apiVersion: String) -> Bool {
        let parts = apiVersion.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count <= 2 && !(parts.last ?? "").isEmpty
    }

    /// `ValidateLabels`: each key a qualified name, each value a label value, both reported at the map's path.
    static func labels(_ map: Value?, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for (key, value) in map?.entries ?? [:] {
            errors += NameFormat.qualifiedName(key).map { .invalid(path.description, key, $0) }
            let text = value.stringValue ?? ""
            errors += NameFormat.labelValue(text).map { .invalid(path.description, text, $0) }
        }
        return errors
    }

    /// The most bytes all annotations (keys and values) may take together.
    static let annotationsSizeLimit = 256 << 10

    /// `ValidateAnnotations`: keys are qualified names (case does not matter), and 256 KiB in all.
    static func annotations(_ map: Value?, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var size = 0
        for (key, value) in map?.entries ?? [:] {
            errors += NameFormat.qualifiedName(key.lowercased()).map { .invalid(path.description, key, $0) }
            size += key.utf8.count + (value.stringValue?.utf8.count ?? 0)
        }
        if size > annotationsSizeLimit { errors.append(.tooLong(path.description, maxBytes: annotationsSizeLimit)) }
        return errors
    }
}
