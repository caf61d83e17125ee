import Foundation

/// How big the simulated database dumps are (`mysqldump` and `mongodump` in exec, `SimulatedDump.swift`) and whether
/// they break: a backup routine can be tested against a dump of any size, or one whose connection is lost partway.
public struct SandboxDumpSettings: Sendable, Equatable {
    /// The dump's size in bytes, exactly (for `mongodump --archive --gzip`, before compression).
    public var size: Int
    /// When set and below `size`, the dump stops after this many bytes of standard output and the tool reports a lost
    /// connection, with its exit code.
    public var failAfter: Int?

    public init(size: Int = 64 << 10, failAfter: Int? = nil) {
        self.size = size
        self.failAfter = failAfter
    }

    /// The largest size accepted (1 TiB): large enough for any test of a backup, small enough that sums stay in range.
    public static let maxBytes = 1 << 40

    /// What `parseBytes` accepts, for usage errors.
    public static let bytesFormat = "a size in bytes up to 1TiB, like 65536, 64KiB, 512MB or 1GiB"

    /// A byte count as people write one: digits, optionally followed by a unit — `B`, decimal `kB`/`KB`, `MB`, `GB`,
    /// `TB` or binary `KiB`, `MiB`, `GiB`, `TiB` (case-insensitive, a space allowed before it). nil for anything else,
    /// including sizes above `maxBytes`.
    public static func parseBytes(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        let multipliers: [String: Int] = ["": 1, "b": 1, "kb": 1000, "mb": 1_000_000, "gb": 1_000_000_000, "tb": 1_000_000_000_000,
                                          "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40]
        guard !digits.isEmpty, digits.count <= 15, let n = Int(digits), let m = multipliers[unit] else { return nil }
        let (bytes, overflow) = n.multipliedReportingOverflow(by: m)
        return overflow || bytes > maxBytes ? nil : bytes
    }
}
