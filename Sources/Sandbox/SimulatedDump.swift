/// One table (or collection) of a simulated dump: where it lives and how much of the dump it takes, relative to the
/// others (`courseware_studentmodule` is most of a real Open edX dump).
struct DumpSection: Equatable, Sendable {
    var database: String
    var name: String
    var weight: Int
}

/// The text of one dump tool's output, in pieces the generator lays out: a fixed header and footer, and per section a
/// start and an end around rows grouped into statements (`INSERT INTO t VALUES (…),(…);` — or one document per line).
/// Every piece is a pure function of its arguments, so the same dump comes out byte for byte every time.
protocol DumpFormat {
    var sections: [DumpSection] { get }
    var header: [UInt8] { get }
    var footer: [UInt8] { get }
    /// What opens a section, with rows to follow or without; `opensDatabase` when it is the first of its database.
    func sectionStart(_ section: Int, withRows: Bool, opensDatabase: Bool) -> [UInt8]
    func sectionEnd(_ section: Int, withRows: Bool) -> [UInt8]
    func statementStart(_ section: Int) -> [UInt8]
    var rowSeparator: [UInt8] { get }
    var statementEnd: [UInt8] { get }
    /// How long a statement grows before the next row starts a new one; 0 for one row per statement.
    var statementLimit: Int { get }
    /// Row `index` of a section, made exactly `padding` bytes longer than it naturally is (the generator pads the last
    /// row of a section to end it on the byte).
    func row(_ section: Int, _ index: Int, padding: Int) -> [UInt8]
    /// Exactly `count` bytes that may stand between the last section and the footer.
    func filler(_ count: Int) -> [UInt8]
}

/// Something the generator reached, for a tool's progress lines on stderr.
enum DumpEvent: Equatable {
    case started(section: Int)
    case finished(section: Int, rows: Int)
}

/// Generates a dump of exactly `size` bytes, lazily, a piece at a time: memory stays at about one chunk whatever the
/// size. The body (between header and footer) is shared out among the sections (`shares`); a section too small for its
/// start, one row and its end gets its structure only, or nothing, and passes its bytes on; what no section can take
/// becomes the format's filler. The last row of each section is padded so that the section ends exactly on its share.
/// A size below header + footer gets the first `size` bytes of the two.
final class DumpGenerator {
    private let format: DumpFormat
    private let size: Int
    /// Bytes per section, by weight; the last takes the rounding.
    private let shares: [Int]

    private var pending: [UInt8] = []
    private var phase = Phase.header
    private(set) var events: [DumpEvent] = []
    /// The section being generated and the rows it has so far (for a tool's "at row N" message).
    private(set) var section = 0
    private(set) var rowsInSection = 0

    private enum Phase { case header, sectionStart, rows, sectionEnd, filler, footer, done }
    private var carry = 0
    private var lastDatabase: String?
    /// In a section's rows: the bytes left for them, the next row (unpadded), the open statement.
    private var remaining = 0
    private var nextRow: [UInt8] = []
    private var inStatement = false
    private var statementBytes = 0

    init(_ format: DumpFormat, size: Int) {
        self.format = format
        self.size = max(size, 0)
        shares = Self.shares(format, size: self.size)
    }

    /// The bytes of a `size`-byte dump that each section gets: what the generator lays out, and what a dump "to
    /// disk" counts without making the bytes. When the body has room for every section's structure and first row,
    /// each gets that and the rest is shared by weight (so a small dump still shows every table); otherwise it is
    /// all shared by weight. The last section takes the rounding.
    static func shares(_ format: DumpFormat, size: Int) -> [Int] {
        let body = max(size - format.header.count - format.footer.count, 0)
        let sections = format.sections
        var minimums = sections.indices.map { i in
            format.sectionStart(i, withRows: true, opensDatabase: i == 0 || sections[i - 1].database != sections[i].database).count
                + format.sectionEnd(i, withRows: true).count + format.statementStart(i).count + format.row(i, 0, padding: 0).count
                + format.statementEnd.count
        }
        if minimums.reduce(0, +) > body { minimums = minimums.map { _ in 0 } }
        let rest = body - minimums.reduce(0, +)
        let total = max(sections.reduce(0) { $0 + $1.weight }, 1)
        var shares = sections.indices.map { minimums[$0] + rest / total * sections[$0].weight + rest % total * sections[$0].weight / total }
        if !shares.isEmpty { shares[shares.count - 1] = body - shares.dropLast().reduce(0, +) }
        return shares
    }

    /// The next at most `max` bytes; nil once all `size` bytes were taken.
    func next(max: Int) -> [UInt8]? {
        while pending.count < max && phase != .done { step() }
        guard !pending.isEmpty else { return nil }
        let n = min(max, pending.count)
        let chunk = Array(pending[..<n])
        pending.removeFirst(n)
        return chunk
    }

    /// The events reached so far, handed over once.
    func takeEvents() -> [DumpEvent] {
        defer { events.removeAll() }
        return events
    }

    private func step() {
        switch phase {
        case .header:
            let frame = format.header + format.footer
            if size < frame.count {
                pending += frame.prefix(size)
                phase = .done
            } else {
                pending += format.header
                phase = shares.isEmpty ? .filler : .sectionStart
            }
        case .sectionStart: startSection()
        case .rows: addRow()
        case .sectionEnd:
            pending += format.sectionEnd(section, withRows: true)
            events.append(.finished(section: section, rows: rowsInSection))
            advance()
        case .filler:
            pending += format.filler(carry)
            phase = .footer
        case .footer:
            pending += format.footer
            phase = .done
        case .done:
            break
        }
    }

    private func startSection() {
        let budget = shares[section] + carry
        carry = 0
        rowsInSection = 0
        let opens = lastDatabase != format.sections[section].database
        let start = format.sectionStart(section, withRows: true, opensDatabase: opens)
        let end = format.sectionEnd(section, withRows: true)
        let first = format.row(section, 0, padding: 0)
        let rowsBudget = budget - start.count - end.count
        if rowsBudget >= format.statementStart(section).count + first.count + format.statementEnd.count {
            pending += start
            remaining = rowsBudget
            nextRow = first
            inStatement = false
            lastDatabase = format.sections[section].database
            events.append(.started(section: section))
            phase = .rows
            return
        }
        let bare = format.sectionStart(section, withRows: false, opensDatabase: opens) + format.sectionEnd(section, withRows: false)
        if budget >= bare.count {
            pending += bare
            carry = budget - bare.count
            lastDatabase = format.sections[section].database
            events.append(.started(section: section))
            events.append(.finished(section: section, rows: 0))
        } else {
            carry = budget
        }
        advance()
    }

    /// Places the next row: in the open statement, closing it, or as the section's last row padded to fill it. It
    /// looks one row ahead, so a row is only placed where the one after it still fits.
    private func addRow() {
        let statementStart = format.statementStart(section), statementEnd = format.statementEnd, separator = format.rowSeparator
        if !inStatement {
            pending += statementStart
            remaining -= statementStart.count
            statementBytes = statementStart.count
            inStatement = true
        }
        let row = nextRow
        let lead = statementBytes > statementStart.count ? separator : []
        let after = remaining - lead.count - row.count
        let following = format.row(section, rowsInSection + 1, padding: 0)
        let canContinue = format.statementLimit > 0 && after >= separator.count + following.count + statementEnd.count
        let canClose = after - statementEnd.count >= statementStart.count + following.count + statementEnd.count
        let underLimit = statementBytes + lead.count + row.count < format.statementLimit
        pending += lead
        rowsInSection += 1
        if canContinue && (underLimit || !canClose) {
            pending += row
            statementBytes += lead.count + row.count
            remaining = after
            nextRow = following
        } else if canClose {
            pending += row + statementEnd
            remaining = after - statementEnd.count
            inStatement = false
            nextRow = following
        } else {
            pending += format.row(section, rowsInSection - 1, padding: after - statementEnd.count) + statementEnd
            remaining = 0
            phase = .sectionEnd
        }
    }

    private func advance() {
        section += 1
        phase = section < shares.count ? .sectionStart : .filler
        if phase == .filler { section = shares.count - 1 }
    }
}
