/// `mysqldump` (and `mariadb-dump`) in a sandbox exec: in a container whose image is MySQL's or MariaDB's, it reads
/// the usual arguments and answers with a simulated dump (`MySQLDump`) streamed by the exec; elsewhere it is "not
/// available", like any command the sandbox does not know. Errors are mysqldump's own words and exit codes:
/// an unknown option (2), no database named (the usage, 1), an unknown database (1049, 2), an unknown table (6).
///
/// Connection options are read and otherwise ignored (no password is checked); options that would write files or
/// change the format (`--result-file`, `--tab`, `--xml`, `--no-data`…) are not simulated and answer 126.
enum MySQLDumpCommand {
    /// Options that take a value, long and short.
    static let valued: Set<String> = ["--user", "--host", "--port", "--socket", "--default-character-set", "--set-gtid-purged",
                                      "--column-statistics", "--ssl-mode", "--protocol", "--max-allowed-packet", "--net-buffer-length",
                                      "--ignore-table", "--where", "--ssl-ca", "--ssl-cert", "--ssl-key", "--compression-algorithms",
                                      "-u", "-h", "-P", "-S", "-w"]
    /// Options without a value that change nothing in the simulated output.
    static let flags: Set<String> = ["--single-transaction", "--quick", "--opt", "--routines", "--triggers", "--skip-triggers",
                                     "--events", "--no-tablespaces", "--add-drop-database", "--add-drop-table", "--skip-add-drop-table",
                                     "--add-locks", "--skip-add-locks", "--lock-tables", "--skip-lock-tables", "--lock-all-tables",
                                     "--flush-logs", "--flush-privileges", "--hex-blob", "--compress", "--skip-comments",
                                     "--skip-dump-date", "--dump-date", "--extended-insert", "--create-options", "--disable-keys",
                                     "--tz-utc", "--skip-tz-utc", "--quote-names", "--force", "--verbose", "--set-charset",
                                     "--skip-ssl", "--ssl", "--skip-column-statistics", "--apply-slave-statements",
                                     "-q", "-R", "-E", "-y", "-l", "-x", "-F", "-C", "-f", "-v", "-Q", "-e"]
    /// Real options the sandbox does not simulate.
    static let unsimulated: Set<String> = ["--result-file", "--tab", "--xml", "--no-data", "--no-create-info", "--compact",
                                           "--skip-extended-insert", "--complete-insert", "--insert-ignore", "--replace",
                                           "--fields-terminated-by", "--help", "--version", "-r", "-T", "-X", "-d", "-t", "-c",
                                           "-?", "-V"]

    static let usage = """
        Usage: mysqldump [OPTIONS] database [tables]
        OR     mysqldump [OPTIONS] --databases [OPTIONS] DB1 [DB2 DB3...]
        OR     mysqldump [OPTIONS] --all-databases [OPTIONS]
        For more options, use mysqldump --help

        """

    static func run(_ argv: [String], in ctx: ExecContext) -> ExecOutcome {
        let program = argv[0].split(separator: "/").last.map(String.init) ?? argv[0]
        let repository = DumpText.repository(ctx.image)
        let flavor: MySQLDump.Flavor = repository.contains("mariadb") ? .mariadb : .mysql
        guard flavor == .mariadb || repository.contains("mysql") else {
            return ExecOutcome(stderr: "\(argv[0]): not available in the sandbox\n", exitCode: ExecCommands.notAvailableCode)
        }
        var all = false, listed = false, host = "localhost", passwordGiven = false
        var names: [String] = []
        var args = argv.dropFirst()[...]
        while let a = args.popFirst() {
            if a == "--" { names += args; break }
            guard a.hasPrefix("-"), a.count > 1 else { names.append(a); continue }
            let long = a.hasPrefix("--")
            let name = long ? String(a.prefix { $0 != "=" }) : String(a.prefix(2))
            let attached: String? = long ? (a.contains("=") ? String(a.drop { $0 != "=" }.dropFirst()) : nil) : (a.count > 2 ? String(a.dropFirst(2)) : nil)
            if unsimulated.contains(name) {
                return ExecOutcome(stderr: "\(program): \(name) is not available in the sandbox\n", exitCode: ExecCommands.notAvailableCode)
            }
            switch name {
            case "--all-databases", "-A": all = true
            case "--databases", "-B": listed = true
            case "--password", "-p": passwordGiven = passwordGiven || attached != nil
            case _ where valued.contains(name):
                guard let value = attached ?? args.popFirst() else {
                    return ExecOutcome(stderr: "\(program): [ERROR] \(program): option '\(name)' requires an argument.\n", exitCode: 5)
                }
                if name == "--host" || name == "-h" { host = value }
            case _ where flags.contains(name) && (attached == nil || long):
                break
            default:
                return ExecOutcome(stderr: "\(program): [ERROR] unknown option '\(long ? name : a)'.\n", exitCode: 2)
            }
        }
        guard all || !names.isEmpty else { return ExecOutcome(stderr: usage, exitCode: 1) }

        let existing = Set(["mysql", "openedx"] + ctx.environment.filter { $0.0 == "MYSQL_DATABASE" || $0.0 == "MARIADB_DATABASE" }.map(\.1))
        let databases = all ? existing.sorted() : listed ? names : [names[0]]
        let only = all || listed ? [] : Array(names.dropFirst())
        let version = DumpText.versionTag(ctx.image) ?? (flavor == .mysql ? "8.4.0" : "10.11.6")
        let format = MySQLDump(flavor: flavor, serverVersion: version, host: host, databases: databases, only: only,
                               createDatabases: all || listed, headerDatabase: all ? "" : databases[0])
        let warning = passwordGiven && flavor == .mysql ? "\(program): [Warning] Using a password on the command line interface can be insecure.\n" : ""
        if let unknown = databases.first(where: { !existing.contains($0) }) {
            return ExecOutcome(stdout: String(decoding: format.header, as: UTF8.self),
                               stderr: warning + "\(program): Got error: 1049: Unknown database '\(unknown)' when selecting the database\n", exitCode: 2)
        }
        let tables = MySQLDump.tables(of: databases[0]).map(\.name)
        if let unknown = only.first(where: { !tables.contains($0) }) {
            return ExecOutcome(stdout: String(decoding: format.header, as: UTF8.self),
                               stderr: warning + "\(program): Couldn't find table: \"\(unknown)\"\n", exitCode: 6)
        }
        return ExecOutcome(dump: DumpJob(tool: .mysqldump(format, program: program), settings: ctx.dumps, stderrFirst: warning))
    }
}
