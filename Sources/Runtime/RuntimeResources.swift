#if canImport(Glibc)
import Glibc
#endif
import Core
import Lang

/// Where tk8s's shipped files are (`Templates/`, `Bridge/`): SwiftPM's resource bundle,
/// `tk8s_Runtime.resources`. An installed release keeps it in `share/tk8s/` beside `bin/`
/// (scripts/release.sh), a build keeps it beside the binary. Looked up from the running
/// executable's own path, so a copied release works from wherever it was unpacked (SwiftPM's
/// `Bundle.module` would stop the process when the bundle is not where the build put it).
public enum RuntimeResources {
    static let bundleName = "tk8s_Runtime.resources"

    /// The resource directory, or nil when this installation has none.
    public static let directory: String? = {
        let exe = executableDirectory()
        let candidates = [exe + "/../share/tk8s/" + bundleName, exe + "/" + bundleName]
        return candidates.first(where: FileSystem.isDirectory).map(FileSystem.canonical)
    }()

    /// `directory/relative`, or a path that does not exist (callers report it as a broken installation).
    static func path(_ relative: String) -> String {
        (directory ?? "/nonexistent/" + bundleName) + "/" + relative
    }

    /// The directory of the running executable (`/proc/self/exe`), else of argv[0].
    public static func executableDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if n > 0 { return FileSystem.directory(String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)) }
        return FileSystem.directory(FileSystem.canonical(CommandLine.arguments.first ?? "."))
    }
}
