import Lang

/// `restart NAMES…` and `rollback NAME`: the rolling restart after a settings change and the way back from a
/// bad image, which Tutor leaves to `kubectl rollout`. Both wait for the rollout to finish, as `wait` does.
enum RolloutBuiltins {
    static func register(into r: Registry, _ ctx: RuntimeContext) {
        let noWait = FlagSpec("no-wait", help: "do not wait for the rollout to finish")
        let timeout = FlagSpec("timeout", value: .int, help: "seconds to wait for each rollout (default 600)", valueName: "SECONDS")

        r.register(Signature("restart", "Restart deployments without downtime: new pods replace the old ones one ReplicaSet at a time (`kubectl rollout restart`), then wait for every rollout, in parallel.",
                             params: [Param("names", .string, .variadic, help: "deployments (lms, cms…)", completion: .provider("service"))],
                             flags: [noWait, timeout],
                             examples: ["restart lms cms", "restart lms-worker --no-wait"])) { args, _ in
            let cluster = try Cluster.load(ctx, at: args.span)
            let names = args.strings("names")
            guard !names.isEmpty else { throw Diagnostic(.argumentCount, "`restart` needs at least one deployment name", at: args.span) }
            try cluster.kubectl(["rollout", "restart"] + cluster.namespaceArguments + names.map { "deployment/\($0)" })
            try waitForRollouts(cluster, names, args)
            return .null
        }

        r.register(Signature("rollback", "Go back to a deployment's previous revision (or --to-revision N) with `kubectl rollout undo`, then wait for it.",
                             params: [Param("name", .string, help: "the deployment", completion: .provider("service"))],
                             flags: [FlagSpec("to-revision", value: .int, help: "the revision to go back to (see `kubectl rollout history deployment/NAME`)", valueName: "N"),
                                     noWait, timeout],
                             examples: ["rollback lms", "rollback cms --to-revision 3",
                                        "try { restart lms } catch err { rollback lms }"])) { args, _ in
            let cluster = try Cluster.load(ctx, at: args.span)
            let name = args.string("name")
            var argv = ["rollout", "undo"] + cluster.namespaceArguments + ["deployment/\(name)"]
            if let n = args.optionalInt("to-revision") {
                guard n > 0 else { throw Diagnostic(.invalidArgument, "`--to-revision` must be 1 or more, got \(n)", at: args.span) }
                argv.append("--to-revision=\(n)")
            }
            try cluster.kubectl(argv)
            try waitForRollouts(cluster, [name], args)
            return .null
        }
    }

    /// `kubectl rollout status` for each deployment at once, unless `--no-wait`.
    private static func waitForRollouts(_ cluster: Cluster, _ names: [String], _ args: Arguments) throws {
        if args.has("no-wait") { return }
        let seconds = args.optionalInt("timeout") ?? 600
        guard seconds > 0 else { throw Diagnostic(.invalidArgument, "`--timeout` must be 1 or more seconds, got \(seconds)", at: args.span) }
        let calls = names.map { ["rollout", "status"] + cluster.namespaceArguments + ["deployment/\($0)", "--timeout=\(seconds)s"] }
        try cluster.ctx.kubectl.runConcurrently(calls, kind: .read, redactor: cluster.redactor)
    }
}
