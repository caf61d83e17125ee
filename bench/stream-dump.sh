#!/usr/bin/env bash
# A simulated mysqldump of 16 MiB, 256 MiB and 1 GiB streamed from a `tk8s sandbox serve` into a local file:
# `exec mysql --to FILE mysqldump …` against `kubectl exec … > FILE` on the same sandbox, with the peak memory
# of tk8s, its kubectl and the sandbox (bench/stream-dump.py does the measuring).
#
#   bench/stream-dump.sh                    build release into .build-bench, then measure
#   TK8S=/path/to/tk8s RUNS=5 bench/stream-dump.sh 1GiB
# Results: bench/results/stream-dump.md and .json.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_setup stream-dump.sh
exec python3 bench/stream-dump.py "$TK8S" "$@"
