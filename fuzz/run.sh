#!/usr/bin/env bash
# Runs one libFuzzer target (or all of them, one after another) for SECONDS each; docs/fuzzing.md.
#   fuzz/run.sh TARGET SECONDS     TARGET: script template yaml json protobuf http, or all
#   TK8S_FUZZ_BIN=DIR fuzz/run.sh …  runs DIR/fuzz-TARGET as it is, without building
#   fuzz/run.sh summary            total time, executions and crashes per target, from fuzz/results/runs.tsv
# The corpus grows in fuzz/.work/corpus/TARGET (kept between runs, not committed); crashes land in
# fuzz/.work/artifacts/TARGET/ and the run exits non-zero. Each run adds a line to fuzz/results/runs.tsv
# (or to $TK8S_FUZZ_LOG: CI's short runs go elsewhere).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
targets=(script template yaml json protobuf http)
log="${TK8S_FUZZ_LOG:-$here/results/runs.tsv}"

if [[ "${1:-}" == summary ]]; then
    [[ -f "$log" ]] || { echo "no runs yet"; exit 0; }
    printf "%-9s %9s %14s %7s %7s %7s\n" target seconds executions cov ft crashes
    awk -F'\t' 'NR > 1 { s[$2] += $3; e[$2] += $4; c[$2] += $8; ft[$2] = $6; cov[$2] = $5 }
        END { for (t in s) printf "%-9s %9d %14d %7d %7d %7d\n", t, s[t], e[t], cov[t], ft[t], c[t] }' "$log" | sort
    exit 0
fi
if [[ $# -ne 2 || ! "$2" =~ ^[0-9]+$ ]]; then
    echo "usage: fuzz/run.sh TARGET SECONDS | fuzz/run.sh summary   (TARGET: ${targets[*]} all)" >&2
    exit 2
fi
target="$1" seconds="$2"
if [[ "$target" == all ]]; then
    status=0
    for t in "${targets[@]}"; do "$0" "$t" "$seconds" || status=1; done
    exit $status
fi
[[ " ${targets[*]} " == *" $target "* ]] || { echo "unknown target $target (${targets[*]})" >&2; exit 2; }

# SwiftPM's `--sanitize fuzzer --sanitize address` instruments C and links libFuzzer and ASan, but gives swiftc two
# separate -sanitize= flags, and swiftc 6.3 then keeps only the last: Swift code would get no coverage counters at
# all (libFuzzer says "no interesting inputs were found"). The combined flag restores them.
# Release (optimised) code runs 5-20x more inputs a second than debug; -enable-testing keeps the targets'
# `@testable import`s of the sandbox's internal types working.
build=(swift build --package-path "$here" -c release -Xswiftc -enable-testing
       --sanitize fuzzer --sanitize address -Xswiftc -sanitize=fuzzer,address)
if [[ -n ${TK8S_FUZZ_BIN:-} ]]; then
    # Binaries built earlier (copied out of fuzz/.build): long runs go on while the sources change.
    binary="$TK8S_FUZZ_BIN/fuzz-$target"
else
    # The root package is a path dependency: SwiftPM does not notice by itself that it gained dependencies.
    swift package --package-path "$here" resolve >&2
    "${build[@]}" --product "fuzz-$target" >&2
    binary="$("${build[@]}" --show-bin-path)/fuzz-$target"
fi

work="$here/.work"
corpus="$work/corpus/$target" seeds="$work/seeds/$target" artifacts="$work/artifacts/$target"
mkdir -p "$corpus" "$artifacts"
rm -rf "$seeds" && mkdir -p "$seeds"
"$here/seeds.sh" "$target" "$seeds"
problems() { find "$artifacts" -type f ! -name 'slow-unit-*' | wc -l; }
crashes_before=$(problems)

# Inputs up to 16 KiB (scripts, templates, configs and manifests are that size; a request with its body may be
# bigger). A unit slower than 60 s is a hang; slower than 10 s is only noted (libFuzzer's slow-unit-* files): under
# ASan and coverage on a loaded 2-core machine, a 60 KB manifest's YAML round trip or a template looping over a
# 5 KB string takes seconds.
max_len=16384
[[ "$target" == http ]] && max_len=65536
options=(-max_total_time="$seconds" -timeout=60 -rss_limit_mb=2048 -print_final_stats=1
         -artifact_prefix="$artifacts/" -max_len="$max_len")
[[ -f "$here/dict/$target.dict" ]] && options+=(-dict="$here/dict/$target.dict")
output="$work/$target.log"
status=0
started=$SECONDS
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$binary" "${options[@]}" "$corpus" "$seeds" 2>"$output" || status=$?
elapsed=$((SECONDS - started))  # less than asked when libFuzzer stopped at a crash

# The last status line ("#123 DONE cov: 456 ft: 789 corp: …") and the final stats.
last="$(grep -E '^#[0-9]+' "$output" | tail -1)"
execs="$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$output" | grep -oE '[0-9]+$' || echo 0)"
cov="$(grep -oE 'cov: [0-9]+' <<<"$last" | grep -oE '[0-9]+' || echo 0)"
ft="$(grep -oE 'ft: [0-9]+' <<<"$last" | grep -oE '[0-9]+' || echo 0)"
rss="$(grep -oE 'stat::peak_rss_mb:[[:space:]]+[0-9]+' "$output" | grep -oE '[0-9]+$' || echo 0)"
crashes=$(( $(problems) - crashes_before ))
corpus_size=$(find "$corpus" -type f | wc -l)
[[ -f "$log" ]] || printf 'date\ttarget\tseconds\texecutions\tcov\tft\tcorpus\tcrashes\tpeak_rss_mb\n' >"$log"
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$target" "$elapsed" "$execs" "$cov" "$ft" \
    "$corpus_size" "$crashes" "$rss" >>"$log"
echo "fuzz-$target: ${elapsed}s, $execs executions, cov $cov, ft $ft, corpus $corpus_size, $crashes new crash(es), peak RSS ${rss} MB"
if [[ $status -ne 0 || $crashes -gt 0 ]]; then
    grep -E 'ERROR|invariant failed|Fatal error|SUMMARY|Test unit written' "$output" | head -20 >&2
    echo "fuzz-$target found a problem: $output, inputs in $artifacts" >&2
    exit 1
fi
