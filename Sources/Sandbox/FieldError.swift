/// One validation failure, as `k8s.io/apimachinery/pkg/util/validation/field.Error` words it: the field's path, the
/// kind of failure, the offending value (printed the way Go's `%q`/`%v` print it) and a detail. The 422 `Status` the
/// sandbox answers carries one `cause` per error and a message that joins them, as `errors.NewInvalid` does, so
/// kubectl prints `The Deployment "x" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`.
struct FieldError: Equatable, CustomStringConvertible {
    /// `field.ErrorType`: the cause's `reason`, and the words that start the message.
    enum Kind: String {
        case required = "FieldValueRequired", invalid = "FieldValueInvalid", duplicate = "FieldValueDuplicate"
        case notSupported = "FieldValueNotSupported", forbidden = "FieldValueForbidden", tooLong = "FieldValueTooLong"

        var title: String {
            switch self {
            case .required: return "Required value"
            case .invalid: return "Invalid value"
            case .duplicate: return "Duplicate value"
            case .notSupported: return "Unsupported value"
            case .forbidden: return "Forbidden"
            case .tooLong: return "Too long"
            }
        }
    }

    var kind: Kind
    var field: String
    /// The value as Go prints it (`"Bad_Name"`, `-1`, `map[string]string{…}`); nil where upstream leaves it out.
    var value: String?
    var detail: String

    /// `ErrorBody`: what the cause's `message` holds (the field goes in its own `field`).
    var body: String {
        var s = kind.title
        if let value, kind != .required, kind != .forbidden, kind != .tooLong { s += ": " + value }
        if !detail.isEmpty { s += ": " + detail }
        return s
    }

    var description: String { field + ": " + body }

    static func required(_ field: String, _ detail: String = "") -> FieldError {
        FieldError(kind: .required, field: field, value: nil, detail: detail)
    }

    static func invalid(_ field: String, _ value: String, _ detail: String) -> FieldError {
        FieldError(kind: .invalid, field: field, value: GoFormat.quote(value), detail: detail)
    }

    static func invalid(_ field: String, _ value: Int, _ detail: String) -> FieldError {
        FieldError(kind: .invalid, field: field, value: String(value), detail: detail)
    }

    /// An invalid value Go prints with `%#v` (a map, a struct): the caller renders it.
    static func invalid(_ field: String, rendered: String, _ detail: String) -> FieldError {
        FieldError(kind: .invalid, field: field, value: rendered, detail: detail)
    }

    static func duplicate(_ field: String, _ value: String) -> FieldError {
        FieldError(kind: .duplicate, field: field, value: GoFormat.quote(value), detail: "")
    }

    static func notSupported(_ field: String, _ value: String, _ supported: [String]) -> FieldError {
        FieldError(kind: .notSupported, field: field, value: GoFormat.quote(value),
                   detail: supported.isEmpty ? "" : "supported values: " + supported.map(GoFormat.quote).joined(separator: ", "))
    }

    static func forbidden(_ field: String, _ detail: String) -> FieldError {
        FieldError(kind: .forbidden, field: field, value: nil, detail: detail)
    }

    static func tooLong(_ field: String, maxBytes: Int) -> FieldError {
        FieldError(kind: .tooLong, field: field, value: nil, detail: "may not be more than \(maxBytes) bytes")
    }

    /// `ValidateNonnegativeField`.
    static func nonNegative(_ field: String, _ value: Int) -> [FieldError] {
        value < 0 ? [.invalid(field, value, "must be greater than or equal to 0")] : []
    }
}

/// A field path built as `field.Path` prints it: `spec.containers[0].name`, `data[key]`.
struct FieldPath: CustomStringConvertible {
    var description: String

    init(_ root: String) { description = root }

    func child(_ names: String...) -> FieldPath {
        FieldPath(([description] + names).filter { !$0.isEmpty }.joined(separator: "."))
    }

    func index(_ i: Int) -> FieldPath { FieldPath(description + "[\(i)]") }
    func key(_ k: String) -> FieldPath { FieldPath(description + "[\(k)]") }
}

extension APIError {
    /// `errors.NewInvalid`: 422, reason Invalid, one cause per error; the message joins the distinct errors (in
    /// brackets when there are several), naming the kind as `Kind.group`.
    static func invalid(_ r: ResourceType, name: String, _ errors: [FieldError]) -> APIError {
        var distinct: [String] = []
        for e in errors where !distinct.contains(e.description) { distinct.append(e.description) }
        let joined = distinct.count == 1 ? distinct[0] : "[" + distinct.joined(separator: ", ") + "]"
        let qualifiedKind = r.group.isEmpty ? r.kind : "\(r.kind).\(r.group)"
        var details: OrderedMap = ["name": .string(name)]
        if !r.group.isEmpty { details["group"] = .string(r.group) }
        details["kind"] = .string(r.kind)
        details["causes"] = .list(errors.map { ["reason": .string($0.kind.rawValue), "message": .string($0.body), "field": .string($0.field)] })
        return APIError(code: 422, reason: "Invalid", message: "\(qualifiedKind) \(GoFormat.quote(name)) is invalid: \(joined)",
                        details: .map(details))
    }
}

/// How Go's fmt prints the values that go into Kubernetes' messages.
enum GoFormat {
    /// `%q` (`strconv.Quote`): double quotes, with Go escapes for quotes, backslashes and unprintable characters.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            if let escaped = escapes[scalar] {
                out += escaped
            } else if isPrintable(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                let (prefix, width) = scalar.value < 0x80 ? ("\\x", 2) : scalar.value <= 0xFFFF ? ("\\u", 4) : ("\\U", 8)
                let digits = String(scalar.value, radix: 16)
                out += prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
            }
        }
        return out + "\""
    }

    /// Go's short escapes.
    private static let escapes: [Unicode.Scalar: String] = [
        "\"": "\\\"", "\\": "\\\\", "\u{07}": "\\a", "\u{08}": "\\b", "\u{0C}": "\\f", "\n": "\\n", "\r": "\\r",
        "\t": "\\t", "\u{0B}": "\\v",
    ]

    /// `%#v` of a `map[string]string`: keys sorted, as fmt prints maps.
    static func stringMap(_ map: [String: String]) -> String {
        "map[string]string{" + map.sorted { $0.key < $1.key }.map { quote($0.key) + ":" + quote($0.value) }.joined(separator: ", ") + "}"
    }

    /// `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber,
             .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }
}
