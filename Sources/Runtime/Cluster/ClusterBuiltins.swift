import Core
import Lang
import OrderedCollections

/// `start`, `stop`, `reboot`, `delete`, `scale`, `wait`, `logs`, `exec`, `status`, `apply`:
/// Tutor's `tutor k8s …` commands, with the same kubectl argv.
enum ClusterBuiltins {
    static let componentsKeptOnStop = "app.kubernetes.io/component!=loadbalancer"

    static func register(into r: Registry, _ ctx: RuntimeContext) {
        let services = Param("names", .string, .variadic, help: "deployments (lms, cms, mysql…); all when none", completion: .provider("service"))

        r.register(Signature("start", "Apply the rendered env: create the namespace when missing, then every resource but jobs (or only NAMES).",
                             params: [services],
                             flags: [FlagSpec("prune-configmaps", help: "delete ConfigMaps the env no longer has")],
                             examples: ["start", "start caddy", "start --prune-configmaps"])) { args, _ in
            let cluster = try Cluster.load(ctx, at: args.span)
            try start(cluster, names: args.strings("names"), prune: args.has("prune-configmaps"), at: args.span)
            return .null
        }

        r.register(Signature("stop", "Delete the deployments, services, configmaps and jobs (or only NAMES'); volumes and the load balancer stay.",
                             params: [services], examples: ["stop", "stop lms cms"])) { args, _ in
            try stop(try Cluster.load(ctx, at: args.span), names: args.strings("names"))
            return .null
        }

        r.register(Signature("reboot", "Stop, then start: the blank slate with volumes kept.", examples: ["reboot"])) { args, _ in
            let cluster = try Cluster.load(ctx, at: args.span)
            try stop(cluster, names: [])
            try start(cluster, names: [], prune: false, at: args.span)
            return .null
        }

        r.register(Signature("delete", "Delete everything the env defines, volumes and namespace included (or all but the namespace).",
                             flags: [FlagSpec("yes", help: "do not ask; required in a script"),
                                     FlagSpec("exclude-namespace", help: "keep the namespace (for a namespace you may not delete)")],
                             examples: ["delete --yes", "delete --yes --exclude-namespace"])) { args, _ in
            let cluster = try Cluster.load(ctx, at: args.span)
            try cluster.requireEnv(at: args.span)
            if !args.has("yes") {
                let question = "Delete every resource of \(cluster.env), volumes and data included?"
                guard let confirm = ctx.confirm else {
                    throw Diagnostic(.invalidArgument, "`delete` removes volumes and data: a script must say `delete --yes`", at: args.span)
                }
                guard confirm(question) else { ctx.status("Nothing deleted."); return .null }
            }
            if args.has("exclude-namespace") {
                let listed = try cluster.kubectl(["delete", "-k", cluster.env, "--dry-run=client", "-o", "name"], io: .capture, kind: .read)
                let names = listed.stdout.split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("namespace/") }
                guard !names.isEmpty || ctx.cluster.dryRun else { return .null }
                try cluster.kubectl(["delete"] + cluster.namespaceArguments + ["--ignore-not-found=true", "--wait"] + names)
            } else {
                try cluster.kubectl(["delete", "-k", cluster.env, "--ignore-not-found=true", "--wait"])
            }
            return .null
        }

        r.register(Signature("scale", "Set the number of replicas of a deployment.",
                             params: [Param("deployment", .string, completion: .provider("service")), Param("replicas", .int)],
                             examples: ["scale lms 3", "scale cms-worker 0"])) { args, _ in
            let cluster = try Cluster.load(ctx, at: args.span)
            let n = args.int("replicas")
            guard n >= 0 else { throw Diagnostic(.invalidArgument, "replicas must be 0 or more, got \(n)", at: args.span) }
            try cluster.kubectl(["scale"] + cluster.namespaceArguments + ["--replicas=\(n)", "deployment/\(args.string("deployment"))"])
            return .null
        }

        r.register(Signature("wait", "Wait until deployments are available (up to 10 minutes each); several names wait in parallel.",
                             params: [Param("names", .string, .variadic, help: "deployments", completion: .provider("service"))],
                             examples: ["wait lms", "wait mysql mongodb"])) { args, _ in
            let cluster = try Cluster.load(ctx, at: args.span)
            let names = args.strings("names")
            guard !names.isEmpty else { throw Diagnostic(.argumentCount, "`wait` needs at least one deployment name", at: args.span) }
            try ctx.kubectl.runConcurrently(names.map { waitArguments(cluster, $0) }, redactor: cluster.redactor)
            return .null
        }

        r.register(Signature("logs", "Show a service's logs (every pod of it).",
                             params: [Param("service", .string, completion: .provider("service"))],
                             flags: [FlagSpec("follow", short: "f", help: "keep streaming; Ctrl-C stops"),
                                     FlagSpec("tail", value: .int, help: "only the last N lines of each pod"),
                                     FlagSpec("container", short: "c", value: .string, help: "the container"),
                                     FlagSpec("max-log-requests", value: .int, help: "pods followed at once (kubectl's default is 5)"),
                                     FileOutput.flag],
                             examples: ["logs lms --tail 50", "logs lms --follow", "logs lms-worker -c lms-worker --follow",
                                        "logs lms --to \"lms-$(now --format %Y%m%d).log\"   # with --follow, Ctrl-C ends it and keeps the file"])) { args, _ in
            let cluster = try Cluster.load(ctx, at: args.span)
            var argv = ["logs"] + cluster.namespaceArguments + [cluster.selector("app.kubernetes.io/name=\(args.string("service"))")]
            if let c = args.optionalString("container") { argv += ["-c", c] }
            if args.has("follow") { argv.append("--follow") }
            if let n = args.optionalInt("tail") { argv += ["--tail", String(n)] }
            if let n = args.optionalInt("max-log-requests") { argv += ["--max-log-requests", String(n)] }
            if let path = args.optionalString("to") {
                return try FileOutput.run(ctx.kubectl, argv, into: path, kind: .read, keepOnInterrupt: args.has("follow"),
                                          redactor: cluster.redactor, args, ctx)
            }
            if args.valueWanted && !args.has("follow") {
                return .string(try cluster.kubectl(argv, io: .capture, kind: .read).stdout)
            }
            try cluster.kubectl(argv, io: args.has("follow") ? .terminal : .stream, kind: .read)
            return .null
        }

        r.register(Signature("exec", "Run a command in a service's first pod; with a TTY when tk8s has one. As a value, its standard output (no TTY, no input); with --to, its output streamed into a local file.",
                             params: [Param("service", .string, completion: .provider("service")),
                                      Param("command", .string, .variadic, help: "the command and its arguments, passed as they are")],
                             flags: [FileOutput.flag],
                             passthrough: true,
                             examples: ["exec lms ./manage.py lms shell", "exec mysql mysql -u root -e \"show databases\"",
                                        "let hostname = (trim (exec lms hostname))",
                                        "exec mysql --to backups/openedx.sql mysqldump -u root \"--password=$(config get MYSQL_ROOT_PASSWORD)\" openedx"])) { args, _ in
            let cluster = try Cluster.load(ctx, at: args.span)
            let service = args.string("service")
            let command = args.optionalList("command")?.map(\.displayString) ?? []
            guard !command.isEmpty else { throw Diagnostic(.argumentCount, "`exec \(service)` needs a command to run", at: args.span) }
            let pod = try firstPod(cluster, service, at: args.span)
            if let path = args.optionalString("to") {
                return try FileOutput.run(ctx.kubectl, ["exec"] + cluster.namespaceArguments + [pod, "--"] + command, into: path,
                                          redactor: cluster.redactor, args, ctx)
            }
            if args.valueWanted {
                return .string(try cluster.kubectl(["exec"] + cluster.namespaceArguments + [pod, "--"] + command, io: .capture).stdout)
            }
            let tty = ctx.hasTerminal
            let argv = ["exec", "--stdin"] + (tty ? ["--tty"] : []) + cluster.namespaceArguments + [pod, "--"] + command
            try cluster.kubectl(argv, io: .terminal)
            return .null
        }

        r.register(Signature("status", "The namespace's resources: printed by kubectl as a statement, a list of {kind, name, …} as a value.",
                             examples: ["status", "for r in (status) { print \"$(r.kind)/$(r.name) $(r.ready)\" }"])) { args, _ in
            let cluster = try Cluster.load(ctx, at: args.span)
            let argv = ["get", "all"] + cluster.namespaceArguments
            guard args.valueWanted else {
                try cluster.kubectl(argv, kind: .read)
                return .null
            }
            let out = try cluster.kubectl(argv + ["-o", "json"], io: .capture, kind: .read).stdout
            return ResourceSummary.list(out.isEmpty ? .null : try JSONParser.parse(out, at: args.span))
        }

        r.register(Signature("apply", "`kubectl apply --kustomize <root>/env ARGS…`: the env, with kubectl's own flags passed on.",
                             params: [Param("args", .string, .variadic, help: "kubectl apply flags, such as --dry-run=server")],
                             passthrough: true, examples: ["apply --dry-run=server", "apply --selector app.kubernetes.io/name=lms"])) { args, _ in
            let cluster = try Cluster.load(ctx, at: args.span)
            try cluster.requireEnv(at: args.span)
            try cluster.kubectl(["apply", "--kustomize", cluster.env] + (args.optionalList("args")?.map(\.displayString) ?? []))
            return .null
        }
    }

    static func start(_ cluster: Cluster, names: [String], prune: Bool, at span: Span) throws {
        try cluster.requireEnv(at: span)
        let env = cluster.env
        let found = try cluster.kubectl(["get", "namespaces", cluster.namespace], io: .capture, kind: .read, check: false)
        // A dry run cannot know: it shows the namespace step too.
        if !found.succeeded || cluster.ctx.cluster.dryRun {
            try cluster.kubectl(["apply", "--kustomize", env, "--wait", "--selector", "app.kubernetes.io/component=namespace"])
        } else {
            cluster.ctx.status("Namespace already exists: skipping creation.")
        }
        let pruning = prune ? ["--prune", "--prune-allowlist", "core/v1/ConfigMap"] : []
        if names.isEmpty {
            try cluster.kubectl(["apply", "--kustomize", env] + pruning + ["--selector", "app.kubernetes.io/component notin (job,namespace)"])
        }
        for name in names {
            try cluster.kubectl(["apply", "--kustomize", env] + pruning + ["--selector", "app.kubernetes.io/name=\(name)"])
        }
    }

    static func stop(_ cluster: Cluster, names: [String]) throws {
        let kinds = "deployments,services,configmaps,jobs"
        if names.isEmpty {
            try cluster.kubectl(["delete"] + cluster.namespaceArguments + [cluster.selector(componentsKeptOnStop), kinds])
        }
        for name in names {
            try cluster.kubectl(["delete"] + cluster.namespaceArguments
                                + [cluster.selector(componentsKeptOnStop, "app.kubernetes.io/name=\(name)"), kinds])
        }
    }

    static func waitArguments(_ cluster: Cluster, _ name: String) -> [String] {
        ["wait"] + cluster.namespaceArguments
            + [cluster.selector("app.kubernetes.io/name=\(name)"), "--for=condition=Available=True", "--timeout=600s", "deployment"]
    }

    /// The first pod labelled with the service's name, as Tutor picks it for `exec`.
    static func firstPod(_ cluster: Cluster, _ service: String, at span: Span) throws -> String {
        let argv = ["get", "pods"] + cluster.namespaceArguments
            + ["--selector=app.kubernetes.io/name=\(service)", "-o", "jsonpath={.items[0].metadata.name}"]
        let out = try cluster.kubectl(argv, io: .capture, kind: .read)
        let pod = out.stdout.trimmingWhitespace
        if pod.isEmpty {
            if cluster.ctx.cluster.dryRun { return "POD" }
            throw Diagnostic(.failed, "no pod of `\(service)` in namespace \(cluster.namespace)", at: span,
                             help: "is it started? `start \(service)`, then `wait \(service)`")
        }
        return pod
    }
}

extension String {
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
