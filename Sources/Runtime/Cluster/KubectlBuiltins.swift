import Core
import Lang
import Template

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
            let argv = args.optionalList("args")?.map(\.displayString) ?? []
            guard let verb = argv.first(where: { !$0.hasPrefix("-") }) else {
                throw Diagnostic(.argumentCount, "`kubectl` needs a subcommand, such as `kubectl get pods`", at: args.span)
            }
            let kind: CallKind = verb == "kustomize" ? .local : readCommands.contains(verb) ? .read : .change
            let redactor = Redactor.project(ctx, at: args.span)
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
        r.register(Signature("images build", "Build an image (or `all`) from <root>/env/build/NAME with docker buildx, tagged with its DOCKER_IMAGE_<NAME> setting; with Tutor installed, the images Tutor and its plugins declare.",
                             params: [image], examples: ["images build openedx", "images build mfe"])) { args, _ in
            let cluster = try Cluster.load(ctx, at: args.span)
            let builds = try imageBuilds(cluster, args.string("name"), at: args.span)
            for build in builds {
                let context = cluster.env + "/" + build.path
                if !Files.exists(context) && !ctx.cluster.dryRun {
                    throw Diagnostic(.failed, "no build context \(context)", at: args.span,
                                     help: cluster.project.tutor == nil
                                         ? "tk8s's built-in templates render no Docker build contexts; put the Dockerfile there, or install Tutor so that tk8s renders its own"
                                         : "run `render` first")
                }
                try ctx.docker.run(["buildx", "build", "--tag=\(build.tag)", "--output=type=docker"] + build.args
                                       + ["--cache-from=type=registry,ref=\(build.tag)-cache", context],
                                   redactor: cluster.redactor)
            }
            return builds.count == 1 ? .string(builds[0].tag) : .list(builds.map { .string($0.tag) })
        }
        r.register(Signature("images push", "Push an image (or `all`) to its registry, as named by its DOCKER_IMAGE_<NAME> setting or its plugin.",
                             params: [image], examples: ["images push openedx"])) { args, _ in
            let cluster = try Cluster.load(ctx, at: args.span)
            let tags = try imagePushes(cluster, args.string("name"), at: args.span)
            for tag in tags { try ctx.docker.run(["push", tag], redactor: cluster.redactor) }
            return tags.count == 1 ? .string(tags[0]) : .list(tags.map { .string($0) })
        }
    }

    static func wantsJSON(_ argv: [String]) -> Bool {
        for (i, a) in argv.enumerated() {
            if a == "-ojson" || a == "--output=json" || a == "-o=json" { return true }
            if (a == "-o" || a == "--output"), i + 1 < argv.count, argv[i + 1] == "json" { return true }
        }
        return false
    }

    /// The images `images build NAME` builds: (env-relative context, tag, extra docker arguments).
    private static func imageBuilds(_ cluster: Cluster, _ name: String, at span: Span) throws -> [(path: String, tag: String, args: [String])] {
        guard let snapshot = cluster.project.tutor?.snapshot else {
            return [("build/" + name, try imageTag(cluster, name, at: span), [])]
        }
        let found = snapshot.buildImages.filter { name == "all" || $0.name == name }
        guard !found.isEmpty else { throw noImage(name, among: snapshot.buildImages.map(\.name), at: span) }
        return try found.map { (($0.path ?? "build/" + $0.name), try renderTag($0.tag, cluster), $0.args) }
    }

    private static func imagePushes(_ cluster: Cluster, _ name: String, at span: Span) throws -> [String] {
        guard let snapshot = cluster.project.tutor?.snapshot else { return [try imageTag(cluster, name, at: span)] }
        let found = snapshot.pushImages.filter { name == "all" || $0.name == name }
        guard !found.isEmpty else { throw noImage(name, among: snapshot.pushImages.map(\.name), at: span) }
        return try found.map { try renderTag($0.tag, cluster) }
    }

    /// Tags are templates (`{{ DOCKER_REGISTRY }}…`), rendered with the config as Tutor does.
    private static func renderTag(_ tag: String, _ cluster: Cluster) throws -> String {
        Template.isPlain(tag) ? tag : try cluster.project.config.renderText(tag, name: "image tag")
    }

    private static func noImage(_ name: String, among images: [String], at span: Span) -> Diagnostic {
        Diagnostic(.invalidArgument, "no image `\(name)`", at: span,
                   help: closestName(to: name, in: images).map { "did you mean `\($0)`?" } ?? "images: " + images.joined(separator: ", "))
    }

    private static func imageTag(_ cluster: Cluster, _ name: String, at span: Span) throws -> String {
        let key = "DOCKER_IMAGE_" + name.uppercased().replacingAll("-", with: "_")
        guard cluster.project.config.isKnown(key) else {
            let images = cluster.project.config.keys.filter { $0.hasPrefix("DOCKER_IMAGE_") }
                .map { String($0.dropFirst("DOCKER_IMAGE_".count)).lowercased() }
            throw noImage(name, among: images, at: span)
        }
        return try cluster.value(key, at: span).displayString
    }
}
