import Core

/// The syntax tree: what the parser builds and tools read (a formatter, an editor server, `check`).
///
/// It is data and nothing else. Every node is immutable and keeps the spans of its tokens; the
/// tree keeps every token and comment of the file (`SyntaxTree`). Slots, frames, call plans and
/// caches belong to the resolved form the evaluator runs (`Code.swift`, built by `Resolver`).
///
/// Dispatch is exhaustive: each node says which kind it is (`ExprKind`, `StmtKind`), and the
/// resolver switches over those enums with no `default`, so a new node kind that the resolver
/// forgets is a compile error.

/// A parsed file: its statements, every token the parser read and every comment.
public struct SyntaxTree: Sendable {
    public let file: SourceFile
    public let statements: [Stmt]
    /// Every token, in source order (newlines included), as the parser read it.
    public let tokens: [Token]
    /// Every `#` comment, in source order (a shebang line is not a comment).
    public let comments: [Span]
    public var span: Span { Span(file, 0, file.bytes.count) }
}

public protocol Expr: AnyObject, Sendable {
    var span: Span { get }
    var kind: ExprKind { get }
}

public protocol Stmt: AnyObject, Sendable {
    var span: Span { get }
    var kind: StmtKind { get }
}

/// Every kind of expression: the resolver's switch over this is the one place each is handled.
public enum ExprKind {
    case literal(LiteralExpr)
    case interpolated(InterpolatedExpr)
    case name(NameExpr)
    case list(ListExpr)
    case map(MapExpr)
    case unary(UnaryExpr)
    case binary(BinaryExpr)
    case logical(LogicalExpr)
    case member(MemberExpr)
    case index(IndexExpr)
    case call(CallExpr)
}

/// Every kind of statement.
public enum StmtKind {
    case expression(ExprStmt)
    case letBinding(LetStmt)
    case assignment(AssignStmt)
    case block(Block)
    case ifElse(IfStmt)
    case forLoop(ForStmt)
    case whileLoop(WhileStmt)
    case breakLoop(BreakStmt)
    case continueLoop(ContinueStmt)
    case returnValue(ReturnStmt)
    case function(FnDecl)
    case tryCatch(TryStmt)
    case importFile(ImportStmt)
}

// MARK: - Expressions

public final class LiteralExpr: Expr {
    public let span: Span
    public let value: Value
    public init(_ value: Value, _ span: Span) { self.value = value; self.span = span }
    public var kind: ExprKind { .literal(self) }
}

public enum InterpolationPart: Sendable {
    case text(String)
    case expr(Expr)
}

/// `"text $name $(code)"`.
public final class InterpolatedExpr: Expr {
    public let span: Span
    public let parts: [InterpolationPart]
    public init(_ parts: [InterpolationPart], _ span: Span) { self.parts = parts; self.span = span }
    public var kind: ExprKind { .interpolated(self) }
}

/// `$name`, or a bare identifier in an expression, which is the variable when
/// one of that name is in scope and otherwise the word itself, as a string.
public final class NameExpr: Expr {
    public let span: Span
    public let name: String
    public let isDollar: Bool
    public init(_ name: String, dollar: Bool, _ span: Span) { self.name = name; isDollar = dollar; self.span = span }
    public var kind: ExprKind { .name(self) }
}

public enum ListElement: Sendable {
    case value(Expr)
    case spread(Expr)
}

public final class ListExpr: Expr {
    public let span: Span
    public let elements: [ListElement]
    public init(_ elements: [ListElement], _ span: Span) { self.elements = elements; self.span = span }
    public var kind: ExprKind { .list(self) }
}

public struct MapEntry: Sendable {
    public let key: Expr
    public let value: Expr
}

public final class MapExpr: Expr {
    public let span: Span
    public let entries: [MapEntry]
    public init(_ entries: [MapEntry], _ span: Span) { self.entries = entries; self.span = span }
    public var kind: ExprKind { .map(self) }
}

public enum UnaryOp: String, Sendable { case negate = "-", not = "not" }

public final class UnaryExpr: Expr {
    public let span: Span
    public let op: UnaryOp
    public let operand: Expr
    public init(_ op: UnaryOp, _ operand: Expr, _ span: Span) { self.op = op; self.operand = operand; self.span = span }
    public var kind: ExprKind { .unary(self) }
}

public enum BinaryOp: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case contains = "in", notContains = "not in"
}

public final class BinaryExpr: Expr {
    public let span: Span
    public let op: BinaryOp
    public let lhs: Expr
    public let rhs: Expr
    public let opSpan: Span
    public init(_ op: BinaryOp, _ lhs: Expr, _ rhs: Expr, opSpan: Span) {
        self.op = op; self.lhs = lhs; self.rhs = rhs; self.opSpan = opSpan
        span = lhs.span.to(rhs.span)
    }
    public var kind: ExprKind { .binary(self) }
}

/// `a and b`, `a or b`.
public final class LogicalExpr: Expr {
    public let span: Span
    public let isAnd: Bool
    public let lhs: Expr
    public let rhs: Expr
    public init(and isAnd: Bool, _ lhs: Expr, _ rhs: Expr) {
        self.isAnd = isAnd; self.lhs = lhs; self.rhs = rhs
        span = lhs.span.to(rhs.span)
    }
    public var kind: ExprKind { .logical(self) }
}

/// `$m.key`.
public final class MemberExpr: Expr {
    public let span: Span
    public let object: Expr
    public let name: String
    public init(_ object: Expr, _ name: String, _ span: Span) { self.object = object; self.name = name; self.span = span }
    public var kind: ExprKind { .member(self) }
}

/// `$l[0]`, `$m["key"]`.
public final class IndexExpr: Expr {
    public let span: Span
    public let object: Expr
    public let index: Expr
    public init(_ object: Expr, _ index: Expr, _ span: Span) { self.object = object; self.index = index; self.span = span }
    public var kind: ExprKind { .index(self) }
}

/// One argument as written in a command.
public enum ArgNode: Sendable {
    case value(Expr)
    /// `--name`, `-n`, or `--name=value` (then `inline` holds the value).
    case flag(name: String, short: Bool, inline: Expr?, span: Span)
    /// `...$list`: its elements become arguments.
    case spread(Expr)

    public var span: Span {
        switch self {
        case .value(let e), .spread(let e): return e.span
        case .flag(_, _, _, let s): return s
        }
    }
}

/// `name arg… --flag value`: a builtin or a user function, decided by the resolver.
public final class CallExpr: Expr {
    public let span: Span
    public let name: String
    public let nameSpan: Span
    public let args: [ArgNode]
    public init(_ name: String, nameSpan: Span, args: [ArgNode], _ span: Span) {
        self.name = name; self.nameSpan = nameSpan; self.args = args; self.span = span
    }
    public var kind: ExprKind { .call(self) }
}

// MARK: - Statements

/// An expression on a line of its own. A command written bare (`status`) is a
/// statement whose value nobody reads; `(status)` asks for the value.
public final class ExprStmt: Stmt {
    public let expr: Expr
    public let parenthesized: Bool
    public var span: Span { expr.span }
    public init(_ expr: Expr, parenthesized: Bool = false) { self.expr = expr; self.parenthesized = parenthesized }
    public var kind: StmtKind { .expression(self) }
    /// A call written bare: a command run for its effect (see `Arguments.valueWanted`).
    public var isCommandStatement: Bool { !parenthesized && expr is CallExpr }
}

public final class LetStmt: Stmt {
    public let span: Span
    public let name: String
    public let nameSpan: Span
    public let value: Expr
    public init(_ name: String, nameSpan: Span, value: Expr, _ span: Span) {
        self.name = name; self.nameSpan = nameSpan; self.value = value; self.span = span
    }
    public var kind: StmtKind { .letBinding(self) }
}

public enum AssignOp: String, Sendable { case set = "=", add = "+=", subtract = "-=" }

/// `name = v`, `$m.key = v`, `$l[0] += v`.
public final class AssignStmt: Stmt {
    public let span: Span
    public let target: Expr
    public let op: AssignOp
    public let value: Expr
    public init(_ target: Expr, _ op: AssignOp, _ value: Expr, _ span: Span) {
        self.target = target; self.op = op; self.value = value; self.span = span
    }
    public var kind: StmtKind { .assignment(self) }
}

public final class Block: Stmt {
    public let span: Span
    public let statements: [Stmt]
    public init(_ statements: [Stmt], _ span: Span) { self.statements = statements; self.span = span }
    public var kind: StmtKind { .block(self) }
}

public final class IfStmt: Stmt {
    public let span: Span
    public let condition: Expr
    public let then: Block
    /// A `Block`, or an `IfStmt` for `else if`.
    public let otherwise: Stmt?
    public init(_ condition: Expr, _ then: Block, _ otherwise: Stmt?, _ span: Span) {
        self.condition = condition; self.then = then; self.otherwise = otherwise; self.span = span
    }
    public var kind: StmtKind { .ifElse(self) }
}

public struct LoopVariable: Sendable {
    public let name: String
    public let span: Span
}

public final class ForStmt: Stmt {
    public let span: Span
    public let names: [LoopVariable]
    public let iterable: Expr
    public let body: Block
    public init(_ names: [LoopVariable], _ iterable: Expr, _ body: Block, _ span: Span) {
        self.names = names; self.iterable = iterable; self.body = body; self.span = span
    }
    public var kind: StmtKind { .forLoop(self) }
}

public final class WhileStmt: Stmt {
    public let span: Span
    public let condition: Expr
    public let body: Block
    public init(_ condition: Expr, _ body: Block, _ span: Span) { self.condition = condition; self.body = body; self.span = span }
    public var kind: StmtKind { .whileLoop(self) }
}

public final class BreakStmt: Stmt {
    public let span: Span
    public init(_ span: Span) { self.span = span }
    public var kind: StmtKind { .breakLoop(self) }
}

public final class ContinueStmt: Stmt {
    public let span: Span
    public init(_ span: Span) { self.span = span }
    public var kind: StmtKind { .continueLoop(self) }
}

public final class ReturnStmt: Stmt {
    public let span: Span
    public let value: Expr?
    public init(_ value: Expr?, _ span: Span) { self.value = value; self.span = span }
    public var kind: StmtKind { .returnValue(self) }
}

public enum ParamKind: Sendable {
    case required
    case optional(Expr)
    case variadic
    /// `--name` (a switch, default false) or `--name = default`.
    case flag(default: Expr?)
}

public struct ParamDecl: Sendable {
    public let name: String
    public let span: Span
    public let kind: ParamKind
}

public final class FnDecl: Stmt {
    public let span: Span
    public let name: String
    public let nameSpan: Span
    public let params: [ParamDecl]
    public let body: Block
    /// The `#` comment lines right above the `fn`, shown by `help`.
    public let doc: String
    public let signature: Signature
    public init(_ name: String, nameSpan: Span, params: [ParamDecl], body: Block, doc: String, _ span: Span) {
        self.name = name; self.nameSpan = nameSpan; self.params = params; self.body = body; self.doc = doc; self.span = span
        signature = Signature(userFunction: name, params: params, doc: doc)
    }
    public var kind: StmtKind { .function(self) }
}

public struct ErrorVariable: Sendable {
    public let name: String
    public let span: Span
}

public final class TryStmt: Stmt {
    public let span: Span
    public let body: Block
    public let errorName: ErrorVariable?
    public let handler: Block
    public init(_ body: Block, _ errorName: ErrorVariable?, _ handler: Block, _ span: Span) {
        self.body = body; self.errorName = errorName; self.handler = handler; self.span = span
    }
    public var kind: StmtKind { .tryCatch(self) }
}

public final class ImportStmt: Stmt {
    public let span: Span
    public let path: String
    public let pathSpan: Span
    public init(_ path: String, pathSpan: Span, _ span: Span) { self.path = path; self.pathSpan = pathSpan; self.span = span }
    public var kind: StmtKind { .importFile(self) }
}
