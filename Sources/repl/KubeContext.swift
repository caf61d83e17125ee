import Core
import Lang

/// The kube context the prompt shows: `--context`, else the kubeconfig's
/// `current-context:` line. Read once when the REPL starts, straight from the
/// file — asking kubectl would cost a process at every prompt.
enum KubeContext {
    static func forPrompt(option: String?, kubeconfig: String?, environment: [String: String]) -> String {
        if let option, !option.isEmpty { return option }
        // kubectl takes the first file that sets it.
        for file in kubeconfigFiles(kubeconfig: kubeconfig, environment: environment) {
            guard let bytes = try? FileSystem.read(file) else { continue }
            if let name = currentContext(in: String(decoding: bytes, as: UTF8.self)) { return name }
        }
        return "-"
    }

    /// The files kubectl reads: `--kubeconfig`, else `$KUBECONFIG`'s list, else `~/.kube/config`.
    static func kubeconfigFiles(kubeconfig: String?, environment: [String: String]) -> [String] {
        if let kubeconfig, !kubeconfig.isEmpty { return [kubeconfig] }
        if let list = environment["KUBECONFIG"], !list.isEmpty { return list.split(separator: ":").map(String.init) }
        return [(environment["HOME"] ?? "") + "/.kube/config"]
    }

    /// Every context the kubeconfig files name (`contexts[].name`), for `--context` completion.
    static func names(kubeconfig: String?, environment: [String: String]) -> [String] {
        var out: [String] = []
        for file in kubeconfigFiles(kubeconfig: kubeconfig, environment: environment) {
            guard let bytes = try? FileSystem.read(file),
                  case .list(let contexts)? = (try? YAMLCodec.decode(String(decoding: bytes, as: UTF8.self)))?.at("contexts") else { continue }
            for c in contexts { if let name = c.at("name")?.displayString, !out.contains(name) { out.append(name) } }
        }
        return out
    }

    /// The top-level `current-context:` value of a kubeconfig, unquoted.
    static func currentContext(in text: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix("current-context:") {
            var value = line.dropFirst("current-context:".count).trimmingBlanks()
            if let first = value.first, first == "\"" || first == "'", value.count >= 2, value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            return value.isEmpty ? nil : value
        }
        return nil
    }
}
