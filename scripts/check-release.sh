#!/usr/bin/env bash
# Checks a release tarball the way a bastion host without Swift would use it:
# unpack into an empty directory, then run `tk8s --version` and the blank-slate
# example on a sandbox with a clean environment — PATH=/usr/bin:/bin (kubectl,
# no Swift toolchain), no LD_LIBRARY_PATH — and check that the binary links no
# Swift library.
#
#   bash scripts/check-release.sh dist/tk8s-VERSION-linux-ARCH.tar.gz
set -euo pipefail
tarball=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
examples=$(cd "$(dirname "${BASH_SOURCE[0]}")/../Examples" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/unpacked" "$work/home"
tar -xzf "$tarball" -C "$work/unpacked"
tk8s=$(echo "$work"/unpacked/*/bin/tk8s)

if ldd "$tk8s" | grep -i swift; then echo "check-release: the binary links Swift libraries" >&2; exit 1; fi
clean=(env -i "PATH=/usr/bin:/bin" "HOME=$work/home" "TK8S_TUTOR=none")
if "${clean[@]}" sh -c 'command -v swift' >/dev/null; then echo "check-release: swift is on the clean PATH" >&2; exit 1; fi

version=$("${clean[@]}" "$tk8s" --version)
echo "tk8s --version: $version"
[[ $version == *"(commit "* ]] || { echo "check-release: --version names no commit" >&2; exit 1; }
"${clean[@]}" "$tk8s" --root "$work/root" -c 'config save' >/dev/null
cd "$work"
"${clean[@]}" "$tk8s" --sandbox --quiet --root "$work/root" "$examples/blank-slate.tk8s" | tail -n 3
echo "check-release: ok ($(du -h "$tk8s" | cut -f1) binary, $(du -h "$tarball" | cut -f1) tarball)"
