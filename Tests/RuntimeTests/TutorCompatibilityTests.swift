import Core
import Foundation
import Lang
import XCTest
@testable import Runtime

/// tk8s and Tutor 22 take turns on one project root.
final class TutorCompatibilityTests: XCTestCase {
    /// tk8s reads a config.yml Tutor wrote and saves it back without changing a value.
    func testRoundTripOfTutorsConfig() throws {
        let t = try TestRoot()
        let original = try Fixtures.text("tutor22/minio/config.yml")
        try t.write("config.yml", original)
        guard case .map(let tutors) = try YAMLCodec.decode(original) else { return XCTFail("fixture is not a map") }
        XCTAssertEqual(t.ok("print (config get ID)"), tutors.dict["ID"]!.displayString + "\n")
        XCTAssertEqual(t.ok("print (config get JWT_RSA_PRIVATE_KEY)"), tutors.dict["JWT_RSA_PRIVATE_KEY"]!.displayString + "\n")
        t.ok("config save")
        let ours = try t.config()
        XCTAssertEqual(Set(ours.keys), Set(tutors.dict.keys), "no key added or lost")
        for (k, v) in tutors.dict { XCTAssertEqual(ours[k]?.literal, v.literal, k) }
    }

    /// Tutor 22 itself reads what tk8s wrote and keeps tk8s's generated values.
    func testTutorReadsConfigWrittenByTk8s() throws {
        let tutor = try Tools.venvTool("TK8S_TUTOR", "tutor 22")
        let t = try TestRoot()
        t.ok("""
            config save --set LMS_HOST=learn.example.com --set "CMS_HOST=studio.{{ LMS_HOST }}" --set ENABLE_HTTPS=true
            plugins enable minio
            """)
        let ours = try t.config()
        let env = ["TUTOR_ROOT": t.root, "HOME": t.dir + "/home", "TUTOR_PLUGINS_ROOT": t.plugins]
        func printvalue(_ key: String) throws -> String {
            let r = try Tools.run([tutor, "config", "printvalue", key], environment: env)
            XCTAssertEqual(r.status, 0, "tutor config printvalue \(key): \(r.err)")
            return r.out.trimmingCharacters(in: .newlines)
        }
        XCTAssertEqual(try printvalue("ID"), ours["ID"]?.displayString)
        XCTAssertEqual(try printvalue("CMS_HOST"), "studio.learn.example.com")
        XCTAssertEqual(try printvalue("ENABLE_HTTPS"), "true")
        XCTAssertEqual(try printvalue("MINIO_AWS_SECRET_ACCESS_KEY"), ours["MINIO_AWS_SECRET_ACCESS_KEY"]?.displayString)
        XCTAssertEqual(try printvalue("JWT_RSA_PRIVATE_KEY"), ours["JWT_RSA_PRIVATE_KEY"]?.displayString)
        // `tutor config save` on our root keeps every value we generated.
        let save = try Tools.run([tutor, "config", "save"], environment: env)
        XCTAssertEqual(save.status, 0, save.err)
        let after = try t.config()
        for key in ["ID", "MYSQL_ROOT_PASSWORD", "OPENEDX_SECRET_KEY", "MEILISEARCH_API_KEY", "MINIO_AWS_SECRET_ACCESS_KEY"] {
            XCTAssertEqual(after[key]?.literal, ours[key]?.literal, key)
        }
        // And both render the same inventory from it.
        let tutorsEnv = try Inventory.of(try Tools.kustomize(t.root + "/env"))
        t.ok("render")
        XCTAssertEqual(Inventory.diff(expected: tutorsEnv, actual: try Inventory.of(try Tools.kustomize(t.root + "/env"))), "")
    }
}
