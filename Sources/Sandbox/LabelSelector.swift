import Foundation

/// A parsed label selector (`app=x,tier!=db,env in (a,b),!legacy`), as the API server evaluates `labelSelector`.
/// Field selectors use the same grammar over fields like `metadata.name`, so they are parsed by it too.
public struct LabelSelector: Equatable, Sendable {
    /// The empty selector, which matches every object.
    static let everything = LabelSelector(requirements: [])

    /// `key=value`, built without parsing: a value taken from a request (a pod's name) may hold `,` or `(`.
    static func equals(_ key: String, _ value: String) -> LabelSelector {
        LabelSelector(requirements: [Requirement(key: key, op: .equals, values: [value])])
    }

    init(requirements: [Requirement]) {
        self.requirements = requirements
    }

    public enum Operator: Equatable, Sendable {
        case equals, notEquals, `in`, notIn, exists, doesNotExist
    }

    public struct Requirement: Equatable, Sendable {
        public var key: String
        public var op: Operator
        public var values: [String]

        func matches(_ labels: [String: String]) -> Bool {
            let value = labels[key]
            switch op {
            case .equals, .in: return value.map(values.contains) ?? false
            case .notEquals, .notIn: return value.map { !values.contains($0) } ?? true
            case .exists: return value != nil
            case .doesNotExist: return value == nil
            }
        }
    }

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    public var requirements: [Requirement]

    /// Every requirement holds; the empty selector matches everything.
    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }

    public init(parsing text: String) throws {
        requirements = try Self.splitTopLevel(text).map(Self.requirement)
    }

    /// Splits at commas outside parentheses, so `k in (a,b),x=y` is two requirements.
    private static func splitTopLevel(_ text: String) throws -> [String] {
        var parts: [String] = [], current = "", depth = 0
        for c in text {
            switch c {
            case "(": depth += 1
            case ")": depth -= 1
            default: break
            }
            if c == ",", depth == 0 { parts.append(current); current = "" } else { current.append(c) }
        }
        guard depth == 0 else { throw ParseError(description: "unbalanced parentheses in selector \"\(text)\"") }
        parts.append(current)
        let trimmed = parts.map { $0.trimmingCharacters(in: .whitespaces) }
        if trimmed == [""] { return [] }
        if trimmed.contains("") { throw ParseError(description: "empty requirement in selector \"\(text)\"") }
        return trimmed
    }

    private static func requirement(_ text: String) throws -> Requirement {
        if text.hasPrefix("!") {
            return Requirement(key: try key(String(text.dropFirst())), op: .doesNotExist, values: [])
        }
        for (token, op) in [("!=", Operator.notEquals), ("==", .equals), ("=", .equals)] {
            if let r = text.range(of: token) {
                let value = text[r.upperBound...].trimmingCharacters(in: .whitespaces)
                return Requirement(key: try key(String(text[..<r.lowerBound])), op: op, values: [value])
            }
        }
        let words = text.split(separator: " ", maxSplits: 1).map(String.init)
        if words.count == 2 {
            let rest = words[1].trimmingCharacters(in: .whitespaces)
            for (word, op) in [("notin", Operator.notIn), ("in", .in)] where rest.hasPrefix(word) {
                let set = rest.dropFirst(word.count).trimmingCharacters(in: .whitespaces)
                guard set.hasPrefix("("), set.hasSuffix(")") else { break }
                let values = set.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                return Requirement(key: try key(words[0]), op: op, values: values)
            }
            throw ParseError(description: "unable to parse requirement \"\(text)\"")
        }
        return Requirement(key: try key(text), op: .exists, values: [])
    }

    private static func key(_ text: String) throws -> String {
        let k = text.trimmingCharacters(in: .whitespaces)
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./")
        guard !k.isEmpty, k.allSatisfy(allowed.contains) else { throw ParseError(description: "invalid label key \"\(k)\"") }
        return k
    }
}
