#!/usr/bin/env bash
# `citeindex serve` against `tantivy serve` (tantivy-cli 0.24's HTTP server) on
# the same statements: queries per second and p50/p99 latency at 1, 8 and 64
# concurrent clients over loopback. The load generator is wrk, which stops by
# itself after SECONDS per cell; each server runs alone, in turn.
#
#   bench/serve_load.sh CITEINDEX_INDEX TANTIVY_CLI_INDEX QUERIES.jsonl
#   SECONDS_PER_CELL=20 CLIENTS="1 8 64" bench/serve_load.sh ...
#   CITEINDEX_BIN=/path/to/other/citeindex bench/serve_load.sh ...   another build
#
# The same plain queries go to both (words, OR, AND, a phrase, an author),
# each answered with the top 10 and the number of matches (citeindex with
# `facets=false`); then, to citeindex alone, what tantivy serve cannot answer:
# the filters and sort, and the plain queries with their facet counts.
# Prints Markdown for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
citeindex_index=${1:?usage: bench/serve_load.sh CITEINDEX_INDEX TANTIVY_CLI_INDEX QUERIES.jsonl}
tantivy_index=${2:?}
queries=${3:?}
seconds=${SECONDS_PER_CELL:-20}
clients=(${CLIENTS:-1 8 64})
work=${BENCH_DIR:-target/bench}
tantivy=$work/tools/bin/tantivy
# Checked before the first server starts, not after citeindex's half has run.
[ -x "$tantivy" ] || { echo "no tantivy-cli at $tantivy: bench/run.sh installs it under BENCH_DIR; set BENCH_DIR to that folder" >&2; exit 1; }
source bench/serve_common.sh
serve_tools
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT

# Paths for each server from the query set: plain queries for both, the rest
# (filters, sort, facets) for citeindex alone.
python3 - "$queries" "$tmp" <<'PY'
import json, sys, urllib.parse
out = sys.argv[2]
plain_c, plain_t, extra_c, facets_c = [], [], [], []
flags = {"--type": "type", "--section": "section", "--year": "year", "--author": "author", "--sort": "sort"}
for line in open(sys.argv[1]):
    spec = json.loads(line)
    args = spec["args"]
    q = urllib.parse.quote(args[0])
    if len(args) == 1:
        plain_c.append(f"/api/search?q={q}&limit=10&facets=false")
        plain_t.append(f"/api/?q={q}&nhits=10")
        facets_c.append(f"/api/search?q={q}&limit=10")
    elif args[1] in flags:
        extra_c.append(f"/api/search?q={q}&{flags[args[1]]}={urllib.parse.quote(args[2])}&limit=10&facets=false")
open(f"{out}/citeindex-plain", "w").write("\n".join(plain_c) + "\n")
open(f"{out}/tantivy-plain", "w").write("\n".join(plain_t) + "\n")
open(f"{out}/citeindex-extra", "w").write("\n".join(extra_c) + "\n")
open(f"{out}/citeindex-facets", "w").write("\n".join(facets_c) + "\n")
PY

declare -A cell
"$bin" serve --index "$citeindex_index" --addr 127.0.0.1:7311 >/dev/null 2>&1 &
cpid=$!
wait_for 7311 "/api/search?q=a"
for c in "${clients[@]}"; do
  load 7311 "$tmp/citeindex-plain" 4 5 >/dev/null   # warm the page cache
  cell[citeindex-$c]=$(load 7311 "$tmp/citeindex-plain" "$c")
  cell[extra-$c]=$(load 7311 "$tmp/citeindex-extra" "$c")
  cell[facets-$c]=$(load 7311 "$tmp/citeindex-facets" "$c")
done
kill "$cpid"; wait "$cpid" 2>/dev/null || true

"$tantivy" serve -i "$tantivy_index" --host 127.0.0.1 --port 7312 >/dev/null 2>&1 &
tpid=$!
wait_for 7312 "/api/?q=a"
for c in "${clients[@]}"; do
  load 7312 "$tmp/tantivy-plain" 4 5 >/dev/null
  cell[tantivy-$c]=$(load 7312 "$tmp/tantivy-plain" "$c")
done
kill "$tpid"; wait "$tpid" 2>/dev/null || true

echo "Run $(date -u +%Y-%m-%dT%H:%MZ), citeindex $version, wrk, ${seconds} s per cell"
echo
echo "| clients | citeindex serve q/s | p50 / p99 ms | tantivy serve q/s | p50 / p99 ms | citeindex ÷ tantivy q/s | citeindex, filters and sort: q/s, p50 / p99 ms | citeindex, plain queries with facets: q/s, p50 / p99 ms |"
echo "|---|---|---|---|---|---|---|---|"
for c in "${clients[@]}"; do
  read -r cq cp50 cp99 ce <<<"${cell[citeindex-$c]}"
  read -r tq tp50 tp99 te <<<"${cell[tantivy-$c]}"
  read -r xq xp50 xp99 xe <<<"${cell[extra-$c]}"
  read -r fq fp50 fp99 fe <<<"${cell[facets-$c]}"
  ratio=$(awk "BEGIN {printf \"%.2f\", $cq/$tq}")
  echo "| $c | $cq | $cp50 / $cp99 | $tq | $tp50 / $tp99 | ${ratio}× | $xq, $xp50 / $xp99 | $fq, $fp50 / $fp99 |"
  [ "$ce$te$xe$fe" = 0000 ] || echo "| | errors: citeindex $ce, tantivy $te, filters $xe, facets $fe | | | | | | |"
done
