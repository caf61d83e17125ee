#!/usr/bin/env bash
# Regenerate the Tutor 22 reference fixtures used by the Runtime tests.
#
# Usage: make-fixtures.sh TUTOR_VENV
#
#   TUTOR_VENV is a Python virtualenv holding tutor and tutor-minio, e.g.
#     python3 -m venv /tmp/tv && /tmp/tv/bin/pip install tutor==22.0.3 tutor-minio==22.0.0
#
# For every variant directory next to this script it writes:
#   <variant>/config.yml     the config.yml Tutor saved for that project root
#   <variant>/kustomize.yml  `kubectl kustomize <root>/env` of Tutor's own env
#
# All variants share one ID and one set of secrets: the "default" root is
# created first and every other variant starts from a copy of its config.yml.
# (The minio variant additionally gets a generated MINIO_AWS_SECRET_ACCESS_KEY.)
#
# Last run with: tutor 22.0.3, tutor-minio 22.0.0, Python 3.11,
# kubectl v1.32.4 (Kustomize v5.5.0).
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 TUTOR_VENV" >&2
    exit 2
fi
venv=$1
tutor="$venv/bin/tutor"
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Keep user-level YAML plugins and TUTOR_* overrides out of the picture.
export TUTOR_PLUGINS_ROOT="$work/yaml-plugins"
mkdir -p "$TUTOR_PLUGINS_ROOT"
while IFS='=' read -r name _; do
    case "$name" in
        TUTOR_PLUGINS_ROOT) ;;
        TUTOR_*) unset "$name" ;;
    esac
done < <(env)

echo "using $("$tutor" --version), $(kubectl version --client | head -n1)" >&2

save() { # save ROOT ARGS... -- run `tutor config save` in ROOT
    local root=$1
    shift
    TUTOR_ROOT="$root" "$tutor" config save "$@" >/dev/null
}

variant() { # variant NAME -- new root seeded with the default config.yml
    mkdir -p "$work/$1"
    cp "$work/default/config.yml" "$work/$1/config.yml"
}

save "$work/default" --set PLUGINS='[]'

variant no-web-proxy
save "$work/no-web-proxy" --set ENABLE_WEB_PROXY=false

variant https
save "$work/https" --set ENABLE_HTTPS=true

variant no-services
save "$work/no-services" \
    --set RUN_MYSQL=false --set RUN_MONGODB=false --set RUN_REDIS=false \
    --set RUN_MEILISEARCH=false --set RUN_SMTP=false

variant minio
TUTOR_ROOT="$work/minio" "$tutor" plugins enable minio >/dev/null
save "$work/minio"

for v in default no-web-proxy https no-services minio; do
    mkdir -p "$here/$v"
    cp "$work/$v/config.yml" "$here/$v/config.yml"
    kubectl kustomize "$work/$v/env" >"$here/$v/kustomize.yml"
    echo "wrote $v" >&2
done
