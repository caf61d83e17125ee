/// The message descriptors `Protobuf.decode` walks: message name → field number → JSON name and kind.
///
/// Every number here is copied from Kubernetes' generated `.proto` files, never guessed: a wrong number would
/// silently put a value under the wrong JSON key. Sources: `k8s.io/api` `core/v1`, `apps/v1`, `batch/v1`
/// `generated.proto`; `k8s.io/apimachinery` `pkg/apis/meta/v1`, `pkg/util/intstr`, `pkg/api/resource`,
/// `pkg/runtime` `generated.proto`. Protobuf field numbers never change once released, so older and newer
/// copies of those files agree on every field listed.
///
/// Only what kubectl's typed generators can send, and what a pod template commonly holds, is listed; anything
/// else (affinity, status details, newer alpha fields) is skipped field by field, so the rest still decodes.
/// Add a field by copying its number from the `.proto` file; `ProtobufTests.testSchemaReferencesResolve` checks
/// that every message a field names is in the table.
enum ProtobufSchema {
    /// How one field's bytes become JSON.
    indirect enum Kind: Sendable {
        /// `string` (wire type 2), UTF-8.
        case string
        /// `bytes` (wire type 2): base64 in JSON, as Go's encoding/json writes a `[]byte`.
        case bytes
        /// `int32` (varint): proto2 `int32`, sign-extended to 64 bits on the wire, never zigzag (Kubernetes has no `sint`).
        case int32
        /// `int64` (varint).
        case int64
        /// `bool` (varint).
        case bool
        /// A nested message by name (wire type 2), a JSON object.
        case message(String)
        /// A Go struct embedded without a JSON name (`json:",inline"`, e.g. `LocalObjectReference` in
        /// `ConfigMapKeySelector`, `VolumeSource` in `Volume`): protobuf gives it a field, JSON merges its
        /// fields into the parent.
        case inline(String)
        /// `map<string, V>`: repeated entry messages (key = 1, value = 2), a JSON object.
        case map(Kind)
        /// `repeated` of any kind; varint elements may also come packed.
        case repeated(Kind)
        /// `intstr.IntOrString` (type = 1: 0 int / 1 string, intVal = 2, strVal = 3): a JSON number or string.
        case intOrString
        /// `resource.Quantity` (string = 1): its string form, `"0"` when empty, as Go marshals a zero Quantity.
        case quantity
        /// `meta/v1.Time` (seconds = 1, nanos = 2): RFC 3339; the zero time is left out (JSON would say `null`).
        case time
    }

    /// One field of a message.
    struct Field: Sendable {
        var name: String
        var kind: Kind
        /// Kubernetes' generated marshallers write every non-pointer field, zero or not (an empty `generateName`,
        /// `minReadySeconds: 0`), so a zero scalar usually means "unset" and is dropped, as `omitempty` would in
        /// JSON. A Go pointer field (`*int32 replicas`, `*bool immutable`) is written only when set, so its zero
        /// is a value the client chose (`--replicas=0`) and is kept.
        var keepsZero = false

        init(_ name: String, _ kind: Kind) {
            self.name = name
            self.kind = kind
        }

        /// A Go pointer field: present means set, even to zero.
        static func pointer(_ name: String, _ kind: Kind) -> Field {
            var f = Field(name, kind)
            f.keepsZero = true
            return f
        }
    }

    typealias Message = [Int: Field]

    /// The top-level message of each kind the sandbox stores (`Kind` in the envelope → message name); any other
    /// kind decodes as `Object`, its metadata only.
    static func message(forKind kind: String) -> String {
        messages[kind] != nil && topLevelKinds.contains(kind) ? kind : "Object"
    }

    static let topLevelKinds: Set<String> = [
        "Namespace", "ConfigMap", "Secret", "Pod", "Service", "PersistentVolumeClaim", "Deployment", "ReplicaSet", "Job",
    ]

    static let messages: [String: Message] = [
        // MARK: runtime (the envelope)
        "runtime.TypeMeta": [1: Field("apiVersion", .string), 2: Field("kind", .string)],

        // MARK: meta/v1
        "Object": [1: Field("metadata", .message("ObjectMeta"))],
        "ObjectMeta": [
            1: Field("name", .string), 2: Field("generateName", .string), 3: Field("namespace", .string),
            4: Field("selfLink", .string), 5: Field("uid", .string), 6: Field("resourceVersion", .string),
            7: Field("generation", .int64), 8: Field("creationTimestamp", .time), 9: Field("deletionTimestamp", .time),
            10: .pointer("deletionGracePeriodSeconds", .int64),
            11: Field("labels", .map(.string)), 12: Field("annotations", .map(.string)),
            13: Field("ownerReferences", .repeated(.message("OwnerReference"))), 14: Field("finalizers", .repeated(.string)),
        ],
        "OwnerReference": [
            5: Field("apiVersion", .string), 1: Field("kind", .string), 3: Field("name", .string), 4: Field("uid", .string),
            6: .pointer("controller", .bool), 7: .pointer("blockOwnerDeletion", .bool),
        ],
        "LabelSelector": [
            1: Field("matchLabels", .map(.string)),
            2: Field("matchExpressions", .repeated(.message("LabelSelectorRequirement"))),
        ],
        "LabelSelectorRequirement": [1: Field("key", .string), 2: Field("operator", .string), 3: Field("values", .repeated(.string))],

        // MARK: core/v1 objects
        "Namespace": [1: Field("metadata", .message("ObjectMeta")), 2: Field("spec", .message("NamespaceSpec")), 3: Field("status", .message("NamespaceStatus"))],
        "NamespaceSpec": [1: Field("finalizers", .repeated(.string))],
        "NamespaceStatus": [1: Field("phase", .string)],
        "ConfigMap": [
            1: Field("metadata", .message("ObjectMeta")), 4: .pointer("immutable", .bool),
            2: Field("data", .map(.string)), 3: Field("binaryData", .map(.bytes)),
        ],
        "Secret": [
            1: Field("metadata", .message("ObjectMeta")), 5: .pointer("immutable", .bool),
            2: Field("data", .map(.bytes)), 4: Field("stringData", .map(.string)), 3: Field("type", .string),
        ],
        "Pod": [1: Field("metadata", .message("ObjectMeta")), 2: Field("spec", .message("PodSpec")), 3: Field("status", .message("PodStatus"))],
        "PodStatus": [1: Field("phase", .string), 3: Field("message", .string), 4: Field("reason", .string)],
        "Service": [1: Field("metadata", .message("ObjectMeta")), 2: Field("spec", .message("ServiceSpec")), 3: Field("status", .message("ServiceStatus"))],
        "ServiceSpec": [
            1: Field("ports", .repeated(.message("ServicePort"))), 2: Field("selector", .map(.string)),
            3: Field("clusterIP", .string), 18: Field("clusterIPs", .repeated(.string)), 4: Field("type", .string),
            5: Field("externalIPs", .repeated(.string)), 7: Field("sessionAffinity", .string),
            8: Field("loadBalancerIP", .string), 9: Field("loadBalancerSourceRanges", .repeated(.string)),
            10: Field("externalName", .string), 11: Field("externalTrafficPolicy", .string),
            12: Field("healthCheckNodePort", .int32), 13: Field("publishNotReadyAddresses", .bool),
            19: Field("ipFamilies", .repeated(.string)), 17: .pointer("ipFamilyPolicy", .string),
            20: .pointer("allocateLoadBalancerNodePorts", .bool), 21: .pointer("loadBalancerClass", .string),
            22: .pointer("internalTrafficPolicy", .string),
        ],
        "ServicePort": [
            1: Field("name", .string), 2: Field("protocol", .string), 6: .pointer("appProtocol", .string),
            3: Field("port", .int32), 4: Field("targetPort", .intOrString), 5: Field("nodePort", .int32),
        ],
        "ServiceStatus": [1: Field("loadBalancer", .message("LoadBalancerStatus"))],
        "LoadBalancerStatus": [1: Field("ingress", .repeated(.message("LoadBalancerIngress")))],
        "LoadBalancerIngress": [1: Field("ip", .string), 2: Field("hostname", .string)],
        "PersistentVolumeClaim": [
            1: Field("metadata", .message("ObjectMeta")), 2: Field("spec", .message("PersistentVolumeClaimSpec")),
            3: Field("status", .message("PersistentVolumeClaimStatus")),
        ],
        "PersistentVolumeClaimSpec": [
            1: Field("accessModes", .repeated(.string)), 4: Field("selector", .message("LabelSelector")),
            2: Field("resources", .message("ResourceRequirements")), 3: Field("volumeName", .string),
            5: .pointer("storageClassName", .string), 6: .pointer("volumeMode", .string),
        ],
        "PersistentVolumeClaimStatus": [1: Field("phase", .string)],

        // MARK: core/v1 pod templates
        "PodTemplateSpec": [1: Field("metadata", .message("ObjectMeta")), 2: Field("spec", .message("PodSpec"))],
        "PodSpec": [
            1: Field("volumes", .repeated(.message("Volume"))),
            20: Field("initContainers", .repeated(.message("Container"))),
            2: Field("containers", .repeated(.message("Container"))),
            3: Field("restartPolicy", .string),
            4: .pointer("terminationGracePeriodSeconds", .int64), 5: .pointer("activeDeadlineSeconds", .int64),
            6: Field("dnsPolicy", .string), 7: Field("nodeSelector", .map(.string)),
            8: Field("serviceAccountName", .string), 9: Field("serviceAccount", .string),
            21: .pointer("automountServiceAccountToken", .bool), 10: Field("nodeName", .string),
            11: Field("hostNetwork", .bool), 12: Field("hostPID", .bool), 13: Field("hostIPC", .bool),
            27: .pointer("shareProcessNamespace", .bool), 14: Field("securityContext", .message("PodSecurityContext")),
            15: Field("imagePullSecrets", .repeated(.message("LocalObjectReference"))),
            16: Field("hostname", .string), 17: Field("subdomain", .string), 19: Field("schedulerName", .string),
            22: Field("tolerations", .repeated(.message("Toleration"))), 23: Field("hostAliases", .repeated(.message("HostAlias"))),
            24: Field("priorityClassName", .string), 25: .pointer("priority", .int32),
            29: .pointer("runtimeClassName", .string), 30: .pointer("enableServiceLinks", .bool),
            31: .pointer("preemptionPolicy", .string), 32: Field("overhead", .map(.quantity)),
            35: .pointer("setHostnameAsFQDN", .bool),
        ],
        "PodSecurityContext": [
            2: .pointer("runAsUser", .int64), 6: .pointer("runAsGroup", .int64), 3: .pointer("runAsNonRoot", .bool),
            4: Field("supplementalGroups", .repeated(.int64)), 5: .pointer("fsGroup", .int64),
            7: Field("sysctls", .repeated(.message("Sysctl"))), 9: .pointer("fsGroupChangePolicy", .string),
            10: Field("seccompProfile", .message("SeccompProfile")),
        ],
        "Sysctl": [1: Field("name", .string), 2: Field("value", .string)],
        "SeccompProfile": [1: Field("type", .string), 2: .pointer("localhostProfile", .string)],
        "Toleration": [
            1: Field("key", .string), 2: Field("operator", .string), 3: Field("value", .string),
            4: Field("effect", .string), 5: .pointer("tolerationSeconds", .int64),
        ],
        "HostAlias": [1: Field("ip", .string), 2: Field("hostnames", .repeated(.string))],
        "LocalObjectReference": [1: Field("name", .string)],
        "Container": [
            1: Field("name", .string), 2: Field("image", .string),
            3: Field("command", .repeated(.string)), 4: Field("args", .repeated(.string)),
            5: Field("workingDir", .string), 6: Field("ports", .repeated(.message("ContainerPort"))),
            19: Field("envFrom", .repeated(.message("EnvFromSource"))), 7: Field("env", .repeated(.message("EnvVar"))),
            8: Field("resources", .message("ResourceRequirements")),
            9: Field("volumeMounts", .repeated(.message("VolumeMount"))),
            10: Field("livenessProbe", .message("Probe")), 11: Field("readinessProbe", .message("Probe")),
            22: Field("startupProbe", .message("Probe")), 12: Field("lifecycle", .message("Lifecycle")),
            13: Field("terminationMessagePath", .string), 20: Field("terminationMessagePolicy", .string),
            14: Field("imagePullPolicy", .string), 15: Field("securityContext", .message("SecurityContext")),
            16: Field("stdin", .bool), 17: Field("stdinOnce", .bool), 18: Field("tty", .bool),
        ],
        "ContainerPort": [
            1: Field("name", .string), 2: Field("hostPort", .int32), 3: Field("containerPort", .int32),
            4: Field("protocol", .string), 5: Field("hostIP", .string),
        ],
        "EnvVar": [1: Field("name", .string), 2: Field("value", .string), 3: Field("valueFrom", .message("EnvVarSource"))],
        "EnvVarSource": [
            1: Field("fieldRef", .message("ObjectFieldSelector")), 2: Field("resourceFieldRef", .message("ResourceFieldSelector")),
            3: Field("configMapKeyRef", .message("ConfigMapKeySelector")), 4: Field("secretKeyRef", .message("SecretKeySelector")),
        ],
        "ObjectFieldSelector": [1: Field("apiVersion", .string), 2: Field("fieldPath", .string)],
        "ResourceFieldSelector": [1: Field("containerName", .string), 2: Field("resource", .string), 3: Field("divisor", .quantity)],
        "ConfigMapKeySelector": [1: Field("", .inline("LocalObjectReference")), 2: Field("key", .string), 3: .pointer("optional", .bool)],
        "SecretKeySelector": [1: Field("", .inline("LocalObjectReference")), 2: Field("key", .string), 3: .pointer("optional", .bool)],
        "EnvFromSource": [
            1: Field("prefix", .string), 2: Field("configMapRef", .message("ConfigMapEnvSource")),
            3: Field("secretRef", .message("SecretEnvSource")),
        ],
        "ConfigMapEnvSource": [1: Field("", .inline("LocalObjectReference")), 2: .pointer("optional", .bool)],
        "SecretEnvSource": [1: Field("", .inline("LocalObjectReference")), 2: .pointer("optional", .bool)],
        "ResourceRequirements": [1: Field("limits", .map(.quantity)), 2: Field("requests", .map(.quantity))],
        "VolumeMount": [
            1: Field("name", .string), 2: Field("readOnly", .bool), 3: Field("mountPath", .string),
            4: Field("subPath", .string), 5: .pointer("mountPropagation", .string), 6: Field("subPathExpr", .string),
        ],
        // `Probe` embeds `ProbeHandler` (called `Handler` before v1.23; same numbers), as `Lifecycle` uses `LifecycleHandler`.
        "Probe": [
            1: Field("", .inline("Handler")), 2: Field("initialDelaySeconds", .int32), 3: Field("timeoutSeconds", .int32),
            4: Field("periodSeconds", .int32), 5: Field("successThreshold", .int32), 6: Field("failureThreshold", .int32),
            7: .pointer("terminationGracePeriodSeconds", .int64),
        ],
        "Handler": [
            1: Field("exec", .message("ExecAction")), 2: Field("httpGet", .message("HTTPGetAction")),
            3: Field("tcpSocket", .message("TCPSocketAction")),
        ],
        "Lifecycle": [1: Field("postStart", .message("Handler")), 2: Field("preStop", .message("Handler"))],
        "ExecAction": [1: Field("command", .repeated(.string))],
        "HTTPGetAction": [
            1: Field("path", .string), 2: Field("port", .intOrString), 3: Field("host", .string),
            4: Field("scheme", .string), 5: Field("httpHeaders", .repeated(.message("HTTPHeader"))),
        ],
        "HTTPHeader": [1: Field("name", .string), 2: Field("value", .string)],
        "TCPSocketAction": [1: Field("port", .intOrString), 2: Field("host", .string)],
        "SecurityContext": [
            1: Field("capabilities", .message("Capabilities")), 2: .pointer("privileged", .bool),
            4: .pointer("runAsUser", .int64), 8: .pointer("runAsGroup", .int64), 5: .pointer("runAsNonRoot", .bool),
            6: .pointer("readOnlyRootFilesystem", .bool), 7: .pointer("allowPrivilegeEscalation", .bool),
            9: .pointer("procMount", .string), 11: Field("seccompProfile", .message("SeccompProfile")),
        ],
        "Capabilities": [1: Field("add", .repeated(.string)), 2: Field("drop", .repeated(.string))],

        // MARK: core/v1 volumes
        "Volume": [1: Field("name", .string), 2: Field("", .inline("VolumeSource"))],
        "VolumeSource": [
            1: Field("hostPath", .message("HostPathVolumeSource")), 2: Field("emptyDir", .message("EmptyDirVolumeSource")),
            6: Field("secret", .message("SecretVolumeSource")),
            10: Field("persistentVolumeClaim", .message("PersistentVolumeClaimVolumeSource")),
            16: Field("downwardAPI", .message("DownwardAPIVolumeSource")), 19: Field("configMap", .message("ConfigMapVolumeSource")),
            26: Field("projected", .message("ProjectedVolumeSource")),
        ],
        "HostPathVolumeSource": [1: Field("path", .string), 2: .pointer("type", .string)],
        "EmptyDirVolumeSource": [1: Field("medium", .string), 2: Field("sizeLimit", .quantity)],
        "SecretVolumeSource": [
            1: Field("secretName", .string), 2: Field("items", .repeated(.message("KeyToPath"))),
            3: .pointer("defaultMode", .int32), 4: .pointer("optional", .bool),
        ],
        "ConfigMapVolumeSource": [
            1: Field("", .inline("LocalObjectReference")), 2: Field("items", .repeated(.message("KeyToPath"))),
            3: .pointer("defaultMode", .int32), 4: .pointer("optional", .bool),
        ],
        "KeyToPath": [1: Field("key", .string), 2: Field("path", .string), 3: .pointer("mode", .int32)],
        "PersistentVolumeClaimVolumeSource": [1: Field("claimName", .string), 2: Field("readOnly", .bool)],
        "DownwardAPIVolumeSource": [1: Field("items", .repeated(.message("DownwardAPIVolumeFile"))), 2: .pointer("defaultMode", .int32)],
        "DownwardAPIVolumeFile": [
            1: Field("path", .string), 2: Field("fieldRef", .message("ObjectFieldSelector")),
            3: Field("resourceFieldRef", .message("ResourceFieldSelector")), 4: .pointer("mode", .int32),
        ],
        "ProjectedVolumeSource": [1: Field("sources", .repeated(.message("VolumeProjection"))), 2: .pointer("defaultMode", .int32)],
        "VolumeProjection": [
            1: Field("secret", .message("SecretProjection")), 2: Field("downwardAPI", .message("DownwardAPIProjection")),
            3: Field("configMap", .message("ConfigMapProjection")),
            4: Field("serviceAccountToken", .message("ServiceAccountTokenProjection")),
        ],
        "SecretProjection": [
            1: Field("", .inline("LocalObjectReference")), 2: Field("items", .repeated(.message("KeyToPath"))),
            4: .pointer("optional", .bool),
        ],
        "ConfigMapProjection": [
            1: Field("", .inline("LocalObjectReference")), 2: Field("items", .repeated(.message("KeyToPath"))),
            4: .pointer("optional", .bool),
        ],
        "DownwardAPIProjection": [1: Field("items", .repeated(.message("DownwardAPIVolumeFile")))],
        "ServiceAccountTokenProjection": [
            1: Field("audience", .string), 2: .pointer("expirationSeconds", .int64), 3: Field("path", .string),
        ],

        // MARK: apps/v1
        // Statuses decode as empty objects: a client's create never carries one worth keeping (the controllers
        // write them), and `status: {}` is what the same object sent as JSON would hold.
        "Deployment": [1: Field("metadata", .message("ObjectMeta")), 2: Field("spec", .message("DeploymentSpec")), 3: Field("status", .message("Status"))],
        "DeploymentSpec": [
            1: .pointer("replicas", .int32), 2: Field("selector", .message("LabelSelector")),
            3: Field("template", .message("PodTemplateSpec")), 4: Field("strategy", .message("DeploymentStrategy")),
            5: Field("minReadySeconds", .int32), 6: .pointer("revisionHistoryLimit", .int32),
            7: Field("paused", .bool), 9: .pointer("progressDeadlineSeconds", .int32),
        ],
        "DeploymentStrategy": [1: Field("type", .string), 2: Field("rollingUpdate", .message("RollingUpdateDeployment"))],
        "RollingUpdateDeployment": [1: Field("maxUnavailable", .intOrString), 2: Field("maxSurge", .intOrString)],
        "ReplicaSet": [1: Field("metadata", .message("ObjectMeta")), 2: Field("spec", .message("ReplicaSetSpec")), 3: Field("status", .message("Status"))],
        "ReplicaSetSpec": [
            1: .pointer("replicas", .int32), 4: Field("minReadySeconds", .int32),
            2: Field("selector", .message("LabelSelector")), 3: Field("template", .message("PodTemplateSpec")),
        ],
        "Status": [:],

        // MARK: batch/v1
        "Job": [1: Field("metadata", .message("ObjectMeta")), 2: Field("spec", .message("JobSpec")), 3: Field("status", .message("Status"))],
        "JobSpec": [
            1: .pointer("parallelism", .int32), 2: .pointer("completions", .int32),
            3: .pointer("activeDeadlineSeconds", .int64), 7: .pointer("backoffLimit", .int32),
            12: .pointer("backoffLimitPerIndex", .int32), 13: .pointer("maxFailedIndexes", .int32),
            4: Field("selector", .message("LabelSelector")), 5: .pointer("manualSelector", .bool),
            6: Field("template", .message("PodTemplateSpec")), 8: .pointer("ttlSecondsAfterFinished", .int32),
            9: .pointer("completionMode", .string), 10: .pointer("suspend", .bool),
            14: .pointer("podReplacementPolicy", .string), 15: .pointer("managedBy", .string),
        ],
    ]
}
