import Core
import Foundation

/// What the deployment controller decides for one Deployment and the ReplicaSets it controls, computed without
/// touching the store (`Controllers+Deployments.swift` writes the decisions). It follows the real controller
/// (k8s.io/kubernetes/pkg/controller/deployment: sync.go, rolling.go, recreate.go, util/deployment_util.go), because
/// `kubectl rollout status|history|undo` read what it writes:
///
/// - the new ReplicaSet is the one whose template equals the Deployment's, hash label aside (`PodTemplate`); its
///   revision is one more than the highest of the others, and a ReplicaSet brought back by an undo keeps the revisions
///   it had in `deployment.kubernetes.io/revision-history`;
/// - RollingUpdate scales the new one up within `maxSurge` and the old ones down as far as `maxUnavailable` allows, so
///   pods are replaced a few at a time; Recreate scales the old ones to 0 and starts the new one when their pods are gone;
/// - the status counts pods from the ReplicaSets' statuses (`updatedReplicas` only the new one's), and old ReplicaSets
///   at 0 beyond `revisionHistoryLimit` are deleted once the rollout is complete.
struct DeploymentRollout {
    static let revisionKey = "deployment.kubernetes.io/revision"
    static let revisionHistoryKey = "deployment.kubernetes.io/revision-history"
    static let desiredReplicasKey = "deployment.kubernetes.io/desired-replicas"
    static let maxReplicasKey = "deployment.kubernetes.io/max-replicas"
    /// The Deployment annotations the controller does not copy onto its new ReplicaSet (`skipCopyAnnotation`).
    static let notCopied: Set<String> = ["kubectl.kubernetes.io/last-applied-configuration", revisionKey, revisionHistoryKey,
                                         desiredReplicasKey, maxReplicasKey, "deprecated.deployment.rollback.to"]
    /// How long `revision-history` may grow (`maxRevHistoryLengthInChars`), oldest revisions dropped first.
    static let maxRevisionHistoryLength = 2000

    let deployment: Value
    /// `spec.replicas`.
    let replicas: Int
    let recreate: Bool
    /// `maxSurge` and `maxUnavailable` resolved against `replicas` (0 under Recreate).
    let maxSurge: Int
    let maxUnavailable: Int
    /// The ReplicaSet running the current template, if there is one yet.
    let new: Value?
    /// The other ReplicaSets the Deployment controls, oldest first.
    let old: [Value]

    init(deployment d: Value, owned: [Value]) {
        deployment = d
        replicas = d[path: "spec", "replicas"]?.countValue ?? 1
        recreate = d[path: "spec", "strategy", "type"]?.stringValue == "Recreate"
        if recreate {
            (maxSurge, maxUnavailable) = (0, 0)
        } else {
            let surge = Self.scaled(d[path: "spec", "strategy", "rollingUpdate", "maxSurge"], of: replicas, roundUp: true)
            let unavailable = Self.scaled(d[path: "spec", "strategy", "rollingUpdate", "maxUnavailable"], of: replicas, roundUp: false)
            // Both 0 would stall a rollout: the real controller then lets one pod be unavailable.
            (maxSurge, maxUnavailable) = (surge, surge == 0 && unavailable == 0 ? 1 : min(unavailable, replicas))
        }
        let template = d[path: "spec", "template"] ?? [:]
        let sorted = owned.sorted { ($0.creationTimestamp, $0.name) < ($1.creationTimestamp, $1.name) }
        let found = sorted.first { PodTemplate.equalIgnoringHash($0[path: "spec", "template"] ?? [:], template) }
        new = found
        old = sorted.filter { $0.uid != found?.uid }
    }

    /// An int-or-percent (`25%` or `1`) of `total`, as `GetScaledValueFromIntOrPercent` reads it; 25% when unset.
    static func scaled(_ value: Value?, of total: Int, roundUp: Bool) -> Int {
        let text = value?.stringValue ?? (value?.countValue.map(String.init) ?? "25%")
        guard text.hasSuffix("%") else { return max(Int(text) ?? 0, 0) }
        let percent = Double(max(Int(text.dropLast()) ?? 0, 0)) * Double(total) / 100
        return Int(roundUp ? percent.rounded(.up) : percent.rounded(.down))
    }

    // MARK: - Revisions

    /// A ReplicaSet's revision annotation as an int64, as kubectl reads it; kept below Int.max (anyone may write it)
    /// so that `+ 1` cannot trap.
    static func revision(_ rs: Value) -> Int { parse(rs.annotations[revisionKey]) }

    private static func parse(_ revision: String?) -> Int { min(max(Int(revision ?? "") ?? 0, 0), Int.max - 1) }

    /// The revision the new ReplicaSet must carry: one more than any old one's.
    var newRevision: Int { (old.map(Self.revision).max() ?? 0) + 1 }

    /// The annotations of the new ReplicaSet (`SetNewReplicaSetAnnotations`): the Deployment's own copied over, the
    /// revision raised to `newRevision` when it is lower, and the revision it had appended to `revision-history`
    /// (an undo brings an old ReplicaSet back as the newest revision).
    func newReplicaSetAnnotations(_ current: [String: String]) -> [String: String] {
        var a = current
        for (k, v) in deployment.annotations where !Self.notCopied.contains(k) { a[k] = v }
        let had = current[Self.revisionKey]
        guard Self.parse(had) < newRevision else { return a }
        a[Self.revisionKey] = String(newRevision)
        if let had, !had.isEmpty {
            var history = (current[Self.revisionHistoryKey] ?? "").split(separator: ",").map(String.init)
            history.append(had)
            while history.joined(separator: ",").count > Self.maxRevisionHistoryLength, history.count > 1 { history.removeFirst() }
            a[Self.revisionHistoryKey] = history.joined(separator: ",")
        }
        return a
    }

    /// `desired-replicas` and `max-replicas`, which the controller writes on every ReplicaSet it scales.
    var replicasAnnotations: [String: String] {
        [Self.desiredReplicasKey: String(replicas), Self.maxReplicasKey: String(replicas + maxSurge)]
    }

    // MARK: - Scaling

    static func specReplicas(_ rs: Value) -> Int { rs[path: "spec", "replicas"]?.countValue ?? 1 }

    /// Pods of a ReplicaSet that are available: its status, but never more than it is scaled to (a status written
    /// before a scale-down is not read as pods that still serve).
    static func available(_ rs: Value) -> Int {
        min(rs[path: "status", "availableReplicas"]?.countValue ?? 0, specReplicas(rs))
    }

    /// Whether a Recreate rollout still waits for old pods to go before it starts the new ones.
    var waitsForOldPods: Bool {
        recreate && old.contains { Self.specReplicas($0) > 0 || ($0[path: "status", "replicas"]?.countValue ?? 0) > 0 }
    }

    /// What the new ReplicaSet should be scaled to (`NewRSNewReplicas`): under RollingUpdate up to `maxSurge` pods over
    /// `replicas` in all, never above `replicas`; down to `replicas` when it has more.
    func newReplicas(current: Int) -> Int {
        if recreate || current >= replicas { return replicas }
        let total = old.reduce(current) { $0 + Self.specReplicas($1) }
        let room = replicas + maxSurge - total
        return room > 0 ? current + min(room, replicas - current) : current
    }

    /// The old ReplicaSets to scale down and to what (`reconcileOldReplicaSets`), given the new one's spec and
    /// availability: never below `replicas - maxUnavailable` available pods in all; unavailable old pods go first.
    func oldScaleDowns(newSpec: Int, newAvailable: Int) -> [(rs: Value, to: Int)] {
        if recreate { return old.filter { Self.specReplicas($0) > 0 }.map { ($0, 0) } }
        var specs = old.map(Self.specReplicas)
        guard specs.reduce(0, +) > 0 else { return [] }
        let minAvailable = replicas - maxUnavailable
        let maxScaledDown = specs.reduce(newSpec, +) - minAvailable - (newSpec - newAvailable)
        guard maxScaledDown > 0 else { return [] }
        // First the pods that are not available anyway…
        var cleaned = 0
        for (i, rs) in old.enumerated() where cleaned < maxScaledDown && specs[i] > Self.available(rs) {
            let down = min(maxScaledDown - cleaned, specs[i] - Self.available(rs))
            specs[i] -= down
            cleaned += down
        }
        // …then available ones, oldest ReplicaSet first, while enough stay available.
        var available = old.indices.reduce(newAvailable) { $0 + min(Self.available(old[$1]), specs[$1]) }
        for i in old.indices where available > minAvailable && specs[i] > 0 {
            let down = min(specs[i], available - minAvailable)
            specs[i] -= down
            available -= down
        }
        return old.indices.filter { specs[$0] != Self.specReplicas(old[$0]) }.map { (old[$0], specs[$0]) }
    }

    // MARK: - Status and clean-up

    /// `calculateStatus` and the Progressing condition of `syncRolloutStatus`, from the ReplicaSets as they are now
    /// (`all` includes the new one, if there is one yet).
    func status(new: Value?, all: [Value], previous: Value?) -> Value {
        func sum(_ field: String) -> Int { all.reduce(0) { $0 + ($1[path: "status", field]?.countValue ?? 0) } }
        let available = all.reduce(0) { $0 + Self.available($1) }
        let total = sum("replicas"), specTotal = all.reduce(0) { $0 + Self.specReplicas($1) }
        let updated = new?[path: "status", "replicas"]?.countValue ?? 0
        var status: Value = ["observedGeneration": deployment[path: "metadata", "generation"] ?? 1, "replicas": .int(total),
                             "updatedReplicas": .int(updated), "readyReplicas": .int(sum("readyReplicas")),
                             "availableReplicas": .int(available)]
        if specTotal > available { status.set(["unavailableReplicas"], .int(specTotal - available)) }
        let minimum = available >= replicas - maxUnavailable
        let complete = new != nil && updated == replicas && total == replicas && available == replicas
        let subject = new.map { "ReplicaSet \"\($0.name)\"" } ?? "Deployment \"\(deployment.name)\""
        let conditions = previous?[path: "conditions"]
        status.set(["conditions"], .list([
            Controllers.condition(conditions, "Available", minimum, minimum ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                                  minimum ? "Deployment has minimum availability." : "Deployment does not have minimum availability."),
            Controllers.condition(conditions, "Progressing", true, complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                                  complete ? "\(subject) has successfully progressed." : "\(subject) is progressing."),
        ]))
        return status
    }

    /// Whether a status says the rollout is done (`DeploymentComplete`).
    func isComplete(_ status: Value) -> Bool {
        ["updatedReplicas", "replicas", "availableReplicas"].allSatisfy { status[path: $0]?.countValue == replicas }
    }

    /// Old ReplicaSets to delete (`cleanupDeployment`): beyond `revisionHistoryLimit` (default 10), lowest revision
    /// first, only those scaled to 0 with no pods left.
    var prunable: [Value] {
        let limit = deployment[path: "spec", "revisionHistoryLimit"]?.countValue ?? 10
        let excess = old.count - max(limit, 0)
        guard excess > 0 else { return [] }
        return old.sorted { Self.revision($0) < Self.revision($1) }.prefix(excess).filter {
            Self.specReplicas($0) == 0 && ($0[path: "status", "replicas"]?.countValue ?? 0) == 0
        }
    }
}
