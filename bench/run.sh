#!/usr/bin/env bash
# The citeindex benchmark: for each corpus size, on one generated corpus and in
# one run, side by side:
#   - full build: wall time, pages/s, statements/s, MB/s, peak RSS, index size;
#   - a no-op re-run and a re-run after 10 files changed;
#   - query latency (in-process and whole process, p50/p95) over a fixed query
#     set, with ripgrep over the raw corpus for the same words;
#   - tantivy-cli ingesting the same statements as ready-made NDJSON.
#
#   bench/run.sh [PAGES ...]          default: 2000 20000 100000
#   REPEATS=3 QUERY_REPEAT=20 BENCH_DIR=target/bench bench/run.sh 20000
#
# It installs what it needs (ripgrep from Debian, tantivy-cli from crates.io
# into $BENCH_DIR/tools) and prints Markdown for BENCHMARKS.md on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(2000 20000 100000)
repeats=${REPEATS:-3}
query_repeat=${QUERY_REPEAT:-20}
work=${BENCH_DIR:-target/bench}
mkdir -p "$work"
work=$(cd "$work" && pwd)

command -v rg >/dev/null || { apt-get update -qq && apt-get install -y -qq ripgrep >/dev/null; }
tantivy=$work/tools/bin/tantivy
# Not --locked: tantivy-cli 0.24's lock file pins traitobject 0.1.0, which no
# longer compiles; the resolver picks the fixed 0.1.1.
[ -x "$tantivy" ] || cargo install tantivy-cli --quiet --root "$work/tools"
cargo build --release --quiet --bin citeindex --examples
bin=target/release/citeindex

# Wall seconds and peak RSS (KB) of one whole process: "SECONDS KB".
measure() {
  local log; log=$(mktemp)
  /usr/bin/time -f '%e %M' -o "$log" "$@" >/dev/null 2>&1
  cat "$log"; rm -f "$log"
}
median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }
calc() { awk "BEGIN {printf \"%.${2:-1}f\", $1}"; }

echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -r)  "
echo "citeindex $(git rev-parse --short HEAD), tantivy-cli $("$tantivy" --version 2>/dev/null | head -1 || echo '?'), $(rg --version | head -1)"

for pages in "${sizes[@]}"; do
  corpus=$work/corpus-$pages
  index=$work/index-$pages
  queries=$work/queries-$pages.jsonl
  if [ ! -d "$corpus" ]; then
    target/release/examples/gen_corpus --pages "$pages" --seed 7 --out "$corpus" --queries "$queries" 2>/dev/null
  elif [ ! -f "$queries" ]; then
    # The query set depends on the seed's vocabulary and first page only.
    tmp=$(mktemp -d)
    target/release/examples/gen_corpus --pages 1 --seed 7 --out "$tmp" --queries "$queries" 2>/dev/null
    rm -rf "$tmp"
  fi
  corpus_mb=$(du -sm "$corpus" | cut -f1)
  ndjson=$work/statements-$pages.ndjson
  [ -f "$ndjson" ] || target/release/examples/export_ndjson "$corpus" >"$ndjson"
  statements=$(wc -l <"$ndjson")

  full=(); rss=(); tcli=(); tcli_rss=(); noop=(); change=()
  for r in $(seq "$repeats"); do
    rm -rf "$index"
    read -r s k < <(measure "$bin" index "$corpus" --index "$index" -q)
    full+=("$s"); rss+=("$k")
    for _ in 1 2; do read -r s k < <(measure "$bin" index --index "$index" -q); noop+=("$s"); done
    for f in $(find "$corpus" -name '*.txt' | sort | head -n $((10 * r)) | tail -n 10); do
      printf '“…Benchmark edit %s on zzbenchedit (Okafor et al., 2021).…”\nSection: Discussionmentioning\nconfidence: 90%%\n' "$r" >>"$f"
    done
    read -r s k < <(measure "$bin" index --index "$index" -q); change+=("$s")

    # The baseline: the same statements, already parsed, into an equivalent schema.
    tdir=$work/tantivy-cli-$pages
    rm -rf "$tdir"; mkdir -p "$tdir"
    bench/tantivy-cli-meta.sh "$(cat "$index/CURRENT")" "$index" >"$tdir/meta.json"
    read -r s k < <(measure sh -c "\"$tantivy\" index -i \"$tdir\" <\"$ndjson\"")
    tcli+=("$s"); tcli_rss+=("$k")
  done
  f=$(printf '%s\n' "${full[@]}" | median)
  t=$(printf '%s\n' "${tcli[@]}" | median)
  n=$(printf '%s\n' "${noop[@]}" | median)
  c=$(printf '%s\n' "${change[@]}" | median)
  peak=$(printf '%s\n' "${rss[@]}" | sort -g | tail -1)
  tpeak=$(printf '%s\n' "${tcli_rss[@]}" | sort -g | tail -1)
  index_mb=$(du -sm "$index" | cut -f1)
  tindex_mb=$(du -sm "$tdir" | cut -f1)

  echo
  echo "## $pages pages: $statements statements, $corpus_mb MB of pages"
  echo
  echo "| | citeindex (from raw pages) | tantivy-cli (from NDJSON) | ratio |"
  echo "|---|---|---|---|"
  echo "| full build, median of $repeats | $f s | $t s | $(calc "$t/$f" 2)× |"
  echo "| statements/s | $(calc "$statements/$f" 0) | $(calc "$statements/$t" 0) | $(calc "$t/$f" 2)× |"
  echo "| pages/s | $(calc "$pages/$f" 0) | | |"
  echo "| MB/s of raw pages | $(calc "$corpus_mb/$f" 1) | | |"
  echo "| peak RSS | $(calc "$peak/1024" 0) MB | $(calc "$tpeak/1024" 0) MB | |"
  echo "| index size | $index_mb MB ($(calc "100*$index_mb/$corpus_mb" 0)% of the pages) | $tindex_mb MB | |"
  echo "| no-op re-run, median of $((2 * repeats)) | $n s ($(calc "100*$n/$f" 1)% of full) | | |"
  echo "| 10 files changed, median of $repeats | $c s ($(calc "100*$c/$f" 1)% of full) | | |"
  echo
  echo "runs (s): citeindex full ${full[*]}; tantivy-cli ${tcli[*]}; no-op ${noop[*]}; 10 changed ${change[*]}"
  echo
  target/release/examples/bench_queries --index "$index" --corpus "$corpus" --queries "$queries" --repeat "$query_repeat"
done
