#!/usr/bin/env bash
# `citeindex serve` one query kind at a time: each query of the benchmark set
# (bench/run.sh's queries-PAGES.jsonl: words, OR, AND, a phrase, an author,
# each filter, the sort and the facets) requested alone by CLIENTS concurrent
# clients for SECONDS, as the search page asks it (the top 10 and the number
# of matches; facet counts only for the facets query). Prints a Markdown table
# of q/s and p50 / p99 latency per kind, and whether each meets P50_MS / P99_MS.
#
#   bench/serve_kinds.sh INDEX QUERIES.jsonl
#   CLIENTS=8 SECONDS_PER_CELL=20 P50_MS=10 P99_MS=50 bench/serve_kinds.sh \
#     target/bench/index-1000000 target/bench/queries-1000000.jsonl
#   CITEINDEX_BIN=/path/to/other/citeindex bench/serve_kinds.sh ...   another
#                                       build (an A/B), not this tree's
set -euo pipefail
cd "$(dirname "$0")/.."
index=${1:?usage: bench/serve_kinds.sh INDEX QUERIES.jsonl (bench/run.sh PAGES writes both under BENCH_DIR)}
queries=${2:?usage: bench/serve_kinds.sh INDEX QUERIES.jsonl}
[ -f "$queries" ] || { echo "no $queries: bench/run.sh PAGES writes it" >&2; exit 2; }
seconds=${SECONDS_PER_CELL:-20}
clients=${CLIENTS:-8}
p50_target=${P50_MS:-10}
p99_target=${P99_MS:-50}
source bench/serve_common.sh
serve_tools
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT

# One file of one path per kind, and the kinds' labels, in the set's order.
python3 - "$queries" "$tmp" <<'PY'
import json, sys, urllib.parse
out = sys.argv[2]
flags = {"--type": "type", "--section": "section", "--year": "year", "--author": "author", "--sort": "sort"}
labels = []
for n, line in enumerate(l for l in open(sys.argv[1]) if l.strip()):
    spec = json.loads(line)
    args = spec["args"]
    params = {"q": args[0], "limit": "10", "facets": "false"}
    rest = args[1:]
    while rest:
        if rest[0] == "--facets":
            params["facets"] = "true"
            rest = rest[1:]
        elif rest[0] in flags and len(rest) > 1:
            params[flags[rest[0]]] = rest[1]
            rest = rest[2:]
        else:
            sys.exit(f"{spec['label']}: no API parameter for {rest[0]}")
    open(f"{out}/kind-{n}", "w").write("/api/search?" + urllib.parse.urlencode(params) + "\n")
    labels.append(f"{spec['label']} `{' '.join(args)}`")
open(f"{out}/labels", "w").write("\n".join(labels) + "\n")
PY

"$bin" serve --index "$index" --addr 127.0.0.1:7313 >/dev/null 2>&1 &
pid=$!
wait_for 7313 "/api/search?q=a"
echo "Run $(date -u +%Y-%m-%dT%H:%MZ), citeindex $version, index $index, wrk, $clients clients, ${seconds} s per kind"
echo
echo "| query kind | q/s | p50 / p99 ms | p50 ≤ $p50_target ms, p99 ≤ $p99_target ms |"
echo "|---|---|---|---|"
met=0 n=0
while IFS= read -r label; do
  paths=$tmp/kind-$n
  load 7313 "$paths" 2 3 >/dev/null   # its postings into the page cache
  read -r q p50 p99 errors <<<"$(load 7313 "$paths" "$clients")"
  verdict=$(awk "BEGIN {print ($p50 <= $p50_target && $p99 <= $p99_target) ? \"met\" : \"**missed**\"}")
  [ "$verdict" = met ] && met=$((met + 1))
  echo "| $label | $q | $p50 / $p99 | $verdict$([ "$errors" = 0 ] || echo ", $errors errors") |"
  n=$((n + 1))
done <"$tmp/labels"
echo
echo "$met of $n kinds meet p50 ≤ $p50_target ms and p99 ≤ $p99_target ms at $clients clients."
