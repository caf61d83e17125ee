import Core
import Lang

/// What an interactive session shows about the root without touching the
/// cluster: the namespace for its prompt and the value lists Tab offers
/// (`CompletionHint.provider` names). Each is read from disk when asked, so
/// a `config set` or `render` typed a moment ago is seen; a root that cannot
/// be read gives an empty list rather than an error in the middle of typing.
extension RuntimeContext {
    /// The namespace cluster commands use: config.yml's K8S_NAMESPACE (rendered),
    /// else Tutor's default, `openedx`.
    public var namespaceForPrompt: String {
        guard Files.exists(root.configFile),
              let project = try? Project.load(self, at: nil, cachedOnly: true),
              let ns = try? project.config.value("K8S_NAMESPACE").displayString, !ns.isEmpty
        else { return "openedx" }
        return ns
    }

    /// The providers the builtin signatures name: `config-key`, `plugin`, `service`.
    public var completionProviders: [String: () -> [String]] {
        [
            "config-key": { [unowned self] in (try? Project.load(self, at: nil, cachedOnly: true))?.config.keys ?? [] },
            "plugin": { [unowned self] in
                guard let project = try? Project.load(self, at: nil, cachedOnly: true) else { return [] }
                return ((try? project.pluginRows(at: nil)) ?? []).compactMap { $0["name"]?.displayString }
            },
            "service": { [unowned self] in renderedDeployments },
        ]
    }

    /// The Deployment names in the rendered env (`env/k8s/deployments.yml`): what
    /// `start`, `logs`, `wait`… accept, with no call to the cluster.
    var renderedDeployments: [String] {
        guard let text = try? Files.readText(root.env + "/k8s/deployments.yml"),
              case .list(let docs)? = try? YAMLCodec.decode(text, all: true)
        else { return [] }
        return docs.compactMap { doc in
            guard doc.at("kind")?.displayString == "Deployment" else { return nil }
            return doc.at("metadata", "name")?.displayString
        }
    }
}
