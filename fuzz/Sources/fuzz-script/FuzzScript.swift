import Core
import FuzzSupport
import Lang
import Runtime

/// The scanner, parser and resolver, with every runtime builtin registered (their signatures check the arguments
/// a script passes them at compile time), then the diagnostics rendered with their source line and caret. Nothing
/// runs: a script may loop forever or talk to a cluster, which is not what this target looks for.
private let interpreter: Interpreter = {
    let i = Interpreter()
    let context = RuntimeContext(rootOption: "/nonexistent-tk8s-fuzz-root", environment: ["TK8S_TUTOR": "none"])
    Runtime.register(into: i.registry, context: context)
    return i
}()
private let renderer = DiagnosticRenderer()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScript(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let file = SourceFile(name: "fuzz.tk8s", bytes: fuzzBytes(data, size))
    for diagnostic in interpreter.check(file).prefix(Interpreter.maxReportedDiagnostics) { _ = renderer.render(diagnostic) }
    return 0
}
