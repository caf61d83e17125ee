#!/usr/bin/env bash
# Runs the tk8s benchmarks side by side with CPython 3 and Lua 5.4 under hyperfine.
#
#   bench/run.sh                 build release into .build-bench (Swift runtime linked statically, as the
#                                release tarball is: start-up is what operators get), then benchmark
#   TK8S=/path/to/tk8s bench/run.sh    benchmark an existing binary
#   RUNS=10 WARMUP=2 bench/run.sh      more runs (defaults: RUNS=5, WARMUP=1)
#   BEFORE=/path/to/old/tk8s bench/run.sh   also time an earlier build, side by side ("before")
#   bench/run.sh fib loop        only some benchmarks (fib loop strings churn records interpolate startup)
#
# Each benchmark is checked first: its versions must print the same thing. A benchmark
# without a Lua version (records: Lua has no JSON) is timed against CPython only.
# Results go to bench/results/<name>.{md,json}, peak RSS (one run each, /usr/bin/time)
# to bench/results/<name>.rss; a summary of python/tk8s time ratios (>1 means tk8s is
# faster) and of peak memory is printed at the end.
# Needs: hyperfine, lua5.4, python3 (apt-get install -y hyperfine lua5.4).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bench=bench
results=$bench/results
mkdir -p "$results"

RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
PYTHON=${PYTHON:-python3}
LUA=${LUA:-lua5.4}
# A benchmark whose tk8s version takes longer than SLOW seconds in the check run
# is timed with a single run and no warmup; one that takes longer than TIMEOUT
# seconds is not timed at all for tk8s (the summary shows "> TIMEOUT").
SLOW=${SLOW:-30}
TIMEOUT=${TIMEOUT:-120}

for tool in hyperfine "$LUA" "$PYTHON"; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed (apt-get install -y hyperfine lua5.4)" >&2; exit 1; }
done

# pyenv's `python3` is a shim script that costs ~80 ms per start; time the real interpreter.
PYTHON=$("$PYTHON" -c 'import sys; print(sys.executable)')

if [[ -z ${TK8S:-} ]]; then
    echo "== building release (.build-bench)"
    swift build -c release --static-swift-stdlib --scratch-path .build-bench 2>&1 | grep -E 'error|warning: unre|Compiling|Build' | tail -3
    TK8S=$root/.build-bench/release/tk8s
fi
[[ -x $TK8S ]] || { echo "run.sh: $TK8S is not executable" >&2; exit 1; }
echo "== tk8s: $TK8S"
echo "== python: $(command -v "$PYTHON") ($("$PYTHON" --version 2>&1)), lua: $(command -v "$LUA") ($("$LUA" -v 2>&1 | head -1))"

# Probe the CLI: `tk8s FILE` and `tk8s -c CODE`, or the older `tk8s CODE`.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'print (41 + 1)\n' >"$tmp/probe.tk8s"
file_mode=0
c_mode=0
if [[ $("$TK8S" "$tmp/probe.tk8s" 2>/dev/null) == 42 ]]; then file_mode=1; fi
if [[ $("$TK8S" -c 'print (41 + 1)' 2>/dev/null) == 42 ]]; then c_mode=1; fi
echo "== cli: file argument $([[ $file_mode == 1 ]] && echo yes || echo no), -c $([[ $c_mode == 1 ]] && echo yes || echo no)"

# Single-quote a string for the shell that hyperfine's -N mode emulates.
squote() { local s=${1//\'/\'\\\'\'}; printf "'%s'" "$s"; }

# The tk8s command line (a string, for hyperfine) for a benchmark file.
tk8s_cmd() {
    if [[ $file_mode == 1 ]]; then
        printf '%s %s' "$(squote "$TK8S")" "$(squote "$1")"
    else
        printf '%s %s' "$(squote "$TK8S")" "$(squote "$(cat "$1")")"
    fi
}

run_tk8s() {
    if [[ $file_mode == 1 ]]; then "$TK8S" "$1"; else "$TK8S" "$(cat "$1")"; fi
}

names=("$@")
[[ ${#names[@]} -gt 0 ]] || names=(fib loop strings churn records interpolate startup)

# Peak RSS in KiB of one run of a command (argv), as /usr/bin/time reports it.
peak_rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }

status=0
for name in "${names[@]}"; do
    echo
    if [[ $name == startup ]]; then
        echo "== startup: print 1"
        if [[ $c_mode == 1 ]]; then tk="$(squote "$TK8S") -c 'print 1'"; else tk="$(squote "$TK8S") 'print 1'"; fi
        before_cmd=()
        [[ -n ${BEFORE:-} ]] && before_cmd=(-n before "$(squote "$BEFORE") -c 'print 1'")
        hyperfine -N --warmup 3 --runs $((RUNS * 4)) \
            -n tk8s "$tk" "${before_cmd[@]}" -n python "$PYTHON -c 'print(1)'" -n lua "$LUA -e 'print(1)'" \
            --export-markdown "$results/startup.md" --export-json "$results/startup.json" || status=1
        printf '{"tk8s": %s, "python": %s, "lua": %s}\n' "$(peak_rss "$TK8S" -c 'print 1')" \
            "$(peak_rss "$PYTHON" -c 'print(1)')" "$(peak_rss "$LUA" -e 'print(1)')" >"$results/startup.rss"
        continue
    fi
    for ext in tk8s py; do
        [[ -f $bench/$name.$ext ]] || { echo "run.sh: missing $bench/$name.$ext" >&2; exit 1; }
    done
    has_lua=0
    [[ -f $bench/$name.lua ]] && has_lua=1
    echo "== $name: checking outputs"
    start=$(date +%s)
    rm -f "$results/$name.timeout"
    tk_rc=0
    out_tk=$(export -f run_tk8s; export TK8S file_mode; timeout "$TIMEOUT" bash -c 'run_tk8s "$1"' _ "$bench/$name.tk8s" 2>&1) || tk_rc=$?
    tk_secs=$(( $(date +%s) - start ))
    out_py=$("$PYTHON" "$bench/$name.py")
    if [[ $has_lua == 1 ]]; then out_lua=$("$LUA" "$bench/$name.lua"); else out_lua=$out_py; fi
    if [[ $tk_rc == 124 ]]; then
        echo "   tk8s did not finish within ${TIMEOUT}s; timing only python and lua"
        echo "$TIMEOUT" >"$results/$name.timeout"
        status=1
        if [[ $out_py != "$out_lua" ]]; then echo "outputs differ for $name: python $out_py, lua $out_lua"; continue; fi
        lua_cmd=()
        [[ $has_lua == 1 ]] && lua_cmd=(-n lua "$LUA $bench/$name.lua")
        hyperfine -N --warmup "$WARMUP" --runs "$RUNS" \
            -n python "$PYTHON $bench/$name.py" "${lua_cmd[@]}" \
            --export-markdown "$results/$name.md" --export-json "$results/$name.json" || status=1
        continue
    fi
    if [[ $tk_rc != 0 ]]; then echo "tk8s failed on $name.tk8s:"; echo "$out_tk"; status=1; continue; fi
    if [[ $out_tk != "$out_py" || $out_py != "$out_lua" ]]; then
        echo "outputs differ for $name:"
        echo "  tk8s:   $out_tk"
        echo "  python: $out_py"
        echo "  lua:    $out_lua"
        status=1
        continue
    fi
    echo "   all print: $out_py"
    runs=(--warmup "$WARMUP" --runs "$RUNS")
    if (( tk_secs > SLOW )); then
        echo "   tk8s took ${tk_secs}s; timing with a single run"
        runs=(--runs 1)
    fi
    lua_cmd=()
    [[ $has_lua == 1 ]] && lua_cmd=(-n lua "$LUA $bench/$name.lua")
    before_cmd=()
    [[ -n ${BEFORE:-} ]] && before_cmd=(-n before "$(squote "$BEFORE") $(squote "$bench/$name.tk8s")")
    hyperfine -N "${runs[@]}" \
        -n tk8s "$(tk8s_cmd "$bench/$name.tk8s")" "${before_cmd[@]}" \
        -n python "$PYTHON $bench/$name.py" \
        "${lua_cmd[@]}" \
        --export-markdown "$results/$name.md" --export-json "$results/$name.json" || status=1
    lua_rss=null
    [[ $has_lua == 1 ]] && lua_rss=$(peak_rss "$LUA" "$bench/$name.lua")
    printf '{"tk8s": %s, "python": %s, "lua": %s}\n' "$(peak_rss "$TK8S" "$bench/$name.tk8s")" \
        "$(peak_rss "$PYTHON" "$bench/$name.py")" "$lua_rss" >"$results/$name.rss"
done

echo
echo "== summary (mean wall time; ratio = python / tk8s, >1 means tk8s is faster; peak RSS of one run)"
"$PYTHON" - "$results" "${names[@]}" <<'EOF'
import json, os, sys
results, names = sys.argv[1], sys.argv[2:]
def fmt(s):
    if s is None:
        return "-"
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.3f} s"
def mib(k):
    return "-" if k is None else f"{k / 1024:.1f} MiB"
print(f"| {'benchmark':<11} | {'tk8s':>10} | {'before':>10} | {'python':>10} | {'lua':>10} | {'py/tk8s':>8} | {'lua/tk8s':>8} | {'py/before':>9} | {'lua/before':>10} | {'tk8s RSS':>9} | {'py RSS':>9} | {'lua RSS':>9} |")
print(f"|{'-' * 13}|{'-' * 12}|{'-' * 12}|{'-' * 12}|{'-' * 12}|{'-' * 10}|{'-' * 10}|{'-' * 11}|{'-' * 12}|{'-' * 11}|{'-' * 11}|{'-' * 11}|")
for name in names:
    path = os.path.join(results, name + ".json")
    if not os.path.exists(path):
        continue
    with open(path) as f:
        t = {r["command"]: r["mean"] for r in json.load(f)["results"]}
    rss_path = os.path.join(results, name + ".rss")
    rss = json.load(open(rss_path)) if os.path.exists(rss_path) else {}
    timeout = os.path.join(results, name + ".timeout")
    if "tk8s" not in t and os.path.exists(timeout):
        limit = float(open(timeout).read())
        py, lua = t["python"], t.get("lua")
        print(f"| {name:<11} | {'> %g s' % limit:>10} | {'-':>10} | {fmt(py):>10} | {fmt(lua):>10} | {'< %.3f' % (py / limit):>8} | {'':>8} | {'':>9} | {'':>10} | {'':>9} | {'':>9} | {'':>9} |  <-- tk8s timed out")
        continue
    if not all(k in t for k in ("tk8s", "python")):
        continue
    tk, py, lua, before = t["tk8s"], t["python"], t.get("lua"), t.get("before")
    mark = "" if py / tk > 1 else "  <-- slower than CPython"
    lua_ratio = f"{lua / tk:.2f}" if lua else "-"
    py_before = f"{py / before:.2f}" if before else "-"
    lua_before = f"{lua / before:.2f}" if before and lua else "-"
    print(f"| {name:<11} | {fmt(tk):>10} | {fmt(before):>10} | {fmt(py):>10} | {fmt(lua):>10} | {py / tk:>8.2f} | {lua_ratio:>8} | {py_before:>9} | {lua_before:>10} | {mib(rss.get('tk8s')):>9} | {mib(rss.get('python')):>9} | {mib(rss.get('lua')):>9} |{mark}")
EOF
exit $status
