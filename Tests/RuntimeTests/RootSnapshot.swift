import Foundation
import Core
import XCTest
@testable import Runtime

/// A project root's config.yml and env/ as bytes, to tell exactly whether a fault left them old, new or mixed.
struct RootSnapshot: Equatable {
    var config: [UInt8]?
    /// Every regular file under env/, by its path relative to env/.
    var env: [String: [UInt8]]

    init(_ root: String) {
        config = FileManager.default.contents(atPath: root + "/config.yml").map { Array($0) }
        var files: [String: [UInt8]] = [:]
        for rel in Files.walk(root + "/env") {
            files[rel] = FileManager.default.contents(atPath: root + "/env/" + rel).map { Array($0) } ?? []
        }
        env = files
    }

    /// Why `self` is not `other`, readably ("" when equal): which files differ, are missing or extra.
    func difference(from other: RootSnapshot) -> String {
        var out: [String] = []
        if config != other.config { out.append("config.yml differs") }
        for rel in Set(env.keys).union(other.env.keys).sorted() where env[rel] != other.env[rel] {
            out.append(env[rel] == nil ? "env/\(rel) missing" : other.env[rel] == nil ? "env/\(rel) extra" : "env/\(rel) differs")
        }
        return out.joined(separator: ", ")
    }

    /// What a root holds besides config.yml, env/ and the write lock (and `except`): the leftovers of a
    /// write that did not finish.
    static func leftovers(_ root: String, except: Set<String> = []) -> [String] {
        let expected: Set<String> = ["config.yml", "env", ".config.yml.lock"]
        return ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .filter { !expected.contains($0) && !except.contains($0) }.sorted()
    }
}
