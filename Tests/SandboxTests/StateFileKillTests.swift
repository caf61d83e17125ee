import Core
import Foundation
import XCTest
@testable import Sandbox

/// `tk8s sandbox serve --state FILE` killed with SIGKILL while kubectl keeps changing the cluster, ten times, each
/// time at another moment (before, during and after the 0.2 s-delayed writes): every time the file is whole, the
/// next server loads it and serves everything the file held, and no temporary file is left to pile up.
final class StateFileKillTests: XCTestCase {
    func testTheStateFileSurvivesSIGKILLAtAnyMoment() throws {
        let binary = tk8sBinaryPath()
        guard FileManager.default.isExecutableFile(atPath: binary) else { return XCTFail("tk8s binary not built at \(binary)") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tk8s-kill-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let state = dir + "/cluster.json"
        let temporaries = { (try? FileManager.default.contentsOfDirectory(atPath: dir))?.filter { $0.hasPrefix(".cluster.json.tmp-") } ?? [] }
        var served = 0
        for round in 0..<10 {
            let server = try ServedSandbox.start(binary: binary, ["--state", state, "--pod-start", "0.05", "--job-run", "0.05"])
            defer {
                if server.process.isRunning { kill(server.process.processIdentifier, SIGKILL) }
                try? FileManager.default.removeItem(atPath: (server.kubeconfig as NSString).deletingLastPathComponent)
            }
            // The server loaded the file the last one was killed over, and serves all it held.
            let listed = try ServedSandbox.kubectl(["get", "configmaps", "-o", "name"], kubeconfig: server.kubeconfig, home: dir)
            XCTAssertEqual(listed.status, 0, "round \(round)")
            let count = listed.stdout.split(separator: "\n").count
            XCTAssertGreaterThanOrEqual(count, served, "round \(round): nothing the file held is lost")
            served = count
            XCTAssertEqual(temporaries(), [], "round \(round): the killed server's temporary file was removed at load")

            // Changes while it is killed: five 100 KiB configmaps (a write of the file takes a while) and a
            // Deployment whose pods the controllers start, each a change of its own.
            var manifest = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web-\(round)}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web-\(round)}}
                  template:
                    metadata: {labels: {app: web-\(round)}}
                    spec: {containers: [{name: web, image: nginx}]}

                """
            for i in 0..<5 {
                manifest += "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-\(round)-\(i)}\ndata: {blob: \(String(repeating: "x", count: 100 << 10))}\n"
            }
            let path = dir + "/round-\(round).yaml"
            try manifest.write(toFile: path, atomically: true, encoding: .utf8)
            let apply = Process()
            apply.executableURL = URL(fileURLWithPath: "/usr/bin/kubectl")
            apply.arguments = ["apply", "-f", path]
            apply.environment = ProcessInfo.processInfo.environment.merging(["KUBECONFIG": server.kubeconfig, "HOME": dir, "KUBECACHEDIR": dir + "/cache"]) { $1 }
            apply.standardOutput = FileHandle.nullDevice
            apply.standardError = FileHandle.nullDevice
            try apply.run()
            usleep(UInt32(100_000 + round * 70_000))
            kill(server.process.processIdentifier, SIGKILL)
            server.process.waitUntilExit()
            apply.waitUntilExit()
            XCTAssertEqual(server.process.terminationReason, .uncaughtSignal)

            // Whatever moment it died at, the file (once there is one) is a whole sandbox state, owner-only.
            if FileManager.default.fileExists(atPath: state) {
                let doc = try JSONParser.parse(String(contentsOfFile: state, encoding: .utf8))
                XCTAssertEqual(doc[path: "apiVersion"]?.stringValue, "sandbox.tk8s/v1", "round \(round)")
                XCTAssertEqual(doc[path: "kind"]?.stringValue, "SandboxState", "round \(round)")
                XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: state)[.posixPermissions] as? Int, 0o600)
            }
            XCTAssertLessThanOrEqual(temporaries().count, 1, "round \(round): at most the write in flight")
        }

        // A last server loads it all and, stopped politely, writes it back.
        let last = try ServedSandbox.start(binary: binary, ["--state", state])
        defer { try? FileManager.default.removeItem(atPath: (last.kubeconfig as NSString).deletingLastPathComponent) }
        let listed = try ServedSandbox.kubectl(["get", "configmaps", "-o", "name"], kubeconfig: last.kubeconfig, home: dir)
        XCTAssertGreaterThanOrEqual(listed.stdout.split(separator: "\n").count, max(served, 1))
        kill(last.process.processIdentifier, SIGTERM)
        last.process.waitUntilExit()
        XCTAssertEqual(last.process.terminationStatus, 0)
        XCTAssertEqual(temporaries(), [])
        let doc = try JSONParser.parse(String(contentsOfFile: state, encoding: .utf8))
        let configMaps = (doc[path: "items"]?.listValue ?? []).filter { $0[path: "kind"]?.stringValue == "ConfigMap" }
        XCTAssertGreaterThanOrEqual(configMaps.count, served)
    }
}
