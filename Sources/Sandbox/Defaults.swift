import Core

/// The defaults a real API server writes into an object's spec when the client left them out (the `SetDefaults_*`
/// functions of k8s.io/kubernetes/pkg/apis/*/v1), so that `kubectl describe` and `get -o yaml` show what a cluster
/// would: `StrategyType: RollingUpdate`, `restartPolicy: Always`, a port's `protocol: TCP`…
///
/// Applied on every create and update, and idempotent, so a write that only re-sends the defaults changes nothing
/// (no new generation). `kubectl apply` diffs against its last-applied annotation, which never holds them, so a
/// second apply still prints "unchanged".
enum APIDefaults {
    static func apply(_ r: ResourceType, _ o: inout Value) {
        switch r.plural {
        case "deployments":
            setIfMissing(&o, ["spec", "replicas"], 1)
            setIfMissing(&o, ["spec", "revisionHistoryLimit"], 10)
            setIfMissing(&o, ["spec", "progressDeadlineSeconds"], 600)
            setIfMissing(&o, ["spec", "strategy", "type"], "RollingUpdate")
            if o[path: "spec", "strategy", "type"]?.stringValue == "RollingUpdate" {
                setIfMissing(&o, ["spec", "strategy", "rollingUpdate", "maxSurge"], "25%")
                setIfMissing(&o, ["spec", "strategy", "rollingUpdate", "maxUnavailable"], "25%")
            }
            podSpec(&o, ["spec", "template", "spec"], restartPolicy: "Always")
        case "replicasets":
            setIfMissing(&o, ["spec", "replicas"], 1)
            podSpec(&o, ["spec", "template", "spec"], restartPolicy: "Always")
        case "jobs":
            setIfMissing(&o, ["spec", "parallelism"], 1)
            setIfMissing(&o, ["spec", "completions"], 1)
            setIfMissing(&o, ["spec", "backoffLimit"], 6)
            setIfMissing(&o, ["spec", "completionMode"], "NonIndexed")
            setIfMissing(&o, ["spec", "suspend"], false)
            podSpec(&o, ["spec", "template", "spec"], restartPolicy: "Never")
        case "pods":
            podSpec(&o, ["spec"], restartPolicy: "Always")
        case "services":
            service(&o)
        case "persistentvolumeclaims":
            setIfMissing(&o, ["spec", "volumeMode"], "Filesystem")
        default:
            break
        }
    }

    /// A pod spec's defaults, and each container's.
    private static func podSpec(_ o: inout Value, _ path: [String], restartPolicy: String) {
        guard o.at(path) != nil else { return }
        setIfMissing(&o, path + ["restartPolicy"], .string(restartPolicy))
        setIfMissing(&o, path + ["dnsPolicy"], "ClusterFirst")
        setIfMissing(&o, path + ["schedulerName"], "default-scheduler")
        setIfMissing(&o, path + ["terminationGracePeriodSeconds"], 30)
        setIfMissing(&o, path + ["securityContext"], .map([:]))
        for field in ["initContainers", "containers"] {
            guard case .list(var containers)? = o.at(path + [field]) else { continue }
            for i in containers.indices {
                let image = containers[i][path: "image"]?.stringValue ?? ""
                setIfMissing(&containers[i], ["imagePullPolicy"], .string(pullPolicy(image)))
                setIfMissing(&containers[i], ["terminationMessagePath"], "/dev/termination-log")
                setIfMissing(&containers[i], ["terminationMessagePolicy"], "File")
                setIfMissing(&containers[i], ["resources"], .map([:]))
                if case .list(var ports)? = containers[i][path: "ports"] {
                    for p in ports.indices { setIfMissing(&ports[p], ["protocol"], "TCP") }
                    containers[i].set(["ports"], .list(ports))
                }
            }
            o.set(path + [field], .list(containers))
        }
    }

    /// `Always` for an untagged or `:latest` image, else `IfNotPresent` (a digest counts as a tag).
    static func pullPolicy(_ image: String) -> String {
        if image.contains("@") { return "IfNotPresent" }
        let lastPart = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = lastPart.lastIndex(of: ":") else { return "Always" }
        return lastPart[lastPart.index(after: colon)...] == "latest" ? "Always" : "IfNotPresent"
    }

    private static func service(_ o: inout Value) {
        let type = o[path: "spec", "type"]?.stringValue ?? "ClusterIP"
        setIfMissing(&o, ["spec", "type"], .string(type))
        setIfMissing(&o, ["spec", "sessionAffinity"], "None")
        guard type != "ExternalName" else { return }
        setIfMissing(&o, ["spec", "ipFamilies"], ["IPv4"])
        setIfMissing(&o, ["spec", "ipFamilyPolicy"], "SingleStack")
        setIfMissing(&o, ["spec", "internalTrafficPolicy"], "Cluster")
        if type == "NodePort" || type == "LoadBalancer" { setIfMissing(&o, ["spec", "externalTrafficPolicy"], "Cluster") }
        if type == "LoadBalancer" { setIfMissing(&o, ["spec", "allocateLoadBalancerNodePorts"], true) }
        guard case .list(var ports)? = o[path: "spec", "ports"] else { return }
        for i in ports.indices {
            setIfMissing(&ports[i], ["protocol"], "TCP")
            if let port = ports[i][path: "port"] { setIfMissing(&ports[i], ["targetPort"], port) }
        }
        o.set(["spec", "ports"], .list(ports))
    }

    private static func setIfMissing(_ o: inout Value, _ path: [String], _ value: Value) {
        switch o.at(path) {
        case nil, .null?: o.set(path, value)
        default: break
        }
    }
}
