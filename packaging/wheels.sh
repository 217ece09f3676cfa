#!/usr/bin/env bash
# Builds the citeindex wheels (the binary in a Python package, pyproject.toml)
# for each platform that can be built on this Linux machine, into OUT:
#   Linux x86_64 and aarch64, manylinux2014 (glibc 2.17) and musllinux_1_2,
#   through zig (PyPI ziglang) as the linker; each wheel's binary then runs
#   README's main job (aarch64 under qemu-user);
#   Windows x86_64, through Debian's mingw.
#   macOS x86_64 and arm64, through zig, against stubs of the two Apple
#   frameworks notify's FSEvents backend calls (packaging/macos-sdk.sh);
#   each macOS binary is then checked by packaging/macho.py, since it cannot
#   be run here.
#
#   packaging/wheels.sh [OUT]          default: target/wheels
#
# Needs maturin and ziglang (pip install maturin ziglang), rustup, and for
# Windows gcc-mingw-w64-x86-64. Prints one line per wheel, then
# `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/wheels}
python3 -m pip install --quiet --root-user-action=ignore maturin ziglang
passed=0 failed=0
build() { # build TARGET MATURIN-ARGS...
  local target=$1
  shift
  rustup target add "$target" >/dev/null 2>&1
  if maturin build --release --locked --target "$target" --out "$out" "$@" >"$out.$target.log" 2>&1; then
    passed=$((passed + 1)); echo "ok   $target $*"
  else
    failed=$((failed + 1)); echo "FAIL $target (see $out.$target.log)"
    return 1
  fi
}
macos() { # macos TARGET ARCH: build the wheel, then check its binary
  local target=$1 arch=$2 wheel unpacked
  SDKROOT=$sdk build "$target" --zig || return 0
  wheel=$(ls -t "$out"/citeindex-*macosx*_"$arch".whl | head -1)
  unpacked=$(mktemp -d)
  python3 -m zipfile -e "$wheel" "$unpacked"
  if python3 packaging/macho.py "$unpacked"/citeindex-*.data/scripts/citeindex "$arch" >"$out.$target.macho" 2>&1; then
    echo "ok   $(basename "$wheel"): $(paste -sd';' "$out.$target.macho")"
  else
    passed=$((passed - 1)) failed=$((failed + 1)); echo "FAIL $(basename "$wheel"): $(cat "$out.$target.macho")"
  fi
  rm -rf "$unpacked"
}
linux() { # linux TARGET WHEEL-GLOB [RUNNER...]: build the wheel, then run its binary
  local target=$1 glob=$2 wheel unpacked summary
  shift 2
  build "$target" "${flags[@]}" || return 0
  wheel=$(ls -t "$out"/$glob | head -1)
  unpacked=$(mktemp -d)
  python3 -m zipfile -e "$wheel" "$unpacked" # zipfile drops the mode bits pip restores
  chmod +x "$unpacked"/citeindex-*.data/scripts/citeindex
  # README's main job with the wheel's own binary: index, then a ranked query.
  summary=$("$@" "$unpacked"/citeindex-*.data/scripts/citeindex index sample-corpus \
    --index "$unpacked/index" 2>&1 >/dev/null | tail -1)
  if [[ $summary == *"the index holds 27 pages, 100 statements"* ]] \
    && "$@" "$unpacked"/citeindex-*.data/scripts/citeindex query '"sleep spindles"' \
      --index "$unpacked/index" --json | grep -q '"doi"'; then
    echo "ran  $(basename "$wheel")${1:+ under $1}: $summary"
  else
    passed=$((passed - 1)) failed=$((failed + 1)); echo "FAIL $(basename "$wheel") did not run: $summary"
  fi
  rm -rf "$unpacked"
}
mkdir -p "$out"
sdk=$(mktemp -d)
trap 'rm -rf "$sdk"' EXIT
packaging/macos-sdk.sh "$sdk"
# The aarch64 binaries run under qemu's user mode, the glibc one with Debian's
# aarch64 C library (qemu-user and libc6-arm64-cross; skipped with a line
# saying so when missing).
arm=()
if command -v qemu-aarch64 >/dev/null && [ -d /usr/aarch64-linux-gnu ]; then arm=(qemu-aarch64 -L /usr/aarch64-linux-gnu); fi
flags=(--zig --compatibility manylinux2014)
linux x86_64-unknown-linux-gnu 'citeindex-*manylinux*x86_64.whl'
[ ${#arm[@]} = 0 ] && echo "note aarch64 wheels built but not run: apt-get install qemu-user libc6-arm64-cross"
linux aarch64-unknown-linux-gnu 'citeindex-*manylinux*aarch64.whl' "${arm[@]}"
flags=(--zig --compatibility musllinux_1_2)
linux x86_64-unknown-linux-musl 'citeindex-*musllinux*x86_64.whl'
linux aarch64-unknown-linux-musl 'citeindex-*musllinux*aarch64.whl' "${arm[@]}"
CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc build x86_64-pc-windows-gnu
macos aarch64-apple-darwin arm64
macos x86_64-apple-darwin x86_64
ls -1 "$out"/*.whl
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
