import Core
import Foundation

/// How long the simulated cluster takes: a pod goes Pending → Running/Ready after `podStart`; a Job's pod runs for
/// `jobRun` more before it Succeeds or Fails. Tests set both near zero.
public struct SandboxDelays: Sendable {
    public var podStart: TimeInterval
    public var jobRun: TimeInterval

    public init(podStart: TimeInterval = 0.5, jobRun: TimeInterval = 0.5) {
        self.podStart = podStart
        self.jobRun = jobRun
    }
}

/// The simulated controllers: Deployment → ReplicaSet → pods, Job → pod, LoadBalancer ingress IPs, PVC binding and
/// owner-reference garbage collection. They are level-triggered: every store event queues a reconcile of the objects it
/// concerns on one serial queue, and a reconcile reads the store and writes through it, so watches see every change.
/// A status write that changes nothing is dropped by the store, which is what ends the event loop.
final class Controllers: @unchecked Sendable {
    let store: ObjectStore
    private let queue = DispatchQueue(label: "tk8s.sandbox.controllers")
    private var observer: Int?
    private var stopped = false
    /// Read and written on `queue`.
    private var _delays: SandboxDelays
    /// Pods whose start is already scheduled, by uid (on `queue`).
    private var starting: Set<String> = []
    /// Job pods whose finish is already scheduled, by uid (on `queue`).
    private var finishing: Set<String> = []
    /// LoadBalancer IPs handed out, by service uid (on `queue`).
    private var ingressIPs: [String: String] = [:]
    private var podIPs = 0
    /// What happened, as `kubectl get events` and `describe` show it (on `queue`).
    var events: EventRecorder

    init(store: ObjectStore, delays: SandboxDelays) {
        self.store = store
        self._delays = delays
        self.events = EventRecorder(store: store)
    }

    var delays: SandboxDelays {
        get { queue.sync { _delays } }
        set { queue.sync { _delays = newValue } }
    }

    func start() {
        observer = store.observe { [weak self] event in
            guard let self else { return }
            self.queue.async { self.handle(event) }
        }
        // Objects that were there before (a restored state) get reconciled too.
        queue.async { [self] in
            // Pod IPs continue after the highest one restored, so no two pods share one.
            // The address comes from a state file: only octets (0–255) are read, so no product can overflow.
            for pod in list(R.pods, namespace: nil) {
                let parts = (pod[path: "status", "podIP"]?.stringValue ?? "").split(separator: ".").compactMap { UInt8($0) }
                if parts.count == 4 { podIPs = max(podIPs, Int(parts[2]) * 250 + Int(parts[3]) - 2) }
            }
            for r in ResourceCatalog.all where r.stored {
                for o in list(r, namespace: nil) { handle(WatchEvent(type: "ADDED", resource: r, object: o, resourceVersion: 0)) }
            }
        }
    }

    func stop() {
        if let observer { store.unobserve(observer) }
        queue.sync { stopped = true }
    }

    /// Waits until every queued reconcile has run (for tests).
    func drain() { queue.sync {} }

    // MARK: - Dispatch (on `queue`)

    private func handle(_ event: WatchEvent) {
        guard !stopped else { return }
        let o = event.object
        let ns = o.namespace, name = o.name
        if event.type == "DELETED" {
            collectGarbage(ownedBy: o)
            if event.resource == R.pods || event.resource == R.replicasets { reconcileOwner(of: o) }
            return
        }
        switch event.resource.plural {
        case "deployments": reconcileDeployment(ns, name)
        case "replicasets":
            reconcileReplicaSet(ns, name)
            reconcileOwner(of: o)
        case "pods":
            schedulePod(o)
            reconcileOwner(of: o)
        case "jobs": reconcileJob(ns, name)
        case "services": reconcileService(o)
        case "persistentvolumeclaims": reconcilePVC(o)
        default: break
        }
    }

    private func reconcileOwner(of o: Value) {
        guard let owner = o.controllerRef else { return }
        switch owner.kind {
        case "Deployment": reconcileDeployment(o.namespace, owner.name)
        case "ReplicaSet": reconcileReplicaSet(o.namespace, owner.name)
        case "Job": reconcileJob(o.namespace, owner.name)
        default: break
        }
    }

    /// Background cascading deletion: whatever names the deleted object's uid in its ownerReferences goes too (and
    /// its own dependents, through the DELETED events that follow).
    private func collectGarbage(ownedBy owner: Value) {
        guard let uid = owner[path: "metadata", "uid"]?.stringValue else { return }
        for r in [R.replicasets, R.pods, R.jobs, R.services, R.configmaps, R.pvcs, R.deployments] {
            for o in list(r, namespace: owner.namespace) where o.ownerUIDs.contains(uid) {
                _ = try? store.delete(r, namespace: o.namespace, name: o.name)
            }
        }
    }

    // MARK: - ReplicaSets

    /// The most pods a ReplicaSet runs in the sandbox. A real cluster takes any int32 and is limited by its nodes;
    /// here every pod lives in this process, so `replicas: 100000` would stall the controllers and fill memory.
    static let maxPodsPerReplicaSet = 250

    private func reconcileReplicaSet(_ ns: String, _ name: String) {
        guard let rs = store.get(R.replicasets, namespace: ns, name: name) else { return }
        let want = min(rs[path: "spec", "replicas"]?.countValue ?? 1, Self.maxPodsPerReplicaSet)
        var pods = list(R.pods, namespace: ns).filter { $0.controllerRef?.uid == rs.uid }
        if pods.count < want {
            let template = rs[path: "spec", "template"] ?? [:]
            for _ in pods.count..<want {
                if let p = try? store.create(R.pods, namespace: ns, object: newPod(template, owner: rs, R.replicasets, prefix: name)) {
                    pods.append(p)
                    events.record(rs, R.replicasets, "SuccessfulCreate", "Created pod: \(p.name)", component: "replicaset-controller")
                }
            }
        } else if pods.count > want {
            // Not-ready and newest pods go first, like the real controller.
            let doomed = pods.sorted { a, b in
                a.isReady != b.isReady ? !a.isReady : a.creationTimestamp > b.creationTimestamp
            }.prefix(pods.count - want)
            for p in doomed where (try? store.delete(R.pods, namespace: ns, name: p.name)) != nil {
                events.record(rs, R.replicasets, "SuccessfulDelete", "Deleted pod: \(p.name)", component: "replicaset-controller")
            }
            let gone = Set(doomed.map(\.uid))
            pods.removeAll { gone.contains($0.uid) }
        }
        let ready = pods.filter(\.isReady).count
        let status: Value = ["replicas": .int(pods.count), "fullyLabeledReplicas": .int(pods.count), "readyReplicas": .int(ready),
                             "availableReplicas": .int(ready), "observedGeneration": rs[path: "metadata", "generation"] ?? 1]
        setStatus(R.replicasets, rs, status)
    }

    // MARK: - Jobs

    private func reconcileJob(_ ns: String, _ name: String) {
        guard let job = store.get(R.jobs, namespace: ns, name: name) else { return }
        let conditions = job[path: "status", "conditions"]?.listValue ?? []
        if conditions.contains(where: { ["Complete", "Failed"].contains($0[path: "type"]?.stringValue ?? "") }) { return }
        let pods = list(R.pods, namespace: ns).filter { $0.controllerRef?.uid == job.uid }
        var status = job[path: "status"] ?? [:]
        if status[path: "startTime"] == nil { status.set(["startTime"], .string(Timestamp.string())) }
        if pods.isEmpty {
            var template = job[path: "spec", "template"] ?? [:]
            for (k, v) in ["job-name": name, "batch.kubernetes.io/job-name": name,
                           "controller-uid": job.uid, "batch.kubernetes.io/controller-uid": job.uid] {
                template.set(["metadata", "labels", k], .string(v))
            }
            if Self.shouldFail(job) { template.set(["metadata", "annotations", "sandbox.tk8s/fail"], "true") }
            if let p = try? store.create(R.pods, namespace: ns, object: newPod(template, owner: job, R.jobs, prefix: name)) {
                events.record(job, R.jobs, "SuccessfulCreate", "Created pod: \(p.name)", component: "job-controller")
            }
            status.set(["active"], 1)
            status.set(["ready"], 0)
            setStatus(R.jobs, job, status)
            return
        }
        let phases = pods.map { $0[path: "status", "phase"]?.stringValue ?? "Pending" }
        let succeeded = phases.filter { $0 == "Succeeded" }.count, failed = phases.filter { $0 == "Failed" }.count
        let active = phases.count - succeeded - failed
        status.set(["active"], active > 0 ? .int(active) : nil)
        status.set(["ready"], .int(pods.filter(\.isReady).count))
        if succeeded > 0 { status.set(["succeeded"], .int(succeeded)) }
        if failed > 0 { status.set(["failed"], .int(failed)) }
        let now = Timestamp.string()
        func cond(_ type: String, _ reason: String, _ message: String) -> Value {
            ["type": .string(type), "status": "True", "lastProbeTime": .string(now), "lastTransitionTime": .string(now),
             "reason": .string(reason), "message": .string(message)]
        }
        if succeeded > 0 {
            status.set(["completionTime"], .string(now))
            status.set(["conditions"], [cond("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods"),
                                        cond("Complete", "CompletionsReached", "Reached expected number of succeeded pods")])
            events.record(job, R.jobs, "Completed", "Job completed", component: "job-controller")
        } else if failed > 0 {
            // One attempt, whatever backoffLimit says.
            status.set(["conditions"], [cond("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
                                        cond("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit")])
            events.record(job, R.jobs, "BackoffLimitExceeded", "Job has reached the specified backoff limit", component: "job-controller", kind: .warning)
        }
        setStatus(R.jobs, job, status)
    }

    /// The demo asks a Job to fail with the annotation `sandbox.tk8s/fail: "true"` on the Job or its pod template, or a
    /// script with an `exit N` (N ≠ 0) outside any `if`/loop (`sh -c "echo oops; exit 1"`); a script whose `exit 1`
    /// sits in an error branch (tk8s's own init scripts) runs to success.
    static func shouldFail(_ job: Value) -> Bool {
        if job.annotations["sandbox.tk8s/fail"] == "true" { return true }
        if (job[path: "spec", "template", "metadata", "annotations"] ?? [:]).stringMap["sandbox.tk8s/fail"] == "true" { return true }
        for c in job[path: "spec", "template", "spec", "containers"]?.listValue ?? [] {
            let words = ((c[path: "command"]?.listValue ?? []) + (c[path: "args"]?.listValue ?? [])).compactMap(\.stringValue)
            if words.contains(where: exitsAtTopLevel) { return true }
        }
        return false
    }

    /// Whether a shell script runs `exit N` (N ≠ 0) at its top level, outside `if`, loops and `case`.
    static func exitsAtTopLevel(_ script: String) -> Bool {
        var depth = 0
        for raw in script.split(whereSeparator: { $0 == "\n" || $0 == ";" }) {
            let segment = raw.trimmingCharacters(in: .whitespaces)
            let first = segment.split(separator: " ").first.map(String.init) ?? ""
            if ["if", "while", "until", "for", "case"].contains(first) { depth += 1 }
            if ["fi", "done", "esac"].contains(first) { depth = max(0, depth - 1) }
            if depth == 0, segment.range(of: #"^exit\s+[1-9][0-9]*$"#, options: .regularExpression) != nil { return true }
        }
        return false
    }

    // MARK: - Pods

    private func newPod(_ template: Value, owner: Value, _ ownerType: ResourceType, prefix: String) -> Value {
        var meta = template[path: "metadata"] ?? [:]
        // The store makes the name from `generateName`, as a real ReplicaSet or Job controller asks it to.
        meta.set(["name"], nil)
        meta.set(["generateName"], .string("\(prefix)-"))
        meta.set(["ownerReferences"], [Self.ownerReference(owner, ownerType)])
        var spec = template[path: "spec"] ?? [:]
        spec.set(["nodeName"], "sandbox")
        return ["metadata": meta, "spec": spec,
                "status": ["phase": "Pending", "qosClass": "BestEffort",
                           "conditions": [["type": "PodScheduled", "status": "True", "lastTransitionTime": .string(Timestamp.string())]]]]
    }

    /// A Pending pod starts after `podStart`; a Job's pod then finishes after `jobRun`. A Job's pod found Running
    /// (restored from a state file, whose timers did not survive the restart) gets its finish scheduled again.
    private func schedulePod(_ pod: Value) {
        let phase = pod[path: "status", "phase"]?.stringValue ?? "Pending"
        if phase == "Running", pod.controllerRef?.kind == "Job" {
            scheduleFinish(pod, ip: pod[path: "status", "podIP"]?.stringValue ?? "")
            return
        }
        guard phase == "Pending", !starting.contains(pod.uid) else { return }
        starting.insert(pod.uid)
        events.record(pod, R.pods, "Scheduled", "Successfully assigned \(pod.namespace)/\(pod.name) to sandbox", component: "default-scheduler")
        queue.asyncAfter(deadline: .now() + _delays.podStart) { [self] in
            guard !stopped else { return }
            starting.remove(pod.uid)
            podIPs += 1
            let ip = "10.244.\(podIPs / 250).\(podIPs % 250 + 2)"
            guard let running = transitionPod(pod, to: "Running", ip: ip) else { return }
            for c in running[path: "spec", "containers"]?.listValue ?? [] {
                let name = c[path: "name"]?.stringValue ?? "", image = c[path: "image"]?.stringValue ?? ""
                let field = "spec.containers{\(name)}"
                events.record(running, R.pods, "Pulled", "Container image \"\(image)\" already present on machine", component: "kubelet", fieldPath: field)
                events.record(running, R.pods, "Created", "Created container: \(name)", component: "kubelet", fieldPath: field)
                events.record(running, R.pods, "Started", "Started container \(name)", component: "kubelet", fieldPath: field)
            }
            if running.controllerRef?.kind == "Job" { scheduleFinish(running, ip: ip) }
        }
    }

    /// A running Job pod Succeeds (or Fails, when the demo asks) after `jobRun`; once per pod.
    private func scheduleFinish(_ running: Value, ip: String) {
        guard !finishing.contains(running.uid) else { return }
        finishing.insert(running.uid)
        queue.asyncAfter(deadline: .now() + _delays.jobRun) { [self] in
            guard !stopped else { return }
            finishing.remove(running.uid)
            let fail = running.annotations["sandbox.tk8s/fail"] == "true"
            _ = transitionPod(running, to: fail ? "Failed" : "Succeeded", ip: ip)
        }
    }

    /// Writes the pod's status for `phase`, if the pod (same uid) is still there.
    private func transitionPod(_ pod: Value, to phase: String, ip: String) -> Value? {
        guard let live = store.get(R.pods, namespace: pod.namespace, name: pod.name), live.uid == pod.uid else { return nil }
        let now = Timestamp.string()
        let running = phase == "Running"
        let started = live[path: "status", "startTime"]?.stringValue ?? now
        let ready: Value = running ? "True" : "False"
        var status = live[path: "status"] ?? [:]
        status.set(["phase"], .string(phase))
        status.set(["hostIP"], "127.0.0.1")
        status.set(["podIP"], .string(ip))
        status.set(["podIPs"], [["ip": .string(ip)]])
        status.set(["startTime"], .string(started))
        status.set(["conditions"], .list([
            ["type": "PodReadyToStartContainers", "status": ready, "lastTransitionTime": .string(now)],
            ["type": "Initialized", "status": "True", "lastTransitionTime": .string(now)],
            running ? ["type": "Ready", "status": ready, "lastTransitionTime": .string(now)]
                : ["type": "Ready", "status": ready, "lastTransitionTime": .string(now), "reason": "PodCompleted"],
            running ? ["type": "ContainersReady", "status": ready, "lastTransitionTime": .string(now)]
                : ["type": "ContainersReady", "status": ready, "lastTransitionTime": .string(now), "reason": "PodCompleted"],
            ["type": "PodScheduled", "status": "True", "lastTransitionTime": .string(started)],
        ]))
        let exitCode = phase == "Failed" ? 1 : 0
        status.set(["containerStatuses"], .list((live[path: "spec", "containers"]?.listValue ?? []).map { c in
            let image = c[path: "image"]?.stringValue ?? ""
            let state: Value = running ? ["running": ["startedAt": .string(started)]]
                : ["terminated": ["exitCode": .int(exitCode), "reason": exitCode == 0 ? "Completed" : "Error",
                                  "startedAt": .string(started), "finishedAt": .string(now)]]
            return ["name": c[path: "name"] ?? "", "image": .string(image), "imageID": .string(image),
                    "containerID": .string("sandbox://\(pod.uid.prefix(12))-\(c[path: "name"]?.stringValue ?? "")"),
                    "ready": .bool(running), "started": .bool(running), "restartCount": 0, "state": state]
        }))
        return try? store.update(R.pods, namespace: pod.namespace, name: pod.name) { o in
            guard o.uid == pod.uid else { return o }
            var o = o
            o.set(["status"], status)
            return o
        }
    }

    // MARK: - Services and PVCs

    private func reconcileService(_ svc: Value) {
        guard svc[path: "spec", "type"]?.stringValue == "LoadBalancer" else { return }
        // A service restored from a state file keeps the IP it had; a new one gets the lowest free 127.0.0.x.
        if ingressIPs[svc.uid] == nil, svc[path: "status", "loadBalancer", "ingress"] == nil {
            events.record(svc, R.services, "EnsuringLoadBalancer", "Ensuring load balancer", component: "service-controller")
            events.record(svc, R.services, "EnsuredLoadBalancer", "Ensured load balancer", component: "service-controller")
        }
        let ip = ingressIPs[svc.uid] ?? {
            let used = Set(ingressIPs.values)
            let ip = svc[path: "status", "loadBalancer", "ingress"]?.listValue?.first?[path: "ip"]?.stringValue
                ?? (1...254).lazy.map { "127.0.0.\($0)" }.first { !used.contains($0) } ?? "127.0.0.254"
            ingressIPs[svc.uid] = ip
            return ip
        }()
        setStatus(R.services, svc, ["loadBalancer": ["ingress": [["ip": .string(ip), "ipMode": "VIP"]]]])
    }

    private func reconcilePVC(_ pvc: Value) {
        // Binding names the (imaginary) volume in the claim's spec, as the real binder does.
        if pvc[path: "spec", "volumeName"] == nil {
            _ = try? store.update(R.pvcs, namespace: pvc.namespace, name: pvc.name) { o in
                guard o.uid == pvc.uid, o[path: "spec", "volumeName"] == nil else { return o }
                var o = o
                o.set(["spec", "volumeName"], .string("pvc-\(pvc.uid)"))
                return o
            }
        }
        var status: Value = ["phase": "Bound", "accessModes": pvc[path: "spec", "accessModes"] ?? ["ReadWriteOnce"]]
        if let storage = pvc[path: "spec", "resources", "requests", "storage"] { status.set(["capacity", "storage"], storage) }
        setStatus(R.pvcs, pvc, status)
    }

    // MARK: - Helpers

    func list(_ r: ResourceType, namespace: String?) -> [Value] {
        store.list(.all(r, namespace: namespace)).items
    }

    /// Replaces the status of the object (same uid), leaving everything else as the store has it now.
    func setStatus(_ r: ResourceType, _ object: Value, _ status: Value) {
        _ = try? store.update(r, namespace: object.namespace, name: object.name) { o in
            guard o.uid == object.uid else { return o }
            var o = o
            o.set(["status"], status)
            return o
        }
    }

    /// A condition that keeps its old timestamps while its status and reason stay the same.
    static func condition(_ old: Value?, _ type: String, _ ok: Bool, _ reason: String, _ message: String) -> Value {
        let status: Value = ok ? "True" : "False"
        if let previous = old?.listValue?.first(where: { $0[path: "type"]?.stringValue == type }),
           previous[path: "status"]?.stringValue == status.stringValue, previous[path: "reason"]?.stringValue == reason {
            return previous
        }
        let now = Timestamp.string()
        return ["type": .string(type), "status": status, "lastUpdateTime": .string(now), "lastTransitionTime": .string(now),
                "reason": .string(reason), "message": .string(message)]
    }

    static func ownerReference(_ owner: Value, _ type: ResourceType) -> Value {
        ["apiVersion": .string(type.groupVersion), "kind": .string(type.kind), "name": .string(owner.name),
         "uid": .string(owner.uid), "controller": true, "blockOwnerDeletion": true]
    }

    /// The resource types the controllers touch.
    typealias R = ResourceCatalog
}
