import Glibc
import Runtime

/// `tk8s NAMESPACE@CONTEXT> `, and the continuation prompt of the same width.
/// The context is read once; the namespace again only when config.yml has
/// changed since (a `config set K8S_NAMESPACE …` shows at the next prompt).
struct Prompt {
    let context: RuntimeContext
    let kubeContext: String
    private var namespace = ""
    private var configStamp: [Int]?

    init(context: RuntimeContext, kubeContext: String) {
        self.context = context
        self.kubeContext = kubeContext
    }

    mutating func main() -> String {
        let stamp = Self.stamp(context.root.configFile)
        if stamp != configStamp || namespace.isEmpty {
            configStamp = stamp
            namespace = context.namespaceForPrompt
        }
        return "tk8s \(namespace)@\(kubeContext)> "
    }

    /// While the parser says the entry is still open: `...> `, right-aligned under the main prompt.
    func continuation(under main: String) -> String {
        String(repeating: " ", count: max(0, main.count - 5)) + "...> "
    }

    /// When and how big the file is, so a change is noticed without reading it.
    private static func stamp(_ path: String) -> [Int]? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return [st.st_mtim.tv_sec, st.st_mtim.tv_nsec, Int(st.st_size), Int(st.st_ino)]
    }
}
