import Foundation
import Lang
import Core
import XCTest
@testable import Runtime

/// `render`: the env Tutor 22 would write, checked by kubectl kustomize and the Kubernetes schemas.
final class RenderTests: XCTestCase {
    static let variants = ["default", "no-web-proxy", "https", "no-services", "minio"]

    /// A root holding the config.yml Tutor 22 wrote for `variant`.
    private func tutorRoot(_ variant: String) throws -> TestRoot {
        let t = try TestRoot()
        try t.write("config.yml", try Fixtures.text("tutor22/\(variant)/config.yml"))
        return t
    }

    func testInventoryMatchesTutorForEverySwitch() throws {
        for variant in Self.variants {
            let t = try tutorRoot(variant)
            let before = try t.read("config.yml")
            XCTAssertEqual(t.ok("render"), "Environment generated in \(t.root)/env\n", variant)
            // Rendering a root Tutor made does not touch its config.yml.
            XCTAssertEqual(try t.read("config.yml"), before, variant)
            let ours = try Inventory.of(try Tools.kustomize(t.root + "/env"))
            let tutors = try Inventory.of(try Fixtures.text("tutor22/\(variant)/kustomize.yml"))
            XCTAssertGreaterThan(tutors.count, 15, variant)
            XCTAssertEqual(Inventory.diff(expected: tutors, actual: ours), "", "inventory of \(variant) differs from Tutor 22's")
        }
    }

    func testSwitchesGateResources() throws {
        func kinds(_ variant: String) throws -> Set<String> {
            let t = try tutorRoot(variant)
            t.ok("render")
            return Set(try Inventory.of(try Tools.kustomize(t.root + "/env")).keys)
        }
        let all = try kinds("default")
        XCTAssertTrue(all.isSuperset(of: ["Deployment/caddy", "Service/caddy", "PersistentVolumeClaim/caddy", "ConfigMap/redis-config",
                                          "Job/lms-job", "Job/cms-job", "Job/mysql-job", "Namespace/openedx"]))
        let noProxy = try kinds("no-web-proxy")
        XCTAssertFalse(noProxy.contains("PersistentVolumeClaim/caddy"))
        XCTAssertTrue(noProxy.contains("Service/caddy"))
        let none = try kinds("no-services")
        for svc in ["mysql", "mongodb", "redis", "meilisearch", "smtp"] {
            XCTAssertFalse(none.contains("Deployment/\(svc)"), svc)
            XCTAssertFalse(none.contains("Service/\(svc)"), svc)
        }
        XCTAssertFalse(none.contains("ConfigMap/redis-config"))
        // The LoadBalancer and ClusterIP caddy, as start/stop's selectors expect them.
        let t = try tutorRoot("default")
        t.ok("render")
        let lb = try Inventory.of(try Tools.kustomize(t.root + "/env"))["Service/caddy"] ?? ""
        XCTAssertTrue(lb.contains("type=LoadBalancer") && lb.contains("app.kubernetes.io/component=loadbalancer"), lb)
        let t2 = try tutorRoot("no-web-proxy")
        t2.ok("render")
        let cip = try Inventory.of(try Tools.kustomize(t2.root + "/env"))["Service/caddy"] ?? ""
        XCTAssertTrue(cip.contains("type=ClusterIP") && !cip.contains("component=loadbalancer"), cip)
    }

    func testEnvPassesTheKubernetesSchemas() throws {
        let validator = try Tools.venvTool("TK8S_KUBERNETES_VALIDATE", "kubernetes-validate")
        for variant in Self.variants {
            let t = try tutorRoot(variant)
            t.ok("render")
            let manifests = t.dir + "/manifests.yml"
            try Tools.kustomize(t.root + "/env").write(toFile: manifests, atomically: true, encoding: .utf8)
            let r = try Tools.run([validator, "--strict", "--quiet", "-k", "1.32.0", manifests])
            XCTAssertEqual(r.status, 0, "\(variant): \(r.out)\(r.err)")
            XCTAssertFalse((r.out + r.err).contains("ERROR"), variant)
        }
    }

    func testRenderIsAtomicAndLeavesEnvCustomAlone() throws {
        let t = try tutorRoot("default")
        try t.write("env-custom/kustomization.yml", "bases:\n- ../env/\n")
        t.ok("render")
        let good = try t.read("env/k8s/deployments.yml")
        try t.write("env/stale-file.txt", "from an older render")
        // A render that fails (a plugin with an undefined name) leaves the previous env exactly as it was.
        let r = t.run("""
            plugins define broken {patches: {"k8s-deployments": "---\\nkind: {{ NO_SUCH_KEY }}"}}
            render
            """)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(try t.read("env/k8s/deployments.yml"), good)
        XCTAssertEqual(try t.read("env/stale-file.txt"), "from an older render")
        t.ok("render")
        XCTAssertFalse(FileManager.default.fileExists(atPath: t.root + "/env/stale-file.txt"))
        XCTAssertEqual(try t.read("env-custom/kustomization.yml"), "bases:\n- ../env/\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: t.root).filter { $0.hasPrefix(".env") }
        XCTAssertEqual(leftovers, [])
        XCTAssertEqual(try t.read("env/version"), "22.0.3")
    }

    /// `images build openedx` builds env/build/openedx, which tk8s does not render: a render keeps it.
    func testRenderKeepsDockerBuildContexts() throws {
        let t = try tutorRoot("default")
        t.ok("render")
        try t.write("env/build/openedx/Dockerfile", "FROM docker.io/overhangio/openedx:22.0.3\n")
        try t.write("env/build/openedx/requirements/private.txt", "my-xblock==1.0\n")
        t.ok("render")
        t.ok("config save --set LMS_HOST=learn.example.com")
        XCTAssertEqual(try t.read("env/build/openedx/Dockerfile"), "FROM docker.io/overhangio/openedx:22.0.3\n")
        XCTAssertEqual(try t.read("env/build/openedx/requirements/private.txt"), "my-xblock==1.0\n")
        XCTAssertTrue(try t.read("env/apps/openedx/config/lms.env.yml").contains("learn.example.com"), "and the rest was rendered again")
    }

    func testRenderingTwiceGivesTheSameBytes() throws {
        let t = try tutorRoot("minio")
        t.ok("render")
        let first = try Files.walk(t.root + "/env").map { ($0, try t.read("env/" + $0)) }
        t.ok("render")
        let second = try Files.walk(t.root + "/env").map { ($0, try t.read("env/" + $0)) }
        XCTAssertEqual(first.map(\.0), second.map(\.0))
        XCTAssertEqual(first.map(\.1), second.map(\.1))
        XCTAssertTrue(first.map(\.0).contains("k8s/deployments.yml"))
        XCTAssertTrue(first.map(\.0).contains("apps/caddy/Caddyfile"))
    }

    func testConfigValuesReachTheManifests() throws {
        let t = try tutorRoot("default")
        t.ok("""
            config set K8S_NAMESPACE school
            config set "DOCKER_IMAGE_OPENEDX" "registry.example.com/openedx:{{ TUTOR_VERSION }}-custom"
            render
            """)
        let out = try Tools.kustomize(t.root + "/env")
        XCTAssertTrue(out.contains("namespace: school"))
        XCTAssertTrue(out.contains("image: registry.example.com/openedx:22.0.3-custom"))
        XCTAssertFalse(out.contains("{{"))
    }
}
