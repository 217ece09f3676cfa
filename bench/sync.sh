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
# The node is the binary in ../shared/tools/quickwit, one node on loopback.
# Scratch space: $BENCH_DIR/sync (Quickwit's splits plus the export, about
# twice the index's statements as JSON). Prints a Markdown table.
#
# usage: BENCH_DIR=DIR bench/sync.sh CORPUS INDEX
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

url=$("$tools/cluster.sh" start "$work/qw" 1 | head -1)

t0=$(now)
"$bin" sync quickwit "$url" --index-id bench --index "$index" -q 2>"$work/full.txt"
t1=$(now)
full_s=$(elapsed "$t0" "$t1"); full_docs=$(sent "$work/full.txt")

for f in $(find "$corpus" -name '*.txt' | sort | tail -n 10); do
  printf '“…Sync benchmark edit on zzsyncedit (Okafor et al., 2021).…”\nSection: Discussionmentioning\nconfidence: 90%%\n' >>"$f"
done
"$bin" index --index "$index" -q 2>/dev/null
t0=$(now)
"$bin" sync quickwit "$url" --index-id bench --index "$index" -q 2>"$work/update.txt"
t1=$(now)
update_s=$(elapsed "$t0" "$t1"); update_docs=$(sent "$work/update.txt")

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

echo "| step | documents | seconds | statements/s |"
echo "|---|---:|---:|---:|"
echo "| citeindex sync, full | $full_docs | $full_s | $(rate "$full_docs" "$full_s") |"
echo "| citeindex sync, 10 files changed | $update_docs | $update_s | |"
echo "| citeindex export --format quickwit (baseline's input) | $ingest_docs | $export_s | $(rate "$ingest_docs" "$export_s") |"
echo "| quickwit tool local-ingest of that NDJSON | $ingest_docs | $ingest_s | $(rate "$ingest_docs" "$ingest_s") |"
echo
echo "sync summaries: $(cat "$work/full.txt") / $(cat "$work/update.txt")"
