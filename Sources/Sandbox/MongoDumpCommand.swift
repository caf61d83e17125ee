import Foundation

/// `mongodump` in a sandbox exec: in a container whose image is MongoDB's, it reads the usual arguments and answers
/// like mongodump 100.x — `--archive` (or `--archive=-`) streams a simulated archive (`MongoDump`) to stdout with
/// progress lines on stderr; without it (or with `--archive=FILE`) the dump "goes to disk": nothing on stdout, the
/// progress lines only. Elsewhere it is "not available". `--gzip` gzips the archive stream (stored blocks, so any
/// gunzip reads it). With the sandbox's `failAfter`, the dump stops partway and mongodump reports the lost
/// connection and exits 1, as the real one does.
enum MongoDumpCommand {
    static let valued: Set<String> = ["--uri", "--host", "--port", "--db", "--collection", "--username", "--password",
                                      "--authenticationDatabase", "--authenticationMechanism", "--out", "--query", "--readPreference",
                                      "--numParallelCollections", "--excludeCollection", "--excludeCollectionsWithPrefix",
                                      "-h", "-d", "-c", "-u", "-p", "-o", "-q", "-j"]
    static let flags: Set<String> = ["--gzip", "--quiet", "--verbose", "--oplog", "--forceTableScan", "--dumpDbUsersAndRoles",
                                     "--ssl", "--tls", "-v"]

    struct Options {
        var host = "localhost", port = "27017"
        var database: String?, collection: String?
        /// nil without `--archive`; "-" for stdout.
        var archive: String?
        var out = "dump"
        var gzip = false
    }

    static func run(_ argv: [String], in ctx: ExecContext) -> ExecOutcome {
        guard DumpText.repository(ctx.image).contains("mongo") else {
            return ExecOutcome(stderr: "\(argv[0]): not available in the sandbox\n", exitCode: ExecCommands.notAvailableCode)
        }
        let o: Options
        switch parse(Array(argv.dropFirst())) {
        case .success(let options): o = options
        case .failure(let message, let code): return ExecOutcome(stderr: message, exitCode: code)
        }
        if o.collection != nil && o.database == nil {
            return ExecOutcome(stderr: MongoLog.line("Failed: bad option: cannot dump a collection without a specified database"), exitCode: 1)
        }
        if o.out == "-" {
            return ExecOutcome(stderr: "mongodump: --out - (BSON to standard output) is not available in the sandbox\n",
                               exitCode: ExecCommands.notAvailableCode)
        }
        let address = o.host.contains(":") ? o.host : "\(o.host):\(o.port)"
        let format = MongoDump(address: address, database: o.database, collection: o.collection)
        if o.archive == "-" {
            return ExecOutcome(dump: DumpJob(tool: .mongodump(format), settings: ctx.dumps, gzip: o.gzip))
        }
        return toDisk(format, o, ctx.dumps)
    }

    /// A dump to files in the container: the progress lines a real one prints, with document counts estimated from
    /// each collection's share of the dump (no bytes are made), and the lost connection where `failAfter` falls.
    private static func toDisk(_ format: MongoDump, _ o: Options, _ settings: SandboxDumpSettings) -> ExecOutcome {
        var err = ""
        var offset = format.header.count
        for (i, share) in DumpGenerator.shares(format, size: settings.size).enumerated() {
            let ns = format.namespace(i)
            let target = o.archive.map { "archive '\($0)'" }
                ?? "\(o.out)/\(format.sections[i].database)/\(format.sections[i].name).bson\(o.gzip ? ".gz" : "")"
            err += MongoLog.line("writing \(ns) to \(target)")
            if let limit = settings.failAfter, limit < offset + share {
                return ExecOutcome(stderr: err + MongoLog.lostConnection(ns, address: format.address), exitCode: 1)
            }
            let sample = (0..<8).reduce(0) { $0 + format.row(i, $1, padding: 0).count + 1 } / 8
            err += MongoLog.line("done dumping \(ns) (\(MongoLog.documents(max(share - format.sectionStart(i, withRows: true, opensDatabase: false).count, 0) / sample)))")
            offset += share
        }
        return ExecOutcome(stderr: err)
    }

    private enum Parsed {
        case success(Options)
        /// The message and exit code.
        case failure(String, Int)
    }

    /// go-flags' rules: `--name=value` or `--name value`, `-n value` or `-nvalue`; `--archive` takes a value only
    /// after `=`.
    private static func parse(_ args: [String]) -> Parsed {
        var o = Options()
        var rest = args[...]
        func bad(_ message: String) -> Parsed {
            .failure(MongoLog.line("error parsing command line options: \(message)") + MongoLog.line("try 'mongodump --help' for more information"), 1)
        }
        while let a = rest.popFirst() {
            guard a.hasPrefix("-"), a.count > 1 else { return bad("unexpected argument: \(a)") }
            let long = a.hasPrefix("--")
            let name = long ? String(a.prefix { $0 != "=" }) : String(a.prefix(2))
            let attached: String? = long ? (a.contains("=") ? String(a.drop { $0 != "=" }.dropFirst()) : nil) : (a.count > 2 ? String(a.dropFirst(2)) : nil)
            if name == "--archive" {
                o.archive = attached ?? "-"
                continue
            }
            if flags.contains(name) {
                if name == "--gzip" { o.gzip = true }
                continue
            }
            if name == "--help" || name == "--version" {
                return .failure("mongodump: \(name) is not available in the sandbox\n", ExecCommands.notAvailableCode)
            }
            guard valued.contains(name) else { return bad("unknown flag `\(name.drop { $0 == "-" })'") }
            guard let value = attached ?? rest.popFirst() else { return bad("expected argument for flag `\(name)'") }
            switch name {
            case "--uri": applyURI(value, to: &o)
            case "--host", "-h": o.host = value
            case "--port": o.port = value
            case "--db", "-d": o.database = value
            case "--collection", "-c": o.collection = value
            case "--out", "-o": o.out = value
            default: break
            }
        }
        return .success(o)
    }

    /// `mongodb://[user:pass@]host[:port][,…]/[database][?options]`: the first host and the database.
    private static func applyURI(_ uri: String, to o: inout Options) {
        var rest = Substring(uri)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        let hosts = authority.split(separator: "@").last ?? authority
        if let first = hosts.split(separator: ",").first, !first.isEmpty { o.host = String(first) }
        let path = rest.dropFirst(authority.count)
        if path.hasPrefix("/") {
            let db = path.dropFirst().prefix { $0 != "?" }
            if !db.isEmpty && o.database == nil { o.database = String(db) }
        }
    }
}
