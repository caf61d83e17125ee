import Core
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest
@testable import Sandbox

/// Server-side printing (Tables.swift), judged by what the real kubectl prints: the columns of a real API server,
/// cells computed by the sandbox, and the plain outputs (`-o json|yaml|name`) unchanged.
final class TableTests: SandboxTestCase {
    static let app = [
        "kustomization.yml": "resources: [namespace.yml, app.yml]\n",
        "namespace.yml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: demo}\n",
        "app.yml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: demo, labels: {app: web}}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: caddy, image: docker.io/library/caddy:2.7}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: caddy, namespace: demo}
        spec:
          type: LoadBalancer
          ports: [{port: 80, protocol: TCP}]
          selector: {app: web}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: internal, namespace: demo}
        spec:
          ports: [{name: http, port: 8000}, {name: dns, port: 8443, protocol: UDP}]
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data, namespace: demo}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 5Gi}}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: demo}
        data: {a: "1", b: "2"}
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: migrate, namespace: demo}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: main, image: docker.io/library/busybox, args: [sh, -c, echo done]}]
        """,
    ]

    /// Applies the app and waits until the deployment is available, the job complete and the claim bound.
    func applyAndSettle() throws {
        let env = try writeDirectory("env", Self.app)
        try ok(["apply", "-k", env])
        try ok(["wait", "-n", "demo", "--for=condition=Available=True", "--timeout=20s", "deployment/web"])
        try ok(["wait", "-n", "demo", "--for=condition=complete", "--timeout=20s", "job/migrate"])
        try ok(["wait", "-n", "demo", "--for=jsonpath={.status.phase}=Bound", "--timeout=20s", "pvc/data"])
        try ok(["wait", "-n", "demo", "--for=condition=Ready", "--timeout=20s", "pod", "-l", "app=web"])
        try ok(["wait", "-n", "demo", "--for=jsonpath={.status.loadBalancer.ingress[0].ip}=127.0.0.1", "--timeout=20s", "service/caddy"])
    }

    // MARK: - Default columns

    func testDefaultColumnsOfEveryKind() throws {
        try applyAndSettle()

        let pods = try table(["get", "pods", "-n", "demo", "-l", "app=web"])
        XCTAssertEqual(pods.header, ["NAME", "READY", "STATUS", "RESTARTS", "AGE"])
        XCTAssertEqual(pods.rows.count, 2, pods.text)
        for row in pods.rows {
            XCTAssertTrue(row["NAME"]!.hasPrefix("web-"), pods.text)
            XCTAssertEqual(row["READY"], "1/1", pods.text)
            XCTAssertEqual(row["STATUS"], "Running", pods.text)
            XCTAssertEqual(row["RESTARTS"], "0", pods.text)
            XCTAssertTrue(isAge(row["AGE"]!), pods.text)
        }
        let jobPod = try table(["get", "pods", "-n", "demo", "-l", "job-name=migrate"])
        XCTAssertEqual(jobPod.rows.map { [$0["READY"]!, $0["STATUS"]!] }, [["0/1", "Completed"]], jobPod.text)

        let deploy = try table(["get", "deploy", "-n", "demo"])
        XCTAssertEqual(deploy.header, ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"])
        XCTAssertEqual(deploy.rows.map { [$0["NAME"]!, $0["READY"]!, $0["UP-TO-DATE"]!, $0["AVAILABLE"]!] }, [["web", "2/2", "2", "2"]], deploy.text)

        let rs = try table(["get", "rs", "-n", "demo"])
        XCTAssertEqual(rs.header, ["NAME", "DESIRED", "CURRENT", "READY", "AGE"])
        XCTAssertEqual(rs.rows.map { [$0["DESIRED"]!, $0["CURRENT"]!, $0["READY"]!] }, [["2", "2", "2"]], rs.text)
        XCTAssertTrue(rs.rows.first?["NAME"]?.hasPrefix("web-") == true, rs.text)

        let svc = try table(["get", "svc", "-n", "demo"])
        XCTAssertEqual(svc.header, ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"])
        // The server allocates cluster IPs, and a node port for the LoadBalancer's port.
        XCTAssertEqual(svc.rows.map { [$0["NAME"]!, $0["TYPE"]!, $0["CLUSTER-IP"]!, $0["EXTERNAL-IP"]!, $0["PORT(S)"]!] },
                       [["caddy", "LoadBalancer", "10.96.0.2", "127.0.0.1", "80:30000/TCP"],
                        ["internal", "ClusterIP", "10.96.0.3", "<none>", "8000/TCP,8443/UDP"]], svc.text)

        let jobs = try table(["get", "jobs", "-n", "demo"])
        XCTAssertEqual(jobs.header, ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"])
        XCTAssertEqual(jobs.rows.map { [$0["NAME"]!, $0["STATUS"]!, $0["COMPLETIONS"]!] }, [["migrate", "Complete", "1/1"]], jobs.text)
        XCTAssertTrue(isAge(jobs.rows.first?["DURATION"] ?? ""), jobs.text)

        let pvc = try table(["get", "pvc", "-n", "demo"])
        XCTAssertEqual(pvc.header, ["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"])
        XCTAssertEqual(pvc.rows.map { [$0["NAME"]!, $0["STATUS"]!, $0["CAPACITY"]!, $0["ACCESS MODES"]!, $0["VOLUMEATTRIBUTESCLASS"]!] },
                       [["data", "Bound", "5Gi", "RWO", "<unset>"]], pvc.text)
        XCTAssertTrue(pvc.rows.first?["VOLUME"]?.hasPrefix("pvc-") == true, "binding names a volume: \(pvc.text)")

        let cm = try table(["get", "cm", "-n", "demo"])
        XCTAssertEqual(cm.header, ["NAME", "DATA", "AGE"])
        XCTAssertEqual(cm.rows.map { [$0["NAME"]!, $0["DATA"]!] }, [["settings", "2"]], cm.text)

        let ns = try table(["get", "ns", "demo"])
        XCTAssertEqual(ns.header, ["NAME", "STATUS", "AGE"])
        XCTAssertEqual(ns.rows.map { [$0["NAME"]!, $0["STATUS"]!] }, [["demo", "Active"]], ns.text)

        // GET of one object is a one-row table too.
        let one = try table(["get", "deployment", "web", "-n", "demo"])
        XCTAssertEqual(one.rows.map { $0["READY"]! }, ["2/2"], one.text)
    }

    func testWideColumns() throws {
        try applyAndSettle()
        let pods = try table(["get", "pods", "-n", "demo", "-l", "app=web", "-o", "wide"])
        XCTAssertEqual(pods.header, ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"])
        for row in pods.rows {
            XCTAssertTrue(row["IP"]!.hasPrefix("10.244."), pods.text)
            XCTAssertEqual(row["NODE"], "sandbox", pods.text)
            XCTAssertEqual(row["NOMINATED NODE"], "<none>", pods.text)
            XCTAssertEqual(row["READINESS GATES"], "<none>", pods.text)
        }
        let deploy = try table(["get", "deploy", "-n", "demo", "-o", "wide"])
        XCTAssertEqual(deploy.header, ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"])
        XCTAssertEqual(deploy.rows.map { [$0["CONTAINERS"]!, $0["IMAGES"]!, $0["SELECTOR"]!] },
                       [["caddy", "docker.io/library/caddy:2.7", "app=web"]], deploy.text)
        let rs = try table(["get", "rs", "-n", "demo", "-o", "wide"])
        XCTAssertTrue(rs.rows.first?["SELECTOR"]?.hasPrefix("app=web,pod-template-hash=") == true, rs.text)
        let svc = try table(["get", "svc", "caddy", "-n", "demo", "-o", "wide"])
        XCTAssertEqual(svc.rows.map { $0["SELECTOR"]! }, ["app=web"], svc.text)
        let jobs = try table(["get", "jobs", "-n", "demo", "-o", "wide"])
        XCTAssertEqual(jobs.header, ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"])
        XCTAssertEqual(jobs.rows.map { [$0["CONTAINERS"]!, $0["IMAGES"]!] }, [["main", "docker.io/library/busybox"]], jobs.text)
        XCTAssertTrue(jobs.rows.first?["SELECTOR"]?.hasPrefix("batch.kubernetes.io/controller-uid=") == true, jobs.text)
    }

    func testGetAllPrintsEachKindWithItsColumns() throws {
        try applyAndSettle()
        let all = try ok(["get", "all", "-n", "demo"]).stdout
        let lines = all.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        for header in ["NAME READY STATUS RESTARTS AGE", "NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE",
                       "NAME READY UP-TO-DATE AVAILABLE AGE", "NAME DESIRED CURRENT READY AGE",
                       "NAME STATUS COMPLETIONS DURATION AGE"] {
            XCTAssertEqual(lines.filter { $0 == header }.count, 1, "\(header) in\n\(all)")
        }
        XCTAssertEqual(lines.filter { $0.hasPrefix("pod/web-") && $0.contains(" 1/1 Running 0 ") }.count, 2, all)
        XCTAssertEqual(lines.filter { $0.hasPrefix("pod/migrate-") && $0.contains(" 0/1 Completed 0 ") }.count, 1, all)
        XCTAssertTrue(lines.contains { $0.hasPrefix("service/caddy LoadBalancer 10.96.0.2 127.0.0.1 80:30000/TCP ") }, all)
        XCTAssertTrue(lines.contains { $0.hasPrefix("deployment.apps/web 2/2 2 2 ") }, all)
        XCTAssertTrue(lines.contains { $0.hasPrefix("replicaset.apps/web-") && $0.contains(" 2 2 2 ") }, all)
        XCTAssertTrue(lines.contains { $0.hasPrefix("job.batch/migrate Complete 1/1 ") }, all)
        // Five kinds, four blank lines between their tables; the always-empty kinds print nothing.
        XCTAssertEqual(all.components(separatedBy: "\n\n").count, 5, all)
    }

    func testNamespaceAndLabelColumnsComeFromTheRowObjects() throws {
        try applyAndSettle()
        let everywhere = try table(["get", "pods", "-A", "-l", "app=web"])
        XCTAssertEqual(everywhere.header, ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"])
        XCTAssertEqual(everywhere.rows.map { $0["NAMESPACE"]! }, ["demo", "demo"], everywhere.text)
        XCTAssertEqual(everywhere.rows.map { $0["STATUS"]! }, ["Running", "Running"], everywhere.text)

        let labels = try table(["get", "pods", "-n", "demo", "-l", "app=web", "--show-labels"])
        XCTAssertEqual(labels.header, ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "LABELS"])
        for row in labels.rows { XCTAssertTrue(row["LABELS"]!.hasPrefix("app=web,pod-template-hash="), labels.text) }

        let column = try table(["get", "deploy", "-n", "demo", "-L", "app"])
        XCTAssertEqual(column.header, ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "APP"])
        XCTAssertEqual(column.rows.map { $0["APP"]! }, ["web"], column.text)

        // --sort-by asks for whole objects (includeObject=Object) and sorts the rows on a field of them.
        let sorted = try table(["get", "svc", "-n", "demo", "--sort-by=.spec.type"])
        XCTAssertEqual(sorted.rows.map { $0["NAME"]! }, ["internal", "caddy"], sorted.text)
    }

    func testPlainOutputsAreUnchanged() throws {
        try applyAndSettle()
        let json = try ok(["get", "deployment", "web", "-n", "demo", "-o", "json"]).stdout
        let object = try JSONParser.parse(json)
        XCTAssertEqual(object[path: "kind"]?.stringValue, "Deployment")
        XCTAssertEqual(object[path: "status", "readyReplicas"]?.intValue, 2)
        let list = try JSONParser.parse(try ok(["get", "pods", "-n", "demo", "-o", "json"]).stdout)
        XCTAssertEqual(list[path: "kind"]?.stringValue, "List")
        XCTAssertEqual(list[path: "items"]?.listValue?.count, 3)
        XCTAssertEqual(Set((list[path: "items"]?.listValue ?? []).compactMap { $0[path: "kind"]?.stringValue }), ["Pod"])
        let yaml = try ok(["get", "svc", "caddy", "-n", "demo", "-o", "yaml"]).stdout
        XCTAssertTrue(yaml.contains("kind: Service\n"), yaml)
        XCTAssertTrue(yaml.contains("- ip: 127.0.0.1"), yaml)
        XCTAssertEqual(try ok(["get", "deploy,svc", "-n", "demo", "-o", "name"]).stdout,
                       "deployment.apps/web\nservice/caddy\nservice/internal\n")
        XCTAssertEqual(try ok(["get", "jobs", "-n", "demo", "-o", "jsonpath={.items[0].status.succeeded}"]).stdout, "1")
        XCTAssertEqual(try ok(["get", "pods", "-n", "demo", "-l", "app=web", "-o", "custom-columns=PHASE:.status.phase", "--no-headers"]).stdout,
                       "Running\nRunning\n")
        let none = try kubectl(["get", "pods", "-n", "nowhere"])
        XCTAssertEqual(none.stdout, "")
        XCTAssertTrue(none.stderr.contains("No resources found in nowhere namespace."), none.stderr)
    }

    // MARK: - Statuses other than Running

    func testPendingPodsShowContainerCreating() throws {
        sandbox.delays = SandboxDelays(podStart: 60, jobRun: 60)
        try ok(["create", "namespace", "demo"])
        let env = try writeDirectory("slow", ["d.yml": """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: slow, namespace: demo}
            spec:
              selector: {matchLabels: {app: slow}}
              template:
                metadata: {labels: {app: slow}}
                spec:
                  containers: [{name: a, image: busybox}, {name: b, image: busybox}]
            """])
        try ok(["apply", "-f", env + "/d.yml"])
        let pods = try eventually(["get", "pods", "-n", "demo"]) { $0.rows.count == 1 }
        XCTAssertEqual(pods.rows.map { [$0["READY"]!, $0["STATUS"]!, $0["RESTARTS"]!] }, [["0/2", "ContainerCreating", "0"]], pods.text)
        let deploy = try eventually(["get", "deploy", "-n", "demo"]) { $0.rows.first?["UP-TO-DATE"] == "1" }
        XCTAssertEqual(deploy.rows.map { [$0["READY"]!, $0["UP-TO-DATE"]!, $0["AVAILABLE"]!] }, [["0/1", "1", "0"]], deploy.text)
    }

    func testFailedJobShowsErrorAndFailed() throws {
        try ok(["create", "namespace", "demo"])
        let env = try writeDirectory("bad", ["job.yml": """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: bad, namespace: demo}
            spec:
              backoffLimit: 0
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: main, image: busybox, args: [sh, -c, "echo oops; exit 1"]}]
            """])
        try ok(["apply", "-f", env + "/job.yml"])
        try ok(["wait", "-n", "demo", "--for=condition=failed", "--timeout=20s", "job/bad"])
        let jobs = try table(["get", "jobs", "-n", "demo"])
        XCTAssertEqual(jobs.rows.map { [$0["STATUS"]!, $0["COMPLETIONS"]!] }, [["Failed", "0/1"]], jobs.text)
        let pods = try table(["get", "pods", "-n", "demo"])
        XCTAssertEqual(pods.rows.map { [$0["READY"]!, $0["STATUS"]!] }, [["0/1", "Error"]], pods.text)
    }

    // MARK: - Watch

    /// `kubectl get -w` asks for tables on the watch too: one header, then a row per event with the same columns.
    func testWatchPrintsTableRows() throws {
        try applyAndSettle()
        let (process, out, err) = try startKubectl(["get", "pods", "-n", "demo", "-l", "app=web", "-w"])
        defer { if process.isRunning { process.terminate() }; process.waitUntilExit() }
        func lines() -> [[String]] {
            ((try? String(contentsOf: out, encoding: .utf8)) ?? "").split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        }
        var deadline = Date().addingTimeInterval(10)
        while lines().count < 3 && Date() < deadline { usleep(50_000) }
        let before = Set(lines().dropFirst().prefix(2).compactMap(\.first))
        XCTAssertEqual(before.count, 2, "\(lines())")
        try ok(["scale", "-n", "demo", "deployment/web", "--replicas=3"])
        func newPodRunning() -> Bool {
            lines().contains { $0.count == 5 && !before.contains($0[0]) && $0[1] == "1/1" && $0[2] == "Running" }
        }
        deadline = Date().addingTimeInterval(10)
        while !newPodRunning() && Date() < deadline { usleep(50_000) }
        let text = ((try? String(contentsOf: out, encoding: .utf8)) ?? "") + ((try? String(contentsOf: err, encoding: .utf8)) ?? "")
        XCTAssertTrue(process.isRunning, "kubectl get -w ended: \(text)")
        XCTAssertTrue(newPodRunning(), "the third pod never showed Running:\n\(text)")
        // One header; every event a row of the same five columns (a new pod goes ContainerCreating → Running).
        let all = lines()
        XCTAssertEqual(all.first, ["NAME", "READY", "STATUS", "RESTARTS", "AGE"], text)
        XCTAssertEqual(all.filter { $0.first == "NAME" }.count, 1, text)
        XCTAssertTrue(all.dropFirst().allSatisfy { $0.count == 5 && $0[0].hasPrefix("web-") && isAge($0[4]) }, text)
        XCTAssertTrue(all.contains { !before.contains($0[0]) && $0[1] == "0/1" && $0[2] == "ContainerCreating" }, text)
    }

    // MARK: - The wire format

    func testTableDocumentShapeAndIncludeObject() throws {
        try applyAndSettle()
        let accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
        let table = try get("/api/v1/namespaces/demo/services", accept: accept)
        XCTAssertEqual(table[path: "kind"]?.stringValue, "Table")
        XCTAssertEqual(table[path: "apiVersion"]?.stringValue, "meta.k8s.io/v1")
        XCTAssertNotNil(table[path: "metadata", "resourceVersion"]?.stringValue)
        let columns = table[path: "columnDefinitions"]?.listValue ?? []
        XCTAssertEqual(columns.map { $0[path: "name"]?.stringValue ?? "" }, ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"])
        XCTAssertEqual(columns.map { $0[path: "priority"]?.intValue ?? -1 }, [0, 0, 0, 0, 0, 0, 1])
        XCTAssertEqual(columns.first?[path: "format"]?.stringValue, "name")
        let row = try XCTUnwrap(table[path: "rows"]?.listValue?.first)
        XCTAssertEqual(row[path: "cells"]?.listValue?.count, 7)
        XCTAssertEqual(row[path: "object", "kind"]?.stringValue, "PartialObjectMetadata")
        XCTAssertEqual(row[path: "object", "apiVersion"]?.stringValue, "meta.k8s.io/v1")
        XCTAssertEqual(row[path: "object", "metadata", "name"]?.stringValue, "caddy")
        XCTAssertNil(row[path: "object", "spec"])

        let whole = try get("/api/v1/namespaces/demo/services?includeObject=Object", accept: accept)
        XCTAssertEqual(whole[path: "rows"]?.listValue?.first?[path: "object", "kind"]?.stringValue, "Service")
        XCTAssertNotNil(whole[path: "rows"]?.listValue?.first?[path: "object", "spec", "ports"])
        let bare = try get("/api/v1/namespaces/demo/services?includeObject=None", accept: accept)
        XCTAssertNil(bare[path: "rows"]?.listValue?.first?[path: "object"])

        let beta = try get("/apis/apps/v1/namespaces/demo/deployments/web", accept: "application/json;as=Table;v=v1beta1;g=meta.k8s.io")
        XCTAssertEqual(beta[path: "apiVersion"]?.stringValue, "meta.k8s.io/v1beta1")
        XCTAssertEqual(beta[path: "rows"]?.listValue?.first?[path: "cells"]?.listValue?.prefix(2).map { $0.stringValue ?? "" }, ["web", "2/2"])
        XCTAssertEqual(beta[path: "metadata", "resourceVersion"]?.stringValue,
                       try get("/apis/apps/v1/namespaces/demo/deployments/web", accept: "")[path: "metadata", "resourceVersion"]?.stringValue)

        // Plain JSON first (or no Accept at all), and errors, stay plain.
        XCTAssertEqual(try get("/api/v1/namespaces/demo/pods", accept: "application/json, application/json;as=Table;v=v1;g=meta.k8s.io")[path: "kind"]?.stringValue, "PodList")
        XCTAssertEqual(try get("/api/v1/namespaces/demo/pods", accept: "")[path: "kind"]?.stringValue, "PodList")
        XCTAssertEqual(try get("/api/v1/namespaces/demo/pods/nope", accept: accept)[path: "kind"]?.stringValue, "Status")
        let empty = try get("/apis/apps/v1/namespaces/demo/statefulsets", accept: accept)
        XCTAssertEqual(empty[path: "kind"]?.stringValue, "Table")
        XCTAssertEqual(empty[path: "rows"]?.listValue?.count, 0)
        XCTAssertEqual(empty[path: "columnDefinitions"]?.listValue?.map { $0[path: "name"]?.stringValue ?? "" }, ["Name", "Ready", "Age", "Containers", "Images"])
    }

    func testHumanDuration() {
        let cases: [(TimeInterval, String)] = [
            (-5, "<invalid>"), (-1.5, "0s"), (0, "0s"), (5.9, "5s"), (119, "119s"), (120, "2m"), (182, "3m2s"),
            (599, "9m59s"), (600, "10m"), (3 * 3600 - 1, "179m"), (3 * 3600, "3h"), (3 * 3600 + 240, "3h4m"),
            (8 * 3600, "8h"), (47 * 3600 + 3599, "47h"), (48 * 3600, "2d"), (50 * 3600, "2d2h"), (8 * 86400, "8d"),
            (729 * 86400, "729d"), (730 * 86400, "2y"), (733 * 86400, "2y3d"), (8 * 365 * 86400, "8y"),
        ]
        for (interval, expected) in cases { XCTAssertEqual(Tables.humanDuration(interval), expected, "\(interval)") }
    }

    func testCellHelpers() {
        let selector: Value = ["matchLabels": ["b": "2", "a": "1"],
                               "matchExpressions": [["key": "tier", "operator": "In", "values": ["web", "api"]],
                                                    ["key": "gone", "operator": "DoesNotExist"]]]
        XCTAssertEqual(Tables.selectorString(selector), "a=1,b=2,!gone,tier in (api,web)")
        XCTAssertEqual(Tables.formatLabelSelector(nil), "<none>")
        XCTAssertEqual(Tables.formatLabels(["z": "1", "a": "2"]), "a=2,z=1")
        XCTAssertEqual(Tables.accessModes(["ReadWriteMany", "ReadWriteOnce", "ReadWriteOnce"]), "RWO,RWX")
        // A restarted container that is waiting again reports its reason, and the restart's age.
        let now = Date()
        let clock = TableClock(now: now)
        let stamp = ISO8601DateFormatter().string(from: now.addingTimeInterval(-300))
        let pod: Value = [
            "metadata": ["name": "p", "creationTimestamp": .string(stamp)],
            "spec": ["containers": [["name": "a"], ["name": "b"]], "nodeName": "n"],
            "status": ["phase": "Running", "podIP": "10.0.0.1", "containerStatuses": [
                ["name": "a", "ready": true, "restartCount": 0, "state": ["running": [:]]],
                ["name": "b", "ready": false, "restartCount": 3, "state": ["waiting": ["reason": "CrashLoopBackOff"]],
                 "lastState": ["terminated": ["exitCode": 1, "finishedAt": .string(stamp)]]],
            ]],
        ]
        XCTAssertEqual(Tables.pod(pod, clock).compactMap(\.stringValue),
                       ["p", "1/2", "CrashLoopBackOff", "3 (5m ago)", "5m", "10.0.0.1", "n", "<none>", "<none>"])
    }

    // MARK: - Helpers

    struct Table {
        var text: String
        var header: [String]
        var rows: [[String: String]]
    }

    /// Runs kubectl and cuts its output into cells by the header's column starts (kubectl pads every column to its
    /// widest cell, so a cell starts where its header does; empty cells stay empty).
    func table(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Table {
        let text = try ok(args, file: file, line: line).stdout
        let lines = text.split(separator: "\n").map(String.init)
        guard let headerLine = lines.first else { return Table(text: text, header: [], rows: []) }
        // Header names are separated by at least three spaces; a single space belongs to the name (ACCESS MODES).
        var header: [String] = [], starts: [Int] = []
        let chars = Array(headerLine)
        var i = 0
        while i < chars.count {
            if chars[i] == " " { i += 1; continue }
            let start = i
            while i < chars.count && !(chars[i] == " " && (i + 1 >= chars.count || chars[i + 1] == " ")) { i += 1 }
            header.append(String(chars[start..<i]))
            starts.append(start)
        }
        let rows = lines.dropFirst().map { line -> [String: String] in
            let c = Array(line)
            var row: [String: String] = [:]
            for (n, name) in header.enumerated() {
                let from = min(starts[n], c.count), to = n + 1 < starts.count ? min(starts[n + 1], c.count) : c.count
                row[name] = String(c[from..<to]).trimmingCharacters(in: .whitespaces)
            }
            return row
        }
        return Table(text: text, header: header, rows: rows)
    }

    /// Polls a table until `done` holds (or 10 s pass), and returns the last one.
    func eventually(_ args: [String], file: StaticString = #filePath, line: UInt = #line, _ done: (Table) -> Bool) throws -> Table {
        let deadline = Date().addingTimeInterval(10)
        var t = try table(args, file: file, line: line)
        while !done(t) && Date() < deadline {
            usleep(50_000)
            t = try table(args, file: file, line: line)
        }
        return t
    }

    func isAge(_ s: String) -> Bool { s.range(of: #"^[0-9]+(s|m[0-9]*s?)$"#, options: .regularExpression) != nil }

    /// A GET straight to the sandbox with an Accept header of our choosing.
    func get(_ path: String, accept: String) throws -> Value {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        if !accept.isEmpty { request.setValue(accept, forHTTPHeaderField: "Accept") }
        request.setValue("Bearer \(sandbox.token)", forHTTPHeaderField: "Authorization")
        let done = DispatchSemaphore(value: 0)
        let box = ResponseBox()
        URLSession.shared.dataTask(with: request) { data, _, error in
            box.data = data
            box.error = error
            done.signal()
        }.resume()
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        if let error = box.error { throw error }
        return try JSONParser.parse(String(decoding: box.data ?? Data(), as: UTF8.self))
    }
}

private final class ResponseBox: @unchecked Sendable {
    var data: Data?
    var error: Error?
}
