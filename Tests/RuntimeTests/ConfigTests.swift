import Crypto
import _CryptoExtras
import Foundation
import Lang
import Core
import XCTest
@testable import Runtime

/// config.yml: Tutor's layers, YAML typing, generated secrets, atomic locked writes, errors.
final class ConfigTests: XCTestCase {
    func testSaveGeneratesSecretsOnceAndNeverWritesDefaults() throws {
        let t = try TestRoot()
        XCTAssertEqual(t.ok("config save"), "Configuration saved to \(t.root)/config.yml\nEnvironment generated in \(t.root)/env\n")
        let first = try t.config()
        XCTAssertEqual(Set(first.keys), ["CMS_OAUTH2_SECRET", "ID", "JWT_RSA_PRIVATE_KEY", "MEILISEARCH_API_KEY", "MEILISEARCH_API_KEY_UID",
                                         "MEILISEARCH_MASTER_KEY", "MYSQL_ROOT_PASSWORD", "OPENEDX_MYSQL_PASSWORD", "OPENEDX_SECRET_KEY",
                                         "PLUGINS", "PLUGIN_INDEXES"])
        let alnum = CharacterSet.alphanumerics
        for (key, length) in [("ID", 24), ("CMS_OAUTH2_SECRET", 24), ("MEILISEARCH_MASTER_KEY", 24), ("OPENEDX_SECRET_KEY", 24),
                              ("MYSQL_ROOT_PASSWORD", 8), ("OPENEDX_MYSQL_PASSWORD", 8)] {
            let v = first[key]?.displayString ?? ""
            XCTAssertEqual(v.count, length, key)
            XCTAssertTrue(v.unicodeScalars.allSatisfy { alnum.contains($0) && $0.isASCII }, key)
        }
        XCTAssertNotEqual(first["ID"]?.displayString, first["OPENEDX_SECRET_KEY"]?.displayString)
        let pem = first["JWT_RSA_PRIVATE_KEY"]?.displayString ?? ""
        XCTAssertTrue(pem.hasPrefix("-----BEGIN RSA PRIVATE KEY-----\n") && pem.hasSuffix("\n-----END RSA PRIVATE KEY-----"), pem)
        XCTAssertNoThrow(try _RSAKeyCheck.parse(pem))
        let uid = first["MEILISEARCH_API_KEY_UID"]?.displayString ?? ""
        XCTAssertNotNil(UUID(uuidString: uid))
        XCTAssertEqual(uid, uid.lowercased())
        let master = first["MEILISEARCH_MASTER_KEY"]!.displayString
        let mac = HMAC<SHA256>.authenticationCode(for: Data(uid.utf8), using: SymmetricKey(data: Data(master.utf8)))
        XCTAssertEqual(first["MEILISEARCH_API_KEY"]?.displayString, mac.map { String(format: "%02x", $0) }.joined())
        XCTAssertEqual(first["PLUGINS"]?.literal, "[]")

        // Mode 0600, sorted keys, and a second save keeps every generated value.
        let attributes = try FileManager.default.attributesOfItem(atPath: t.root + "/config.yml")
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let keysInFile = try t.read("config.yml").split(separator: "\n").filter { !$0.hasPrefix(" ") && !$0.hasPrefix("- ") && $0.contains(":") }
            .map { String($0.prefix { $0 != ":" }) }
        XCTAssertEqual(keysInFile, keysInFile.sorted())
        t.ok("config save")
        XCTAssertEqual(try t.config().mapValues(\.literal), first.mapValues(\.literal))
    }

    func testLayersEnvironmentThenFileThenGeneratedThenDefaults() throws {
        let t = try TestRoot()
        t.ok("config save")
        XCTAssertEqual(t.ok("print (config get K8S_NAMESPACE)"), "openedx\n")
        t.ok("config set K8S_NAMESPACE from-file")
        XCTAssertEqual(t.ok("print (config get K8S_NAMESPACE)"), "from-file\n")
        t.extraEnvironment = ["TUTOR_K8S_NAMESPACE": "from-env", "TUTOR_RUN_MYSQL": "false", "TUTOR_ID": "env-id"]
        XCTAssertEqual(t.ok("print (config get K8S_NAMESPACE) (type (config get RUN_MYSQL)) (config get RUN_MYSQL) (config get ID)"),
                       "from-env bool false env-id\n")
        t.extraEnvironment = [:]
        // An environment variable never reaches config.yml.
        t.extraEnvironment = ["TUTOR_LMS_HOST": "env.example.com"]
        t.ok("config save")
        t.extraEnvironment = [:]
        XCTAssertNil(try t.config()["LMS_HOST"])
        XCTAssertEqual(try t.config()["K8S_NAMESPACE"]?.displayString, "from-file")
    }

    func testSetTypesValuesAsYAML() throws {
        let t = try TestRoot()
        t.ok("config save")
        t.ok("""
            config set RUN_SMTP false
            config set CADDY_HTTP_PORT 8080
            config set PLATFORM_NAME My Open edX
            config set LMS_HOST=learn.example.com CMS_HOST=studio.learn.example.com ENABLE_HTTPS=yes
            config set OPENEDX_EXTRA_PIP_REQUIREMENTS "[xblock-poll, 'a: b']"
            config set CONTACT_EMAIL "#ops@example.com"
            config set SMTP_PASSWORD=
            """)
        let c = try t.config()
        XCTAssertEqual(c["RUN_SMTP"]?.literal, "false")
        XCTAssertEqual(c["CADDY_HTTP_PORT"]?.literal, "8080")
        XCTAssertEqual(c["PLATFORM_NAME"]?.literal, "\"My Open edX\"")
        XCTAssertEqual(c["LMS_HOST"]?.literal, "\"learn.example.com\"")
        XCTAssertEqual(c["ENABLE_HTTPS"]?.literal, "true")
        XCTAssertEqual(c["OPENEDX_EXTRA_PIP_REQUIREMENTS"]?.literal, "[\"xblock-poll\", \"a: b\"]")
        XCTAssertEqual(c["CONTACT_EMAIL"]?.literal, "\"#ops@example.com\"")
        XCTAssertEqual(c["SMTP_PASSWORD"]?.literal, "\"\"")
        t.ok("config unset PLATFORM_NAME")
        XCTAssertNil(try t.config()["PLATFORM_NAME"])
        XCTAssertEqual(t.ok("print (config get PLATFORM_NAME)"), "My Open edX\n")  // Tutor's default
    }

    func testTemplatesInValuesAreRenderedWhenReadAndStoredAsWritten() throws {
        let t = try TestRoot()
        t.ok("""
            config save --set LMS_HOST=learn.example.com --set "DOCKER_IMAGE_OPENEDX=docker.io/me/openedx:{{ TUTOR_VERSION }}"
            config set CMS_HOST "studio.{{ LMS_HOST }}"
            """)
        XCTAssertEqual(t.ok("print (config get CMS_HOST) (config get DOCKER_IMAGE_OPENEDX)"),
                       "studio.learn.example.com docker.io/me/openedx:22.0.3\n")
        XCTAssertEqual(try t.config()["CMS_HOST"]?.displayString, "studio.{{ LMS_HOST }}")
        XCTAssertEqual(t.ok("config printvalue CMS_HOST\nconfig printvalue ENABLE_HTTPS\nconfig printvalue OPENEDX_EXTRA_PIP_REQUIREMENTS"),
                       "studio.learn.example.com\nfalse\n[]\n")
        // A later change to LMS_HOST flows through: the order of keys does not matter.
        t.ok("config set LMS_HOST courses.example.org")
        XCTAssertEqual(t.ok("print (config get CMS_HOST)"), "studio.courses.example.org\n")
    }

    func testPrintrootFollowsOptionThenEnvironment() throws {
        let t = try TestRoot()
        XCTAssertEqual(t.ok("config printroot"), t.root + "\n")
        XCTAssertEqual(ProjectRoot.resolve(option: nil, environment: ["TUTOR_ROOT": "/srv/tutor", "HOME": "/h"]).path, "/srv/tutor")
        XCTAssertEqual(ProjectRoot.resolve(option: nil, environment: ["HOME": "/h"]).path, "/h/.local/share/tutor")
        XCTAssertEqual(ProjectRoot.resolve(option: "/x", environment: ["TUTOR_ROOT": "/srv/tutor"]).path, "/x")
    }

    func testUnknownKeyIsAnErrorWithDidYouMean() throws {
        let t = try TestRoot()
        t.ok("config save")
        let r = t.run("config get K8S_NAMESPCE")
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.err, """
            error[E2014]: unknown config key `K8S_NAMESPCE`
             --> <-c>:1:1
              |
            1 | config get K8S_NAMESPCE
              | ^^^^^^^^^^^^^^^^^^^^^^^
              = help: did you mean `K8S_NAMESPACE`?

            """)
        XCTAssertTrue(t.run("config set LMS_HOTS x").err.contains("did you mean `LMS_HOST`?"))
        XCTAssertTrue(t.run("config save --set RUN_MYSLQ=false").err.contains("did you mean `RUN_MYSQL`?"))
        XCTAssertTrue(t.run("config unset PLATFORM_NAM").err.contains("did you mean `PLATFORM_NAME`?"))
        XCTAssertEqual(t.run("config set MY_OWN_KEY 1 --force").status, 0)
        XCTAssertEqual(try t.config()["MY_OWN_KEY"]?.literal, "1")
    }

    func testMissingConfigIsAnErrorNotASilentDefault() throws {
        let t = try TestRoot()
        let r = t.run("config get ID")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.hasPrefix("error[E2014]: no config.yml in \(t.root)\n"), r.err)
        XCTAssertTrue(r.err.contains("help: create one with `config save`"), r.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: t.root + "/config.yml"))
    }

    func testMalformedConfigReportsItsLine() throws {
        let t = try TestRoot()
        try t.write("config.yml", "ID: abc\nLMS_HOST: [learn.example.com\nPLUGINS: []\n")
        let r = t.run("config get ID")
        XCTAssertEqual(r.status, 1)
        let lines = r.err.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("error[E2014]: ") && lines[0].contains("config.yml is not valid YAML"), r.err)
        XCTAssertTrue(lines[1].hasSuffix("config.yml:3:8"), r.err)
        XCTAssertEqual(lines[3], "3 | PLUGINS: []")
        XCTAssertTrue(lines.contains { $0.hasPrefix("  = note: in `config get`, called at <-c>:1:1") }, r.err)
        // Not a mapping.
        try t.write("config.yml", "- a\n- b\n")
        XCTAssertTrue(t.run("config get ID").err.contains("must be a mapping of KEY: value, not list"))
        // The broken file is left exactly as it was.
        XCTAssertEqual(try t.read("config.yml"), "- a\n- b\n")
    }

    func testReferenceCycleIsAnError() throws {
        let t = try TestRoot()
        t.ok("config save")
        t.ok("config set LMS_HOST \"{{ CMS_HOST }}\"\nconfig set CMS_HOST \"studio.{{ LMS_HOST }}\"")
        let r = t.run("config get LMS_HOST")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("error[E2014]: config value LMS_HOST refers to itself: LMS_HOST → CMS_HOST → LMS_HOST")
                          || r.err.contains("refers to itself"), r.err)
    }

    func testUndefinedNameInAValueNamesTheKey() throws {
        let t = try TestRoot()
        t.ok("config save")
        t.ok("config set CMS_HOST \"studio.{{ LMS_HOTS }}\"")
        let r = t.run("config get CMS_HOST")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.hasPrefix("error[E2013]: "), r.err)
        XCTAssertTrue(r.err.contains("--> CMS_HOST (config.yml):1:11"), r.err)
        XCTAssertTrue(r.err.contains("did you mean `LMS_HOST`?"), r.err)
    }

    func testBrokenTemplateSyntaxIsRefusedWhenSet() throws {
        let t = try TestRoot()
        t.ok("config save")
        let before = try t.read("config.yml")
        let r = t.run("config set CMS_HOST \"studio.{{ LMS_HOST \"")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.hasPrefix("error[E2013]: `{{` is never closed by `}}`"), r.err)
        XCTAssertTrue(r.err.contains("--> CMS_HOST (value being set):1:8"), r.err)
        XCTAssertEqual(try t.read("config.yml"), before, "nothing was saved")
    }

    /// Two tk8s processes writing at once: the lock makes every write survive.
    func testConcurrentProcessesDoNotLoseWrites() throws {
        let t = try TestRoot()
        t.ok("config save")
        let binary = try tk8sBinary()
        let perProcess = 15
        let outputs = try (0..<3).map { p -> Process in
            let proc = Process()
            proc.executableURL = URL(fileURLWithPath: binary)
            let code = "for i in (range \(perProcess)) { config set \"KEY_\(p)_$i\" $i --force }"
            proc.arguments = ["--root", t.root, "-c", code]
            proc.environment = t.environment
            proc.standardOutput = FileHandle.nullDevice
            try proc.run()
            return proc
        }
        for p in outputs { p.waitUntilExit(); XCTAssertEqual(p.terminationStatus, 0) }
        let c = try t.config()
        for p in 0..<3 { for i in 0..<perProcess { XCTAssertEqual(c["KEY_\(p)_\(i)"]?.literal, "\(i)", "KEY_\(p)_\(i) lost") } }
        XCTAssertNotNil(c["ID"])
    }
}

/// Parses a PEM private key with swift-crypto, proving the generated text is a real 2048-bit key.
enum _RSAKeyCheck {
    static func parse(_ pem: String) throws {
        let key = try _RSA.Signing.PrivateKey(pemRepresentation: pem)
        XCTAssertEqual(key.keySizeInBits, 2048)
    }
}
