/// The output of a simulated `mysqldump`: mysqldump 8.4's layout (or MariaDB's header), `-- SIMULATED …` as its first
/// line, the chosen databases' tables from `OpenEdXTables` with deterministic rows, and no date (as with
/// `--skip-dump-date`), so that the same command always gives the same bytes.
struct MySQLDump: DumpFormat, Equatable, Sendable {
    enum Flavor: Equatable, Sendable { case mysql, mariadb }

    let flavor: Flavor
    let serverVersion: String
    let host: String
    /// What the `Database:` header line names: the first database, none under `--all-databases`.
    let headerDatabase: String
    /// `CREATE DATABASE`/`USE` precede each database's tables (`--databases`, `--all-databases`).
    let createDatabases: Bool
    /// Every table dumped, in order, and where its definition is in `tables(of:)`.
    let sections: [DumpSection]
    private let definitions: [Int]

    /// `only` limits the tables (`mysqldump DB TABLE…`); empty for all of them.
    init(flavor: Flavor, serverVersion: String, host: String, databases: [String], only: [String] = [], createDatabases: Bool,
         headerDatabase: String) {
        self.flavor = flavor
        self.serverVersion = serverVersion
        self.host = host
        self.headerDatabase = headerDatabase
        self.createDatabases = createDatabases
        var sections: [DumpSection] = [], definitions: [Int] = []
        for db in databases {
            for (i, t) in Self.tables(of: db).enumerated() where only.isEmpty || only.contains(t.name) {
                sections.append(DumpSection(database: db, name: t.name, weight: t.weight))
                definitions.append(i)
            }
        }
        self.sections = sections
        self.definitions = definitions
    }

    /// The tables a database has in the sandbox: MySQL's own for `mysql`, an Open edX platform's for any other.
    static func tables(of database: String) -> [SQLTable] {
        database == "mysql" ? OpenEdXTables.system : OpenEdXTables.application
    }

    private func table(_ section: Int) -> SQLTable { Self.tables(of: sections[section].database)[definitions[section]] }

    var header: [UInt8] {
        let distrib = flavor == .mysql ? "MySQL dump 10.13  Distrib \(serverVersion), for Linux (x86_64)"
            : "MariaDB dump 10.19  Distrib \(serverVersion)-MariaDB, for debian-linux-gnu (x86_64)"
        let version = flavor == .mysql ? serverVersion : "\(serverVersion)-MariaDB"
        return Array("""
            -- SIMULATED by the tk8s sandbox: not a real dump
            -- \(distrib)
            --
            -- Host: \(host)    Database: \(headerDatabase)
            -- ------------------------------------------------------
            -- Server version\t\(version)

            /*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
            /*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
            /*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
            /*!50503 SET NAMES utf8mb4 */;
            /*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
            /*!40103 SET TIME_ZONE='+00:00' */;
            /*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
            /*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
            /*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
            /*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;


            """.utf8)
    }

    var footer: [UInt8] {
        Array("""
            /*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;

            /*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
            /*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
            /*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
            /*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
            /*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
            /*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
            /*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

            -- Dump completed

            """.utf8)
    }

    /// Structure and the opening of the data, the same with rows or without (an empty table still gets its locks).
    func sectionStart(_ section: Int, withRows: Bool, opensDatabase: Bool) -> [UInt8] {
        let s = sections[section], t = table(section)
        var text = ""
        if opensDatabase && createDatabases {
            let options = flavor == .mysql
                ? "/*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci */ /*!80016 DEFAULT ENCRYPTION='N' */"
                : "/*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci */"
            text += "--\n-- Current Database: `\(s.database)`\n--\n\n"
                + "CREATE DATABASE /*!32312 IF NOT EXISTS*/ `\(s.database)` \(options);\n\nUSE `\(s.database)`;\n\n"
        }
        text += """
            --
            -- Table structure for table `\(t.name)`
            --

            DROP TABLE IF EXISTS `\(t.name)`;
            /*!40101 SET @saved_cs_client     = @@character_set_client */;
            /*!50503 SET character_set_client = utf8mb4 */;
            CREATE TABLE `\(t.name)` (
            \(t.columns)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;
            /*!40101 SET character_set_client = @saved_cs_client */;

            --
            -- Dumping data for table `\(t.name)`
            --

            LOCK TABLES `\(t.name)` WRITE;
            /*!40000 ALTER TABLE `\(t.name)` DISABLE KEYS */;

            """
        return Array(text.utf8)
    }

    func sectionEnd(_ section: Int, withRows: Bool) -> [UInt8] {
        let name = sections[section].name
        return Array("/*!40000 ALTER TABLE `\(name)` ENABLE KEYS */;\nUNLOCK TABLES;\n\n".utf8)
    }

    func statementStart(_ section: Int) -> [UInt8] { Array("INSERT INTO `\(sections[section].name)` VALUES ".utf8) }
    var rowSeparator: [UInt8] { [0x2C] }
    var statementEnd: [UInt8] { Array(";\n".utf8) }
    /// mysqldump's default `net_buffer_length`: an extended INSERT grows to about 1 MiB before the next one starts.
    var statementLimit: Int { 1_046_528 }

    func row(_ section: Int, _ index: Int, padding: Int) -> [UInt8] {
        let s = sections[section]
        var random = DumpRandom([s.database, s.name], index: index)
        var out: [UInt8] = [0x28]
        table(section).row(&out, &random, index, padding)
        out.append(0x29)
        return out
    }

    func filler(_ count: Int) -> [UInt8] { DumpText.filler(count, comment: "-- ") }

    /// What mysqldump prints when the connection drops in the middle of a table (`dump_table`); it exits with 3
    /// (`EX_CONSCHECK`), as the real one does.
    func lostConnection(program: String, table: String, row: Int) -> String {
        let message = flavor == .mysql ? "Lost connection to MySQL server during query" : "Lost connection to server during query"
        return "\(program): Error 2013: \(message) when dumping table `\(table)` at row: \(row)\n"
    }
}
