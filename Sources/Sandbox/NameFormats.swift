/// The string formats Kubernetes names, labels and keys must have, with the messages a real API server gives when
/// they do not: a port of `k8s.io/apimachinery/pkg/util/validation` (v0.32, the version the sandbox reports). Each
/// check returns every problem it finds, worded exactly as upstream (double space before `or` included: that is
/// how `RegexError` joins its examples), because kubectl prints these messages as they come.
///
/// The regular expressions are checked by hand over bytes (all the formats are ASCII), so a name with any other
/// character simply fails the format, as Go's `regexp` on a UTF-8 string does.
enum NameFormat {
    static let labelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    static let subdomainFormat = labelFormat + "(\\." + labelFormat + ")*"
    static let dns1035Format = "[a-z]([-a-z0-9]*[a-z0-9])?"
    static let qualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    static let labelValueFormat = "(" + qualifiedNameFormat + ")?"
    static let configKeyFormat = "[-._a-zA-Z0-9]+"

    static let subdomainMaxLength = 253
    static let labelMaxLength = 63

    /// `IsDNS1123Subdomain`: Pod, Deployment, ConfigMap… names. At most 253 bytes of dot-separated labels.
    static func dns1123Subdomain(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > subdomainMaxLength { errors.append(maxLength(subdomainMaxLength)) }
        if !isSubdomain(value) {
            errors.append(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
                                     subdomainFormat, ["example.com"]))
        }
        return errors
    }

    /// `IsDNS1123Label`: Namespace names, container and port names. A subdomain with dots is told so.
    static func dns1123Label(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > labelMaxLength { errors.append(maxLength(labelMaxLength)) }
        if !isLabel(value) {
            errors.append(isSubdomain(value) ? "must not contain dots"
                : regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                             labelFormat, ["my-name", "123-abc"]))
        }
        return errors
    }

    /// `IsDNS1035Label`: Service names, which must also start with a letter (they become DNS names and env variables).
    static func dns1035Label(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > labelMaxLength { errors.append(maxLength(labelMaxLength)) }
        if !isLabel(value) || !(value.utf8.first.map(isLower) ?? false) {
            errors.append(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
                                     dns1035Format, ["my-name", "abc-123"]))
        }
        return errors
    }

    /// `IsQualifiedName`: label and annotation keys, finalizers. An optional DNS subdomain prefix and `/`, then a
    /// name of at most 63 characters.
    static func qualifiedName(_ value: String) -> [String] {
        let qualifiedMessage = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
        let examples = ["MyName", "my.name", "123-abc"]
        let parts = value.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var errors: [String] = []
        let name: String
        switch parts.count {
        case 1: name = parts[0]
        case 2:
            name = parts[1]
            if parts[0].isEmpty {
                errors.append("prefix part must be non-empty")
            } else {
                errors += dns1123Subdomain(parts[0]).map { "prefix part " + $0 }
            }
        default:
            return ["a qualified name " + regexError(qualifiedMessage, qualifiedNameFormat, examples)
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        if name.isEmpty {
            errors.append("name part must be non-empty")
        } else if name.utf8.count > labelMaxLength {
            errors.append("name part " + maxLength(labelMaxLength))
        }
        if !isQualifiedNamePart(name) { errors.append("name part " + regexError(qualifiedMessage, qualifiedNameFormat, examples)) }
        return errors
    }

    /// `IsValidLabelValue`: empty, or a qualified name part of at most 63 characters.
    static func labelValue(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > labelMaxLength { errors.append(maxLength(labelMaxLength)) }
        if !value.isEmpty, !isQualifiedNamePart(value) {
            errors.append(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                                     labelValueFormat, ["MyValue", "my_value", "12345"]))
        }
        return errors
    }

    /// `IsConfigMapKey`: the keys of a ConfigMap's or Secret's data, which become file names in a volume (so no
    /// `.`, `..` or `..`-prefix).
    static func configMapKey(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > subdomainMaxLength { errors.append(maxLength(subdomainMaxLength)) }
        if value.isEmpty || !value.utf8.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") }) {
            errors.append(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                                     configKeyFormat, ["key.name", "KEY_NAME", "key-name"]))
        }
        if value == "." {
            errors.append("must not be '.'")
        } else if value == ".." {
            errors.append("must not be '..'")
        } else if value.hasPrefix("..") {
            errors.append("must not start with '..'")
        }
        return errors
    }

    /// `IsValidPortNum`.
    static func portNumber(_ port: Int) -> [String] {
        (1...65535).contains(port) ? [] : [inclusiveRange(1, 65535)]
    }

    /// `IsValidPortName` (IANA_SVC_NAME): a named `targetPort`.
    static func portName(_ port: String) -> [String] {
        var errors: [String] = []
        let bytes = Array(port.utf8)
        if bytes.count > 15 { errors.append(maxLength(15)) }
        if bytes.isEmpty || !bytes.allSatisfy({ isLower($0) || isDigit($0) || $0 == UInt8(ascii: "-") }) {
            errors.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
        }
        if !bytes.contains(where: isLower) { errors.append("must contain at least one letter (a-z)") }
        if port.contains("--") { errors.append("must not contain consecutive hyphens") }
        if bytes.first == UInt8(ascii: "-") || bytes.last == UInt8(ascii: "-") { errors.append("must not begin or end with a hyphen") }
        return errors
    }

    static func inclusiveRange(_ low: Int, _ high: Int) -> String { "must be between \(low) and \(high), inclusive" }

    static func maxLength(_ length: Int) -> String { "must be no more than \(length) characters" }

    /// `RegexError`: the message, examples each followed by `', '` and joined by ` or `, then the expression.
    static func regexError(_ message: String, _ format: String, _ examples: [String]) -> String {
        guard !examples.isEmpty else { return message + " (regex used for validation is '" + format + "')" }
        return message + " (e.g. " + examples.map { "'" + $0 + "', " }.joined(separator: " or ") + "regex used for validation is '" + format + "')"
    }

    /// `maskTrailingDash`: a `generateName` prefix may end in `-`, since random characters follow it.
    static func maskTrailingDash(_ name: String) -> String {
        var bytes = Array(name.utf8)
        guard bytes.count > 1, bytes.last == UInt8(ascii: "-") else { return name }
        bytes.removeLast(2)
        return String(decoding: bytes, as: UTF8.self) + "a"
    }

    // MARK: - The character classes

    private static func isLower(_ b: UInt8) -> Bool { b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") }
    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        isLower(b) || isDigit(b) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, with no length limit (the callers check lengths).
    private static func isLabel(_ value: some StringProtocol) -> Bool {
        let bytes = Array(value.utf8)
        guard let first = bytes.first, let last = bytes.last else { return false }
        return (isLower(first) || isDigit(first)) && (isLower(last) || isDigit(last))
            && bytes.allSatisfy { isLower($0) || isDigit($0) || $0 == UInt8(ascii: "-") }
    }

    private static func isSubdomain(_ value: String) -> Bool {
        value.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isLabel($0) }
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`.
    private static func isQualifiedNamePart(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }
}
