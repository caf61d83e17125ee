#!/usr/bin/env bash
# Times `config save` on a Tutor 22 root with Python plugins (mfe, indigo,
# forum, minio): Tutor's own against tk8s's through the Tutor bridge, with a
# warm snapshot cache (no Python runs) and a cold one (the bridge helper runs
# once, as after a pip upgrade or a new plugin set).
#
#   bench/render-tutor.sh                      build release into .build-bench, use .venv-ci's Tutor (bash .ci/run makes it)
#   TK8S=/path/to/tk8s TUTOR=/path/to/tutor bench/render-tutor.sh
#   RUNS=20 bench/render-tutor.sh
#
# Every command does the same job: read config.yml, fill in generated values,
# write config.yml, render every template (158 files) into env/. tk8s writes
# env/ only when something in it changed (then all of it, into a new folder
# swapped in at once); the third command makes it rewrite everything.
# Results: bench/results/render-tutor.{md,json}. Needs hyperfine.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_setup render-tutor.sh
RUNS=${RUNS:-20}
TUTOR=${TUTOR:-$root/.venv-ci/bin/tutor}
[[ -x $TUTOR ]] || { echo "render-tutor.sh: no Tutor at $TUTOR (bash .ci/run installs it with its plugins)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work/home TUTOR_PLUGINS_ROOT=$work/plugins TK8S_TUTOR=$TUTOR
mkdir -p "$HOME" "$TUTOR_PLUGINS_ROOT"
r=$work/root
TUTOR_ROOT=$r "$TUTOR" config save --set 'PLUGINS=[mfe, indigo, forum, minio]' >/dev/null 2>&1
TUTOR_ROOT=$r "$TUTOR" config save >/dev/null 2>&1

# Both must give the same env before anything is timed.
cp -r "$r/env" "$work/tutor-env"
"$TK8S" --root "$r" -c 'config save' >/dev/null
diff -r "$work/tutor-env" "$r/env" >/dev/null || { echo "render-tutor.sh: tk8s's env differs from Tutor's" >&2; exit 1; }
echo "files in env: $(find "$r/env" -type f | wc -l)"

# --prepare, one per command in order: nothing; nothing (the env is current, so tk8s writes nothing);
# one env file removed (tk8s writes the whole env again, atomically); the cache emptied (the bridge runs).
hyperfine --warmup 2 --runs "$RUNS" -N \
    --export-markdown "$results/render-tutor.md" --export-json "$results/render-tutor.json" \
    --prepare true --prepare true --prepare "rm -f $r/env/version" --prepare "rm -rf $HOME/.cache/tk8s" \
    -n "tutor config save" "env TUTOR_ROOT=$r $TUTOR config save" \
    -n "tk8s config save (warm cache, env current)" "$TK8S --root $r -c 'config save'" \
    -n "tk8s config save (warm cache, env rewritten)" "$TK8S --root $r -c 'config save'" \
    -n "tk8s config save (cold: the bridge runs)" "$TK8S --root $r -c 'config save'"
