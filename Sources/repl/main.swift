import ArgumentParser
import Core
import Glibc
import Lang

/// Parses the command line and runs it on a thread with a large stack, so deep
/// (but bounded) recursion in scripts has room. Exit codes: 0 ok, 1 script
/// error, 2 usage error — ArgumentParser's own usage code (64) is mapped to 2.
func runCommandLine() -> Int32 {
    do {
        let (tool, script) = CommandLineSplit.split(Array(CommandLine.arguments.dropFirst()))
        TK8S.scriptArguments = script
        if let status = try runWithoutParsing(tool) { return status }
        var command = try TK8S.parseAsRoot(tool)
        try command.run()
        return 0
    } catch let code as ExitCode {
        return code.rawValue
    } catch {
        let status = TK8S.exitCode(for: error)
        let message = TK8S.fullMessage(for: error)
        if status == .success {
            print(message)
            return 0
        }
        StandardError.write(message + "\n")
        return 2
    }
}

/// `tk8s -c CODE` and `tk8s FILE` with no options, the commonest forms, run without ArgumentParser: its parse
/// (reflection and protocol-conformance lookups) was most of `tk8s -c 'print 1'` (bench/results/startup.md).
/// Anything else, `--help` included, goes the long way. Nil when this is not such a command line.
func runWithoutParsing(_ tool: [String]) throws -> Int32? {
    let source: (ScriptSession) throws -> SourceFile
    switch tool.count {
    case 2 where tool[0] == "-c": source = { _ in SourceFile(name: "<-c>", text: tool[1]) }
    case 2 where tool[0] == "run" && !tool[1].hasPrefix("-"): source = { try $0.load(tool[1]) }
    default: return nil
    }
    let session = ScriptSession()
    do {
        try session.exit(session.run(try source(session), arguments: TK8S.scriptArguments))
    } catch let code as ExitCode {
        return code.rawValue
    }
}

func runOnLargeStack(_ body: @escaping () -> Int32) -> Int32 {
    final class Box { var body: () -> Int32; var status: Int32 = 0; init(_ b: @escaping () -> Int32) { body = b } }
    let box = Box(body)
    var attr = pthread_attr_t()
    pthread_attr_init(&attr)
    pthread_attr_setstacksize(&attr, 256 << 20)
    var thread = pthread_t()
    let arg = Unmanaged.passRetained(box).toOpaque()
    let created = pthread_create(&thread, &attr, { raw in
        let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
        box.status = box.body()
        return UnsafeMutableRawPointer(Unmanaged.passRetained(box).toOpaque())
    }, arg)
    guard created == 0 else { return Unmanaged<Box>.fromOpaque(arg).takeRetainedValue().body() }
    var result: UnsafeMutableRawPointer?
    pthread_join(thread, &result)
    return Unmanaged<Box>.fromOpaque(result!).takeRetainedValue().status
}

// Ctrl-C: kubectl (in our process group) gets it and stops; tk8s only notes it, and
// the running builtin or loop stops with E2012 and the script (or REPL entry) ends (see `Interrupts`).
Interrupts.install()
let status = runOnLargeStack(runCommandLine)
StandardOutput.flush()
exit(status)
