#!/usr/bin/env bash
# Builds citeindex for both macOS targets, aarch64-apple-darwin and
# x86_64-apple-darwin, and checks each executable: linked by zig (through
# maturin, as the wheels are) against the framework stubs of
# packaging/macos-sdk.sh, then read by packaging/macho.py (a 64-bit Mach-O
# executable for the right CPU, loading only libraries every Mac has, with a
# code signature). Built and checked, not run: no macOS runs here. A debug
# build, to keep CI short; packaging/wheels.sh builds the release wheels the
# same way. Installs what it needs: rustup's targets and the PyPI packages
# maturin and ziglang.
#
#   tests/macos/check.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -m pip install --quiet --root-user-action=ignore maturin ziglang
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
packaging/macos-sdk.sh "$work/sdk"
passed=0 failed=0
for pair in aarch64-apple-darwin:arm64 x86_64-apple-darwin:x86_64; do
  target=${pair%%:*} arch=${pair##*:}
  rustup target add "$target" >/dev/null 2>&1
  rm -rf "$work/wheel" "$work/unpacked"
  if SDKROOT=$work/sdk maturin build --locked --quiet --target "$target" --zig --out "$work/wheel" \
    >"$work/build.log" 2>&1 \
    && python3 -m zipfile -e "$work"/wheel/*.whl "$work/unpacked" \
    && python3 packaging/macho.py "$work"/unpacked/citeindex-*.data/scripts/citeindex "$arch" >"$work/macho" 2>&1; then
    passed=$((passed + 1)); echo "ok   $target: $(paste -sd';' "$work/macho")"
  else
    failed=$((failed + 1)); echo "FAIL $target:"; cat "$work/build.log" "$work/macho" 2>/dev/null | tail -20
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
