# Sourced by the bench scripts: run from the repository root, results in bench/results,
# hyperfine required, and $TK8S set (a release build in .build-bench unless given).
#   source "$(dirname "${BASH_SOURCE[0]}")/common.sh"; bench_setup NAME
bench_setup() {
    local name=$1
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    cd "$root"
    results=bench/results
    mkdir -p "$results"
    command -v hyperfine >/dev/null || { echo "$name: hyperfine is not installed (apt-get install -y hyperfine)" >&2; exit 1; }
    if [[ -z ${TK8S:-} ]]; then
        echo "== building release (.build-bench)"
        swift build -c release --static-swift-stdlib --product tk8s --scratch-path .build-bench 2>&1 | grep -E 'error|Build' | tail -3
        TK8S=$root/.build-bench/release/tk8s
    fi
}
