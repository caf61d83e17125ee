#!/usr/bin/env python3
"""A soak of the sandbox: CLIENTS kubectl processes at once, each looping a mix of apply, get, watch, logs and exec
for SECONDS, against one `tk8s sandbox serve` on 127.0.0.1. Reports every failed command (none should fail) and the
server's resident memory over time (it should level off), into bench/results/soak.md and soak.json.

    bench/soak.py [--tk8s PATH] [--clients 20] [--seconds 300]

Bounded: the clients stop at the deadline (each kubectl has its own timeout), the server is stopped at the end.
"""
import argparse, json, os, re, shutil, subprocess, sys, tempfile, threading, time

MANIFEST = """apiVersion: v1
kind: Namespace
metadata: {name: openedx}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: lms, namespace: openedx, labels: {app.kubernetes.io/name: lms}}
spec:
  replicas: 2
  selector: {matchLabels: {app.kubernetes.io/name: lms}}
  template:
    metadata: {labels: {app.kubernetes.io/name: lms}}
    spec:
      containers: [{name: lms, image: "docker.io/overhangio/openedx:22.0.3"}]
"""


def config_map(client, n, payload):
    return f"""apiVersion: v1
kind: ConfigMap
metadata: {{name: soak-{client}, namespace: openedx, labels: {{soak: "yes"}}}}
data: {{round: "{n}", payload: "{'x' * payload}"}}
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tk8s", default=os.path.join(os.path.dirname(__file__), "..", ".build", "debug", "tk8s"))
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=int, default=300)
    ap.add_argument("--payload", type=int, default=2000, help="bytes of data in each client's ConfigMap")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "results", "soak"))
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="tk8s-soak-")
    env = dict(os.environ, HOME=work, TK8S_SANDBOX_POD_START="0.1", TK8S_SANDBOX_JOB_RUN="0.1")
    server = subprocess.Popen([os.path.abspath(a.tk8s), "sandbox", "serve"], stdout=subprocess.PIPE, text=True, env=env)
    try:
        server.stdout.readline()
        kubeconfig = re.search(r"KUBECONFIG=(\S+)", server.stdout.readline()).group(1)
        base = ["kubectl", "--kubeconfig", kubeconfig, "--request-timeout=30s"]
        manifest = os.path.join(work, "base.yml")
        open(manifest, "w").write(MANIFEST)
        subprocess.run(base + ["apply", "-f", manifest], check=True, capture_output=True, env=env)
        subprocess.run(base + ["rollout", "status", "deploy/lms", "-n", "openedx", "--timeout=30s"], check=True,
                       capture_output=True, env=env)
        stats = Stats()
        deadline = time.monotonic() + a.seconds
        sampler = threading.Thread(target=sample_rss, args=(server.pid, deadline, stats), daemon=True)
        sampler.start()
        workers = [threading.Thread(target=client, args=(i, base, work, env, deadline, stats, a.payload)) for i in range(a.clients)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        sampler.join()
        # How many changes the store recorded: its watch log keeps the last 10,000 of them (ObjectStore.logLimit),
        # which is most of what the server's memory grows by until the log is full.
        r = subprocess.run(base + ["get", "--raw", "/api/v1/namespaces"], capture_output=True, text=True, env=env)
        stats.resource_version = json.loads(r.stdout)["metadata"]["resourceVersion"] if r.returncode == 0 else "?"
        report(a, stats)
        return 1 if stats.failures else 0
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(work, ignore_errors=True)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts, self.failures, self.rss, self.resource_version = {}, [], [], "?"

    def record(self, kind, ok, detail=""):
        with self.lock:
            c = self.counts.setdefault(kind, [0, 0])
            c[0] += 1
            if not ok:
                c[1] += 1
                self.failures.append((kind, detail[-400:]))


def client(i, base, work, env, deadline, stats, payload):
    """One kubectl user: the same five kinds of request over and over, each checked for its expected answer."""
    path = os.path.join(work, f"cm-{i}.yml")
    n = 0
    while time.monotonic() < deadline:
        n += 1
        open(path, "w").write(config_map(i, n, payload))
        steps = [
            ("apply", base + ["apply", "-f", path], lambda out: "configured" in out or "created" in out or "unchanged" in out),
            ("get", base + ["get", "configmap", f"soak-{i}", "-n", "openedx", "-o", "jsonpath={.data.round}"],
             lambda out, n=n: out.strip() == str(n)),
            ("watch", base + ["get", "pods", "-n", "openedx", "--watch", "--request-timeout=2s"], lambda out: "lms-" in out),
            ("logs", base + ["logs", "deploy/lms", "-n", "openedx", "--tail=3"], lambda out: True),
            ("exec", base + ["exec", "-n", "openedx", "deploy/lms", "--", "echo", f"client {i} round {n}"],
             lambda out, i=i, n=n: out.strip() == f"client {i} round {n}"),
        ]
        for kind, argv, check in steps:
            if time.monotonic() >= deadline:
                return
            try:
                r = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
            except subprocess.TimeoutExpired:
                stats.record(kind, False, f"{' '.join(argv[3:])}: no answer within 60 s")
                continue
            # `get --watch` ends when its request timeout does: kubectl then exits 0 having printed the pods.
            ok = r.returncode == 0 and check(r.stdout)
            stats.record(kind, ok, f"{' '.join(argv[3:])}: exit {r.returncode}: {r.stdout[-200:]} {r.stderr[-200:]}")


def sample_rss(pid, deadline, stats):
    start = time.monotonic()
    while time.monotonic() < deadline:
        try:
            status = open(f"/proc/{pid}/status").read()
            rss = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) // 1024
            hwm = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) // 1024
            stats.rss.append((round(time.monotonic() - start, 1), rss, hwm))
        except (OSError, AttributeError):
            pass
        time.sleep(1)


def report(a, stats):
    def at(second):
        before = [s for s in stats.rss if s[0] <= second]
        return before[-1] if before else (0, 0, 0)
    marks = [m for m in (60, 120, 180, 240, 300, 450, 600, 750, 900, a.seconds) if m <= a.seconds]
    total = sum(c[0] for c in stats.counts.values())
    lines = [f"# Sandbox soak: {a.clients} kubectl clients for {a.seconds} s, {a.payload}-byte ConfigMaps", "",
             f"{total} kubectl commands, {len(stats.failures)} failed; the store's resourceVersion at the end: "
             f"{stats.resource_version} (its watch log keeps at most 10,000 changes and 8 MiB of objects).", "",
             "| request | commands | failed |", "|---|---:|---:|"]
    lines += [f"| {k} | {c[0]} | {c[1]} |" for k, c in sorted(stats.counts.items())]
    lines += ["", "| after | RSS (MiB) | peak RSS so far (MiB) |", "|---:|---:|---:|"]
    lines += [f"| {m} s | {at(m)[1]} | {at(m)[2]} |" for m in sorted(set(marks))]
    if stats.failures:
        lines += ["", "First failures:", ""] + [f"- {k}: `{d}`" for k, d in stats.failures[:10]]
    text = "\n".join(lines) + "\n"
    print(text)
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    open(a.out + ".md", "w").write(text)
    json.dump({"clients": a.clients, "seconds": a.seconds, "counts": stats.counts, "failures": stats.failures,
               "rss": stats.rss}, open(a.out + ".json", "w"), indent=1)


if __name__ == "__main__":
    sys.exit(main())
