import Lang

/// `kubectl ARGS…`, the generic call, and `images build|push NAME` (docker).
enum KubectlBuiltins {
    /// Subcommands that only read the cluster: a dry run answers them empty instead of running them.
    static let readCommands: Set<String> = ["get", "describe", "logs", "top", "explain", "api-resources", "api-versions",
                                            "version", "cluster-info", "auth", "events", "wait", "diff"]
    /// Subcommands that need the terminal (they read standard input or draw on it).
    static let terminalCommands: Set<String> = ["exec", "attach", "edit", "port-forward", "proxy", "debug", "run"]

    static func register(into r: Registry, _ ctx: RuntimeContext) {
        r.register(Signature("kubectl", "Run kubectl with ARGS (and the global --context/--kubeconfig). As a value: its output, parsed when it is `-o json`.",
                             params: [Param("args", .string, .variadic, help: "kubectl's arguments, passed as they are")],
                             passthrough: true,
                             examples: ["kubectl get pods --namespace openedx",
                                        "let pods = (kubectl get pods --namespace openedx -o json)",
                                        "for p in $pods.items { print $p.metadata.name }"])) { args, _ in
            let argv = try args.list("args")?.map(\.displayString) ?? []
            guard let verb = argv.first(where: { !$0.hasPrefix("-") }) else {
                throw Diagnostic(.argumentCount, "`kubectl` needs a subcommand, such as `kubectl get pods`", at: args.span)
            }
            let kind: CallKind = verb == "kustomize" ? .local : readCommands.contains(verb) ? .read : .change
            let redactor = (try? Cluster.load(ctx, at: args.span).redactor) ?? .none
            if args.valueWanted {
                let out = try ctx.kubectl.run(argv, io: .capture, kind: kind, redactor: redactor).stdout
                if wantsJSON(argv) { return out.isEmpty ? .null : try JSONParser.parse(out, at: args.span) }
                return .string(out)
            }
            let interactive = terminalCommands.contains(verb) || argv.contains("--follow") || argv.contains("-f") && verb == "logs"
            try ctx.kubectl.run(argv, io: interactive ? .terminal : .stream, kind: kind, redactor: redactor)
            return .null
        }

        r.describeGroup("images", "Build and push the Docker images of the platform (docker; the seed's custom-image routine).")
        let image = Param("name", .string, help: "the image: openedx, or another with a DOCKER_IMAGE_<NAME> setting", completion: .choices(["openedx"]))
        r.register(Signature("images build", "Build an image from <root>/env/build/NAME with docker buildx, tagged with its DOCKER_IMAGE_<NAME> setting.",
                             params: [image], examples: ["images build openedx"])) { args, _ in
            let cluster = try Cluster.load(ctx, at: args.span)
            let name = try args.string("name")!
            let tag = try imageTag(cluster, name, at: args.span)
            let context = cluster.env + "/build/" + name
            if !Files.exists(context) && !ctx.cluster.dryRun {
                throw Diagnostic(.failed, "no build context \(context)", at: args.span,
                                 help: "tk8s does not render Docker build contexts; put the Dockerfile there (or build with `tutor images build \(name)`)")
            }
            try ctx.docker.run(["buildx", "build", "--tag=\(tag)", "--output=type=docker", "--cache-from=type=registry,ref=\(tag)-cache", context],
                               redactor: cluster.redactor)
            return .string(tag)
        }
        r.register(Signature("images push", "Push an image to its registry, as named by its DOCKER_IMAGE_<NAME> setting.",
                             params: [image], examples: ["images push openedx"])) { args, _ in
            let cluster = try Cluster.load(ctx, at: args.span)
            let tag = try imageTag(cluster, try args.string("name")!, at: args.span)
            try ctx.docker.run(["push", tag], redactor: cluster.redactor)
            return .string(tag)
        }
    }

    static func wantsJSON(_ argv: [String]) -> Bool {
        for (i, a) in argv.enumerated() {
            if a == "-ojson" || a == "--output=json" || a == "-o=json" { return true }
            if (a == "-o" || a == "--output"), i + 1 < argv.count, argv[i + 1] == "json" { return true }
        }
        return false
    }

    private static func imageTag(_ cluster: Cluster, _ name: String, at span: Span) throws -> String {
        let key = "DOCKER_IMAGE_" + name.uppercased().replacingAll("-", with: "_")
        guard cluster.project.config.isKnown(key) else {
            let images = cluster.project.config.keys.filter { $0.hasPrefix("DOCKER_IMAGE_") }
                .map { String($0.dropFirst("DOCKER_IMAGE_".count)).lowercased() }
            throw Diagnostic(.invalidArgument, "no image `\(name)`: there is no \(key) setting", at: span,
                             help: closestName(to: name, in: images).map { "did you mean `\($0)`?" } ?? "images: " + images.joined(separator: ", "))
        }
        return try cluster.value(key, at: span).displayString
    }
}
