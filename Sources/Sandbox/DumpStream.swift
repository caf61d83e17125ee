import Foundation

/// A simulated dump an exec answers with (`mysqldump`, `mongodump --archive`): the tool's format, the sandbox's size
/// and failure settings, and what the tool writes to stderr before it starts. A plain value, so that `ExecOutcome`
/// stays comparable; `start()` makes the stream that generates it.
struct DumpJob: Equatable, Sendable {
    enum Tool: Equatable, Sendable {
        /// `program` is the name it was called by, which its messages begin with.
        case mysqldump(MySQLDump, program: String)
        case mongodump(MongoDump)
    }

    var tool: Tool
    var settings: SandboxDumpSettings
    /// Standard output is gzip (`mongodump --archive --gzip`); the dump's size is before compression.
    var gzip = false
    /// What the tool prints first (mysqldump's warning about a password on the command line).
    var stderrFirst = ""

    func start() -> DumpStream { DumpStream(self) }
}

/// One run of a `DumpJob`: standard output a chunk at a time, generated only when asked for, so that a 1 GiB dump
/// costs the sandbox one chunk of memory; stderr as the tool would print it along the way; the exit code at the end.
/// With `failAfter`, output stops after that many bytes and the tool reports a lost connection.
final class DumpStream {
    private let job: DumpJob
    private let generator: DumpGenerator
    private var gzip: GzipStored?
    private var pending: [UInt8] = []
    private var generated = false
    private var sent = 0
    private var stderr: String
    private(set) var exitCode = 0
    private var ended = false

    fileprivate init(_ job: DumpJob) {
        self.job = job
        switch job.tool {
        case .mysqldump(let format, _):
            generator = DumpGenerator(format, size: job.settings.size)
        case .mongodump(let format):
            // A dump of nothing is header and footer only, whatever the size asked for.
            generator = DumpGenerator(format, size: format.sections.isEmpty ? 0 : job.settings.size)
        }
        gzip = job.gzip ? GzipStored() : nil
        stderr = job.stderrFirst
    }

    /// The next at most `max` bytes of standard output; nil when there are no more (the exit code is then final, and
    /// the last of stderr is waiting in `takeStderr`).
    func nextStdout(max: Int) -> [UInt8]? {
        guard !ended else { return nil }
        fill(max)
        var n = min(max, pending.count)
        if let limit = job.settings.failAfter { n = min(n, limit - sent) }
        guard n > 0 else {
            end(failed: !pending.isEmpty)
            return nil
        }
        let chunk = Array(pending[..<n])
        pending.removeFirst(n)
        sent += n
        return chunk
    }

    /// Whatever the tool printed to stderr since the last call.
    func takeStderr() -> String {
        defer { stderr = "" }
        return stderr
    }

    private func fill(_ max: Int) {
        while pending.count < max && !generated {
            if let chunk = generator.next(max: max) {
                pending += gzip?.compress(chunk) ?? chunk
            } else {
                generated = true
                if var z = gzip { pending += z.finish() }
            }
            progress(generator.takeEvents())
        }
    }

    private func progress(_ events: [DumpEvent]) {
        guard case .mongodump(let format) = job.tool else { return }
        for e in events {
            switch e {
            case .started(let s): stderr += MongoLog.line("writing \(format.namespace(s)) to archive on stdout")
            case .finished(let s, let rows): stderr += MongoLog.line("done dumping \(format.namespace(s)) (\(MongoLog.documents(rows)))")
            }
        }
    }

    private func end(failed: Bool) {
        ended = true
        guard failed else { return }
        switch job.tool {
        case .mysqldump(let format, let program):
            let table = format.sections.isEmpty ? "" : format.sections[generator.section].name
            stderr += format.lostConnection(program: program, table: table, row: generator.rowsInSection)
            exitCode = 3
        case .mongodump(let format):
            let namespace = format.sections.isEmpty ? "admin.system.version" : format.namespace(generator.section)
            stderr += MongoLog.lostConnection(namespace, address: format.address)
            exitCode = 1
        }
    }
}

/// mongodump's log lines on stderr: a timestamp (`2006-01-02T15:04:05.000-0700`), a tab, the message.
enum MongoLog {
    static func line(_ message: String, at date: Date = Date()) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSZ"
        return f.string(from: date) + "\t" + message + "\n"
    }

    static func documents(_ n: Int) -> String { n == 1 ? "1 document" : "\(n) documents" }

    /// What mongodump prints (and then exits 1) when the server goes away in the middle of a collection.
    static func lostConnection(_ namespace: String, address: String) -> String {
        line("Failed: error writing data for collection `\(namespace)` to disk: error reading collection: "
             + "connection(\(address)[-3]) incomplete read of message header: EOF")
    }
}
