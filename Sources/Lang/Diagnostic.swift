import Core

/// Every error tk8s can report, with a stable code.
///
/// Codes never change meaning once released: scripts and CI logs grep them.
/// `E0xxx` are found while scanning and parsing, `E1xxx` while resolving
/// names and checking calls (what `tk8s check` reports), `E2xxx` at run time.
/// `W1xxx` are warnings: `tk8s check` reports them, and they stop nothing.
public enum ErrorCode: String, Sendable, CaseIterable {
    // Scanning and parsing.
    case invalidUTF8 = "E0001"
    case nulByte = "E0002"
    case unterminatedString = "E0003"
    case invalidEscape = "E0004"
    case unexpectedCharacter = "E0005"
    case invalidNumber = "E0006"
    case unexpectedToken = "E0100"
    case unclosedDelimiter = "E0101"
    case nestingTooDeep = "E0102"
    case invalidAssignmentTarget = "E0103"
    case misplacedStatement = "E0104"
    case invalidParameter = "E0105"
    // Resolving and checking.
    case unknownCommand = "E1000"
    case unknownVariable = "E1001"
    case argumentCount = "E1002"
    case unknownFlag = "E1003"
    case flagNeedsValue = "E1004"
    case unknownSubcommand = "E1005"
    case duplicateDefinition = "E1006"
    case notAssignable = "E1007"
    case importFailed = "E1008"
    case importCycle = "E1009"
    /// An argument that cannot convert to its parameter's type (`scale lms three`): found by `tk8s check` for a
    /// literal, and when the call binds a value computed at run time.
    case argumentType = "E1010"
    // Running.
    case typeMismatch = "E2000"
    case indexOutOfRange = "E2001"
    case keyNotFound = "E2002"
    case divisionByZero = "E2003"
    case recursionTooDeep = "E2004"
    case sizeLimit = "E2005"
    case integerOverflow = "E2006"
    case failed = "E2007"
    case assertionFailed = "E2008"
    case invalidArgument = "E2009"
    case parseData = "E2010"
    case commandFailed = "E2011"
    case interrupted = "E2012"
    // Raised by the runtime's project root (templates, config.yml, plugins).
    case templateError = "E2013"
    case configError = "E2014"
    case pluginError = "E2015"
    // Raised by the runtime's `http`: no answer, or an error status, after the retries.
    case requestFailed = "E2016"
    /// A local file that cannot be read, written, listed or removed (`file …`, `exec --to`).
    case fileError = "E2017"
    // Warnings, found while checking.
    /// A statement that calls a pure command and drops its value (`len $x` alone): it does nothing.
    case discardedValue = "W1000"

    /// Whether a diagnostic with this code stops the script (`E…`) or is only reported by `tk8s check` (`W…`).
    public var severity: Severity { rawValue.hasPrefix("W") ? .warning : .error }

    /// Short title, used by `help errors` and the docs.
    public var title: String {
        switch self {
        case .invalidUTF8: return "invalid UTF-8 in source"
        case .nulByte: return "NUL byte in source"
        case .unterminatedString: return "unterminated string"
        case .invalidEscape: return "invalid escape sequence"
        case .unexpectedCharacter: return "unexpected character"
        case .invalidNumber: return "invalid number literal"
        case .unexpectedToken: return "unexpected token"
        case .unclosedDelimiter: return "unclosed delimiter"
        case .nestingTooDeep: return "nesting too deep"
        case .invalidAssignmentTarget: return "invalid assignment target"
        case .misplacedStatement: return "statement not allowed here"
        case .invalidParameter: return "invalid parameter list"
        case .unknownCommand: return "unknown command"
        case .unknownVariable: return "unknown variable"
        case .argumentCount: return "wrong number of arguments"
        case .unknownFlag: return "unknown flag"
        case .flagNeedsValue: return "flag needs a value"
        case .unknownSubcommand: return "unknown subcommand"
        case .duplicateDefinition: return "duplicate definition"
        case .notAssignable: return "cannot assign"
        case .importFailed: return "import failed"
        case .importCycle: return "import cycle"
        case .argumentType: return "wrong argument type"
        case .typeMismatch: return "type mismatch"
        case .indexOutOfRange: return "index out of range"
        case .keyNotFound: return "key not found"
        case .divisionByZero: return "division by zero"
        case .recursionTooDeep: return "recursion too deep"
        case .sizeLimit: return "size limit exceeded"
        case .integerOverflow: return "integer overflow"
        case .failed: return "script failed"
        case .assertionFailed: return "assertion failed"
        case .invalidArgument: return "invalid argument"
        case .parseData: return "cannot parse data"
        case .commandFailed: return "command failed"
        case .interrupted: return "interrupted"
        case .templateError: return "template error"
        case .configError: return "invalid configuration"
        case .pluginError: return "plugin error"
        case .requestFailed: return "HTTP request failed"
        case .fileError: return "file error"
        case .discardedValue: return "value thrown away"
        }
    }
}

public enum Severity: String, Sendable { case error, warning }

/// One step of the call chain a runtime error travelled through.
public struct TraceFrame: Sendable {
    /// What was being run: `restart` (a function) or `import "lib.tk8s"`.
    public let what: String
    /// Where it was called from.
    public let callSite: Span
    /// How many times in a row the same call appears (deep recursion shows once).
    public var times = 1

    public init(what: String, callSite: Span) { self.what = what; self.callSite = callSite }

    var rendered: String {
        "in \(what), called at \(callSite.position)" + (times > 1 ? " (\(times) times)" : "")
    }
}

extension Diagnostic {
    /// Records that the error passed through a call; repeats of the same call are counted, not listed.
    public mutating func addTrace(_ what: String, at site: Span) {
        if let last = trace.last, last.what == what, last.callSite == site {
            trace[trace.count - 1].times += 1
        } else if trace.count < 100 {
            trace.append(TraceFrame(what: what, callSite: site))
        }
    }
}

/// An error with its position: the single currency of failure in Lang.
///
/// Parse errors, check errors and runtime errors are all diagnostics; a
/// runtime diagnostic is also what `catch err` binds (see `Value.error`).
public struct Diagnostic: Error, Sendable {
    public var code: ErrorCode
    public var message: String
    public var span: Span?
    public var help: String?
    public var trace: [TraceFrame] = []
    /// Extra fields a catching script can read (`err.exit_code`, `err.stderr`…).
    public var fields: [(String, Value)] = []

    public var severity: Severity { code.severity }
    public var isError: Bool { severity == .error }

    public init(_ code: ErrorCode, _ message: String, at span: Span?, help: String? = nil) {
        self.code = code
        self.message = message
        self.span = span
        self.help = help
    }
}

/// Renders diagnostics the way a terminal user reads them:
///
/// ```
/// error[E1000]: unknown command `strat`
///  --> deploy.tk8s:3:1
///   |
/// 3 | strat lms
///   | ^^^^^
///   = help: did you mean `start`?
/// ```
public struct DiagnosticRenderer: Sendable {
    public var color: Bool

    public init(color: Bool = false) { self.color = color }

    private func paint(_ s: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }

    public func render(_ d: Diagnostic) -> String {
        let mark = d.isError ? "1;31" : "1;33"
        var out = paint("\(d.severity.rawValue)[\(d.code.rawValue)]", mark) + paint(": \(d.message)", "1") + "\n"
        if let span = d.span {
            let (line, col) = span.file.location(of: span.start)
            let (endLine, endCol) = span.file.location(of: span.end)
            let gutter = String(line).count
            let pad = String(repeating: " ", count: gutter)
            out += "\(pad)\(paint("-->", "34")) \(span.file.name):\(line):\(col)\n"
            out += "\(pad) \(paint("|", "34"))\n"
            let full = Array(span.file.lineText(line).replacingTabs().unicodeScalars)
            let last = endLine == line ? endCol : full.count + 1
            let width = max(1, min(last, full.count + 1) - col)
            let shown = Self.window(full, column: col, width: width)
            out += "\(paint(String(line), "34")) \(paint("|", "34")) \(shown.text)\n"
            let caret = String(repeating: " ", count: shown.column - 1) + String(repeating: "^", count: shown.width)
            out += "\(pad) \(paint("|", "34")) \(paint(caret, mark))\n"
            for frame in d.trace {
                out += "\(pad) = note: \(frame.rendered)\n"
            }
            if let help = d.help { out += "\(pad) = \(paint("help", "1")): \(help)\n" }
        } else {
            for frame in d.trace { out += "  = note: \(frame.rendered)\n" }
            if let help = d.help { out += "  = \(paint("help", "1")): \(help)\n" }
        }
        return out
    }
}

extension DiagnosticRenderer {
    /// The most of a source line an error shows: a minified manifest or a generated config can have a line of
    /// megabytes, and printing it whole buries the message (and the terminal).
    static let maxShownColumns = 120

    /// The part of `line` to show around the caret, with `…` where it was cut, and where the caret goes in it.
    static func window(_ line: [Unicode.Scalar], column: Int, width: Int) -> (text: String, column: Int, width: Int) {
        func text(_ s: ArraySlice<Unicode.Scalar>) -> String { String(String.UnicodeScalarView(s)) }
        guard line.count > maxShownColumns else { return (text(line[...]), column, width) }
        let context = maxShownColumns / 3
        let start = min(max(0, column - 1 - context), max(0, line.count - maxShownColumns))
        let end = min(line.count, start + maxShownColumns)
        let before = start > 0 ? "…" : "", after = end < line.count ? "…" : ""
        let caretColumn = column - start + (before.isEmpty ? 0 : 1)
        let caretWidth = max(1, min(width, end - (column - 1) + (after.isEmpty ? 1 : 0)))
        return (before + text(line[start..<end]) + after, caretColumn, caretWidth)
    }
}

extension String {
    /// Tabs become one space so carets line up with what the terminal shows;
    /// other control characters (a NUL byte…) show as their Unicode pictures (␀).
    func replacingTabs() -> String {
        String(unicodeScalars.map { u -> Character in
            if u == "\t" { return " " }
            if u.value < 0x20 { return Character(Unicode.Scalar(0x2400 + u.value)!) }
            if u.value == 0x7F { return "\u{2421}" }
            return Character(u)
        })
    }
}
