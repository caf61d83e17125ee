import Foundation
import XCTest
@testable import Sandbox

/// The seed's routines in Examples/, run by the tk8s binary against a sandbox through the real kubectl,
/// with the cluster's state checked afterwards.
final class ExampleRunTests: SandboxTestCase {
    var binary: String { tk8sBinaryPath() }

    var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    var root: String { dir.appendingPathComponent("root").path }

    override func setUpWithError() throws {
        try super.setUpWithError()
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: repository.appendingPathComponent("Tests/RuntimeTests/Fixtures/tutor22/default/config.yml").path,
                                         toPath: root + "/config.yml")
        try tk8s(["-c", "render"])
    }

    /// Runs tk8s on the test root against this sandbox; it must exit with `status` (0 unless told).
    @discardableResult
    func tk8s(_ args: [String], status: Int32 = 0, environment: [String: String] = [:],
                      file: StaticString = #filePath, line: UInt = #line) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: binary) else { XCTFail("tk8s binary not built at \(binary)"); return "" }
        // tk8s's built-in templates (TK8S_TUTOR=none): these tests pin what the examples do on them; TutorRootTests cover Tutor's.
        let env = ProcessInfo.processInfo.environment.merging(
            ["KUBECONFIG": kubeconfig, "KUBECACHEDIR": dir.appendingPathComponent("cache").path, "HOME": dir.path,
             "TK8S_TUTOR": "none"]) { $1 }
            .merging(environment) { $1 }
        let (exit, out) = try runTool(binary, ["--quiet", "--root", root] + args, environment: env, in: dir.path)
        XCTAssertEqual(exit, status, out, file: file, line: line)
        return out
    }

    func json(_ args: [String]) throws -> [String: Any] {
        let r = try kubectl(args + ["-o", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    func items(_ args: [String]) throws -> [[String: Any]] { try json(args)["items"] as? [[String: Any]] ?? [] }

    func names(_ objects: [[String: Any]]) -> [String] {
        objects.compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String }.sorted()
    }

    func testBlankSlateRecreatesDeploymentsAndKeepsTheLoadBalancerAndVolumes() throws {
        try tk8s(["-c", "start\nwait caddy"])
        let lb = try json(["get", "service", "caddy", "-n", "openedx"])
        let uid = (lb["metadata"] as? [String: Any])?["uid"] as? String
        let claims = names(try items(["get", "pvc", "-n", "openedx"]))
        let out = try tk8s([repository.appendingPathComponent("Examples/blank-slate.tk8s").path])
        XCTAssertTrue(out.contains("blank slate done: caddy, lms, cms re-created"), out)
        XCTAssertEqual(names(try items(["get", "deployments", "-n", "openedx"])).count, 10)
        let after = try json(["get", "service", "caddy", "-n", "openedx"])
        XCTAssertEqual((after["metadata"] as? [String: Any])?["uid"] as? String, uid, "the load balancer was not re-created")
        XCTAssertEqual(names(try items(["get", "pvc", "-n", "openedx"])), claims)
        XCTAssertEqual(claims.count, 5)
    }

    func testK8sOverrideAsksFor10Gi() throws {
        try tk8s([repository.appendingPathComponent("Examples/k8s-override.tk8s").path])
        try tk8s(["-c", "start"])
        let pvc = try json(["get", "pvc", "mongodb", "-n", "openedx"])
        let storage = ((pvc["spec"] as? [String: Any])?["resources"] as? [String: Any]).flatMap { ($0["requests"] as? [String: Any])?["storage"] as? String }
        XCTAssertEqual(storage, "10Gi")
    }

    func testUpdateImagesLabelsEveryPodTemplate() throws {
        try tk8s(["-c", "start"])
        try tk8s([repository.appendingPathComponent("Examples/update-images.tk8s").path])
        let deployments = try items(["get", "deployments", "-n", "openedx"])
        XCTAssertEqual(deployments.count, 10)
        for d in deployments {
            let labels = (((d["spec"] as? [String: Any])?["template"] as? [String: Any])?["metadata"] as? [String: Any])?["labels"] as? [String: Any]
            let date = labels?["date"] as? String ?? ""
            XCTAssertNotNil(date.range(of: #"^[0-9]{8}-[0-9]{6}$"#, options: .regularExpression), "\(names([d])): \(date)")
        }
    }

    func example(_ name: String) -> String { repository.appendingPathComponent("Examples/\(name)").path }

    func condition(_ object: [String: Any], _ type: String) -> String? {
        ((object["status"] as? [String: Any])?["conditions"] as? [[String: Any]])?.first { $0["type"] as? String == type }?["status"] as? String
    }

    /// The launch example on a root with Tutor's default plugins (mfe, indigo), rendered from the installed Tutor's
    /// own templates through the bridge: the mfe deployment comes up and the plugins' init jobs run, in Tutor's order.
    func testLaunchWithMfeAndIndigoThroughTutor() throws {
        let tutor = try tutorExecutable()
        try FileManager.default.removeItem(atPath: root + "/config.yml")  // a fresh root: Tutor's base.yml enables mfe and indigo
        let out = try tk8s([example("launch.tk8s")], environment: ["TK8S_TUTOR": tutor])
        XCTAssertTrue(out.contains("Initialising: lms, mysql, meilisearch, cms, indigo, mfe"), out)
        XCTAssertTrue(out.contains("LMS: http://local.openedx.io"), out)
        let config = try String(contentsOfFile: root + "/config.yml", encoding: .utf8)
        XCTAssertTrue(config.contains("PLUGINS:\n- mfe\n- indigo\n"), config)
        let mfe = try json(["get", "deployment", "mfe", "-n", "openedx"])
        XCTAssertEqual(condition(mfe, "Available"), "True")
        let jobs = try items(["get", "jobs", "-n", "openedx"])
        XCTAssertEqual(jobs.count, 7, names(jobs).joined(separator: ", "))
        for job in jobs { XCTAssertEqual(condition(job, "Complete"), "True", names([job]).joined()) }
        // indigo's theme job and mfe's lms job ran with the plugins' own scripts (the job manifests carry them).
        let scripts = jobs.compactMap { job -> String? in
            let spec = ((job["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any]
            let container = (spec?["containers"] as? [[String: Any]])?.first
            return (container?["args"] as? [String])?.last
        }
        XCTAssertTrue(scripts.contains { $0.contains("settheme") || $0.contains("indigo") }, scripts.joined(separator: "\n---\n"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/env/plugins/mfe/build/mfe/Dockerfile"))
    }

    /// The language tour needs no cluster; it runs all the same (every example runs on the sandbox).
    func testTourRuns() throws {
        let out = try tk8s([example("tour.tk8s"), "sandbox.example.com"])
        XCTAssertTrue(out.hasPrefix("== platform sandbox.example.com\n"), out)
        XCTAssertTrue(out.contains("patch for mongodb asks for 10Gi"), out)
        XCTAssertTrue(out.contains("warning: mongodb is not ready after 3 tries"), out)
    }

    /// minio: the plugin's deployment comes up and its init job (the buckets) completes.
    func testMinioStartsMinIOAndRunsItsInitJob() throws {
        let out = try tk8s([example("minio.tk8s")])
        XCTAssertTrue(out.hasSuffix("files are served at files.local.openedx.io, the console at minio.local.openedx.io\n"), out)
        XCTAssertTrue(try String(contentsOfFile: root + "/config.yml", encoding: .utf8).contains("- minio"), "the plugin is enabled")
        let minio = try json(["get", "deployment", "minio", "-n", "openedx"])
        XCTAssertEqual(condition(minio, "Available"), "True")
        let jobs = try items(["get", "jobs", "-n", "openedx"])
        XCTAssertEqual(jobs.count, 1, "\(names(jobs))")
        XCTAssertTrue(names(jobs).first?.hasPrefix("minio-job-") ?? false, "\(names(jobs))")
        XCTAssertEqual(condition(jobs[0], "Complete"), "True")
        // Only what minio needs was started.
        XCTAssertEqual(names(try items(["get", "deployments", "-n", "openedx"])), ["minio"])
    }

    /// logs: the routine finds the ERROR lines a pod printed (planted with the sandbox's `sandbox.tk8s/log` annotation).
    func testLogsFindsTheErrorLines() throws {
        try tk8s(["-c", "start lms cms\nwait lms cms"])
        try XCTAssertEqual(kubectl(["annotate", "pods", "-n", "openedx", "-l", "app.kubernetes.io/name=lms",
                                    "sandbox.tk8s/log=INFO booting\nERROR database unreachable\nINFO retrying"]).status, 0)
        let out = try tk8s([example("logs.tk8s")])
        XCTAssertTrue(out.contains("== lms\nERROR database unreachable\nlms: 1 error lines in the last 200 of each pod\n"), out)
        XCTAssertTrue(out.hasSuffix("== cms\ncms: 0 error lines in the last 200 of each pod\n"), out)
    }

    /// shell: `exec` reaches the LMS pod; the sandbox has no Django, so it answers 126 and tk8s says so.
    func testShellReachesTheLMSPod() throws {
        try tk8s(["-c", "start lms\nwait lms"])
        let out = try tk8s([example("shell.tk8s"), "print(1)"], status: 1)
        XCTAssertTrue(out.contains("./manage.py: not available in the sandbox"), out)
        XCTAssertTrue(out.contains("126"), out)
        // A built-in command through the same `exec` works and returns its output as a value.
        let echoed = try tk8s(["-c", "let out = (exec lms echo hello from the lms pod)\nprint \"got: $(trim $out)\""])
        XCTAssertTrue(echoed.hasSuffix("got: hello from the lms pod\n"), echoed)
    }

    /// custom-image: the image is named after the registry, built and pushed by docker (a recording stand-in: this
    /// machine has no container engine) from the build context a render keeps, and the cluster then runs it.
    func testCustomImageBuildsPushesAndRollsTheCluster() throws {
        try tk8s(["-c", "start\nwait lms"])
        try FileManager.default.createDirectory(atPath: root + "/env/build/openedx", withIntermediateDirectories: true)
        try "FROM docker.io/overhangio/openedx:22.0.3\n".write(toFile: root + "/env/build/openedx/Dockerfile", atomically: true, encoding: .utf8)
        let log = dir.appendingPathComponent("docker.log").path
        let docker = dir.appendingPathComponent("docker").path
        try "#!/bin/sh\nprintf '%s\\n' \"$*\" >> \"\(log)\"\n".write(toFile: docker, atomically: true, encoding: .utf8)
        chmod(docker, 0o755)
        let out = try tk8s([example("custom-image.tk8s"), "registry.example.com/ops"], environment: ["DOCKER": docker])
        let tag = "registry.example.com/ops/openedx:22.0.3"
        XCTAssertTrue(out.contains("built and pushed \(tag)\n"), out)
        XCTAssertTrue(try String(contentsOfFile: root + "/config.yml", encoding: .utf8)
            .contains("DOCKER_IMAGE_OPENEDX: registry.example.com/ops/openedx:{{ TUTOR_VERSION }}"))
        XCTAssertEqual(try String(contentsOfFile: log, encoding: .utf8), """
            buildx build --tag=\(tag) --output=type=docker --cache-from=type=registry,ref=\(tag)-cache \(root)/env/build/openedx
            push \(tag)

            """)
        XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/env/build/openedx/Dockerfile"), "config save kept the build context")
        for name in ["lms", "cms", "lms-worker", "cms-worker"] {
            let d = try json(["get", "deployment", name, "-n", "openedx"])
            let containers = (((d["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])?["containers"] as? [[String: Any]]
            XCTAssertEqual(containers?.first?["image"] as? String, tag, name)
        }
    }
}
