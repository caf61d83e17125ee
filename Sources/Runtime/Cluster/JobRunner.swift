import Core
import Foundation
import Lang
import OrderedCollections

/// One job to run: which `<service>-job` of the env to copy, and the script it runs.
struct JobTask {
    let service: String
    let script: String
    /// Values the script reads from its environment (`$TK8S_PASSWORD`), so a
    /// user's text never has to be quoted into shell or Python code.
    var environment: [(String, String)] = []
}

/// Runs tasks as Kubernetes Jobs the way Tutor does, with the waiting done
/// better: take `<service>-job` from `kubectl kustomize env`, give it a unique
/// name, run the script with `sh -e -c` (backoffLimit 1, ttl 3600 s), `apply -f`
/// it, then block on `kubectl wait` for its Complete or Failed condition instead
/// of polling. Only this instance's active jobs make a new one wait.
struct JobRunner {
    let cluster: Cluster

    func run(_ task: JobTask, at span: Span) throws {
        try cluster.requireEnv(at: span)
        try waitForActiveJobs()
        let rendered = try cluster.kubectl(["kustomize", cluster.env], io: .capture, kind: .local).stdout
        let name = uniqueName(for: task.service)
        let job = try manifest(for: task, named: name, from: rendered, at: span)
        let file = try writeTemporary(try YAMLCodec.encode(job))
        defer { unlink(file) }
        try cluster.kubectl(["apply", "-f", file])
        if cluster.ctx.cluster.dryRun {
            cluster.ctx.status("Job \(name) would run; a dry run does not wait for it.")
            return
        }
        cluster.ctx.status("Job \(name) is running; its logs: kubectl logs --namespace \(cluster.namespace) --follow job/\(name)")
        if try waitForJob(name) {
            cluster.ctx.status("Job \(name) successful.")
            return
        }
        cluster.ctx.status("Job \(name) failed; its logs:")
        _ = try? cluster.kubectl(["logs", "--namespace", cluster.namespace, "job/\(name)"], kind: .read, check: false)
        throw Diagnostic(.commandFailed, "job \(name) (\(task.service)) failed", at: span,
                         help: "its pod stays for an hour: kubectl logs --namespace \(cluster.namespace) job/\(name)")
    }

    /// `<service>-job-YYYYmmddHHMMSS` (UTC), with a suffix when this process already used that second.
    private func uniqueName(for service: String) -> String {
        var t = time(nil)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let stamp = "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))"
        var name = "\(service)-job-\(stamp)"
        var n = 2
        while cluster.ctx.jobNames.contains(name) {
            name = "\(service)-job-\(stamp)-\(n)"
            n += 1
        }
        cluster.ctx.jobNames.insert(name)
        return name
    }

    /// The env's `<service>-job`, renamed, with the task's script as its command.
    func manifest(for task: JobTask, named name: String, from rendered: String, at span: Span) throws -> Value {
        let wanted = "\(task.service)-job"
        let docs: Value
        do { docs = try YAMLCodec.decode(rendered, all: true) } catch let f as YAMLCodec.Failure {
            throw Diagnostic(.parseData, "kubectl kustomize gave unreadable YAML: \(f.description)", at: span)
        }
        guard case .list(let list) = docs,
              case .map(let found)? = list.first(where: { $0.at("kind")?.displayString == "Job" && $0.at("metadata", "name")?.displayString == wanted })
        else {
            if cluster.ctx.cluster.dryRun && rendered.isEmpty { return .map([:]) }
            let jobs = Self.jobNames(docs)
            throw Diagnostic(.failed, "the env has no job `\(wanted)` to run the \(task.service) task in", at: span,
                             help: jobs.isEmpty ? "the env defines no jobs" : "its jobs: " + jobs.joined(separator: ", "))
        }
        var job = found.dict
        var metadata = Self.dict(job["metadata"])
        metadata["name"] = .string(name)
        var labels = Self.dict(metadata["labels"])
        labels["app.kubernetes.io/name"] = .string(name)
        metadata["labels"] = .map(labels)
        job["metadata"] = .map(metadata)
        var spec = Self.dict(job["spec"])
        var template = Self.dict(spec["template"])
        var podSpec = Self.dict(template["spec"])
        guard case .list(var containers)? = podSpec["containers"], !containers.isEmpty else {
            throw Diagnostic(.failed, "job `\(wanted)` has no container", at: span)
        }
        var container = Self.dict(containers[0])
        let shell: [Value] = [.string("sh"), .string("-e"), .string("-c")]
        if case .list(let command)? = container["command"], command.isEmpty {
            // `command: []` marks an image whose entrypoint must be replaced (the mc image's is `mc`).
            container["command"] = .list(shell)
            container["args"] = .list([.string(task.script)])
        } else {
            container["args"] = .list(shell + [.string(task.script)])
        }
        if !task.environment.isEmpty {
            var env: [Value] = []
            if case .list(let existing)? = container["env"] { env = existing }
            for (k, v) in task.environment { env.append(.map(["name": .string(k), "value": .string(v)])) }
            container["env"] = .list(env)
        }
        containers[0] = .map(container)
        podSpec["containers"] = .list(containers)
        template["spec"] = .map(podSpec)
        spec["template"] = .map(template)
        spec["backoffLimit"] = .int(1)
        spec["ttlSecondsAfterFinished"] = .int(3600)
        job["spec"] = .map(spec)
        return .map(job)
    }

    /// Blocks while one of this instance's jobs is running (not another instance's: Tutor #1206).
    private func waitForActiveJobs() throws {
        let argv = ["get", "jobs", "--namespace", cluster.namespace,
                    cluster.selector("app.kubernetes.io/managed-by=tutor"),
                    "-o", "jsonpath={range .items[?(@.status.active)]}{.metadata.name}{\"\\n\"}{end}"]
        let active = try cluster.kubectl(argv, io: .capture, kind: .read).stdout.split(separator: "\n").map(String.init)
        for name in active where !name.isEmpty {
            cluster.ctx.status("Waiting for job \(name) to finish first...")
            _ = try waitForJob(name)
        }
    }

    /// Waits on the job's Complete and Failed conditions at once; true when it completed.
    private func waitForJob(_ name: String) throws -> Bool {
        let base = ["wait", "--namespace", cluster.namespace, "--timeout=-1s", "job/\(name)"]
        let complete = base + ["--for=condition=complete"], failed = base + ["--for=condition=failed"]
        let runner = cluster.ctx.kubectl
        if !runner.options.quiet {
            for argv in [complete, failed] { cluster.ctx.echo(cluster.redactor.redact(CommandRunner.shellJoin(["kubectl"] + argv))) }
        }
        let prefix = runner.globalArguments
        let waited = try runner.start(redactor: cluster.redactor) {
            try ProcessRunner.firstToSucceed($0, [prefix + complete, prefix + failed], environment: cluster.ctx.environment)
        }
        guard let first = waited else {
            throw Diagnostic(.commandFailed, "cannot tell whether job \(name) finished: both `kubectl wait` calls failed", at: nil,
                             help: "kubectl get --namespace \(cluster.namespace) job/\(name)")
        }
        if first.outcome.wasInterrupted || Interpreter.interruptRequested {
            Interpreter.interruptRequested = false
            throw Diagnostic(.interrupted, "interrupted while waiting for job \(name); it keeps running in the cluster", at: nil)
        }
        return first.index == 0
    }

    private func writeTemporary(_ text: String) throws -> String {
        var template = Array((FileManager.default.temporaryDirectory.path + "/tk8s-job-XXXXXX.yml").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 4) }
        guard fd >= 0 else { throw Diagnostic(.failed, "cannot create a temporary file for the job manifest", at: nil) }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count else {
            unlink(path)
            throw Diagnostic(.failed, "cannot write the job manifest to \(path)", at: nil)
        }
        return path
    }

    private static func dict(_ v: Value?) -> OrderedDictionary<String, Value> {
        if case .map(let m)? = v { return m.dict }
        return [:]
    }

    private static func jobNames(_ docs: Value) -> [String] {
        guard case .list(let list) = docs else { return [] }
        return list.compactMap { $0.at("kind")?.displayString == "Job" ? $0.at("metadata", "name")?.displayString : nil }
    }
}
