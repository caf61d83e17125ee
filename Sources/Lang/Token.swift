import Core

/// What the scanner hands the parser.
public enum TokenKind: Equatable, Sendable {
    case eof, newline, semicolon
    case lparen, rparen, lbracket, rbracket, lbrace, rbrace
    case comma, colon, dot, spread
    case assign, plusAssign, minusAssign
    case plus, minus, star, slash, percent
    case equal, notEqual, less, lessEqual, greater, greaterEqual
    /// `name` in expression mode: a keyword, a variable or a bare string.
    case ident
    /// A bare word in argument mode: `./manage.py`, `learn.example.com`.
    case word
    /// `$name`.
    case variable
    /// `--name`, `--name=value` or `-n`.
    case flag
    case int, float
    case string
    /// A token the scanner could not make sense of; a diagnostic was recorded.
    case invalid
}

/// How the scanner reads the next token. Commands read their arguments as
/// words (`./manage.py` is one string), expressions read operators
/// (`$a-1` is a subtraction); the parser says which it wants.
public enum ScanMode: Sendable { case expression, argument }

/// A piece of a double-quoted or triple-quoted string.
public enum StringPart: Sendable, Equatable {
    case text(String)
    /// `$name`: the name and its byte range.
    case variable(String, start: Int, end: Int)
    /// `$(…)`: the byte range of the code between the parentheses.
    case code(start: Int, end: Int)
}

public struct Token: Sendable {
    public var kind: TokenKind
    public var start: Int
    public var end: Int
    /// Identifier, word, variable or flag name; decoded text for raw strings.
    public var text: String = ""
    public var intValue: Int = 0
    public var floatValue: Double = 0
    public var parts: [StringPart] = []
    /// Whether whitespace (or the start of a line) came right before it.
    public var spaceBefore: Bool = true
    /// `--name=value`: the value's text and where it starts.
    public var inlineValue: (text: String, start: Int)?
    /// `-n` rather than `--name`.
    public var isShortFlag = false

    public init(kind: TokenKind, start: Int, end: Int) {
        self.kind = kind
        self.start = start
        self.end = end
    }

    static let keywords: Set<String> = [
        "let", "if", "else", "for", "in", "while", "break", "continue", "fn", "return",
        "try", "catch", "import", "and", "or", "not", "true", "false", "null",
    ]

    /// An identifier that is one of the language's keywords.
    public func isKeyword(_ k: String) -> Bool { kind == .ident && text == k }

    public var isAnyKeyword: Bool { kind == .ident && Token.keywords.contains(text) }
}
