import Core
import Lang

/// One cluster command's view of the project: its namespace, the selectors
/// Tutor uses, and the runner with the config's secrets to hide.
struct Cluster {
    let project: Project
    let ctx: RuntimeContext
    let redactor: Redactor
    let namespace: String
    /// `openedx-<ID>`: the `app.kubernetes.io/instance` label of everything tk8s (and Tutor) deploys.
    let instance: String

    static func load(_ ctx: RuntimeContext, at span: Span) throws -> Cluster {
        let project = try Project.existing(ctx, at: span)
        let config = project.config
        var secrets: [String] = []
        for key in config.keys where Redactor.isSecretKey(key) {
            if case .string(let s)? = try? config.value(key) { secrets.append(s) }
        }
        return Cluster(project: project, ctx: ctx, redactor: Redactor(secrets: secrets),
                       namespace: try config.value("K8S_NAMESPACE", at: span).displayString,
                       instance: "openedx-" + (try config.value("ID", at: span).displayString))
    }

    var env: String { project.root.env }

    /// Commands that apply the env need it rendered; say how rather than let kubectl fail on a missing path.
    func requireEnv(at span: Span) throws {
        guard Files.exists(env + "/kustomization.yml") else {
            throw Diagnostic(.failed, "\(env) has no rendered environment", at: span,
                             help: "run `render` (or `config save`) first")
        }
    }

    var namespaceArguments: [String] { ["--namespace", namespace] }

    /// `--selector=app.kubernetes.io/instance=openedx-ID[,more…]`, one argv element as Tutor writes it.
    func selector(_ more: String...) -> String {
        "--selector=" + (["app.kubernetes.io/instance=\(instance)"] + more).joined(separator: ",")
    }

    @discardableResult
    func kubectl(_ arguments: [String], io: ProcessIO = .stream, kind: CallKind = .change, check: Bool = true) throws -> ProcessOutcome {
        try ctx.kubectl.run(arguments, io: io, kind: kind, check: check, redactor: redactor)
    }

    func value(_ key: String, at span: Span) throws -> Value { try project.config.value(key, at: span) }
}

extension Redactor {
    /// The project's secrets, for commands that also run without a project root (`kubectl`, `http`): none then.
    static func project(_ ctx: RuntimeContext, at span: Span) -> Redactor {
        (try? Cluster.load(ctx, at: span).redactor) ?? .none
    }
}
