#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bounds that turn runaway scripts into errors instead of crashes or swapping.
public struct Limits: Sendable {
    /// User-function calls deep; each level costs native stack.
    public var maxCallDepth = 1000
    /// UTF-8 bytes in one string.
    public var maxStringBytes = 64 << 20
    /// Elements in one list or map.
    public var maxCollectionCount = 16 << 20

    public init() {}
}

/// A file (or REPL session) after parsing and resolving: its code, its
/// top-level scope and the frame its top-level variables live in.
public final class Module {
    public let file: SourceFile
    /// The canonical path, for import caching and cycle detection.
    let key: String
    let frame = Frame(count: 0, parent: nil)
    let scope: FunctionScope
    var body = Block([], Span(SourceFile(name: "", text: ""), 0, 0))
    var executed = false

    init(file: SourceFile, key: String) {
        self.file = file
        self.key = key
        scope = FunctionScope(parent: nil, frame: frame)
    }
}

/// Loads imported files; the interpreter is the one implementation.
protocol ModuleLoader: AnyObject {
    func load(_ path: String, from importer: Module, at span: Span) throws -> Module
}

/// The tree-walking evaluator and its state.
public final class Interpreter: ModuleLoader {
    public let registry: Registry
    public var limits = Limits()
    /// Where `print` writes. Buffered stdout unless a host (a test, the REPL) sets it.
    public var output: (String) -> Void = StandardOutput.write
    /// `$args` for the main script.
    public var scriptArguments: [String] = []
    /// Reads files for `import`; a seam for tests.
    public var readFile: (String) throws -> [UInt8] = FileSystem.read

    /// Signatures of the top-level functions compiled so far, for `help`.
    public private(set) var userFunctions: [String: Signature] = [:]
    var callDepth = 0
    var returnValue: Value = .null
    private var modules: [String: Module] = [:]
    private var resolving: [String] = []
    private var importDiagnostics: [Diagnostic] = []

    /// An interpreter with the core builtins registered; hosts add theirs to `registry`.
    public init(registry: Registry = Registry()) {
        self.registry = registry
        CoreBuiltins.register(into: registry)
    }

    // MARK: Compiling

    /// Parses and resolves a main file. The module is nil when there were errors.
    public func compile(_ file: SourceFile) -> (Module?, [Diagnostic]) {
        let module = Module(file: file, key: file.path.map(FileSystem.canonical) ?? "<\(file.name)>")
        modules[module.key] = module
        let diags = compile(file, into: module)
        return (diags.isEmpty ? module : nil, diags)
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
        let parser = Parser(file: file)
        let block = parser.parseProgram()
        importDiagnostics = []
        resolving.append(module.key)
        defer { resolving.removeLast() }
        let resolver = Resolver(module: module, registry: registry, loader: self)
        resolver.resolveTopLevel(block)
        module.body = block
        for case let (name, .function(fn)) in module.scope.blocks[0] { userFunctions[name] = fn.signature }
        let all = parser.diagnostics + importDiagnostics + resolver.diagnostics
        return deduplicated(all)
    }

    private func declareArgs(in module: Module) {
        let slot = module.scope.newSlot("args")
        module.frame.grow(to: module.scope.slotCount)
        module.frame.slots[slot] = .list(scriptArguments.map { .string($0) })
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
        resolving.append(key)
        defer { resolving.removeLast() }
        let parser = Parser(file: file)
        let block = parser.parseProgram()
        let resolver = Resolver(module: module, registry: registry, loader: self)
        resolver.resolveTopLevel(block)
        module.body = block
        let errors = parser.diagnostics + resolver.diagnostics
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
        module.frame.grow(to: module.scope.slotCount)
        module.executed = true
        _ = try module.body.exec(module.frame, self)
    }

    /// Runs a REPL line compiled into `module` and returns the value of its last
    /// statement when that is an expression, for the REPL to show.
    public func runLine(_ module: Module) throws -> Value? {
        module.frame.grow(to: module.scope.slotCount)
        let stmts = module.body.statements
        guard let last = stmts.last else { return nil }
        for s in stmts.dropLast() { _ = try s.exec(module.frame, self) }
        if let e = last as? ExprStmt { return try e.expr.eval(module.frame, self) }
        _ = try last.exec(module.frame, self)
        return nil
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
        var offset = 0
        while offset < buffer.count {
            let n = buffer[offset...].withUnsafeBytes { Glibc.write(1, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

extension Interpreter {
    /// Set from a SIGINT handler; loops and `sleep` check it and stop with E2012.
    nonisolated(unsafe) public static var interruptRequested = false

    @inline(__always) func checkInterrupt(_ span: Span) throws {
        if Interpreter.interruptRequested {
            Interpreter.interruptRequested = false
            throw Diagnostic(.interrupted, "interrupted", at: span)
        }
    }
}
