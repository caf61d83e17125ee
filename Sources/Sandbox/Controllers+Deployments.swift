import Core

/// The deployment controller: writes what `DeploymentRollout` decides. Each reconcile makes one step — the new
/// ReplicaSet found (its annotations brought up to date) or created, scaled up within the surge, old ones scaled down
/// within the unavailability, the Deployment's revision annotation and status written, history pruned once complete —
/// and the events of those writes (a ReplicaSet's status, a pod becoming ready) queue the next step.
extension Controllers {
    func reconcileDeployment(_ ns: String, _ name: String) {
        guard let d = store.get(R.deployments, namespace: ns, name: name) else { return }
        let owned = list(R.replicasets, namespace: ns).filter { $0.controllerRef?.uid == d.uid }
        let rollout = DeploymentRollout(deployment: d, owned: owned)
        let paused = d[path: "spec", "paused"]?.isTruthy ?? false

        if rollout.recreate {
            for (rs, to) in rollout.oldScaleDowns(newSpec: 0, newAvailable: 0) { scale(rs, to: to, for: rollout) }
        }
        var new = rollout.new
        if rollout.waitsForOldPods || (new == nil && paused) {
            // Recreate: the new pods start once the old ones are gone; paused: no new ReplicaSet until resumed.
        } else if let found = new {
            let annotations = rollout.newReplicaSetAnnotations(found.annotations)
            if annotations != found.annotations {
                new = (try? store.update(R.replicasets, namespace: ns, name: found.name) {
                    var o = $0
                    for (k, v) in annotations.sorted(by: { $0.key < $1.key }) { o.set(["metadata", "annotations", k], .string(v)) }
                    return o
                }) ?? found
            }
        } else {
            new = createReplicaSet(for: rollout)
        }
        if let current = new, !rollout.waitsForOldPods {
            let was = DeploymentRollout.specReplicas(current)
            let target = rollout.newReplicas(current: was)
            if target != was { new = scale(current, to: target, for: rollout) ?? current }
            if !rollout.recreate {
                let available = min(DeploymentRollout.available(current), target)
                for (rs, to) in rollout.oldScaleDowns(newSpec: target, newAvailable: available) { scale(rs, to: to, for: rollout) }
            }
        }

        // The Deployment carries its new ReplicaSet's revision (`kubectl rollout status --revision` reads it).
        if let revision = new?.annotations[DeploymentRollout.revisionKey], d.annotations[DeploymentRollout.revisionKey] != revision {
            _ = try? store.update(R.deployments, namespace: ns, name: name) {
                guard $0.uid == d.uid else { return $0 }
                var o = $0
                o.set(["metadata", "annotations", DeploymentRollout.revisionKey], .string(revision))
                return o
            }
        }
        let all = list(R.replicasets, namespace: ns).filter { $0.controllerRef?.uid == d.uid }
        let fresh = new.flatMap { n in all.first { $0.uid == n.uid } }
        let status = rollout.status(new: fresh, all: all, previous: d[path: "status"])
        setStatus(R.deployments, d, status)
        if rollout.isComplete(status) {
            for rs in rollout.prunable { _ = try? store.delete(R.replicasets, namespace: ns, name: rs.name) }
        }
    }

    /// A ReplicaSet `NAME-HASH` for the Deployment's template, at the revision after the old ones.
    private func createReplicaSet(for rollout: DeploymentRollout) -> Value? {
        let d = rollout.deployment
        let template = d[path: "spec", "template"] ?? [:]
        let hash = PodTemplate.hash(template)
        var t = template
        t.set(["metadata", "labels", PodTemplate.hashLabel], .string(hash))
        var selector = d[path: "spec", "selector"] ?? [:]
        selector.set(["matchLabels", PodTemplate.hashLabel], .string(hash))
        let replicas = rollout.newReplicas(current: 0)
        var rs: Value = [
            "metadata": ["name": .string("\(d.name)-\(hash)"), "labels": t[path: "metadata", "labels"] ?? [:],
                         "ownerReferences": [Self.ownerReference(d, R.deployments)]],
            "spec": ["replicas": .int(replicas), "selector": selector, "template": t],
        ]
        let annotations = rollout.newReplicaSetAnnotations([:]).merging(rollout.replicasAnnotations) { $1 }
        for (k, v) in annotations.sorted(by: { $0.key < $1.key }) { rs.set(["metadata", "annotations", k], .string(v)) }
        guard let created = try? store.create(R.replicasets, namespace: d.namespace, object: rs) else { return nil }
        events.record(d, R.deployments, "ScalingReplicaSet", "Scaled up replica set \(created.name) from 0 to \(replicas)",
                      component: "deployment-controller")
        return created
    }

    /// Scales a ReplicaSet (and notes the Deployment's size on it, as the real controller does); the updated object.
    @discardableResult
    private func scale(_ rs: Value, to replicas: Int, for rollout: DeploymentRollout) -> Value? {
        let was = DeploymentRollout.specReplicas(rs)
        events.record(rollout.deployment, R.deployments, "ScalingReplicaSet",
                      "Scaled \(replicas > was ? "up" : "down") replica set \(rs.name) from \(was) to \(replicas)", component: "deployment-controller")
        return try? store.update(R.replicasets, namespace: rs.namespace, name: rs.name) {
            var o = $0
            o.set(["spec", "replicas"], .int(replicas))
            for (k, v) in rollout.replicasAnnotations { o.set(["metadata", "annotations", k], .string(v)) }
            return o
        }
    }
}
