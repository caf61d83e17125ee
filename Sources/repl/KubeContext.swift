import Lang

/// The kube context the prompt shows: `--context`, else the kubeconfig's
/// `current-context:` line. Read once when the REPL starts, straight from the
/// file — asking kubectl would cost a process at every prompt.
enum KubeContext {
    static func forPrompt(option: String?, kubeconfig: String?, environment: [String: String]) -> String {
        if let option, !option.isEmpty { return option }
        let files: [String]
        if let kubeconfig, !kubeconfig.isEmpty {
            files = [kubeconfig]
        } else if let list = environment["KUBECONFIG"], !list.isEmpty {
            files = list.split(separator: ":").map(String.init)  // kubectl takes the first file that sets it
        } else {
            files = [(environment["HOME"] ?? "") + "/.kube/config"]
        }
        for file in files {
            guard let bytes = try? FileSystem.read(file) else { continue }
            if let name = currentContext(in: String(decoding: bytes, as: UTF8.self)) { return name }
        }
        return "-"
    }

    /// The top-level `current-context:` value of a kubeconfig, unquoted.
    static func currentContext(in text: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix("current-context:") {
            var value = line.dropFirst("current-context:".count).trimmingCharacters()
            if let first = value.first, first == "\"" || first == "'", value.count >= 2, value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            return value.isEmpty ? nil : value
        }
        return nil
    }
}

extension StringProtocol {
    /// Without the spaces, tabs and carriage returns at either end.
    func trimmingCharacters() -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        return String(drop(while: blank).reversed().drop(while: blank).reversed())
    }
}
