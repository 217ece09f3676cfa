#!/usr/bin/env bash
# The sample flow with the Windows build, under Debian's Wine: index a corpus
# in a folder whose name has a space and a non-ASCII letter, query, update
# after an edit and a delete, papers, stats, serve answering /api/search, and
# serve --watch picking up a new page. Paths must show as on Linux: relative
# to the working folder (with `\`), never `\\?\`-prefixed.
#
#   tests/windows/wine.sh [EXE]     default: builds target/x86_64-pc-windows-gnu/release/citeindex.exe
#
# Needs Debian's wine, gcc-mingw-w64-x86-64 and curl, and rustup's
# x86_64-pc-windows-gnu target. Prints one line per check, then
# `N passed, N failed`; exits 1 when a check failed.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
exe=${1:-}
if [ -z "$exe" ]; then
  CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc \
    cargo build --release --locked --quiet --target x86_64-pc-windows-gnu --bin citeindex
  exe=$root/target/x86_64-pc-windows-gnu/release/citeindex.exe
fi
work=$(mktemp -d)
server=
trap '[ -z "$server" ] || kill "$server" 2>/dev/null; wineserver -k >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
export WINEPREFIX=$work/prefix WINEDEBUG=-all WINEDLLOVERRIDES="bcryptprimitives=n,b;mscoree,mshtml="
mkdir -p "$work/bin"
cp "$exe" "$work/bin/citeindex.exe"
x86_64-w64-mingw32-gcc -shared -O2 -o "$work/bin/bcryptprimitives.dll" tests/windows/bcryptprimitives.c -ladvapi32
corpus="scite saves Zoë"
cp -r sample-corpus "$work/$corpus"
cd "$work"
ci() { wine "$work/bin/citeindex.exe" "$@" 2>"$work/stderr" | tr -d '\r'; }

passed=0 failed=0
# Each check's condition runs inside `if`, so that a failed one is reported
# and counted rather than ending the script (set -e).
check() { # check NAME RESULT DETAIL
  if [ "$2" = 0 ]; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1: $3"; fi
}

ci index "$corpus" --index idx --quiet >/dev/null
summary=$(tr -d '\r' <"$work/stderr" | tail -1)
if [[ $summary == "+27 added,"*"the index holds 27 pages, 100 statements" ]]; then r=0; else r=1; fi; check "index" $r "$summary"

hits=$(ci query spindles --index idx --json --limit 3)
first=$(printf '%s\n' "$hits" | head -1 | sed -E 's/.*"path":"([^"]*)".*/\1/')
if [[ $first == "scite saves Zoë\\\\"* ]]; then r=0; else r=1; fi; check "query paths are relative, with \\" $r "$first"
if ! grep -q '\\\\\\\\?\\\\' <<<"$hits"; then r=0; else r=1; fi; check "no \\\\?\\ path" $r "$(head -c 300 <<<"$hits")"

page="$corpus/sleep/spindle-density-word-pairs-2019.txt"
sed -i 's/Overnight gains/Zzwinegains overnight gains/' "$page"
rm "$corpus/sleep/targeted-memory-reactivation-2016.txt"
ci index --index idx --quiet >/dev/null
summary=$(tr -d '\r' <"$work/stderr" | tail -1)
if [[ $summary == "+0 added, ~1 changed, -1 removed, 25 unchanged,"* ]]; then r=0; else r=1; fi; check "update after an edit and a delete" $r "$summary"
n=$(ci query zzwinegains --index idx --json | wc -l)
if [ "$n" = 1 ]; then r=0; else r=1; fi; check "the edit is found" $r "$n hits"

rows=$(ci papers --index idx --format csv | wc -l)
if [ "$rows" -gt 19 ]; then r=0; else r=1; fi; check "papers --format csv" $r "$rows rows"
stats=$(ci stats --index idx)
if grep -q "scite saves Zoë" <<<"$stats" && ! grep -q '\\\\?\\' <<<"$stats"; then r=0; else r=1; fi; check "stats names the corpus plainly" $r "$(head -5 <<<"$stats")"

port=$((20000 + RANDOM % 20000))
wine "$work/bin/citeindex.exe" serve --index idx --addr "127.0.0.1:$port" --watch "$corpus" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/api/stats" >/dev/null 2>&1 && break; sleep 0.3; done
answer=$(curl -fs "http://127.0.0.1:$port/api/search?q=spindles&limit=2" || true)
if grep -q '"total"' <<<"$answer"; then r=0; else r=1; fi; check "serve answers /api/search" $r "${answer:0:200}"
printf '2021\nDOI: 10.5555/wine.1\nA page added while serving\n\xe2\x80\x9c\xe2\x80\xa6Zzwatchword arrives (Okafor, 2020).\xe2\x80\xa6\xe2\x80\x9d\nSection: Resultssupporting\nconfidence: 90%%\n' >"$corpus/added.txt"
found=1
for _ in $(seq 1 60); do
  if curl -fs "http://127.0.0.1:$port/api/search?q=zzwatchword" | grep -q '10.5555/wine.1'; then found=0; break; fi
  sleep 0.5
done
check "serve --watch picks up a new page" $found "$(tail -3 "$work/serve.log")"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
