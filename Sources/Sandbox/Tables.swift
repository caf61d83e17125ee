import Core
import Foundation

// Server-side printing. `kubectl get` with a human-readable output (the default, `-o wide`, `--show-labels`, `-L`)
// sends `Accept: application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,
// application/json` and prints whatever columns the server sends; given a plain object or list it falls back to a
// generic NAME/AGE printer. kubectl computes nothing itself: every cell, AGE included, is made here. It only hides
// `priority: 1` columns unless `-o wide`, prefixes the `format: name` column with the kind for `get all`, and takes
// NAMESPACE (`-A`) and LABELS (`--show-labels`, `-L`) from each row's `object`, which is why rows always carry at
// least the metadata. `-o json|yaml|name|jsonpath` never ask for a Table and get the plain objects as before.
//
// The columns and cell rules follow kubernetes' `pkg/printers/internalversion/printers.go` (v1.32); where the
// sandbox stores less than a real cluster would (no kubelet, no defaulting admission), the cell says what a real
// cluster would show and the comment says why.

/// One column of a `Table`. kubectl prints `name` upper-cased as the header and ignores `description`.
struct TableColumn: Sendable {
    var name: String
    var type = "string"
    /// `name` marks the column kubectl prefixes with `kind/` when it prints several kinds (`get all`).
    var format = ""
    var description: String
    /// 0: always shown; 1: only with `-o wide`. The server always sends every column.
    var priority = 0

    var json: Value {
        ["name": .string(name), "type": .string(type), "format": .string(format),
         "description": .string(description), "priority": .int(priority)]
    }

    static let name = TableColumn(name: "Name", format: "name", description: "Name must be unique within a namespace.")
    static let age = TableColumn(name: "Age", description: "CreationTimestamp is a timestamp representing the server time when this object was created.")
    static func wide(_ name: String, _ description: String) -> TableColumn {
        TableColumn(name: name, description: description, priority: 1)
    }
    static let containers = wide("Containers", "Names of each container in the template.")
    static let images = wide("Images", "Images referenced by each container in the template.")
    static let selector = wide("Selector", "A label query over pods.")
}

/// How one kind prints: its columns and the cells of one object's row, in the same order.
struct TablePrinter: Sendable {
    var columns: [TableColumn]
    /// Nil for the kinds the sandbox never stores: their tables are always empty, only the header shape matters.
    var cells: (@Sendable (Value, TableClock) -> [Value])?
    /// A row's `conditions` (a finished pod's row is `Completed`), for clients that dim finished rows.
    var conditions: (@Sendable (Value) -> [Value])? = nil
}

/// The instant a table is printed: AGE, DURATION and RESTARTS' "(5m ago)" are strings the server computes when it
/// answers, so a watch row is as old as the event it reports.
/// One per table (the formatters are not shared between threads).
struct TableClock {
    let now: Date
    private let seconds = ISO8601DateFormatter()
    private let fractional = ISO8601DateFormatter()

    init(now: Date = Date()) {
        self.now = now
        seconds.formatOptions = [.withInternetDateTime]
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    }

    /// An RFC 3339 timestamp (`metav1.Time`, or `MicroTime` with fractional seconds).
    func date(_ v: Value?) -> Date? {
        guard let s = v?.stringValue, !s.isEmpty else { return nil }
        return seconds.date(from: s) ?? fractional.date(from: s)
    }

    /// Time since a timestamp, as kubectl's `translateTimestampSince` prints it; `<unknown>` without one.
    func since(_ v: Value?) -> String {
        guard let d = date(v) else { return "<unknown>" }
        return Tables.humanDuration(now.timeIntervalSince(d))
    }
}

/// What a request asked for: a `Table` of which version, and how much of each object its rows carry.
struct TableRequest: Sendable {
    /// `meta.k8s.io/v1` or `meta.k8s.io/v1beta1`; kubectl offers both, in that order, and they share one shape.
    var apiVersion: String
    /// The `includeObject` parameter: `None`, `Metadata` (the default, a `PartialObjectMetadata`) or `Object`
    /// (kubectl asks for it with `--sort-by`, to read the sort field).
    var includeObject: String
    var printer: TablePrinter

    /// Nil when the request does not want a Table, or wants one of a kind without a printer (it then gets the
    /// plain object, which kubectl prints with its generic printer). The Accept header is read in order, like a
    /// real server's negotiation: the first media range the sandbox can serve wins, so a client that lists plain
    /// `application/json` first never gets a Table.
    init?(_ req: APIRequest, _ type: ResourceType) {
        var version: String?
        for range in req.accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let mediaType = parts.first?.lowercased() ?? ""
            var params: [String: String] = [:]
            for p in parts.dropFirst() {
                let kv = p.split(separator: "=", maxSplits: 1).map(String.init)
                if kv.count == 2 { params[kv[0].lowercased()] = kv[1] }
            }
            guard ["application/json", "application/*", "*/*"].contains(mediaType) else { continue }
            guard let target = params["as"] else { break }   // plain JSON is acceptable: no Table
            if target == "Table", params["g"] == "meta.k8s.io", let v = params["v"], v == "v1" || v == "v1beta1" {
                version = v
                break
            }
        }
        guard let version, let printer = Tables.printers[type.qualifiedName] else { return nil }
        apiVersion = "meta.k8s.io/\(version)"
        includeObject = req.param("includeObject") ?? "Metadata"
        self.printer = printer
    }

    /// A LIST (a `…List` with `items`) or a GET (one object) as a Table; the list's resourceVersion, or the
    /// object's, goes in the table's metadata as on a real server.
    func table(_ answer: Value) -> Value {
        let clock = TableClock()
        let objects = answer[path: "items"]?.listValue ?? [answer]
        return table(objects, resourceVersion: answer[path: "metadata", "resourceVersion"], clock)
    }

    /// A watch event whose object is a one-row Table (DELETED too: kubectl prints the row as it was last seen).
    /// Every event repeats the column definitions; kubectl prints the header once because they stay equal.
    func event(_ e: WatchEvent) -> Value {
        ["type": .string(e.type),
         "object": table([e.object], resourceVersion: e.object[path: "metadata", "resourceVersion"], TableClock())]
    }

    private func table(_ objects: [Value], resourceVersion: Value?, _ clock: TableClock) -> Value {
        var metadata: Value = [:]
        if let resourceVersion { metadata.set(["resourceVersion"], resourceVersion) }
        return ["kind": "Table", "apiVersion": .string(apiVersion), "metadata": metadata,
                "columnDefinitions": .list(printer.columns.map(\.json)),
                "rows": .list(printer.cells == nil ? [] : objects.map { row($0, clock) })]
    }

    private func row(_ object: Value, _ clock: TableClock) -> Value {
        var row: Value = ["cells": .list(printer.cells?(object, clock) ?? [])]
        if let conditions = printer.conditions?(object), !conditions.isEmpty { row.set(["conditions"], .list(conditions)) }
        switch includeObject {
        case "None": break
        case "Object": row.set(["object"], object)
        default:
            row.set(["object"], ["kind": "PartialObjectMetadata", "apiVersion": .string(apiVersion),
                                 "metadata": object[path: "metadata"] ?? [:]])
        }
        return row
    }
}

enum Tables {
    /// Answers a GET or LIST as a Table when the request asks for one, and marks a watch to send Table events;
    /// anything else (errors, plain requests, kinds without a printer) passes through unchanged.
    static func answer(_ response: APIResponse, _ req: APIRequest, _ type: ResourceType) -> APIResponse {
        guard let table = TableRequest(req, type) else { return response }
        switch response {
        case .json(200, let value): return .json(status: 200, table.table(value))
        case .watch(let filter, let from, let timeout, _): return .watch(filter, from: from, timeoutSeconds: timeout, table: table)
        default: return response
        }
    }

    /// The printers, by `ResourceType.qualifiedName`: one entry per kind the catalog serves.
    static let printers: [String: TablePrinter] = [
        "pods": TablePrinter(columns: [
            .name,
            TableColumn(name: "Ready", description: "The aggregate readiness state of this pod for accepting traffic."),
            TableColumn(name: "Status", description: "The aggregate status of the containers in this pod."),
            TableColumn(name: "Restarts", description: "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            .age,
            .wide("IP", "IP address allocated to the pod."),
            .wide("Node", "NodeName is a request to schedule this pod onto a specific node."),
            .wide("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods on the node."),
            .wide("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness."),
        ], cells: pod, conditions: podConditions),
        "deployments.apps": TablePrinter(columns: [
            .name,
            TableColumn(name: "Ready", description: "Number of the pod with ready state"),
            TableColumn(name: "Up-to-date", description: "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
            TableColumn(name: "Available", description: "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
            .age, .containers, .images, .selector,
        ], cells: deployment),
        "replicasets.apps": TablePrinter(columns: replicaColumns, cells: replicaSet),
        "replicationcontrollers": TablePrinter(columns: replicaColumns, cells: nil),
        "services": TablePrinter(columns: [
            .name,
            TableColumn(name: "Type", description: "type determines how the Service is exposed."),
            TableColumn(name: "Cluster-IP", description: "clusterIP is the IP address of the service."),
            TableColumn(name: "External-IP", description: "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
            TableColumn(name: "Port(s)", description: "The list of ports that are exposed by this service."),
            .age,
            .wide("Selector", "Route service traffic to pods with label keys and values matching this selector."),
        ], cells: service),
        "jobs.batch": TablePrinter(columns: [
            .name,
            TableColumn(name: "Status", description: "Status of the job."),
            TableColumn(name: "Completions", description: "The number of pods which reached phase Succeeded."),
            TableColumn(name: "Duration", description: "Time required to complete the job."),
            .age, .containers, .images, .selector,
        ], cells: job),
        "persistentvolumeclaims": TablePrinter(columns: [
            .name,
            TableColumn(name: "Status", description: "phase represents the current phase of PersistentVolumeClaim."),
            TableColumn(name: "Volume", description: "volumeName is the binding reference to the PersistentVolume backing this claim."),
            TableColumn(name: "Capacity", description: "capacity represents the actual resources of the underlying volume."),
            TableColumn(name: "Access Modes", description: "accessModes contains the actual access modes the volume backing the PVC has."),
            TableColumn(name: "StorageClass", description: "StorageClass of the pvc"),
            TableColumn(name: "VolumeAttributesClass", description: "VolumeAttributesClass of the pvc"),
            .age,
            .wide("VolumeMode", "volumeMode defines what type of volume is required by the claim."),
        ], cells: persistentVolumeClaim),
        "configmaps": TablePrinter(columns: [
            .name,
            TableColumn(name: "Data", description: "Data contains the configuration data."),
            .age,
        ], cells: { o, clock in
            [.string(o.name), .int((o[path: "data"]?.entries?.count ?? 0) + (o[path: "binaryData"]?.entries?.count ?? 0)),
             .string(clock.since(o[path: "metadata", "creationTimestamp"]))]
        }),
        "secrets": TablePrinter(columns: [
            .name,
            TableColumn(name: "Type", description: "Used to facilitate programmatic handling of secret data."),
            TableColumn(name: "Data", description: "Data contains the secret data."),
            .age,
        ], cells: { o, clock in
            [.string(o.name), .string(str(o[path: "type"])), .int(o[path: "data"]?.entries?.count ?? 0),
             .string(clock.since(o[path: "metadata", "creationTimestamp"]))]
        }),
        // printers.go's event columns: the subject as `kind/name`, the name itself only with `-o wide`.
        "events": TablePrinter(columns: [
            TableColumn(name: "Last Seen", description: "The time at which the most recent occurrence of this event was recorded."),
            TableColumn(name: "Type", description: "Type of this event (Normal, Warning), new types could be added in the future."),
            TableColumn(name: "Reason", description: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
            TableColumn(name: "Object", description: "The object that this event is about."),
            .wide("Subobject", "The field of the object the event is about (a container)."),
            .wide("Source", "The component reporting this event."),
            TableColumn(name: "Message", description: "A human-readable description of the status of this operation."),
            .wide("First Seen", "The time at which the event was first recorded."),
            .wide("Count", "The number of times this event has occurred."),
            TableColumn(name: "Name", format: "name", description: "Name must be unique within a namespace.", priority: 1),
        ], cells: { o, clock in
            let source = [str(o[path: "source", "component"]), str(o[path: "source", "host"])].filter { !$0.isEmpty }
            return [.string(clock.since(o[path: "lastTimestamp"])), .string(str(o[path: "type"])), .string(str(o[path: "reason"])),
                    .string(str(o[path: "involvedObject", "kind"]).lowercased() + "/" + str(o[path: "involvedObject", "name"])),
                    .string(str(o[path: "involvedObject", "fieldPath"])), .string(source.joined(separator: ", ")),
                    .string(str(o[path: "message"])), .string(clock.since(o[path: "firstTimestamp"])),
                    o[path: "count"] ?? 1, .string(o.name)]
        }),
        "namespaces": TablePrinter(columns: [
            .name,
            TableColumn(name: "Status", description: "The status of the namespace"),
            .age,
        ], cells: { o, clock in
            [.string(o.name), .string(str(o[path: "status", "phase"])), .string(clock.since(o[path: "metadata", "creationTimestamp"]))]
        }),
        // Served as always-empty lists (`ResourceCatalog`, `stored: false`): columns only.
        "statefulsets.apps": TablePrinter(columns: [
            .name,
            TableColumn(name: "Ready", description: "Number of the pod with ready state"),
            .age, .containers, .images,
        ], cells: nil),
        "daemonsets.apps": TablePrinter(columns: [
            .name,
            TableColumn(name: "Desired", type: "integer", description: "The total number of nodes that should be running the daemon pod."),
            TableColumn(name: "Current", type: "integer", description: "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod."),
            TableColumn(name: "Ready", type: "integer", description: "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready."),
            TableColumn(name: "Up-to-date", type: "integer", description: "The total number of nodes that are running updated daemon pod."),
            TableColumn(name: "Available", type: "integer", description: "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available."),
            TableColumn(name: "Node Selector", description: "NodeSelector is a selector which must be true for the pod to fit on a node."),
            .age, .containers, .images, .selector,
        ], cells: nil),
        "cronjobs.batch": TablePrinter(columns: [
            .name,
            TableColumn(name: "Schedule", description: "The schedule in Cron format."),
            TableColumn(name: "Timezone", description: "The time zone name for the given schedule."),
            TableColumn(name: "Suspend", type: "boolean", description: "This flag tells the controller to suspend subsequent executions."),
            TableColumn(name: "Active", type: "integer", description: "A list of pointers to currently running jobs."),
            TableColumn(name: "Last Schedule", description: "Information when was the last time the job was successfully scheduled."),
            .age, .containers, .images, .selector,
        ], cells: nil),
    ]

    static let replicaColumns: [TableColumn] = [
        .name,
        TableColumn(name: "Desired", type: "integer", description: "Replicas is the number of desired replicas."),
        TableColumn(name: "Current", type: "integer", description: "Replicas is the most recently observed number of replicas."),
        TableColumn(name: "Ready", type: "integer", description: "The number of ready replicas for this replica set."),
        .age, .containers, .images, .selector,
    ]

    // MARK: - Rows

    /// READY, STATUS and RESTARTS as kubectl's `printPod` works them out from the container statuses: a waiting or
    /// terminated container's reason wins over the phase (`Completed`, `Error`, `CrashLoopBackOff`), init containers
    /// show as `Init:N/M`, and a pod being deleted is `Terminating`.
    @Sendable static func pod(_ pod: Value, _ clock: TableClock) -> [Value] {
        let status = pod[path: "status"] ?? [:]
        let containers = pod[path: "spec", "containers"]?.listValue ?? []
        let initContainers = pod[path: "spec", "initContainers"]?.listValue ?? []
        // Sidecars (init containers with restartPolicy Always) count as containers.
        let sidecars = Set(initContainers.filter { str($0[path: "restartPolicy"]) == "Always" }.map { str($0[path: "name"]) })
        let total = containers.count + sidecars.count
        var ready = 0
        var restarts = 0, sidecarRestarts = 0
        var lastRestart: Date?, lastSidecarRestart: Date?
        func later(_ a: Date?, _ b: Date?) -> Date? { [a, b].compactMap { $0 }.max() }

        let phase = str(status[path: "phase"])
        var reason = nonEmpty(status[path: "reason"]) ?? phase
        let conditions = status[path: "conditions"]?.listValue ?? []
        if conditions.contains(where: { str($0[path: "type"]) == "PodScheduled" && str($0[path: "reason"]) == "SchedulingGated" }) {
            reason = "SchedulingGated"
        }
        func conditionTrue(_ type: String) -> Bool {
            conditions.contains { str($0[path: "type"]) == type && str($0[path: "status"]) == "True" }
        }

        var initializing = false
        for (i, c) in (status[path: "initContainerStatuses"]?.listValue ?? []).enumerated() {
            let finished = clock.date(c[path: "lastState", "terminated", "finishedAt"])
            restarts += int(c[path: "restartCount"])
            lastRestart = later(lastRestart, finished)
            let sidecar = sidecars.contains(str(c[path: "name"]))
            if sidecar {
                sidecarRestarts += int(c[path: "restartCount"])
                lastSidecarRestart = later(lastSidecarRestart, finished)
            }
            let terminated = c[path: "state", "terminated"]
            if let terminated, int(terminated[path: "exitCode"]) == 0 { continue }
            if sidecar, case .bool(true) = c[path: "started"] ?? .null {
                if isTrue(c[path: "ready"]) { ready += 1 }
                continue
            }
            if let terminated {
                reason = "Init:" + (nonEmpty(terminated[path: "reason"]) ?? exitReason(terminated))
            } else if let waiting = nonEmpty(c[path: "state", "waiting", "reason"]), waiting != "PodInitializing" {
                reason = "Init:" + waiting
            } else {
                reason = "Init:\(i)/\(initContainers.count)"
            }
            initializing = true
            break
        }

        if !initializing || conditionTrue("Initialized") {
            restarts = sidecarRestarts
            lastRestart = lastSidecarRestart
            var hasRunning = false
            for c in (status[path: "containerStatuses"]?.listValue ?? []).reversed() {
                restarts += int(c[path: "restartCount"])
                lastRestart = later(lastRestart, clock.date(c[path: "lastState", "terminated", "finishedAt"]))
                if let waiting = nonEmpty(c[path: "state", "waiting", "reason"]) {
                    reason = waiting
                } else if let terminated = c[path: "state", "terminated"] {
                    reason = nonEmpty(terminated[path: "reason"]) ?? exitReason(terminated)
                } else if isTrue(c[path: "ready"]), c[path: "state", "running"] != nil {
                    hasRunning = true
                    ready += 1
                }
            }
            if reason == "Completed" && hasRunning { reason = conditionTrue("Ready") ? "Running" : "NotReady" }
        }
        // The sandbox has no kubelet to report a scheduled pod's containers as waiting (reason ContainerCreating)
        // before they start; a real cluster shows that, not the bare phase.
        if phase == "Pending", reason == "Pending", status[path: "containerStatuses"] == nil, !str(pod[path: "spec", "nodeName"]).isEmpty {
            reason = "ContainerCreating"
        }
        if pod[path: "metadata", "deletionTimestamp"] != nil {
            if str(status[path: "reason"]) == "NodeLost" { reason = "Unknown" }
            else if phase != "Succeeded" && phase != "Failed" { reason = "Terminating" }
        }

        var restartCell = String(restarts)
        if restarts != 0, let lastRestart {
            restartCell += " (\(humanDuration(clock.now.timeIntervalSince(lastRestart))) ago)"
        }
        var readinessGates = "<none>"
        if let gates = pod[path: "spec", "readinessGates"]?.listValue, !gates.isEmpty {
            let met = gates.filter { g in
                conditions.first { str($0[path: "type"]) == str(g[path: "conditionType"]) }.map { str($0[path: "status"]) == "True" } ?? false
            }.count
            readinessGates = "\(met)/\(gates.count)"
        }
        let ip = (status[path: "podIPs"]?.listValue?.first).flatMap { nonEmpty($0[path: "ip"]) } ?? nonEmpty(status[path: "podIP"])
        return [.string(pod.name), .string("\(ready)/\(total)"), .string(reason), .string(restartCell),
                .string(clock.since(pod[path: "metadata", "creationTimestamp"])),
                .string(ip ?? "<none>"), .string(nonEmpty(pod[path: "spec", "nodeName"]) ?? "<none>"),
                .string(nonEmpty(status[path: "nominatedNodeName"]) ?? "<none>"), .string(readinessGates)]
    }

    @Sendable static func podConditions(_ pod: Value) -> [Value] {
        switch str(pod[path: "status", "phase"]) {
        case "Succeeded": return [["type": "Completed", "status": "True", "reason": "Succeeded", "message": "The pod has completed successfully."]]
        case "Failed": return [["type": "Completed", "status": "True", "reason": "Failed", "message": "The pod failed."]]
        default: return []
        }
    }

    /// READY is ready/desired. `spec.replicas` defaults to 1 on a real server (the sandbox stores what was sent).
    @Sendable static func deployment(_ d: Value, _ clock: TableClock) -> [Value] {
        let (names, images) = containerCells(d[path: "spec", "template", "spec", "containers"])
        return [.string(d.name), .string("\(int(d[path: "status", "readyReplicas"]))/\(d[path: "spec", "replicas"]?.countValue ?? 1)"),
                .int(int(d[path: "status", "updatedReplicas"])), .int(int(d[path: "status", "availableReplicas"])),
                .string(clock.since(d[path: "metadata", "creationTimestamp"])),
                .string(names), .string(images), .string(selectorString(d[path: "spec", "selector"]))]
    }

    @Sendable static func replicaSet(_ rs: Value, _ clock: TableClock) -> [Value] {
        let (names, images) = containerCells(rs[path: "spec", "template", "spec", "containers"])
        return [.string(rs.name), .int(rs[path: "spec", "replicas"]?.countValue ?? 1),
                .int(int(rs[path: "status", "replicas"])), .int(int(rs[path: "status", "readyReplicas"])),
                .string(clock.since(rs[path: "metadata", "creationTimestamp"])),
                .string(names), .string(images), .string(formatLabelSelector(rs[path: "spec", "selector"]))]
    }

    /// EXTERNAL-IP is `<none>` for ClusterIP/NodePort services without `externalIPs`, the load balancer's ingress
    /// IPs (or `<pending>` until there are some) for LoadBalancer. A real server defaults `type` to ClusterIP and
    /// each port's protocol to TCP; the sandbox does not, so the cells do. CLUSTER-IP is `<none>` while the sandbox
    /// allocates no cluster IPs.
    @Sendable static func service(_ svc: Value, _ clock: TableClock) -> [Value] {
        let type = nonEmpty(svc[path: "spec", "type"]) ?? "ClusterIP"
        let clusterIP = (svc[path: "spec", "clusterIPs"]?.listValue?.first).flatMap(nonEmpty) ?? nonEmpty(svc[path: "spec", "clusterIP"]) ?? "<none>"
        let externalIPs = (svc[path: "spec", "externalIPs"]?.listValue ?? []).compactMap(\.stringValue)
        let external: String
        switch type {
        case "ClusterIP", "NodePort": external = externalIPs.isEmpty ? "<none>" : externalIPs.joined(separator: ",")
        case "LoadBalancer":
            let ingress = Set((svc[path: "status", "loadBalancer", "ingress"]?.listValue ?? []).compactMap {
                nonEmpty($0[path: "ip"]) ?? nonEmpty($0[path: "hostname"])
            }).sorted()
            let all = ingress + externalIPs
            external = all.isEmpty ? "<pending>" : all.joined(separator: ",")
        case "ExternalName": external = str(svc[path: "spec", "externalName"])
        default: external = "<unknown>"
        }
        let ports = (svc[path: "spec", "ports"]?.listValue ?? []).map { p in
            let proto = nonEmpty(p[path: "protocol"]) ?? "TCP"
            let nodePort = int(p[path: "nodePort"])
            return nodePort > 0 ? "\(int(p[path: "port"])):\(nodePort)/\(proto)" : "\(int(p[path: "port"]))/\(proto)"
        }.joined(separator: ",")
        return [.string(svc.name), .string(type), .string(clusterIP), .string(external), .string(ports.isEmpty ? "<none>" : ports),
                .string(clock.since(svc[path: "metadata", "creationTimestamp"])),
                .string(formatLabels(svc[path: "spec", "selector"]))]
    }

    /// STATUS from the conditions (Complete, Failed, …, else Running); COMPLETIONS succeeded/completions, where a
    /// real server defaults `completions` to 1 when neither it nor `parallelism` is set; DURATION from startTime to
    /// completionTime, or to now while there is none (a failed Job keeps counting, as on a real cluster).
    @Sendable static func job(_ job: Value, _ clock: TableClock) -> [Value] {
        let succeeded = int(job[path: "status", "succeeded"])
        let parallelism = job[path: "spec", "parallelism"]?.countValue
        let completions: String
        if let c = job[path: "spec", "completions"]?.countValue ?? (parallelism == nil ? 1 : nil) {
            completions = "\(succeeded)/\(c)"
        } else if let parallelism, parallelism > 1 {
            completions = "\(succeeded)/1 of \(parallelism)"
        } else {
            completions = "\(succeeded)/1"
        }
        var duration = ""
        if let start = clock.date(job[path: "status", "startTime"]) {
            duration = humanDuration((clock.date(job[path: "status", "completionTime"]) ?? clock.now).timeIntervalSince(start))
        }
        let conditions = job[path: "status", "conditions"]?.listValue ?? []
        func has(_ type: String) -> Bool {
            conditions.first { str($0[path: "type"]) == type }.map { str($0[path: "status"]) == "True" } ?? false
        }
        let status = has("Complete") ? "Complete" : has("Failed") ? "Failed"
            : job[path: "metadata", "deletionTimestamp"] != nil ? "Terminating"
            : has("Suspended") ? "Suspended" : has("FailureTarget") ? "FailureTarget" : "Running"
        let (names, images) = containerCells(job[path: "spec", "template", "spec", "containers"])
        return [.string(job.name), .string(status), .string(completions), .string(duration),
                .string(clock.since(job[path: "metadata", "creationTimestamp"])),
                .string(names), .string(images), .string(formatLabelSelector(job[path: "spec", "selector"]))]
    }

    /// CAPACITY and ACCESS MODES come from the status once the claim is bound. A real claim is bound to a volume
    /// named in `spec.volumeName`, and the printer waits for that name; the sandbox binds claims without a volume,
    /// so a Bound phase is enough here. VOLUMEMODE defaults to Filesystem, as a real server sets it.
    @Sendable static func persistentVolumeClaim(_ pvc: Value, _ clock: TableClock) -> [Value] {
        let phase = pvc[path: "metadata", "deletionTimestamp"] != nil ? "Terminating" : str(pvc[path: "status", "phase"])
        let volume = str(pvc[path: "spec", "volumeName"])
        var capacity = "", modes = ""
        if !volume.isEmpty || str(pvc[path: "status", "phase"]) == "Bound" {
            capacity = quantity(pvc[path: "status", "capacity", "storage"])
            modes = accessModes(pvc[path: "status", "accessModes"])
        }
        let storageClass = pvc.annotations["volume.beta.kubernetes.io/storage-class"] ?? str(pvc[path: "spec", "storageClassName"])
        return [.string(pvc.name), .string(phase), .string(volume), .string(capacity), .string(modes), .string(storageClass),
                .string(nonEmpty(pvc[path: "spec", "volumeAttributesClassName"]) ?? "<unset>"),
                .string(clock.since(pvc[path: "metadata", "creationTimestamp"])),
                .string(nonEmpty(pvc[path: "spec", "volumeMode"]) ?? "Filesystem")]
    }

    // MARK: - Cell formats (kubectl's helpers)

    /// `duration.HumanDuration` from k8s.io/apimachinery: two units of precision while they matter (`3m2s`,
    /// `5h4m`, `3d2h`), one afterwards; a clock skew of up to a second reads as `0s`.
    static func humanDuration(_ interval: TimeInterval) -> String {
        let seconds = Int(interval)
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 60 * 2 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 {
            let s = seconds % 60
            return s == 0 ? "\(minutes)m" : "\(minutes)m\(s)s"
        }
        if minutes < 60 * 3 { return "\(minutes)m" }
        let hours = seconds / 3600
        if hours < 8 {
            let m = minutes % 60
            return m == 0 ? "\(hours)h" : "\(hours)h\(m)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let h = hours % 24
            return h == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(h)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let dy = (hours / 24) % 365
            return dy == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(dy)d"
        }
        return "\(hours / 24 / 365)y"
    }

    /// The CONTAINERS and IMAGES cells: names and images joined by commas.
    static func containerCells(_ containers: Value?) -> (String, String) {
        let list = containers?.listValue ?? []
        return (list.map { str($0[path: "name"]) }.joined(separator: ","), list.map { str($0[path: "image"]) }.joined(separator: ","))
    }

    /// A `LabelSelector` as `labels.Selector.String()` prints it: requirements sorted by key, `k=v`, `k in (a,b)`,
    /// `k notin (a,b)`, `k`, `!k`, joined by commas; empty when it selects everything.
    static func selectorString(_ selector: Value?) -> String {
        var requirements: [(String, String)] = []
        for (k, v) in (selector?[path: "matchLabels"]?.entries ?? [:]) { requirements.append((k, "\(k)=\(str(v))")) }
        for e in selector?[path: "matchExpressions"]?.listValue ?? [] {
            let key = str(e[path: "key"])
            let values = (e[path: "values"]?.listValue ?? []).compactMap(\.stringValue).sorted().joined(separator: ",")
            switch str(e[path: "operator"]) {
            case "In": requirements.append((key, "\(key) in (\(values))"))
            case "NotIn": requirements.append((key, "\(key) notin (\(values))"))
            case "Exists": requirements.append((key, key))
            case "DoesNotExist": requirements.append((key, "!\(key)"))
            default: break
            }
        }
        return requirements.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
            .map(\.element.1).joined(separator: ",")
    }

    /// `metav1.FormatLabelSelector`: the selector, or `<none>` when empty.
    static func formatLabelSelector(_ selector: Value?) -> String {
        let s = selectorString(selector)
        return s.isEmpty ? "<none>" : s
    }

    /// `labels.FormatLabels`: `k=v` sorted by key, or `<none>`.
    static func formatLabels(_ map: Value?) -> String {
        let pairs = (map ?? [:]).stringMap.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return pairs.isEmpty ? "<none>" : pairs.joined(separator: ",")
    }

    /// `GetAccessModesAsString`: RWO, ROX, RWX, RWOP in that order, each once.
    static func accessModes(_ modes: Value?) -> String {
        let set = Set((modes?.listValue ?? []).compactMap(\.stringValue))
        return [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")]
            .filter { set.contains($0.0) }.map(\.1).joined(separator: ",")
    }

    /// A resource quantity as written (`5Gi`); a bare number is printed as a number.
    static func quantity(_ v: Value?) -> String {
        switch v {
        case .string(let s)?: return s
        case .int(let i)?: return String(i)
        case .float(let d)?: return String(d)
        default: return ""
        }
    }

    /// Why a terminated container without a reason stopped: `Signal:N` or `ExitCode:N`.
    private static func exitReason(_ terminated: Value) -> String {
        let signal = int(terminated[path: "signal"])
        return signal != 0 ? "Signal:\(signal)" : "ExitCode:\(int(terminated[path: "exitCode"]))"
    }

    static func str(_ v: Value?) -> String { v?.stringValue ?? "" }
    static func nonEmpty(_ v: Value?) -> String? { v?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
    static func int(_ v: Value?) -> Int { v?.countValue ?? 0 }
    static func isTrue(_ v: Value?) -> Bool { if case .bool(true)? = v { return true } else { return false } }
}
