#!/usr/bin/env bash
# Times rendering the full env (default config + minio) with tk8s against
# `tutor config save` on the same root, in one hyperfine run.
#
#   bench/render.sh                      build release into .build-bench, make a venv with Tutor, benchmark
#   TK8S=/path/to/tk8s TUTOR=/path/to/tutor bench/render.sh
#   RUNS=20 bench/render.sh
#
# Both commands do the same job: read config.yml, fill in generated values,
# write config.yml, render every template into env/. tk8s's `render` alone
# (no config write) is timed as a third command.
# Results: bench/results/render.{md,json}. Needs hyperfine and python3 (for the venv).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_setup render.sh
RUNS=${RUNS:-20}
if [[ -z ${TUTOR:-} ]]; then
    venv=${VENV:-$root/.venv-ci}
    if [[ ! -x $venv/bin/tutor ]]; then
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet tutor==22.0.3 tutor-minio==22.0.0
    fi
    TUTOR=$venv/bin/tutor
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# tk8s's built-in templates (bench/render-tutor.sh times the Tutor bridge).
export HOME=$work/home TUTOR_PLUGINS_ROOT=$work/plugins TK8S_TUTOR=none
mkdir -p "$HOME" "$TUTOR_PLUGINS_ROOT"
r=$work/root
TUTOR_ROOT=$r "$TUTOR" config save --set PLUGINS='[]' >/dev/null 2>&1
TUTOR_ROOT=$r "$TUTOR" plugins enable minio >/dev/null 2>&1
TUTOR_ROOT=$r "$TUTOR" config save >/dev/null 2>&1

# Same inventory check as the tests, in short: both envs must build.
kubectl kustomize "$r/env" >/dev/null
"$TK8S" --root "$r" -c 'render' >/dev/null
kubectl kustomize "$r/env" >/dev/null

hyperfine --warmup 3 --runs "$RUNS" -N \
    --export-markdown "$results/render.md" --export-json "$results/render.json" \
    -n "tutor config save" "env TUTOR_ROOT=$r $TUTOR config save" \
    -n "tk8s config save" "$TK8S --root $r -c 'config save'" \
    -n "tk8s render" "$TK8S --root $r -c render"
