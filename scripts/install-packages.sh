#!/usr/bin/env bash
# Installs Debian packages that tk8s's build or tests need, when they are
# missing: `scripts/install-packages.sh PACKAGE…`. As root it runs apt-get
# itself; otherwise through `sudo -n` (no password prompt). When neither is
# possible it says which packages are missing and how to install them, and
# exits 1. Already-installed packages are not touched (no apt-get at all).
set -euo pipefail

missing=()
for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$p"); fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "tk8s needs ${missing[*]} (Debian package names), and this machine has no apt-get: install them with its package manager." >&2
    exit 1
fi
run=()
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        run=(sudo -n)
    else
        echo "tk8s needs ${missing[*]}; installing them needs root: run  sudo apt-get install -y ${missing[*]}  and try again." >&2
        exit 1
    fi
fi

echo "== installing ${missing[*]} (apt-get${run:+ via sudo})" >&2
export DEBIAN_FRONTEND=noninteractive
# Another process may hold the dpkg lock for a while; wait for it.
for attempt in 1 2 3 4 5 6; do
    if "${run[@]}" apt-get update -qq </dev/null &&
       "${run[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null; then
        exit 0
    fi
    if [[ $attempt -eq 6 ]]; then echo "apt-get could not install ${missing[*]}" >&2; exit 1; fi
    echo "apt-get failed (attempt $attempt), retrying in 20s" >&2
    sleep 20
done
