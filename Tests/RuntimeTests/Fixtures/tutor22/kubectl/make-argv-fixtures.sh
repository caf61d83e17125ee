#!/usr/bin/env bash
# Record which kubectl (and docker) argv Tutor 22 runs for each operation.
#
# Usage: make-argv-fixtures.sh [TUTOR_VENV]     (default: /tmp/tv)
#
#   TUTOR_VENV holds tutor 22.0.3 (+ tutor-minio, unused here), e.g.
#     python3 -m venv /tmp/tv && /tmp/tv/bin/pip install tutor==22.0.3 tutor-minio==22.0.0
#   The real kubectl must be on PATH (only `kubectl kustomize` is really run).
#
# What it does (rerunnable; overwrites the fixtures next to this script):
#   1. Recreates the Tutor root /tmp/tk8s-argv-root (fixed path), seeds it with
#      ../default/config.yml (fixed ID and secrets) and runs `tutor config save`.
#      (init-minio alone uses /tmp/tk8s-argv-root-minio seeded from
#      ../minio/config.yml, with the minio plugin enabled.)
#      HOME, TUTOR_PLUGINS_ROOT, TMPDIR and KUBECONFIG point into a temp dir and
#      TUTOR_* variables are unset, so nothing leaks in from this machine.
#   2. For each operation, runs `tutor ...` with ../../fake-kubectl first on
#      PATH (fake kubectl + docker), a per-operation rules file, stdin from
#      /dev/null and a fresh fake-apiserver.py behind $KUBECONFIG (Tutor's
#      pod lookup for `exec` and its job polling for `init`/`do` go through
#      the Python kubernetes client, not kubectl).
#   3. Writes, per operation NAME:
#        NAME.jsonl      the fake kubectl/docker log (one call per line)
#        NAME.api.jsonl  Kubernetes API requests (only if there were any);
#                        "after_call": N = N lines of NAME.jsonl came before it
#        NAME.out        Tutor's stdout+stderr, interleaved (not a tty: no colour)
#      with these substitutions everywhere:
#        /tmp/tk8s-argv-root (or -minio)      -> <ROOT>
#        Tutor's temp job file ($TMPDIR/tmp*.yml) -> <TMPFILE>
#        the job-name timestamp (lms-job-20250101120000) -> lms-job-<TIMESTAMP>
#      and without the "You are running Tutor as root" alert (printed to
#      stderr only when run as root).
#   It fails if an operation exits with a status other than the expected one.
#
# Last run with: tutor 22.0.3, Python 3.11, kubectl v1.32.4 (Kustomize v5.5.0).
set -euo pipefail

venv=${1:-/tmp/tv}
tutor="$venv/bin/tutor"
here=$(cd "$(dirname "$0")" && pwd)
fixtures=$(cd "$here/../.." && pwd)
fake="$fixtures/fake-kubectl"
root=/tmp/tk8s-argv-root
real_kubectl=$(command -v kubectl)
case "$real_kubectl" in "$fake"/*) echo "kubectl on PATH is the fake" >&2; exit 1 ;; esac

work=$(mktemp -d)
api_pid=
cleanup() {
    if [ -n "$api_pid" ]; then kill "$api_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

while IFS='=' read -r name _; do
    case "$name" in TUTOR_*) unset "$name" ;; esac
done < <(env)
export HOME="$work/home" TUTOR_PLUGINS_ROOT="$work/plugins" TMPDIR="$work/tmp"
export KUBECONFIG="$work/kubeconfig" NO_PROXY="127.0.0.1" no_proxy="127.0.0.1"
unset HTTP_PROXY HTTPS_PROXY http_proxy https_proxy
mkdir -p "$HOME" "$TUTOR_PLUGINS_ROOT" "$TMPDIR"

# The fake passes `kubectl kustomize` through to this wrapper. It hides the
# fake API server from the real kubectl: the Google Cloud SDK kubectl is a
# dispatcher that would otherwise query GET /version to pick a kubectl build.
printf '#!/bin/sh\nKUBECONFIG=/dev/null exec %q "$@"\n' "$real_kubectl" >"$work/real-kubectl"
chmod +x "$work/real-kubectl"

echo "using $("$tutor" --version 2>/dev/null), $("$real_kubectl" version --client | head -n1)" >&2

make_root() { # make_root DIR VARIANT -- fresh root from ../VARIANT/config.yml
    rm -rf "$1"
    mkdir -p "$1"
    cp "$fixtures/tutor22/$2/config.yml" "$1/config.yml"
    TUTOR_ROOT="$1" "$tutor" config save >/dev/null 2>&1
    if ! cmp -s "$fixtures/tutor22/$2/config.yml" "$1/config.yml"; then
        echo "warning: tutor config save changed $2 config.yml" >&2
    fi
}
make_root "$root" default

# `kubectl delete -k ENV --dry-run=client -o name` needs a cluster; build its
# answer from the rendered manifests instead (kustomize order).
names_listing=$("$venv/bin/python" - "$real_kubectl" "$root/env" <<'EOF'
import subprocess, sys, yaml
out = subprocess.run([sys.argv[1], "kustomize", sys.argv[2]], check=True,
                     capture_output=True, text=True).stdout
groups = {"Deployment": "deployment.apps", "Job": "job.batch"}
for doc in yaml.safe_load_all(out):
    if doc:
        print(f'{groups.get(doc["kind"], doc["kind"].lower())}/{doc["metadata"]["name"]}')
EOF
)

start_apiserver() { # start_apiserver LOG -- fresh fake API server + kubeconfig
    rm -f "$work/port"
    python3 "$here/fake-apiserver.py" "$work/port" "$1" &
    api_pid=$!
    for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
    [ -s "$work/port" ] || { echo "fake API server did not start" >&2; exit 1; }
    cat >"$KUBECONFIG" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster: {server: "http://127.0.0.1:$(cat "$work/port")"}
users:
- name: fake
  user: {token: fake}
contexts:
- name: fake
  context: {cluster: fake, user: fake}
current-context: fake
EOF
}

stop_apiserver() {
    kill "$api_pid" 2>/dev/null || true
    wait "$api_pid" 2>/dev/null || true
    api_pid=
}

# record NAME EXPECTED_STATUS RULES_JSON TUTOR_ARGS...
record() {
    local name=$1 expected=$2 rules=$3 status
    shift 3
    local log="$work/$name.log"
    : >"$log"
    printf '%s\n' "$rules" >"$work/rules.json"
    start_apiserver "$log"
    set +e
    env PATH="$fake:$PATH" TUTOR_ROOT="$root" \
        TK8S_FAKE_KUBECTL_LOG="$log" TK8S_FAKE_KUBECTL_RULES="$work/rules.json" \
        TK8S_REAL_KUBECTL="$work/real-kubectl" \
        "$tutor" "$@" </dev/null >"$work/$name.out" 2>&1
    status=$?
    set -e
    stop_apiserver
    python3 - "$log" "$work/$name.out" "$here/$name" "$root" "$TMPDIR" <<'EOF'
import json, os, re, sys
log, out, dest, root, tmpdir = sys.argv[1:]
tmpfile = re.compile(re.escape(tmpdir) + r"/tmp[A-Za-z0-9_]+\.yml")
stamp = re.compile(r"\b([a-z0-9][a-z0-9-]*-job)-[0-9]{14}\b")
def clean(s):
    if not isinstance(s, str):
        return s
    s = tmpfile.sub("<TMPFILE>", s).replace(root, "<ROOT>")
    return stamp.sub(r"\1-<TIMESTAMP>", s)
def deep(v):
    if isinstance(v, dict):
        return {clean(k): deep(x) for k, x in v.items()}
    if isinstance(v, list):
        return [deep(x) for x in v]
    return clean(v)
calls, api = [], []
with open(log, encoding="utf-8") as f:
    for line in f:
        entry = deep(json.loads(line))
        if "api" in entry:
            entry["after_call"] = len(calls)
            api.append(entry)
        else:
            calls.append(entry)
def dump(path, entries):
    with open(path, "w", encoding="utf-8") as f:
        for e in entries:
            f.write(json.dumps(e, ensure_ascii=False) + "\n")
dump(dest + ".jsonl", calls)
if api:
    dump(dest + ".api.jsonl", api)
elif os.path.exists(dest + ".api.jsonl"):
    os.remove(dest + ".api.jsonl")
with open(out, encoding="utf-8") as f:
    text = f.read()
text = "".join(l for l in text.splitlines(True)
               if not l.startswith("⚠️  You are running Tutor as root."))
with open(dest + ".out", "w", encoding="utf-8") as f:
    f.write(clean(text))
EOF
    echo "$name: exit $status" >&2
    if [ "$status" != "$expected" ]; then
        echo "$name: expected exit $expected" >&2
        cat "$work/$name.out" >&2
        exit 1
    fi
}

json_str() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }

no_ns='[{"argv_prefix": ["get", "namespaces"], "exit": 1,
         "stderr": "Error from server (NotFound): namespaces \"openedx\" not found\n"}]'
dry_run="[{\"argv_prefix\": [\"delete\", \"-k\"], \"argv_contains\": [\"--dry-run=client\", \"-o\", \"name\"],
          \"stdout\": $(json_str "$names_listing"$'\n')}]"
status_fails='[{"argv_prefix": ["get", "all"], "exit": 1,
               "stderr": "error: You must be logged in to the server (Unauthorized)\n"}]'

record start 0 '[]' k8s start
record start-no-namespace 0 "$no_ns" k8s start
record start-lms 0 '[]' k8s start lms
record start-lms-cms 0 '[]' k8s start lms cms
record start-prune-configmaps 0 '[]' k8s start --prune-configmaps
record stop 0 '[]' k8s stop
record stop-lms 0 '[]' k8s stop lms
record reboot 0 '[]' k8s reboot
record delete 0 '[]' k8s delete --yes
record delete-exclude-namespace 0 "$dry_run" k8s delete --yes --exclude-namespace
record status 0 '[]' k8s status
record status-fails 1 "$status_fails" k8s status
record logs 0 '[]' k8s logs lms
record logs-follow 0 '[]' k8s logs --follow --tail 10 -c lms lms
record logs-max-log-requests 0 '[]' k8s logs -m 5 lms
record scale 0 '[]' k8s scale lms 3
record wait 0 '[]' k8s wait lms
record exec 0 '[]' k8s exec lms ./manage.py lms shell
record exec-quoting 0 '[]' k8s exec lms sh -c $'echo "a b" \'c d\' $(id -u) $HOME\necho done'
record apply-dry-run 0 '[]' k8s apply --dry-run=client
record init 0 '[]' k8s init
record init-limit-mysql 0 '[]' k8s init --limit mysql
record do-init-limit-mysql 0 '[]' k8s do init --limit mysql
record do-createuser 0 '[]' k8s do createuser --staff --superuser admin admin@example.com --password 'p a$(x)"ss'
record images-build-openedx 0 '[]' images build openedx
record images-push-openedx 0 '[]' images push openedx
# The minio plugin's job has `command: []`: the other way Tutor sets a job's
# command. Its own root, seeded from ../minio/config.yml; <ROOT> stands for it.
root=/tmp/tk8s-argv-root-minio
make_root "$root" minio
record init-minio 0 '[]' k8s init
root=/tmp/tk8s-argv-root

# last: launch re-saves config.yml and re-renders env (same content)
record launch-non-interactive 0 '[]' k8s launch --non-interactive
