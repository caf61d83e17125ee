#!/usr/bin/env bash
# Fills DIR with the seed inputs of TARGET, taken from the repository's own tests, examples and templates (so the
# seeds follow the code) plus the committed seeds under fuzz/seeds/TARGET (recorded kubectl traffic: capture.py).
#   fuzz/seeds.sh TARGET DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
target="$1" dir="$2"
n=0
add() {  # add FILE...: each file becomes one seed (libFuzzer reads at most -max_len of it)
    for f in "$@"; do
        [[ -f "$f" ]] || continue
        cp "$f" "$dir/$(printf '%05d' $n)-$(basename "$f")"
        n=$((n + 1))
    done
}
shopt -s nullglob globstar
case "$target" in
    script) add "$repo"/Examples/*.tk8s "$repo"/Tests/LangTests/Golden/*.tk8s ;;
    template)
        add "$repo"/Sources/Runtime/Templates/**/*
        # The differential cases against real Jinja2, one template per seed.
        python3 - "$dir" "$repo/Tests/TemplateTests/Fixtures/jinja/cases.json" \
            "$repo/Tests/RuntimeTests/Fixtures/jinja/rsa-cases.json" <<'PY'
import json, os, sys
out, paths = sys.argv[1], sys.argv[2:]
for path in paths:
    name = os.path.basename(path)
    if os.path.exists(path):
        for i, case in enumerate(json.load(open(path))):
            if isinstance(case, dict) and isinstance(case.get("template"), str):
                open(os.path.join(out, f"jinja-{name[:-5]}-{i:04}"), "w").write(case["template"])
PY
        ;;
    yaml) add "$repo"/Tests/RuntimeTests/Fixtures/**/*.yml "$repo"/Tests/RuntimeTests/Fixtures/**/*.yaml \
              "$repo"/Sources/Runtime/Templates/**/*.yml ;;
    json) add "$repo"/Tests/RuntimeTests/Fixtures/**/*.json "$repo"/Tests/TemplateTests/Fixtures/**/*.json ;;
    protobuf | http) ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
esac
add "$here"/seeds/"$target"/*
[[ $n -gt 0 ]] || { echo "no seeds for $target" >&2; exit 1; }
