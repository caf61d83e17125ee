/// The stream of a simulated `mongodump --archive`: NOT mongodump's binary archive format (mongorestore cannot read
/// it) but text a person can read — `// SIMULATED …` comment lines and one extended-JSON document per line for the
/// collections of an Open edX platform's two databases (the course modulestore and the forum).
struct MongoDump: DumpFormat, Equatable, Sendable {
    /// `HOST:PORT` as the tool would connect (named in its connection errors).
    let address: String
    let sections: [DumpSection]

    /// The collections the sandbox's MongoDB holds, by database, in the order mongodump lists them.
    static let collections: [(database: String, name: String, weight: Int)] = [
        ("cs_comments_service", "contents", 12), ("cs_comments_service", "users", 2),
        ("openedx", "fs.files", 2), ("openedx", "modulestore.definitions", 20), ("openedx", "modulestore.structures", 30),
    ]

    /// `database` and `collection` narrow the dump (`--db`, `--collection`); a database the sandbox does not hold gives
    /// no collections, as a real mongodump of an empty database dumps nothing.
    init(address: String, database: String?, collection: String?) {
        self.address = address
        sections = Self.collections.filter { (database == nil || $0.database == database) && (collection == nil || $0.name == collection) }
            .map { DumpSection(database: $0.database, name: $0.name, weight: $0.weight) }
    }

    var header: [UInt8] {
        let names = Array(Set(sections.map(\.database))).sorted().joined(separator: ", ")
        return Array("""
            // SIMULATED by the tk8s sandbox: not a real mongodump archive (mongorestore cannot read it)
            // mongodump --archive of mongodb://\(address): \(names.isEmpty ? "no collections" : names)

            """.utf8)
    }

    var footer: [UInt8] { Array("// end of the simulated archive\n".utf8) }

    func sectionStart(_ section: Int, withRows: Bool, opensDatabase: Bool) -> [UInt8] {
        Array("// collection \(namespace(section))\n".utf8)
    }

    func sectionEnd(_ section: Int, withRows: Bool) -> [UInt8] { [] }
    func statementStart(_ section: Int) -> [UInt8] { [] }
    var rowSeparator: [UInt8] { [] }
    var statementEnd: [UInt8] { [0x0A] }
    var statementLimit: Int { 0 }
    func filler(_ count: Int) -> [UInt8] { DumpText.filler(count, comment: "// ") }

    func namespace(_ section: Int) -> String { "\(sections[section].database).\(sections[section].name)" }

    func row(_ section: Int, _ index: Int, padding: Int) -> [UInt8] {
        let s = sections[section]
        var r = DumpRandom([s.database, s.name], index: index)
        var out: [UInt8] = []
        func oid() { out.put("{\"$oid\":\""); out.putHex(&r, count: 24); out.put("\"}") }
        func date() { out.put("{\"$date\":\""); out.putDate(&r, separator: 0x54); out.put(".000Z\"}") }
        func text(_ natural: ClosedRange<Int>) { out.putWords(&r, count: r.int(natural) + padding) }
        let course = r.pick(DumpText.courses)
        switch s.name {
        case "contents":
            out.put("{\"_id\":"); oid(); out.put(",\"_type\":\"\(r.pick(["CommentThread", "Comment"]))\",\"course_id\":\"course-v1:\(course)\"")
            out.put(",\"author_id\":\"\(r.int(1...5000))\",\"created_at\":"); date(); out.put(",\"votes\":{\"up_count\":\(r.int(0...9)),\"down_count\":0}")
            out.put(",\"body\":\""); text(20...240); out.put("\"}")
        case "users":
            let id = index + 1
            out.put("{\"_id\":\"\(id)\",\"external_id\":\"\(id)\",\"username\":\"learner\(id)\",\"default_sort_key\":\"date\"")
            out.put(",\"read_states\":[{\"course_id\":\"course-v1:\(course)\",\"last_read_times\":{}}],\"about\":\""); text(0...40); out.put("\"}")
        case "fs.files":
            out.put("{\"_id\":"); oid(); out.put(",\"contentType\":\"image/png\",\"chunkSize\":261120,\"length\":\(r.int(1000...900_000))")
            out.put(",\"uploadDate\":"); date(); out.put(",\"filename\":\"asset-v1:\(course)+type@asset+block@"); text(4...24); out.put(".png\"}")
        case "modulestore.definitions":
            out.put("{\"_id\":"); oid(); out.put(",\"block_type\":\"\(r.pick(["html", "problem", "video"]))\",\"schema_version\":1")
            out.put(",\"edit_info\":{\"edited_by\":\(r.int(1...20)),\"edited_on\":"); date(); out.put("}")
            out.put(",\"fields\":{\"data\":\"<p>"); text(30...400); out.put("</p>\"}}")
        default:
            out.put("{\"_id\":"); oid(); out.put(",\"root\":[\"course\",\"course\"],\"previous_version\":"); oid()
            out.put(",\"edited_by\":\(r.int(1...20)),\"edited_on\":"); date(); out.put(",\"schema_version\":1,\"blocks\":[")
            for b in 0..<r.int(1...4) {
                if b > 0 { out.put(",") }
                out.put("{\"block_type\":\"\(r.pick(["chapter", "sequential", "vertical", "html", "problem"]))\",\"block_id\":\"")
                out.putHex(&r, count: 32); out.put("\",\"definition\":"); oid(); out.put("}")
            }
            out.put("],\"display_name\":\""); text(5...60); out.put("\"}")
        }
        return out
    }
}
