import Foundation
import Lang
import Core
import XCTest
@testable import Runtime

/// tk8s on roots that Tutor 22 made, with Python plugins, through the bridge to
/// the installed Tutor (`$TK8S_TUTOR`, the venv .ci/run makes with tutor[full]
/// and two contrib plugins): `config save` must give Tutor's env byte for byte
/// and the same config.yml; the snapshot cache must keep Python from running.
final class TutorBridgeTests: XCTestCase {
    private func tutor() throws -> String { try Tools.venvTool("TK8S_TUTOR", "tutor 22 with its plugins") }

    /// A test root whose tk8s uses the installed Tutor, with its own cache.
    private func tutorRoot() throws -> TestRoot {
        let t = try TestRoot()
        t.extraEnvironment["TK8S_TUTOR"] = try tutor()
        t.extraEnvironment["XDG_CACHE_HOME"] = t.dir + "/cache"
        // Plugins' Python may run programs (tutor-discovery asks `docker info`), as it does under `tutor`.
        t.extraEnvironment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return t
    }

    /// Has Tutor make a root with `plugins` (saved twice, the second time into a clean env, since Tutor renders
    /// with the plugins it started with and never deletes stale files), then returns its directory.
    private func tutorMadeRoot(plugins: String, sets: [String] = [], in dir: String) throws -> String {
        let root = dir + "/tutor-root"
        let env = ["TUTOR_ROOT": root, "HOME": dir + "/home", "TUTOR_PLUGINS_ROOT": dir + "/plugins"]
        let first = try Tools.run([try tutor(), "config", "save", "--set", "PLUGINS=\(plugins)"] + sets.flatMap { ["--set", $0] }, environment: env)
        XCTAssertEqual(first.status, 0, first.err)
        try? FileManager.default.removeItem(atPath: root + "/env")
        let second = try Tools.run([try tutor(), "config", "save"], environment: env)
        XCTAssertEqual(second.status, 0, second.err)
        return root
    }

    /// Every file under `dir`, relative path → bytes.
    private func tree(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let base = URL(fileURLWithPath: dir)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else { return [:] }
        for case let url as URL in walker where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            out[String(url.path.dropFirst(base.path.count + 1))] = try Data(contentsOf: url)
        }
        return out
    }

    /// Tutor's env and config.yml against tk8s's `config save` on a copy of Tutor's config.yml.
    private func assertSameAsTutor(plugins: String, sets: [String] = [], expectFiles: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let t = try tutorRoot()
        let tutorRoot = try tutorMadeRoot(plugins: plugins, sets: sets, in: t.dir)
        try t.write("config.yml", try String(contentsOfFile: tutorRoot + "/config.yml", encoding: .utf8))
        t.ok("config save", file: file, line: line)
        let theirs = try tree(tutorRoot + "/env"), ours = try tree(t.root + "/env")
        XCTAssertEqual(theirs.count, expectFiles, "Tutor's env has another number of files than this test expects", file: file, line: line)
        XCTAssertEqual(Set(ours.keys).subtracting(theirs.keys).sorted(), [], "files only tk8s wrote", file: file, line: line)
        XCTAssertEqual(Set(theirs.keys).subtracting(ours.keys).sorted(), [], "files only Tutor wrote", file: file, line: line)
        let differing = theirs.keys.filter { ours[$0] != nil && ours[$0] != theirs[$0] }.sorted()
        XCTAssertEqual(differing, [], "files whose bytes differ", file: file, line: line)
        XCTAssertEqual(try t.read("config.yml"), try String(contentsOfFile: tutorRoot + "/config.yml", encoding: .utf8),
                       "config.yml", file: file, line: line)
    }

    func testDefaultPluginsGiveTutorsEnv() throws {
        try assertSameAsTutor(plugins: "[mfe, indigo]", expectFiles: 158)
    }

    func testMfeIndigoForumMinioGiveTutorsEnv() throws {
        try assertSameAsTutor(plugins: "[mfe, indigo, forum, minio]",
                              sets: ["LMS_HOST=learn.example.org", "CMS_HOST=studio.learn.example.org", "ENABLE_HTTPS=true",
                                     "MOUNTS=[\"/tmp/edx-platform\", \"lms,cms:/tmp/x:/openedx/x\"]"],
                              expectFiles: 158)
    }

    /// Every plugin of tutor[full] at once: 13 Python plugins, their patches, templates and Python globals.
    func testAllOfTutorFullGivesTutorsEnv() throws {
        try assertSameAsTutor(plugins: "[android, cairn, credentials, deck, discovery, forum, indigo, jupyter, livedeps, mfe, minio, notes, xqueue]",
                              expectFiles: 211)
    }

    /// Contrib plugins a Kubernetes operator uses: pod autoscaling (`dict(…, **…)` in its patches), tutor-contrib-k8s,
    /// celery workers, codejail, let (Python tuples in its config), branding (reads the root from Tutor's click context).
    func testContribKubernetesPluginsGiveTutorsEnv() throws {
        try assertSameAsTutor(plugins: "[k8s, pod-autoscaling, mfe, indigo, let, celery, branding, codejail]", sets: ["ENABLE_WEB_PROXY=false"],
                              expectFiles: 166)
    }

    /// A warm cache runs no Python; a value Python read, a new plugin set, a memo miss or `--refresh` run it once.
    func testSnapshotCacheRunsPythonOnlyWhenItMust() throws {
        let t = try tutorRoot()
        func runs(_ code: String) -> Int {
            t.ok(code)
            return t.lastContext?.tutor.helperRuns ?? -1
        }
        XCTAssertEqual(runs("config save"), 1, "a cold cache asks Tutor once")
        XCTAssertEqual(runs("config save"), 0, "nothing changed: no Python")
        XCTAssertEqual(runs("config save --set LMS_HOST=learn.example.com"), 0, "a value no Python code reads")
        XCTAssertEqual(runs("config save --set DOCKER_IMAGE_OPENEDX=registry.example.com/openedx:1"), 1,
                       "a value Python read (the images filters take it)")
        XCTAssertEqual(runs("config save"), 0)
        XCTAssertEqual(runs("config save --set 'MOUNTS=[\"/tmp/edx-platform\"]'"), 1, "a call the memo has no result for")
        XCTAssertEqual(runs("plugins enable forum"), 1, "another plugin set")
        XCTAssertEqual(runs("render"), 0)
        XCTAssertEqual(runs("render --refresh"), 1)
        // Within one session too: a value Python read, changed after the snapshot was made, makes it again.
        XCTAssertEqual(runs("render\nconfig set DOCKER_IMAGE_OPENEDX registry.example.com/openedx:2\nrender"), 1)
        XCTAssertTrue(try t.read("env/k8s/deployments.yml").contains("registry.example.com/openedx:2"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: t.root + "/env/plugins/mfe/build/mfe/Dockerfile"))
        let cached = try FileManager.default.contentsOfDirectory(atPath: t.dir + "/cache/tk8s/tutor")
        XCTAssertEqual(cached.count, 3, "one snapshot per plugin set (the default set under two keys: no PLUGINS, and [mfe, indigo]): \(cached)")
        let mode = try FileManager.default.attributesOfItem(atPath: t.dir + "/cache/tk8s/tutor/" + cached[0])[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
    }

    /// A fresh root follows Tutor: PLUGINS is base.yml's `[mfe, indigo]`, and the plugins' init tasks and images are Tutor's.
    func testFreshRootFollowsTutor() throws {
        let t = try tutorRoot()
        t.ok("config save")
        XCTAssertEqual(try t.config()["PLUGINS"]?.literal, "[\"mfe\", \"indigo\"]")
        let rows = t.ok("for p in (plugins list) { if $p.enabled { print $p.name $p.version $p.source } }")
        XCTAssertTrue(rows.contains("mfe 22.1.0 python: tutormfe.plugin (tutor-mfe)"), rows)
        XCTAssertTrue(rows.contains("indigo 22.0.0 python: tutorindigo.plugin (tutor-indigo)"), rows)
        let dry = t.run("init", cluster: ClusterOptions(dryRun: true))
        XCTAssertEqual(dry.status, 0, dry.err)
        XCTAssertTrue(dry.out.contains("Initialising: lms, mysql, meilisearch, cms, indigo, mfe"), dry.out)
        let push = t.run("images push mfe", cluster: ClusterOptions(dryRun: true))
        XCTAssertTrue(push.out.contains("docker push docker.io/overhangio/openedx-mfe:22.1.0-indigo"), push.out + push.err)
        // A `do` job tk8s does not implement runs through Tutor: its script comes from the bridge, the job is tk8s's.
        let job = t.run("do importdemolibraries admin", cluster: ClusterOptions(dryRun: true))
        XCTAssertEqual(job.status, 0, job.err)
        XCTAssertTrue(job.out.contains("Job cms-job-") && job.out.contains("would run"), job.out)
        let typo = t.run("do importdemolibrariez admin", cluster: ClusterOptions(dryRun: true))
        XCTAssertTrue(typo.err.contains("did you mean `do importdemolibraries`?"), typo.err)
    }

    /// Tutor tells operators to add files under env/build (a theme, private requirements): a render keeps them,
    /// while a file it no longer makes elsewhere goes.
    func testRenderKeepsYourBuildFiles() throws {
        let t = try tutorRoot()
        t.ok("config save")
        try t.write("env/build/openedx/themes/mytheme/lms/static/sass/extra.scss", "body { color: red; }\n")
        try t.write("env/build/openedx/requirements/private.txt", "my-xblock==1.0\n")
        try t.write("env/k8s/stale.yml", "kind: Stale\n")
        t.ok("config save --set LMS_HOST=learn.example.com")
        XCTAssertEqual(try t.read("env/build/openedx/themes/mytheme/lms/static/sass/extra.scss"), "body { color: red; }\n")
        XCTAssertEqual(try t.read("env/build/openedx/requirements/private.txt"), "my-xblock==1.0\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: t.root + "/env/k8s/stale.yml"))
        XCTAssertTrue(try t.read("env/apps/caddy/Caddyfile").contains("learn.example.com"))
    }

    /// Disabling a Python plugin removes its env folders and the config it overrode, as `tutor plugins disable` does.
    func testDisablingAPythonPluginRemovesItsFoldersAndOverrides() throws {
        let t = try tutorRoot()
        t.ok("config save --set 'PLUGINS=[mfe, indigo, minio]'")
        XCTAssertNotNil(try t.config()["OPENEDX_AWS_SECRET_ACCESS_KEY"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: t.root + "/env/build/openedx/themes/indigo"))
        let out = t.ok("plugins disable indigo minio")
        XCTAssertTrue(out.contains("Removed \(t.root)/env/build/openedx/themes/indigo"), out)
        XCTAssertFalse(FileManager.default.fileExists(atPath: t.root + "/env/build/openedx/themes/indigo"))
        let config = try t.config()
        XCTAssertNil(config["OPENEDX_AWS_SECRET_ACCESS_KEY"])
        XCTAssertEqual(config["PLUGINS"]?.literal, "[\"mfe\"]")
        let unknown = t.run("plugins enable mfee")
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.err.contains("did you mean `mfe`?"), unknown.err)
    }

    /// Without Tutor, a root that enables Python plugins says which and how to fix it; config and plugins still work.
    func testPythonPluginsWithoutTutorGiveOneClearError() throws {
        let t = try TestRoot()
        try t.write("config.yml", try Fixtures.text("tutor22/default/config.yml").replacingOccurrences(of: "PLUGINS: []", with: "PLUGINS:\n- mfe\n- indigo"))
        let render = t.run("render")
        XCTAssertEqual(render.status, 1)
        XCTAssertTrue(render.err.contains("config.yml enables plugin `mfe`, a Python plugin, and tk8s found no Tutor to load it with"), render.err)
        XCTAssertTrue(render.err.contains("`pip install tutor tutor-mfe`"), render.err)
        XCTAssertTrue(render.err.contains("`plugins disable mfe`"), render.err)
        XCTAssertEqual(t.ok("print (config get K8S_NAMESPACE)"), "openedx\n")
        XCTAssertTrue(t.ok("for p in (plugins list) { print $p.name $p.enabled $p.source }")
            .contains("mfe true not found: a Python plugin needs Tutor installed"))
        t.ok("plugins disable mfe indigo")
        t.ok("render")
        XCTAssertTrue(FileManager.default.fileExists(atPath: t.root + "/env/kustomization.yml"))
    }

    func testATutorThatCannotRunIsAClearError() throws {
        let t = try TestRoot()
        let fake = t.dir + "/tutor"
        try "#!/nonexistent/python3\n".write(toFile: fake, atomically: true, encoding: .utf8)
        chmod(fake, 0o755)
        t.extraEnvironment["TK8S_TUTOR"] = fake
        let r = t.run("config save")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("cannot run Tutor's Python /nonexistent/python3"), r.err)
        t.extraEnvironment["TK8S_TUTOR"] = t.dir + "/missing"
        XCTAssertTrue(t.run("config save").err.contains("$TK8S_TUTOR is \(t.dir)/missing, which is not an executable file"))
    }
}
