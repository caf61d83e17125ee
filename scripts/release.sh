#!/usr/bin/env bash
# Builds the release an operator copies to a bastion host: tk8s with the Swift
# runtime (and Foundation) linked statically, stripped, in a tarball with its
# resources, the man page, the shell completions and a README.
#
#   bash scripts/release.sh            # -> dist/tk8s-VERSION-linux-ARCH.tar.gz
#   OUT=/tmp/dist bash scripts/release.sh
#
# The tarball unpacks to tk8s-VERSION-linux-ARCH/ with bin/tk8s, share/tk8s/ (templates and
# the Tutor bridge helper; tk8s finds them from its own path), share/man/man1/tk8s.1,
# share/bash-completion/completions/tk8s, share/zsh/site-functions/_tk8s,
# share/fish/vendor_completions.d/tk8s.fish and README.md. It needs glibc and
# libedit2 (Debian installs it with libedit-dev, or alone: apt-get install libedit2).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-packages.sh libedit-dev
scratch=.build-release
echo "== swift build -c release --static-swift-stdlib ($scratch)" >&2
swift build -c release --static-swift-stdlib --scratch-path "$scratch" >&2
bin=$scratch/release
version=$("$bin/tk8s" --version | cut -d' ' -f1)
arch=$(uname -m)
name=tk8s-$version-linux-$arch
out=${OUT:-dist}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dir=$stage/$name

mkdir -p "$dir/bin" "$dir/share/tk8s" "$dir/share/man/man1" "$dir/share/bash-completion/completions" \
         "$dir/share/zsh/site-functions" "$dir/share/fish/vendor_completions.d"
cp "$bin/tk8s" "$dir/bin/tk8s"
strip "$dir/bin/tk8s"
cp -R "$bin/tk8s_Runtime.resources" "$dir/share/tk8s/"
# The commit --version reports; `-dirty` when the tree had uncommitted changes.
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [[ -n $(git status --porcelain 2>/dev/null) ]]; then commit+="-dirty"; fi
printf 'commit %s, released %s\n' "$commit" "$(date -u +%Y-%m-%d)" > "$dir/share/tk8s/tk8s_Runtime.resources/BUILD"

"$dir/bin/tk8s" docs --man > "$dir/share/man/man1/tk8s.1"
"$dir/bin/tk8s" completions bash > "$dir/share/bash-completion/completions/tk8s"
"$dir/bin/tk8s" completions zsh > "$dir/share/zsh/site-functions/_tk8s"
"$dir/bin/tk8s" completions fish > "$dir/share/fish/vendor_completions.d/tk8s.fish"
cat > "$dir/README.md" <<README
# tk8s $version

Operate Open edX on Kubernetes with scripts and an interactive shell, the way
Tutor's \`tutor k8s\` commands do. Built from commit $commit.

Install (as root, or into ~/.local with PREFIX=\$HOME/.local):

    PREFIX=/usr/local
    cp -R bin share "\$PREFIX/"        # bin/tk8s, its resources, man page, completions

Then \`tk8s --version\`, \`man tk8s\`, and Tab completion in bash (bash-completion
loads share/bash-completion), zsh (add share/zsh/site-functions to \$fpath) and fish.
tk8s needs kubectl on PATH, glibc and libedit2 (\`apt-get install libedit2\`); Python
plugins need Tutor installed (\`pip install tutor\`), and nothing else.

Try it without a cluster: \`tk8s --sandbox\` starts a throwaway in-process one.
README

mkdir -p "$out"
tar -C "$stage" -czf "$out/$name.tar.gz" "$name"
echo "$out/$name.tar.gz ($(du -h "$out/$name.tar.gz" | cut -f1); binary $(du -h "$dir/bin/tk8s" | cut -f1))"
