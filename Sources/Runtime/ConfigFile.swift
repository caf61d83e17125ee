import Core
import Lang
import OrderedCollections

/// config.yml on disk: Tutor's format (one YAML mapping, keys sorted), read
/// with positions for errors, written atomically with mode 0600 because it
/// holds passwords and keys.
enum ConfigFile {
    /// The mapping in `path`; empty when the file does not exist.
    static func read(_ path: String) throws -> OrderedDictionary<String, Value> {
        guard Files.exists(path) else { return [:] }
        let text = try readText(path)
        return try parse(text, file: SourceFile(name: FileSystem.relativeName(path), path: path, text: text))
    }

    static func parse(_ text: String, file: SourceFile) throws -> OrderedDictionary<String, Value> {
        let value: Value
        do {
            value = try YAMLCodec.decode(text)
        } catch let f as YAMLCodec.Failure {
            throw Diagnostic(.configError, "\(file.name) is not valid YAML: \(f.problem)",
                             at: file.span(line: f.line ?? 1, column: f.column ?? 1),
                             help: f.context.map { "\($0); fix the file, or restore it from a backup" })
        }
        switch value {
        case .map(let m): return m.dict
        case .null: return [:]
        default:
            throw Diagnostic(.configError, "\(file.name) must be a mapping of KEY: value, not \(value.typeName)",
                             at: file.span(line: 1, column: 1))
        }
    }

    /// Writes `config` with sorted keys, as Tutor does (`style`: as its YAML writer lays strings out), replacing the file in one step.
    static func write(_ config: OrderedDictionary<String, Value>, to path: String, style: YAMLCodec.Style = .pyYAML) throws {
        var sorted = config
        sorted.sort { $0.key < $1.key }
        let text = try YAMLCodec.encode(.map(sorted), style: style)
        try FileSystem.writeAtomically(path, Array(text.utf8), mode: 0o600)
    }

    private static func readText(_ path: String) throws -> String {
        do { return try Files.readText(path) } catch {
            throw Diagnostic(.configError, "\(error)", at: nil)
        }
    }
}

extension SourceFile {
    /// The span of one character at a 1-based line and column, clamped to the file.
    func span(line: Int, column: Int) -> Span {
        var offset = 0
        var current = 1
        while current < line, offset < bytes.count {
            if bytes[offset] == UInt8(ascii: "\n") { current += 1 }
            offset += 1
        }
        var col = 1
        while col < column, offset < bytes.count, bytes[offset] != UInt8(ascii: "\n") {
            offset += 1
            // Columns count characters; skip UTF-8 continuation bytes.
            while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            col += 1
        }
        return Span(self, offset, min(offset + 1, bytes.count))
    }
}
