#!/usr/bin/env bash
# Installs a citeindex wheel into a fresh virtual environment, on a PATH with
# no cargo or rustc, and runs README's main job with the installed
# `citeindex`: index the sample corpus, then a ranked query.
#
#   packaging/wheel-venv.sh [WHEEL]
#
# Without WHEEL it first builds the one CI proves, Linux x86_64 manylinux2014
# (glibc 2.17), with maturin and zig (both from PyPI, installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# = 0 ]; then
  python3 -m pip install --quiet --root-user-action=ignore maturin ziglang
  rm -rf target/wheel-venv
  maturin build --release --locked --quiet --target x86_64-unknown-linux-gnu \
    --zig --compatibility manylinux2014 --out target/wheel-venv
  set -- target/wheel-venv/citeindex-*-manylinux*_x86_64.whl
fi
wheel=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
echo "installing $(basename "$wheel")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --no-index "$wheel"
cp -r sample-corpus "$work/sample-corpus"
cd "$work"
# Only the venv and the system's own folders: no ~/.cargo/bin, no rustup.
export PATH="$work/venv/bin:/usr/bin:/bin"
if command -v cargo >/dev/null 2>&1 || command -v rustc >/dev/null 2>&1; then
  echo "cargo or rustc is on PATH: $(command -v cargo rustc)" >&2
  exit 1
fi
[ "$(command -v citeindex)" = "$work/venv/bin/citeindex" ]
citeindex index sample-corpus 2>"$work/index.err"
tail -1 "$work/index.err"
grep -q "the index holds 27 pages, 100 statements" "$work/index.err"
citeindex query '"sleep spindles" hippocampal' | head -3
hits=$(citeindex query '"sleep spindles" hippocampal' --json | wc -l)
[ "$hits" -ge 1 ]
echo "the installed citeindex ran README's main job: $hits hits"
