#!/usr/bin/env bash
# The README's main command, measured: `tk8s --sandbox Examples/launch.tk8s` end to end on a fresh root and a
# fresh in-process sandbox with its default delays (pod start 0.5 s, job run 0.5 s), and Tutor 22's own
# `tutor k8s launch --non-interactive` against a `tk8s sandbox serve` with the same delays, for comparison.
#
#   bench/launch-sandbox.sh                 build release into .build-bench, make a venv with Tutor, measure
#   TK8S=/path/to/tk8s TUTOR=/path/to/tutor bench/launch-sandbox.sh
#   RUNS=5 TUTOR_RUNS=2 bench/launch-sandbox.sh
#
# Reports: wall time (hyperfine), peak RSS of the tk8s process (sandbox included), the number of kubectl calls
# (a logging wrapper in front of the real kubectl), and the jobs phase (first job apply to the last job's end):
# tk8s waits for each Job with `kubectl wait`, Tutor polls it every 5 seconds.
# Results: bench/results/launch-sandbox.md (+ .json from hyperfine). Needs hyperfine, /usr/bin/time, python3.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_setup launch-sandbox.sh
RUNS=${RUNS:-5}
TUTOR_RUNS=${TUTOR_RUNS:-1}
KUBECTL_BIN=${KUBECTL_BIN:-$(command -v kubectl)}
[[ -x /usr/bin/time ]] || { echo "launch-sandbox.sh: /usr/bin/time is not installed (apt-get install -y time)" >&2; exit 1; }
if [[ -z ${TUTOR:-} ]]; then
    venv=${VENV:-$root/.venv-ci}
    if [[ ! -x $venv/bin/tutor ]]; then
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet tutor==22.0.3
    fi
    TUTOR=$venv/bin/tutor
fi

work=$(mktemp -d)
serve_pid=
cleanup() { [[ -n $serve_pid ]] && kill -INT "$serve_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export HOME=$work/home TUTOR_PLUGINS_ROOT=$work/plugins
mkdir -p "$HOME" "$TUTOR_PLUGINS_ROOT" "$work/bin"

# A kubectl that logs "START END ARGV…" (seconds since the epoch) for every call, then exits as kubectl did.
cat > "$work/bin/kubectl" <<EOF
#!/usr/bin/env bash
start=\$(date +%s.%N)
"$KUBECTL_BIN" "\$@"
status=\$?
printf '%s %s %s\n' "\$start" "\$(date +%s.%N)" "\$*" >> "\${KUBECTL_LOG:-/dev/null}"
exit \$status
EOF
chmod +x "$work/bin/kubectl"

# Summarises one logged run: calls, calls by verb, and the jobs phase. $1 log, $2 end of the run (epoch seconds).
summarise() {
    python3 - "$1" "$2" <<'EOF'
import sys, collections
lines = [l.rstrip("\n").split(" ", 2) for l in open(sys.argv[1])]
end_of_run = float(sys.argv[2])
verbs = collections.Counter(l[2].split(" ")[0] for l in lines)
jobs = [l for l in lines if l[2].startswith("apply -f /tmp/") and ("tk8s-job" in l[2] or "/tmp/tmp" in l[2])]
first_job = min(float(l[0]) for l in jobs) if jobs else None
waits = [float(l[1]) for l in lines if l[2].startswith("wait") and "job/" in l[2]]
# tk8s ends each job with `kubectl wait`; Tutor polls with its Python client, so its phase runs to the end of the run.
last = max(waits) if waits else end_of_run
phase = (last - first_job) if first_job else 0
print(f"{len(lines)} kubectl calls ({', '.join(f'{v} {n}' for v, n in verbs.most_common())}); "
      f"{len(jobs)} jobs; jobs phase {phase:.1f} s ({phase / max(len(jobs), 1):.2f} s per job)")
EOF
}

fixture=$root/Tests/RuntimeTests/Fixtures/tutor22/default/config.yml
md=$results/launch-sandbox.md
{
    echo "# launch on the sandbox"
    echo
    echo "$(date -u +%Y-%m-%d), $(nproc) cores, $("$KUBECTL_BIN" version --client 2>/dev/null | head -1), sandbox default delays (pod start 0.5 s, job run 0.5 s)."
    echo "Each run: a fresh project root (Tutor 22's default config.yml) and a fresh cluster."
    echo
} > "$md"

echo "== tk8s --sandbox Examples/launch.tk8s: $RUNS runs"
hyperfine --runs "$RUNS" --export-json "$results/launch-sandbox.json" --export-markdown "$work/tk8s.md" \
    --prepare "rm -rf $work/r && mkdir -p $work/r && cp $fixture $work/r/config.yml" \
    "$TK8S --sandbox --quiet --root $work/r Examples/launch.tk8s"

echo "== one logged tk8s run (kubectl calls, jobs phase, peak RSS)"
rm -rf "$work/r" && mkdir -p "$work/r" && cp "$fixture" "$work/r/config.yml"
: > "$work/tk8s.log"
KUBECTL=$work/bin/kubectl KUBECTL_LOG=$work/tk8s.log /usr/bin/time -f "%e s wall, %M KB peak RSS" -o "$work/tk8s.time" \
    "$TK8S" --sandbox --quiet --root "$work/r" Examples/launch.tk8s > "$work/tk8s.out"
tk8s_summary=$(summarise "$work/tk8s.log" "$(date +%s.%N)")
echo "$tk8s_summary; $(cat "$work/tk8s.time")"

echo "== tutor k8s launch --non-interactive against tk8s sandbox serve: $TUTOR_RUNS run(s)"
tutor_lines=()
for i in $(seq 1 "$TUTOR_RUNS"); do
    "$TK8S" sandbox serve > "$work/serve.out" 2>&1 &
    serve_pid=$!
    for _ in $(seq 1 50); do grep -q KUBECONFIG= "$work/serve.out" && break; sleep 0.1; done
    kubeconfig=$(grep -o 'KUBECONFIG=.*' "$work/serve.out" | cut -d= -f2)
    rm -rf "$work/t" && mkdir -p "$work/t" && cp "$fixture" "$work/t/config.yml"
    : > "$work/tutor.log"
    start=$(date +%s.%N)
    PATH=$work/bin:$PATH KUBECONFIG=$kubeconfig KUBECACHEDIR=$work/cache KUBECTL_LOG=$work/tutor.log TUTOR_ROOT=$work/t \
        /usr/bin/time -f "%e s wall" -o "$work/tutor.time" "$TUTOR" k8s launch --non-interactive > "$work/tutor.out" 2>&1
    end=$(date +%s.%N)
    kill -INT "$serve_pid"; wait "$serve_pid" || true; serve_pid=
    line="$(summarise "$work/tutor.log" "$end"); $(cat "$work/tutor.time")"
    echo "$line"
    tutor_lines+=("$line")
done

{
    echo "## Wall time (hyperfine, $RUNS runs)"
    echo
    cat "$work/tk8s.md"
    echo
    echo "## One logged run each"
    echo
    echo "| | kubectl calls, jobs phase | wall, memory |"
    echo "|---|---|---|"
    echo "| tk8s launch (in-process sandbox) | ${tk8s_summary} | $(cat "$work/tk8s.time") |"
    for l in "${tutor_lines[@]}"; do
        echo "| tutor 22.0.3 k8s launch (tk8s sandbox serve) | ${l%; *} | ${l##*; } |"
    done
    echo
    echo "tk8s waits for each Job with two concurrent \`kubectl wait\` (complete / failed), so a job costs about"
    echo "pod start + job run + kubectl's start-up; Tutor lists the Job right after creating it and then every 5 s, so"
    echo "each job costs a multiple of 5 s. The peak RSS of tk8s includes the in-process sandbox; kubectl's own"
    echo "processes are not counted."
} >> "$md"
echo "== written $md"
