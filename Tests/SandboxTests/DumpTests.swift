import Foundation
import XCTest
@testable import Sandbox

/// Simulated `mysqldump` and `mongodump` through the real `kubectl exec`: marked as simulated, exactly the configured
/// size, the same bytes every time, the tools' own errors, a lost connection after `failAfter` bytes; and nowhere but
/// in a database's container.
final class DumpTests: SandboxTestCase {
    static let marker = "-- SIMULATED by the tk8s sandbox: not a real dump"

    override func setUpWithError() throws {
        try super.setUpWithError()
        try restart(SandboxDumpSettings())
    }

    /// A sandbox with these dump settings (they are read at `start`), and a MySQL, a MongoDB and an LMS pod.
    private func restart(_ dumps: SandboxDumpSettings) throws {
        sandbox.stop()
        sandbox = Sandbox(directory: dir)
        sandbox.delays = .fast
        sandbox.dumps = dumps
        (port, kubeconfig) = try sandbox.start()
        let pods = try writeDirectory("pods", ["pods.yml": """
            apiVersion: v1
            kind: Pod
            metadata: {name: mysql}
            spec:
              containers: [{name: mysql, image: docker.io/mysql:8.4.0, env: [{name: MYSQL_ROOT_PASSWORD, value: secret}]}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: mongodb}
            spec:
              containers: [{name: mongodb, image: docker.io/mongo:7.0.7}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: lms}
            spec:
              containers: [{name: lms, image: docker.io/overhangio/openedx:22.0.3}]
            """])
        try ok(["apply", "-f", pods + "/pods.yml"])
    }

    private func exec(_ pod: String, _ command: String...) throws -> Result {
        try kubectl(["exec", pod, "--"] + command)
    }

    func testMysqldumpIsMarkedExactAndDeterministic() throws {
        let r = try exec("mysql", "mysqldump", "-u", "root", "-psecret", "--single-transaction", "--all-databases")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdoutBytes.count, 65536)
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.first.map(String.init), Self.marker)
        XCTAssertEqual(lines[1], "-- MySQL dump 10.13  Distrib 8.4.0, for Linux (x86_64)")
        XCTAssertEqual(lines.suffix(2), ["-- Dump completed", ""])
        for text in ["CREATE DATABASE /*!32312 IF NOT EXISTS*/ `openedx`", "USE `mysql`;", "CREATE TABLE `courseware_studentmodule` (",
                     "INSERT INTO `courseware_studentmodule` VALUES (1,'problem','block-v1:OpenedX+", "INSERT INTO `auth_user` VALUES (1,'pbkdf2_sha256$"] {
            XCTAssertTrue(r.stdout.contains(text), text)
        }
        XCTAssertEqual(r.stderr, "mysqldump: [Warning] Using a password on the command line interface can be insecure.\n")
        // `-i` with stdin at its end at once: the dump goes on to its end.
        let interactive = try kubectl(["exec", "-i", "mysql", "--", "mysqldump", "-u", "root", "-psecret", "--single-transaction", "--all-databases"])
        XCTAssertEqual(interactive.stdoutBytes.count, 65536)
        XCTAssertTrue(interactive.stdoutBytes == r.stdoutBytes, "not the same bytes")
        let again = try exec("mysql", "mysqldump", "-u", "root", "-psecret", "--single-transaction", "--all-databases")
        XCTAssertTrue(again.stdoutBytes == r.stdoutBytes, "not the same bytes")
        // Through `sh -c` (the password from the container's environment), one database: the same kind of stream.
        let one = try exec("mysql", "sh", "-c", "mysqldump -uroot -p\"$MYSQL_ROOT_PASSWORD\" openedx auth_user")
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertEqual(one.stdoutBytes.count, 65536)
        XCTAssertTrue(one.stdout.contains("-- Host: localhost    Database: openedx\n"))
        XCTAssertFalse(one.stdout.contains("CREATE DATABASE"))
        XCTAssertFalse(one.stdout.contains("`courseware_studentmodule`"))
    }

    func testMysqldumpErrorsAreMysqldumps() throws {
        let unknown = try exec("mysql", "mysqldump", "nope")
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stdout.hasPrefix(Self.marker))
        XCTAssertEqual(unknown.stderr, "mysqldump: Got error: 1049: Unknown database 'nope' when selecting the database\ncommand terminated with exit code 2\n")
        let table = try exec("mysql", "mysqldump", "openedx", "nope")
        XCTAssertEqual(table.status, 6)
        XCTAssertTrue(table.stderr.hasPrefix("mysqldump: Couldn't find table: \"nope\"\n"), table.stderr)
        let option = try exec("mysql", "mysqldump", "--bogus", "openedx")
        XCTAssertEqual(option.status, 2)
        XCTAssertTrue(option.stderr.hasPrefix("mysqldump: [ERROR] unknown option '--bogus'.\n"), option.stderr)
        let usage = try exec("mysql", "mysqldump")
        XCTAssertEqual(usage.status, 1)
        XCTAssertTrue(usage.stderr.hasPrefix("Usage: mysqldump [OPTIONS] database [tables]\n"), usage.stderr)
        for unsimulated in [["--result-file=/tmp/x.sql", "openedx"], ["--xml", "openedx"], ["--version"]] {
            let r = try kubectl(["exec", "mysql", "--", "mysqldump"] + unsimulated)
            XCTAssertEqual(r.status, 126, "\(unsimulated)")
            XCTAssertTrue(r.stderr.hasPrefix("mysqldump: \(unsimulated[0].prefix { $0 != "=" }) is not available in the sandbox\n"), r.stderr)
        }
    }

    func testDumpToolsExistOnlyInTheirDatabasesContainers() throws {
        for (pod, tool) in [("lms", "mysqldump"), ("mongodb", "mysqldump"), ("mysql", "mongodump")] {
            let r = try exec(pod, tool, "--all-databases")
            XCTAssertEqual(r.status, 126, "\(tool) in \(pod)")
            XCTAssertEqual(r.stdout, "")
            XCTAssertEqual(r.stderr, "\(tool): not available in the sandbox\ncommand terminated with exit code 126\n")
        }
        // In a script with other commands a dump is not streamed either.
        let script = try exec("mysql", "sh", "-c", "echo start; mysqldump openedx")
        XCTAssertEqual(script.status, 126)
        XCTAssertEqual(script.stdout, "start\n")
    }

    func testMysqldumpLosesItsConnectionAfterFailAfterBytes() throws {
        try restart(SandboxDumpSettings(size: 1 << 20))
        let whole = try exec("mysql", "mysqldump", "openedx")
        try restart(SandboxDumpSettings(size: 1 << 20, failAfter: 300_000))
        let r = try exec("mysql", "mysqldump", "openedx")
        XCTAssertEqual(r.status, 3)
        XCTAssertEqual(r.stdoutBytes.count, 300_000)
        XCTAssertTrue(r.stdoutBytes[...] == whole.stdoutBytes.prefix(300_000), "not the start of the whole dump")
        let error = try XCTUnwrap(r.stderr.split(separator: "\n").first.map(String.init))
        XCTAssertNotNil(error.range(of: #"^mysqldump: Error 2013: Lost connection to MySQL server during query when dumping table `courseware_studentmodule` at row: [0-9]+$"#,
                                    options: .regularExpression), error)
        XCTAssertTrue(r.stderr.hasSuffix("command terminated with exit code 3\n"), r.stderr)
    }

    func testMongodumpArchiveToStdoutAndToDisk() throws {
        let r = try exec("mongodb", "mongodump", "--uri=mongodb://mongodb:27017", "--archive")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdoutBytes.count, 65536)
        XCTAssertTrue(r.stdout.hasPrefix("// SIMULATED by the tk8s sandbox: not a real mongodump archive (mongorestore cannot read it)\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("// collection openedx.modulestore.structures\n{\"_id\":{\"$oid\":\""))
        XCTAssertTrue(r.stdout.hasSuffix("// end of the simulated archive\n"))
        let log = r.stderr.split(separator: "\n").map { $0.split(separator: "\t").last.map(String.init) ?? "" }
        XCTAssertEqual(log.first, "writing cs_comments_service.contents to archive on stdout")
        XCTAssertNotNil(log.last?.range(of: #"^done dumping openedx.modulestore.structures \([0-9]+ documents\)$"#, options: .regularExpression), r.stderr)
        XCTAssertTrue(try exec("mongodb", "mongodump", "--uri=mongodb://mongodb:27017", "--archive").stdoutBytes == r.stdoutBytes, "not the same bytes")

        // Gzipped: a stream gunzip reads back to the same archive.
        let zipped = try exec("mongodb", "mongodump", "--archive", "--gzip")
        XCTAssertEqual(Array(zipped.stdoutBytes.prefix(2)), [0x1F, 0x8B])
        let archive = dir.appendingPathComponent("archive.gz")
        try Data(zipped.stdoutBytes).write(to: archive)
        let gunzip = try runTool("/usr/bin/gzip", ["-dc", archive.path], environment: [:], in: dir.path)
        XCTAssertEqual(gunzip.status, 0)
        XCTAssertEqual(gunzip.output, try exec("mongodb", "mongodump", "--archive").stdout)

        // To disk: nothing on stdout, a line per collection written.
        let disk = try exec("mongodb", "mongodump", "--db", "openedx", "--out", "/data/backup")
        XCTAssertEqual(disk.status, 0, disk.stderr)
        XCTAssertEqual(disk.stdout, "")
        XCTAssertTrue(disk.stderr.contains("\twriting openedx.fs.files to /data/backup/openedx/fs.files.bson\n"), disk.stderr)
        XCTAssertFalse(disk.stderr.contains("cs_comments_service"))
    }

    func testMongodumpLosesItsConnectionAfterFailAfterBytes() throws {
        try restart(SandboxDumpSettings(size: 200_000, failAfter: 50_000))
        let r = try exec("mongodb", "mongodump", "--archive")
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdoutBytes.count, 50_000)
        XCTAssertNotNil(r.stderr.range(of: #"\tFailed: error writing data for collection `[a-z_.]+` to disk: error reading collection: connection\(localhost:27017\[-3\]\) incomplete read of message header: EOF\n"#,
                                        options: .regularExpression), r.stderr)
        let disk = try exec("mongodb", "mongodump")
        XCTAssertEqual(disk.status, 1)
        XCTAssertTrue(disk.stderr.contains("\tFailed: error writing data for collection `"), disk.stderr)
    }

    /// A few MiB go through the exec WebSocket in chunks, exact to the byte.
    func testAStreamOfSeveralMebibytes() throws {
        try restart(SandboxDumpSettings(size: 5 << 20))
        let r = try exec("mysql", "mysqldump", "--databases", "openedx")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdoutBytes.count, 5 << 20)
        XCTAssertTrue(r.stdout.hasSuffix("-- Dump completed\n"))
    }

    /// client-go pings every 5 s and gives up on a connection that has not answered for 61 s: the server must read
    /// and answer pings while it streams, even when the client reads as fast as the dump is made.
    func testPingsAreAnsweredWhileADumpStreams() throws {
        try restart(SandboxDumpSettings(size: 16 << 20))
        let fd = try RawHTTP.connect(port: port)
        defer { close(fd) }
        RawHTTP.send(fd, Array(("GET /api/v1/namespaces/default/pods/mysql/exec?command=mysqldump&command=openedx&stdout=true&stderr=true HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\nAuthorization: Bearer \(sandbox.token)\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n").utf8))
        // The ping goes once the stream is under way (before it, the server is idle and reads anyway).
        var received: [UInt8] = [], buffer = [UInt8](repeating: 0, count: 65536), pinged = false
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received += buffer[0..<n]
            if !pinged && received.count > 1 << 20 {
                RawHTTP.send(fd, [0x89, 0x84, 1, 2, 3, 4] + Array("ping".utf8).enumerated().map { $0.element ^ UInt8($0.offset % 4 + 1) })
                pinged = true
            }
        }
        guard let headEnd = received.indices.first(where: { received[$0...].starts(with: Array("\r\n\r\n".utf8)) }) else { return XCTFail("no 101") }
        var opcodes: [UInt8] = [], stdout = 0
        var i = headEnd + 4
        while i + 2 <= received.count {
            var length = Int(received[i + 1] & 0x7F), start = i + 2
            if length == 126 { length = Int(received[i + 2]) << 8 | Int(received[i + 3]); start = i + 4 }
            if length == 127 { length = received[(i + 2)..<(i + 10)].reduce(0) { $0 << 8 | Int($1) }; start = i + 10 }
            guard start + length <= received.count else { break }
            opcodes.append(received[i] & 0x0F)
            if received[i] & 0x0F == 2, received[start] == 1 { stdout += length - 1 }
            i = start + length
        }
        XCTAssertEqual(stdout, 16 << 20)
        let pong = try XCTUnwrap(opcodes.firstIndex(of: 0xA), "no pong")
        XCTAssertLessThan(pong, opcodes.lastIndex(of: 0x2) ?? 0, "the pong came only after the dump")
    }

    // MARK: - Without a server

    func testEverySizeIsExact() {
        let mysql = MySQLDump(flavor: .mysql, serverVersion: "8.4.0", host: "localhost", databases: ["mysql", "openedx"],
                              createDatabases: true, headerDatabase: "")
        let mongo = MongoDump(address: "localhost:27017", database: nil, collection: nil)
        for format in [mysql, mongo] as [DumpFormat] {
            for size in [0, 1, 100, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 7000, 10_000, 20_000, 65_536, 100_003, 1 << 20] {
                let generator = DumpGenerator(format, size: size)
                var total = 0
                while let chunk = generator.next(max: 8192) { total += chunk.count }
                XCTAssertEqual(total, size, "\(type(of: format)) \(size)")
            }
        }
    }

    func testSizes() {
        XCTAssertEqual(SandboxDumpSettings.parseBytes("65536"), 65536)
        XCTAssertEqual(SandboxDumpSettings.parseBytes("64KiB"), 65536)
        XCTAssertEqual(SandboxDumpSettings.parseBytes("1GiB"), 1 << 30)
        XCTAssertEqual(SandboxDumpSettings.parseBytes("512MB"), 512_000_000)
        XCTAssertEqual(SandboxDumpSettings.parseBytes("2 kb"), 2000)
        XCTAssertEqual(SandboxDumpSettings.parseBytes("1TiB"), 1 << 40)
        for bad in ["", "x", "-1", "1.5GiB", "2TiB", "99999999999999999999", "64 KiBs"] {
            XCTAssertNil(SandboxDumpSettings.parseBytes(bad), bad)
        }
    }
}
