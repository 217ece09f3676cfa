#!/usr/bin/env bash
# Builds the citeindex wheels (the binary in a Python package, pyproject.toml)
# for each platform that can be built on this Linux machine, into OUT:
#   Linux x86_64 and aarch64, manylinux2014 (glibc 2.17) and musllinux_1_2,
#   through zig (PyPI ziglang) as the linker;
#   Windows x86_64, through Debian's mingw.
# macOS is not built here yet (notify's FSEvents backend links Apple's
# CoreServices framework, which zig does not carry); tests/macos/check.sh
# checks that both macOS targets compile.
#
#   packaging/wheels.sh [OUT]          default: target/wheels
#
# Needs maturin and ziglang (pip install maturin ziglang), rustup, and for
# Windows gcc-mingw-w64-x86-64. Prints one line per wheel, then
# `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/wheels}
python3 -m pip install --quiet maturin ziglang
passed=0 failed=0
build() { # build TARGET MATURIN-ARGS...
  local target=$1
  shift
  rustup target add "$target" >/dev/null 2>&1
  if maturin build --release --locked --target "$target" --out "$out" "$@" >"$out.$target.log" 2>&1; then
    passed=$((passed + 1)); echo "ok   $target $*"
  else
    failed=$((failed + 1)); echo "FAIL $target (see $out.$target.log)"
  fi
}
mkdir -p "$out"
build x86_64-unknown-linux-gnu --zig --compatibility manylinux2014
build aarch64-unknown-linux-gnu --zig --compatibility manylinux2014
build x86_64-unknown-linux-musl --zig --compatibility musllinux_1_2
build aarch64-unknown-linux-musl --zig --compatibility musllinux_1_2
CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc build x86_64-pc-windows-gnu
ls -1 "$out"/*.whl
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
