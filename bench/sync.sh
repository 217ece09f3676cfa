#!/usr/bin/env bash
# Issue 20's figures: `citeindex sync quickwit` into one local Quickwit node,
# against `quickwit tool local-ingest` of the same statements as the baseline.
#
#   1. a full sync of INDEX into a fresh Quickwit index (wall time, documents
#      sent, statements per second);
#   2. ten pages of CORPUS changed, `citeindex index`, and a second sync (wall
#      time, documents sent);
#   3. the baseline: the index exported with `citeindex export --format
#      quickwit` (timed apart), its config created through the REST API, the
#      node stopped (local-ingest writes the metastore itself), and the NDJSON
#      ingested with `quickwit tool local-ingest` (timed).
#
# With BEFORE=BINARY, another citeindex's full sync (into its own index) runs
# first, in the same run, as the before column of a change to sync.
#
# The node is the binary in ../shared/tools/quickwit, one node on loopback.
# Scratch space: $BENCH_DIR/sync (Quickwit's splits plus the export, about
# twice the index's statements as JSON). Prints a Markdown table: each step's
# wall time, peak RSS of the sending process, and the index's splits after it.
#
# usage: BENCH_DIR=DIR [BEFORE=BINARY] bench/sync.sh CORPUS INDEX
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
corpus=${1:?CORPUS}; index=${2:?INDEX}
tools=$root/../shared/tools/quickwit
bin=$root/target/release/citeindex
work=${BENCH_DIR:?set BENCH_DIR}/sync
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 1; }
rm -rf "$work"; mkdir -p "$work"
trap '"$tools/cluster.sh" stop "$work/qw" || true' EXIT

now() { python3 -c 'import time; print(time.monotonic())'; }
elapsed() { python3 -c "print(f'{$2 - $1:.1f}')"; }
rate() { python3 -c "print(f'{$1 / $2:,.0f}')"; }
# The summary line's "N statements sent".
sent() { grep -o '[0-9,]* statements sent' "$1" | head -1 | tr -d , | cut -d' ' -f1; }

# The splits an index is made of, once Quickwit has published them.
splits() { sleep 5; curl -sf "$url/api/v1/indexes/$1/splits?limit=100000" |
  python3 -c 'import json, sys; print(len(json.load(sys.stdin)["splits"]))'; }
# Peak RSS in MB of a command (GNU time's %M is in KB).
peak() { python3 -c "print(round($(tail -1 "$1") / 1024))"; }

url=$("$tools/cluster.sh" start "$work/qw" 1 | head -1)

if [ -n "${BEFORE:-}" ]; then
  t0=$(now)
  /usr/bin/time -f %M -o "$work/before.rss" \
    "$BEFORE" sync quickwit "$url" --index-id before --index "$index" -q 2>"$work/before.txt"
  t1=$(now)
  before_s=$(elapsed "$t0" "$t1"); before_docs=$(sent "$work/before.txt")
  before_splits=$(splits before)
  rm -f "$index/quickwit-sync-before.journal"
fi

t0=$(now)
/usr/bin/time -f %M -o "$work/full.rss" \
  "$bin" sync quickwit "$url" --index-id bench --index "$index" -q 2>"$work/full.txt"
t1=$(now)
full_s=$(elapsed "$t0" "$t1"); full_docs=$(sent "$work/full.txt"); full_splits=$(splits bench)

for f in $(find "$corpus" -name '*.txt' | sort | tail -n 10); do
  printf '“…Sync benchmark edit on zzsyncedit (Okafor et al., 2021).…”\nSection: Discussionmentioning\nconfidence: 90%%\n' >>"$f"
done
"$bin" index --index "$index" -q 2>/dev/null
t0=$(now)
/usr/bin/time -f %M -o "$work/update.rss" \
  "$bin" sync quickwit "$url" --index-id bench --index "$index" -q 2>"$work/update.txt"
t1=$(now)
update_s=$(elapsed "$t0" "$t1"); update_docs=$(sent "$work/update.txt"); update_splits=$(splits bench)

t0=$(now)
"$bin" export --index "$index" --format quickwit --out "$work/export" --name baseline
t1=$(now)
export_s=$(elapsed "$t0" "$t1")
curl -sf -X POST -H 'Content-Type: application/yaml' \
  --data-binary @"$work/export/quickwit-index.yaml" "$url/api/v1/indexes" >/dev/null
"$tools/cluster.sh" stop "$work/qw"
qw=$("$tools/bin.sh")
t0=$(now)
QW_DISABLE_TELEMETRY=1 NO_COLOR=1 "$qw" tool local-ingest --config "$work/qw/node1/node.yaml" \
  --index baseline --input-path "$work/export/statements.ndjson" -y >"$work/local-ingest.txt" 2>&1
t1=$(now)
ingest_s=$(elapsed "$t0" "$t1")
ingest_docs=$(wc -l <"$work/export/statements.ndjson")
"$tools/cluster.sh" start "$work/qw" 1 >/dev/null
url=$(head -1 "$work/qw/urls")
ingest_splits=$(splits baseline)

echo "| step | documents | seconds | statements/s | peak RSS | splits after |"
echo "|---|---:|---:|---:|---:|---:|"
if [ -n "${BEFORE:-}" ]; then
  echo "| before: $(basename "$BEFORE") sync, full | $before_docs | $before_s | $(rate "$before_docs" "$before_s") | $(peak "$work/before.rss") MB | $before_splits |"
fi
echo "| citeindex sync, full | $full_docs | $full_s | $(rate "$full_docs" "$full_s") | $(peak "$work/full.rss") MB | $full_splits |"
echo "| citeindex sync, 10 files changed | $update_docs | $update_s | | $(peak "$work/update.rss") MB | $update_splits |"
echo "| citeindex export --format quickwit (baseline's input) | $ingest_docs | $export_s | $(rate "$ingest_docs" "$export_s") | | |"
echo "| quickwit tool local-ingest of that NDJSON | $ingest_docs | $ingest_s | $(rate "$ingest_docs" "$ingest_s") | | $ingest_splits |"
echo
echo "sync summaries: $(cat "$work/full.txt") / $(cat "$work/update.txt")"
