import Foundation
import Lang
import Core
import XCTest
@testable import Runtime

/// Plugins: Tutor YAML files, built-in minio, inline definitions, and their errors.
final class PluginTests: XCTestCase {
    private func root(plugins: [String] = []) throws -> TestRoot {
        let t = try TestRoot()
        try t.write("config.yml", try Fixtures.text("tutor22/default/config.yml"))
        for p in plugins {
            try FileManager.default.copyItem(atPath: Fixtures.path("plugins/\(p).yml"), toPath: t.plugins + "/\(p).yml")
        }
        return t
    }

    /// The brief's k8s-override example, from a Tutor YAML plugin file.
    func testYAMLPluginOverridesMongoDBVolumeTo10Gi() throws {
        let t = try root(plugins: ["myplugin"])
        XCTAssertEqual(t.ok("plugins enable myplugin"), "Plugin myplugin enabled\n")
        let c = try t.config()
        XCTAssertEqual(c["PLUGINS"]?.literal, "[\"myplugin\"]")
        XCTAssertEqual(c["MYPLUGIN_SECRET"]?.displayString.count, 16, "config.add is generated, prefixed and saved")
        XCTAssertEqual(c["PLATFORM_NAME"]?.displayString, "My Plugin Academy", "config.set is saved unprefixed")
        XCTAssertNil(c["MYPLUGIN_TEAM"], "config.defaults are never saved")
        XCTAssertEqual(t.ok("print (config get MYPLUGIN_TEAM)"), "platform\n")
        t.ok("render")
        XCTAssertTrue(try t.read("env/kustomization.yml").contains("- path: k8s/override.yml"))
        let out = try Tools.kustomize(t.root + "/env")
        let inv = try Inventory.of(out)
        XCTAssertTrue(inv["PersistentVolumeClaim/mongodb"]?.contains("storage=10Gi") == true, inv["PersistentVolumeClaim/mongodb"] ?? "")
        XCTAssertTrue(out.contains("myplugin.example.com/team: platform"))
        // A generated value stays the same from then on.
        let secret = c["MYPLUGIN_SECRET"]?.displayString
        t.ok("config save")
        XCTAssertEqual(try t.config()["MYPLUGIN_SECRET"]?.displayString, secret)
        // Disabling removes what it set, keeps what it generated, and the override goes away.
        XCTAssertEqual(t.ok("plugins disable myplugin"), "Plugin myplugin disabled\n")
        XCTAssertNil(try t.config()["PLATFORM_NAME"])
        XCTAssertEqual(try t.config()["PLUGINS"]?.literal, "[]")
        t.ok("render")
        XCTAssertFalse(try t.read("env/kustomization.yml").contains("override.yml"))
        XCTAssertTrue(try Inventory.of(try Tools.kustomize(t.root + "/env"))["PersistentVolumeClaim/mongodb"]?.contains("storage=5Gi") == true)
    }

    /// The same example declared inline in a script, with a `"""` string.
    func testInlinePluginFromAScript() throws {
        let t = try root()
        t.ok(#"""
            let pvc = """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata:
                  name: mongodb
                  labels:
                    app.kubernetes.io/component: volume
                    app.kubernetes.io/name: mongodb
                spec:
                  accessModes:
                    - ReadWriteOnce
                  resources:
                    requests:
                      storage: 10Gi
                """
            plugins define bigger-mongodb {patches: {"k8s-override": $pvc}}
            render
            """#)
        let inv = try Inventory.of(try Tools.kustomize(t.root + "/env"))
        XCTAssertTrue(inv["PersistentVolumeClaim/mongodb"]?.contains("storage=10Gi") == true)
        // Inline plugins are for the session: config.yml does not list them.
        XCTAssertEqual(try t.config()["PLUGINS"]?.literal, "[]")
        XCTAssertTrue(t.ok("for p in (plugins list) { print $p.name $p.enabled $p.source }").contains("minio false built-in"))
    }

    func testInlinePluginSavedAsAFileTutorCanLoad() throws {
        let t = try root()
        t.ok("""
            plugins define team {version: "2.0", config: {defaults: {NAME: ops}}, patches: {"kustomization-labels": "example.com/team: {{ TEAM_NAME }}"}} --save
            render
            """)
        XCTAssertTrue(FileManager.default.fileExists(atPath: t.plugins + "/team.yml"))
        XCTAssertEqual(try t.config()["PLUGINS"]?.literal, "[\"team\"]")
        XCTAssertTrue(try Tools.kustomize(t.root + "/env").contains("example.com/team: ops"))
        // A new session finds it in the plugins root.
        XCTAssertEqual(t.ok("print (config get TEAM_NAME)"), "ops\n")
    }

    func testMinioIsBuiltIn() throws {
        let t = try root()
        t.ok("plugins enable minio\nrender")
        let c = try t.config()
        XCTAssertEqual(c["MINIO_AWS_SECRET_ACCESS_KEY"]?.displayString.count, 24)
        XCTAssertEqual(c["OPENEDX_AWS_ACCESS_KEY"]?.displayString, "openedx")
        let inv = try Inventory.of(try Tools.kustomize(t.root + "/env"))
        for name in ["Deployment/minio", "Service/minio", "PersistentVolumeClaim/minio", "Job/minio-job"] {
            XCTAssertNotNil(inv[name], name)
        }
        XCTAssertTrue(inv["Service/minio"]?.contains("port minio-server 9000->") == true, inv["Service/minio"] ?? "")
        XCTAssertTrue(inv["PersistentVolumeClaim/minio"]?.contains("storage=5Gi") == true)
        let caddy = try t.read("env/apps/caddy/Caddyfile")
        XCTAssertTrue(caddy.contains("files.local.openedx.io"), caddy)
        XCTAssertTrue(caddy.contains("minio.local.openedx.io"), caddy)
        XCTAssertEqual(t.ok("print (config get MINIO_HOST)"), "files.local.openedx.io\n")
    }

    func testPluginsListAndPrintroot() throws {
        let t = try root(plugins: ["myplugin"])
        XCTAssertEqual(t.ok("plugins printroot"), t.plugins + "\n")
        t.ok("plugins enable myplugin")
        let rows = t.ok("for p in (plugins list) { print $p.name $p.version $p.enabled }")
        XCTAssertEqual(rows, "minio 22.0.0 false\nmyplugin 1.0.0 true\n")
    }

    func testUnknownPluginSuggestsTheClosest() throws {
        let t = try root()
        let r = t.run("plugins enable mino")
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.err, """
            error[E2015]: unknown plugin `mino`
             --> <-c>:1:1
              |
            1 | plugins enable mino
              | ^^^^^^^^^^^^^^^^^^^
              = help: did you mean `minio`?

            """)
        XCTAssertEqual(try t.config()["PLUGINS"]?.literal, "[]", "nothing was saved")
    }

    func testEnabledButMissingPluginIsReported() throws {
        let t = try root()
        t.ok("config set PLUGINS \"[mfe, indigo]\"")
        let r = t.run("render")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("error[E2015]: config.yml enables plugin `mfe`, a Python plugin, and tk8s found no Tutor to load it with"), r.err)
        XCTAssertTrue(r.err.contains("or `plugins disable mfe`"), r.err)
        XCTAssertFalse(Files.exists(t.root + "/env"), "nothing was rendered")
        // Reading and fixing the config still work, so the advice can be followed.
        XCTAssertEqual(t.ok("print (config get LMS_HOST)"), "local.openedx.io\n")
        t.ok("plugins disable mfe indigo")
        XCTAssertEqual(try t.config()["PLUGINS"]?.literal, "[]")
        t.ok("render")
        XCTAssertTrue(Files.exists(t.root + "/env/kustomization.yml"))
    }

    func testPluginWithoutNameIsAnError() throws {
        let t = try root(plugins: ["noname"])
        let r = t.run("plugins enable noname")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.hasPrefix("error[E2015]: plugins/noname.yml: the plugin has no `name`")
                          || r.err.contains("noname.yml: the plugin has no `name`"), r.err)
        XCTAssertTrue(r.err.contains("help: add a line `name: myplugin` at the top"), r.err)
        XCTAssertTrue(r.err.contains("noname.yml:1:1"), r.err)
        // The broken file does not stop other plugins.
        XCTAssertEqual(t.run("plugins enable minio").status, 0)
    }

    func testPatchThatBreaksYAMLNamesPluginAndPatch() throws {
        let t = try root(plugins: ["badpatch"])
        t.ok("plugins enable badpatch")
        let before = Files.exists(t.root + "/env")
        let r = t.run("render")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.hasPrefix("error[E2015]: plugin badpatch: patch `k8s-override` is not valid YAML: "), r.err)
        XCTAssertTrue(r.err.contains("badpatch.yml#patches/k8s-override:"), r.err)
        XCTAssertTrue(r.err.contains("in `render`, called at <-c>:1:1"), r.err)
        XCTAssertEqual(Files.exists(t.root + "/env"), before, "nothing was written")
    }

    func testPatchThatBreaksTheFileAroundIt() throws {
        // Valid YAML on its own, wrong where it lands: the rendered file is shown and the patch named.
        let t = try root()
        let r = t.run(#"plugins define labels {patches: {"kustomization-labels": "a: b\n  c: d"}}"# + "\nrender")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("plugin labels: patch `kustomization-labels` is not valid YAML")
                          || r.err.contains("rendering kustomization.yml gave invalid YAML"), r.err)
    }

    func testTemplateErrorInAPatchPointsIntoThePatch() throws {
        let t = try root()
        let r = t.run(#"plugins define typo {patches: {"k8s-jobs": "---\nkind: Job\nname: {{ LMS_HOTS }}"}}"# + "\nrender")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.hasPrefix("error[E2013]: "), r.err)
        XCTAssertTrue(r.err.contains("--> plugin typo#patches/k8s-jobs:3:10"), r.err)
        XCTAssertTrue(r.err.contains("3 | name: {{ LMS_HOTS }}"), r.err)
        XCTAssertTrue(r.err.contains("did you mean `LMS_HOST`?"), r.err)
    }
}
