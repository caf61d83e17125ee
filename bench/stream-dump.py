#!/usr/bin/env python3
"""Streams a simulated mysqldump from a `tk8s sandbox serve` into a local file, three ways per size:

  tk8s     `tk8s -c 'exec mysql --to FILE mysqldump --all-databases'` (kubectl writes into the staged file)
  kubectl  `kubectl exec -n openedx POD -- mysqldump --all-databases > FILE` (the shell redirect, for comparison)
  value    `tk8s -c 'let d = (exec mysql mysqldump --all-databases)'` (the whole dump as a string; small sizes only)

and reports wall time, throughput and the peak RSS (VmHWM, polled every 20 ms from /proc) of tk8s itself,
of its kubectl child, and of the sandbox server. Flat memory means tk8s's peak does not grow with the size.

  bench/stream-dump.py TK8S [SIZES...]      sizes like 16MiB 256MiB 1GiB (default: 16MiB 256MiB 1GiB)
Environment: RUNS (default 3), OUT (results markdown, default bench/results/stream-dump.md).
"""
import json, os, shutil, statistics, subprocess, sys, tempfile, threading, time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = os.path.join(REPO, "Tests/RuntimeTests/Fixtures/tutor22/default/config.yml")
UNITS = {"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}


def parse_size(text):
    for unit, factor in UNITS.items():
        if text.endswith(unit):
            return int(float(text[: -len(unit)]) * factor)
    return int(text)


def hwm_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def children(pid):
    try:
        out = []
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(p) for p in f.read().split()]
        return out
    except OSError:
        return []


class PeakWatcher(threading.Thread):
    """Polls VmHWM of a process and of its children (kubectl) until told to stop; keeps each one's peak."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.own, self.child, self.done = pid, 0, 0, False

    def run(self):
        while not self.done:
            self.own = max(self.own, hwm_kib(self.pid) or 0)
            for c in children(self.pid):
                self.child = max(self.child, hwm_kib(c) or 0)
            time.sleep(0.02)


def measure(argv, env, stdout=subprocess.DEVNULL):
    start = time.monotonic()
    p = subprocess.Popen(argv, env=env, stdout=stdout, stderr=subprocess.PIPE)
    w = PeakWatcher(p.pid)
    w.start()
    _, err = p.communicate()
    w.done = True
    w.join()
    wall = time.monotonic() - start
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(argv)}\n{err.decode(errors='replace')}")
    return wall, w.own, w.child


def serve(tk8s, size, work):
    env = dict(os.environ, TK8S_SANDBOX_DUMP_SIZE=str(size), HOME=work)
    log = open(os.path.join(work, "serve.out"), "w")
    p = subprocess.Popen([tk8s, "sandbox", "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(100):
        text = open(os.path.join(work, "serve.out")).read()
        if "KUBECONFIG=" in text:
            return p, text.split("KUBECONFIG=")[1].split()[0]
        time.sleep(0.1)
    p.kill()
    sys.exit("the sandbox did not start:\n" + open(os.path.join(work, "serve.out")).read())


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    tk8s = os.path.abspath(sys.argv[1])
    sizes = sys.argv[2:] or ["16MiB", "256MiB", "1GiB"]
    runs = int(os.environ.get("RUNS", "3"))
    out_md = os.environ.get("OUT", os.path.join(REPO, "bench/results/stream-dump.md"))
    work = tempfile.mkdtemp(prefix="tk8s-stream-")
    rows = []
    try:
        for label in sizes:
            size = parse_size(label)
            server, kubeconfig = serve(tk8s, size, work)
            sandbox_pid = server.pid
            env = dict(os.environ, KUBECONFIG=kubeconfig, KUBECACHEDIR=os.path.join(work, "cache"), HOME=work,
                       TK8S_TUTOR="none")
            root = os.path.join(work, "root")
            shutil.rmtree(root, ignore_errors=True)
            os.makedirs(root)
            shutil.copy(FIXTURE, os.path.join(root, "config.yml"))
            base = [tk8s, "--quiet", "--root", root]
            subprocess.run(base + ["-c", "render\nstart mysql\nwait mysql"], env=env, check=True, stdout=subprocess.DEVNULL)
            pod = subprocess.run(["kubectl", "get", "pods", "-n", "openedx", "-l", "app.kubernetes.io/name=mysql",
                                  "-o", "jsonpath={.items[0].metadata.name}"], env=env, check=True,
                                 capture_output=True, text=True).stdout
            target = os.path.join(work, "dump.sql")
            results = {"tk8s": [], "kubectl": [], "value": []}
            for _ in range(runs):
                results["tk8s"].append(measure(base + ["-c", f"exec mysql --to {target} mysqldump --all-databases"], env))
                assert os.path.getsize(target) == size, (os.path.getsize(target), size)
                os.remove(target)
                with open(target, "wb") as f:
                    results["kubectl"].append(measure(["kubectl", "exec", "-n", "openedx", pod, "--", "mysqldump",
                                                       "--all-databases"], env, stdout=f))
                assert os.path.getsize(target) == size
                os.remove(target)
                if size <= 64 << 20:
                    results["value"].append(measure(base + ["-c", "let d = (exec mysql mysqldump --all-databases)\n"
                                                                  "assert ((len $d) > 0)"], env))
            sandbox_peak = hwm_kib(sandbox_pid)
            server.send_signal(2)
            server.wait(timeout=30)
            for how, samples in results.items():
                if not samples:
                    continue
                wall = statistics.median(s[0] for s in samples)
                own = max(s[1] for s in samples)
                child = max(s[2] for s in samples)
                rows.append({"size": label, "how": how, "bytes": size, "wall": wall, "mib_per_s": size / wall / (1 << 20),
                             "peak_kib": own, "kubectl_peak_kib": child if how != "kubectl" else own,
                             "sandbox_peak_kib": sandbox_peak})
                print(f"{label:>7} {how:8} {wall:7.2f} s  {size / wall / (1 << 20):7.1f} MiB/s  "
                      f"peak {own / 1024:6.1f} MiB  kubectl {(child if how != 'kubectl' else own) / 1024:6.1f} MiB  "
                      f"sandbox {sandbox_peak / 1024 if sandbox_peak else 0:6.1f} MiB", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write(out_md, rows, runs)


def write(path, rows, runs):
    kubectl = subprocess.run(["kubectl", "version", "--client"], capture_output=True, text=True).stdout.splitlines()[0]
    lines = [
        "# Streaming a dump to a file",
        "",
        f"{time.strftime('%Y-%m-%d', time.gmtime())}, {os.cpu_count()} cores, {kubectl}; `bench/stream-dump.sh`, "
        f"median wall time of {runs} runs, peaks are the largest VmHWM seen (polled every 20 ms).",
        "The sandbox (`tk8s sandbox serve`, another process) answers `mysqldump` with a simulated dump of exactly SIZE bytes.",
        "",
        "| size | how | wall | throughput | tk8s peak RSS | kubectl peak RSS | sandbox peak RSS |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        own = f"{r['peak_kib'] / 1024:.1f} MiB" if r["how"] != "kubectl" else "—"
        lines.append(f"| {r['size']} | {r['how']} | {r['wall']:.2f} s | {r['mib_per_s']:.0f} MiB/s | {own} | "
                     f"{r['kubectl_peak_kib'] / 1024:.1f} MiB | {(r['sandbox_peak_kib'] or 0) / 1024:.1f} MiB |")
    lines += [
        "",
        "`tk8s`: `exec mysql --to FILE mysqldump --all-databases`; `kubectl`: `kubectl exec … -- mysqldump "
        "--all-databases > FILE`; `value`: the dump captured as a string (`let d = (exec mysql mysqldump …)`), "
        "only for sizes up to 64 MiB (tk8s's string limit).",
    ]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.splitext(path)[0] + ".json", "w") as f:
        json.dump(rows, f, indent=1)
    print("== written", path)


if __name__ == "__main__":
    main()
