#!/usr/bin/env bash
# The sample flow with the Windows build, under Debian's Wine: index a corpus
# in a folder whose name has a space and a non-ASCII letter, query, update
# after an edit and a delete, papers, stats, serve answering /api/search, and
# serve --watch picking up a new page (notify's ReadDirectoryChangesW
# backend), a file renamed only in case, and a full rebuild while serve holds
# the live generation mapped. Paths must show as on Linux: relative to the
# working folder (with `\`), never `\\?\`-prefixed.
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

kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true
server=

# A file renamed only in case: Windows (and Wine) look names up without case,
# so the old name still opens the new file; the index must follow the rename,
# not keep both names nor lose the page.
mv "$corpus/sleep/spindle-density-word-pairs-2019.txt" "$corpus/sleep/Spindle-Density-Word-Pairs-2019.txt"
ci index --index idx --quiet >/dev/null
summary=$(tr -d '\r' <"$work/stderr" | tail -1)
paths=$(ci query zzwinegains --index idx --json | sed -E 's/.*"path":"([^"]*)".*/\1/')
if [[ $summary == "+1 added, ~0 changed, -1 removed,"* && $paths == *"Spindle-Density-Word-Pairs-2019.txt" && $(wc -l <<<"$paths") = 1 ]]; then r=0; else r=1; fi
check "a rename only in case" $r "$summary / $paths"

# A full rebuild while serve holds the live generation's files open and
# mapped: Windows refuses to delete them, so the old generation must stay
# until a later run can remove it, and neither run may fail.
wine "$work/bin/citeindex.exe" serve --index idx --addr "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/api/search?q=zzwinegains" | grep -q '"total":1' && break; sleep 0.3; done
ci index "$corpus" --index idx --full --quiet >/dev/null && r=0 || r=1
check "a full rebuild while serve maps the index" $r "$(tr -d '\r' <"$work/stderr" | tail -2)"
before=$(ls -d idx/gen-* | wc -l) # the old one stays until the next writer
sed -i 's/Zzwinegains overnight gains/Zzrebuilt overnight gains/' "$corpus/sleep/Spindle-Density-Word-Pairs-2019.txt"
ci index --index idx --quiet >/dev/null
found=1
for _ in $(seq 1 40); do
  if curl -fs "http://127.0.0.1:$port/api/search?q=zzrebuilt" | grep -q '"total":1'; then found=0; break; fi
  sleep 0.5
done
check "serve reads the rebuilt generation" $found "$(curl -fs "http://127.0.0.1:$port/api/search?q=zzrebuilt" | head -c 200)"
kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true
server=
ci index --index idx --quiet >/dev/null
after=$(ls -d idx/gen-* | wc -l)
if [ "$after" = 1 ]; then r=0; else r=1; fi
check "the old generation is removed once nothing holds it" $r "$before generations while serving, $after after"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
