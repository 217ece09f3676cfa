#!/usr/bin/env bash
# Checks that citeindex compiles for both macOS targets, aarch64-apple-darwin
# and x86_64-apple-darwin: `cargo check` with zig as the C compiler for the C
# code a crate builds (zstd's), through tests/macos/zig-cc. Checked, not
# linked or run: no macOS runs here. Installs what it needs: rustup's targets
# and the PyPI package ziglang.
#
#   tests/macos/check.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -m ziglang version >/dev/null 2>&1 || python3 -m pip install --quiet ziglang
zig_cc=$(pwd)/tests/macos/zig-cc
passed=0 failed=0
for pair in aarch64-apple-darwin:aarch64-macos x86_64-apple-darwin:x86_64-macos; do
  target=${pair%%:*}
  rustup target add "$target" >/dev/null 2>&1
  var=${target//-/_}
  if env ZIG_TARGET="${pair##*:}" "CC_$var=$zig_cc" "AR_$var=python3 -m ziglang ar" \
    cargo check --locked --quiet --target "$target" --bin citeindex; then
    passed=$((passed + 1)); echo "ok   cargo check --target $target"
  else
    failed=$((failed + 1)); echo "FAIL cargo check --target $target"
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
