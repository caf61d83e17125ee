import Core

/// `ValidatePodSpec` and `ValidatePodTemplateSpec` (k8s.io/kubernetes pkg/apis/core/validation), as far as the
/// sandbox reads a pod: its containers (the controllers start them, logs and exec pick one by name, the printers
/// count them), their names and images, and their ports. Field paths and messages are upstream's.
enum PodValidation {
    static let protocols = ["SCTP", "TCP", "UDP"]

    /// A Deployment's, ReplicaSet's or Job's `spec.template`: its labels and annotations (reported at
    /// `spec.template.labels`, without `metadata`, as upstream does) and its pod spec.
    static func template(_ template: Value?, _ path: FieldPath) -> [FieldError] {
        ObjectValidation.labels(template?[path: "metadata", "labels"], path.child("labels"))
            + ObjectValidation.annotations(template?[path: "metadata", "annotations"], path.child("annotations"))
            + podSpec(template?[path: "spec"], path.child("spec"))
    }

    /// The containers (at least one) then the init containers; names are unique across both.
    static func podSpec(_ spec: Value?, _ path: FieldPath) -> [FieldError] {
        let containers = spec?[path: "containers"]?.listValue ?? []
        var errors: [FieldError] = []
        var names: Set<String> = []
        if containers.isEmpty {
            errors.append(.required(path.child("containers").description))
        }
        for (i, c) in containers.enumerated() {
            let at = path.child("containers").index(i)
            errors += container(c, at)
            let name = c[path: "name"]?.stringValue ?? ""
            if names.contains(name) { errors.append(.duplicate(at.child("name").description, name)) } else { names.insert(name) }
        }
        for (i, c) in (spec?[path: "initContainers"]?.listValue ?? []).enumerated() {
            let at = path.child("initContainers").index(i)
            errors += container(c, at)
            let name = c[path: "name"]?.stringValue ?? ""
            if names.contains(name) {
                errors.append(.duplicate(at.child("name").description, name))
            } else if !name.isEmpty {
                names.insert(name)
            }
        }
        return errors
    }

    /// `validateContainerCommon`: a DNS-1123 label for a name, an image, valid ports.
    static func container(_ c: Value, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let name = c[path: "name"]?.stringValue ?? ""
        let namePath = path.child("name").description
        if name.isEmpty {
            errors.append(.required(namePath))
        } else {
            errors += NameFormat.dns1123Label(name).map { .invalid(namePath, name, $0) }
        }
        if (c[path: "image"]?.stringValue ?? "").isEmpty { errors.append(.required(path.child("image").description)) }
        errors += ports(c[path: "ports"]?.listValue ?? [], path.child("ports"))
        return errors
    }

    /// `validateContainerPorts`: named ports once each, a container port in 1–65535, a host port in range when set,
    /// a known protocol.
    static func ports(_ ports: [Value], _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var names: Set<String> = []
        for (i, port) in ports.enumerated() {
            let at = path.index(i)
            if let name = port[path: "name"]?.stringValue, !name.isEmpty {
                let problems = NameFormat.portName(name)
                if !problems.isEmpty {
                    errors += problems.map { .invalid(at.child("name").description, name, $0) }
                } else if names.contains(name) {
                    errors.append(.duplicate(at.child("name").description, name))
                } else {
                    names.insert(name)
                }
            }
            let containerPort = port[path: "containerPort"]?.intValue ?? 0
            if containerPort == 0 {
                errors.append(.required(at.child("containerPort").description))
            } else {
                errors += NameFormat.portNumber(containerPort).map { .invalid(at.child("containerPort").description, containerPort, $0) }
            }
            let hostPort = port[path: "hostPort"]?.intValue ?? 0
            if hostPort != 0 { errors += NameFormat.portNumber(hostPort).map { .invalid(at.child("hostPort").description, hostPort, $0) } }
            errors += protocolErrors(port, at)
        }
        return errors
    }

    /// A port's `protocol` (defaulted to TCP before validation) must be one Kubernetes knows.
    static func protocolErrors(_ port: Value, _ path: FieldPath) -> [FieldError] {
        let proto = port[path: "protocol"]?.stringValue ?? "TCP"
        return proto.isEmpty || protocols.contains(proto) ? [] : [.notSupported(path.child("protocol").description, proto, protocols)]
    }
}
