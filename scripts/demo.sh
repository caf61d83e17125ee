#!/usr/bin/env bash
# The README's first command: install what the build needs (libedit-dev, for
# the REPL's line editor), build tk8s, and run the launch example against an
# in-process sandbox cluster, in a fresh project root (/tmp/tk8s-demo, or
# $TK8S_DEMO_ROOT). Arguments are passed to tk8s before the script
# (`bash scripts/demo.sh --quiet`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-packages.sh libedit-dev
root=${TK8S_DEMO_ROOT:-/tmp/tk8s-demo}
exec swift run tk8s --sandbox --root "$root" "$@" Examples/launch.tk8s
