#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Core

/// Bounds that turn runaway scripts into errors instead of crashes or swapping.
public struct Limits: Sendable {
    /// User-function calls deep; each level costs native stack.
    public var maxCallDepth = 1000
    /// UTF-8 bytes in one string.
    public var maxStringBytes = 64 << 20
    /// Elements in one list or map.
    public var maxCollectionCount = 16 << 20
    /// Native stack the evaluator may use below where it started; never more
    /// than the running thread has (less a safety margin).
    public var maxStackBytes = 512 << 20

    public init() {}
}

/// A file (or REPL session) after parsing and resolving: its syntax tree, its code, its top-level
/// scope and its top-level variables.
public final class Module {
    public let file: SourceFile
    /// The canonical path, for import caching and cycle detection.
    let key: String
    let globals = GlobalSlots()
    let scope: FunctionScope
    /// What the last compile of this module produced (a REPL session compiles line after line).
    public internal(set) var syntax: SyntaxTree?
    var code: [TopLevelCode] = []
    /// Top-level names that came from an import: they are not exported again.
    var importedNames: Set<String> = []
    var executed = false

    init(file: SourceFile, key: String) {
        self.file = file
        self.key = key
        scope = FunctionScope(parent: nil, globals: globals)
    }
}

/// Loads imported files; the interpreter is the one implementation.
protocol ModuleLoader: AnyObject {
    func load(_ path: String, from importer: Module, at span: Span) throws -> Module
}

/// The pipeline (source → tokens → syntax tree → resolved form → values) and its state; see docs/internals.md.
public final class Interpreter: ModuleLoader {
    public let registry: Registry
    public var limits: Limits {
        get { stack.state.pointee.limits }
        set { stack.state.pointee.limits = newValue }
    }
    /// Where `print` writes. Buffered stdout unless a host (a test, the REPL) sets it.
    public var output: (String) -> Void = StandardOutput.write
    /// `$args` for the main script.
    public var scriptArguments: [String] = []
    /// Reads files for `import`; a seam for tests.
    public var readFile: (String) throws -> [UInt8] = FileSystem.read

    /// Signatures of the top-level functions compiled so far, for `help`.
    public private(set) var userFunctions: [String: Signature] = [:]
    /// The value stack and the evaluation state.
    let stack = ValueStack()
    private var modules: [String: Module] = [:]
    private var resolving: [String] = []
    private var importDiagnostics: [Diagnostic] = []

    /// An interpreter with the core builtins registered; hosts add theirs to `registry`.
    public init(registry: Registry = Registry()) {
        self.registry = registry
        _ = Interpreter.interruptFlag
        CoreBuiltins.register(into: registry)
    }

    // MARK: Compiling

    /// Parses and resolves a main file. The module is nil when there were errors.
    public func compile(_ file: SourceFile) -> (Module?, [Diagnostic]) {
        let module = Module(file: file, key: file.path.map(FileSystem.canonical) ?? "<\(file.name)>")
        modules[module.key] = module
        let diags = compile(file, into: module)
        return (diags.contains(where: \.isError) ? nil : module, diags)
    }

    /// A module for a REPL session: lines are compiled into it one by one.
    public func makeSessionModule(name: String = "<repl>") -> Module {
        let m = Module(file: SourceFile(name: name, text: ""), key: "<\(name)>")
        declareArgs(in: m)
        return m
    }

    /// Parses and resolves `file` in the scope of `module`, appending to what it already has.
    @discardableResult
    public func compile(_ file: SourceFile, into module: Module) -> [Diagnostic] {
        if module.scope.blocks[0]["args"] == nil { declareArgs(in: module) }
        importDiagnostics = []
        let diags = parseAndResolve(file, into: module)
        // An imported file's own errors come first: they explain the import's failure.
        return deduplicated(importDiagnostics + diags)
    }

    /// The one pipeline, for main files, REPL lines and imports: source to syntax tree to resolved form.
    private func parseAndResolve(_ file: SourceFile, into module: Module) -> [Diagnostic] {
        resolving.append(module.key)
        defer { resolving.removeLast() }
        let parser = Parser(file: file)
        let tree = parser.parse()
        let resolver = Resolver(module: module, registry: registry, loader: self)
        module.code = resolver.resolveTopLevel(tree)
        module.syntax = tree
        for case let (name, .function(fn)) in module.scope.blocks[0] { userFunctions[name] = fn.signature }
        return (parser.diagnostics + resolver.diagnostics).sortedBySource()
    }

    /// The variables a REPL line typed into `module` can use, for completion.
    public func variables(in module: Module) -> [String] {
        module.scope.blocks[0].compactMap { name, binding in
            if case .function = binding { return nil }
            return name
        }.sorted()
    }

    private func declareArgs(in module: Module) {
        let slot = module.scope.newVariable("args")
        pointer(slot, stack.base).pointee = .list(scriptArguments.map { .string($0) })
    }

    private func deduplicated(_ diags: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<String>()
        return diags.filter { d in
            seen.insert("\(d.code.rawValue)|\(d.span.map { "\($0.file.name):\($0.start)" } ?? "")|\(d.message)").inserted
        }
    }

    func load(_ path: String, from importer: Module, at span: Span) throws -> Module {
        let base = importer.file.path.map(FileSystem.directory) ?? FileSystem.currentDirectory()
        let full = path.hasPrefix("/") ? path : base + "/" + path
        let key = FileSystem.canonical(full)
        if let i = resolving.firstIndex(of: key) {
            let chain = (resolving[i...] + [key]).map(FileSystem.baseName).joined(separator: " → ")
            throw Diagnostic(.importCycle, "import cycle: \(chain)", at: span,
                             help: "move what both files need into a third file that both import")
        }
        if let m = modules[key] { return m }
        let bytes: [UInt8]
        do {
            bytes = try readFile(full)
        } catch {
            throw Diagnostic(.importFailed, "cannot import \"\(path)\": \(error)", at: span,
                             help: "paths are relative to the importing file (\(base))")
        }
        let file = SourceFile(name: FileSystem.relativeName(full), path: full, bytes: bytes)
        let module = Module(file: file, key: key)
        let errors = parseAndResolve(file, into: module).filter(\.isError)
        importDiagnostics.append(contentsOf: errors)
        if !errors.isEmpty {
            throw Diagnostic(.importFailed, "\"\(path)\" has \(errors.count) error\(errors.count == 1 ? "" : "s")", at: span)
        }
        modules[key] = module
        return module
    }

    // MARK: Running

    /// Runs a compiled module's top level. Errors come out as `Diagnostic`.
    public func run(_ module: Module) throws {
        _ = try runTopLevel(module)
    }

    /// Runs a REPL line compiled into `module` and returns the value of its last
    /// statement when that is an expression, for the REPL to show.
    public func runLine(_ module: Module) throws -> Value? {
        try runTopLevel(module)
    }

    private func runTopLevel(_ module: Module) throws -> Value? {
        prepareToRun()
        module.executed = true
        let fp = stack.state.pointee.top
        var last: Value?
        for code in module.code {
            switch code {
            case .statement(let s):
                _ = try s(fp, self)
                last = nil
            case .expression(let e):
                last = try e(fp, self)
            }
        }
        return last
    }

    /// Runs an imported module once, the first time an `import` of it runs.
    func runImport(_ module: Module) throws {
        guard !module.executed else { return }
        try run(module)
    }

    /// Parses and resolves without running: `tk8s check`.
    public func check(_ file: SourceFile) -> [Diagnostic] { compile(file).1 }
}

/// Buffered standard output: `print` in a loop must not be one syscall per line.
public enum StandardOutput {
    nonisolated(unsafe) private static var buffer: [UInt8] = []

    public static func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    public static func flush() {
        FileSystem.writeAll(1, buffer[...])
        buffer.removeAll(keepingCapacity: true)
    }
}

extension Interpreter {
    /// Set from a SIGINT handler; loops and `sleep` check it and stop with E2012. A fixed address, which
    /// the loops' code holds: reading it costs one load per turn.
    nonisolated(unsafe) static let interruptFlag: UnsafeMutablePointer<Bool> = {
        let p = UnsafeMutablePointer<Bool>.allocate(capacity: 1)
        p.initialize(to: false)
        return p
    }()

    public static var interruptRequested: Bool {
        get { interruptFlag.pointee }
        set { interruptFlag.pointee = newValue }
    }

    /// Before running from the top: the limits in force, and where the native stack starts (unless this
    /// is a run inside a run, such as an import).
    func prepareToRun() {
        let state = stack.state
        guard state.pointee.callDepth == 0 else { return }
        state.pointee.stackBase = currentStackAddress()
        state.pointee.stackBudget = min(UInt(limits.maxStackBytes), availableStack(below: state.pointee.stackBase))
    }

    /// Stops runaway recursion before the native stack overflows, whatever each level costs.
    @inline(__always) func checkStack(_ span: Span) throws {
        let state = stack.state
        let used = state.pointee.stackBase &- currentStackAddress()
        if used > state.pointee.stackBudget {
            throw Diagnostic(.recursionTooDeep, "recursion too deep: \(used >> 10) KiB of native stack used", at: span,
                             help: "does a function call itself without an end?")
        }
    }

    @inline(__always) func checkInterrupt(_ span: Span) throws {
        if Interpreter.interruptFlag.pointee { try stopForInterrupt(span) }
    }

    /// Ends the run with E2012, clearing the flag.
    func stopForInterrupt(_ span: Span) throws -> Never {
        Interpreter.interruptFlag.pointee = false
        throw Diagnostic(.interrupted, "interrupted", at: span)
    }
}

@inline(never) func currentStackAddress() -> UInt {
    var marker: UInt8 = 0
    return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
}

/// Bytes of stack left below `sp` on the current thread, less 1 MiB for builtins and the runtime
/// (the evaluator checks only every 8th call level, see `invoke`).
func availableStack(below sp: UInt) -> UInt {
    // pthread_getattr_np is a GNU extension the Glibc module does not export.
    typealias GetAttr = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32
    guard let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_getattr_np") else { return 4 << 20 }
    let getattr = unsafeBitCast(sym, to: GetAttr.self)
    var attr = pthread_attr_t()
    guard getattr(pthread_self(), &attr) == 0 else { return 4 << 20 }
    defer { pthread_attr_destroy(&attr) }
    var low: UnsafeMutableRawPointer?
    var size = 0
    guard pthread_attr_getstack(&attr, &low, &size) == 0, let low else { return 4 << 20 }
    let bottom = UInt(bitPattern: low)
    let margin: UInt = 1 << 20
    return sp > bottom + margin ? sp - bottom - margin : 0
}

extension Array where Element == Diagnostic {
    /// In reading order: by file, then position; a stable sort keeps same-place errors in phase order.
    func sortedBySource() -> [Diagnostic] {
        enumerated().sorted { a, b in
            let x = a.element.span, y = b.element.span
            let kx = (x?.file.name ?? "", x?.start ?? 0), ky = (y?.file.name ?? "", y?.start ?? 0)
            return kx != ky ? kx < ky : a.offset < b.offset
        }.map(\.element)
    }
}
