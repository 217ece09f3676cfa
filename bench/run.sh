#!/usr/bin/env bash
# The citeindex benchmark: for each corpus size, on one generated corpus and in
# one run, side by side:
#   - full build: wall time, pages/s, statements/s, MB/s, peak heap and RSS
#     (bench/peak.py), index size and where its bytes go (examples/index_space);
#   - a no-op re-run and a re-run after 10 files changed;
#   - query latency (in-process and whole process, p50/p95) over a fixed query
#     set, with ripgrep over the raw corpus for the same words;
#   - tantivy-cli ingesting the same statements as ready-made NDJSON, into
#     citeindex's schema and into a lean one (bench/tantivy-cli-lean.json),
#     at full strength: `-t` = the cores (its own default is one thread) and
#     its default 1 GB of indexing memory (TANTIVY_THREADS, TANTIVY_MEMORY);
#     then `tantivy merge` of what it left into one segment, measured apart,
#     so that its build plus merge gives an index of citeindex's shape
#     (TANTIVY_MERGE=0 leaves it out: at a million pages citeindex caps its
#     merges and leaves several segments).
# Wall time and CPU time (user + system) are reported for every build; each
# repeat runs citeindex and then the baselines, so that drift in the
# machine's speed during a run slows them alike.
# BASELINES="lean" runs only the lean tantivy-cli baseline (the other's time
# and figures read 0 or n/a). Each size appends a line to $BENCH_DIR/results.tsv; bench/fit.py fits how
# each cost grows with the corpus.
#
#   bench/run.sh [PAGES ...]          default: 2000 20000 100000
#   REPEATS=3 QUERY_REPEAT=20 BENCH_DIR=target/bench bench/run.sh 20000
#   REPEATS=1 RG_REPEAT=1 KEEP_NDJSON=0 TANTIVY_MERGE=0 bench/run.sh 1000000
#   KEEP_TANTIVY=1 bench/run.sh 100000   keeps the tantivy-cli indexes (for
#                                        bench/serve_load.sh)
#
# Disk at 1,000,000 pages: about 13 GB of pages, 10 GB of NDJSON (removed
# before citeindex builds with KEEP_NDJSON=0), each tantivy-cli index (removed
# once measured), and citeindex's index twice over while its final merge runs.
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

# Wall seconds, peak RSS and peak heap (KB) of one whole process: "SECONDS RSS HEAP".
measure() { bench/peak.py "$@"; }
median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }
# A figure from an awk expression; "n/a" where it divides by a baseline not run.
calc() { awk "BEGIN {printf \"%.${2:-1}f\", $1}" 2>/dev/null || printf 'n/a'; }
# tantivy-cli at its best here: an indexing thread per core, its default
# memory (1 GB, split among the threads).
tantivy_threads=${TANTIVY_THREADS:-$(nproc)}
tantivy_memory=${TANTIVY_MEMORY:-1000000000}
# The segments a tantivy index's meta.json lists.
segment_count() { python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["segments"]))' "$1/meta.json"; }
# One tantivy-cli build of the NDJSON under META, then `tantivy merge` of its
# segments into one, the shape of citeindex's index (tantivy-cli leaves a
# segment per thread or more): "SECONDS RSS HEAP CPU INDEX_MB SEGMENTS
# MERGE_SECONDS MERGE_CPU". The merge is measured on its own process, after
# the build, and kept apart from the build's figures.
tantivy_cli() {
  local meta=$1 dir=$2 ndjson=$3 s k h c segments ms mk mh mc
  rm -rf "$dir"; mkdir -p "$dir"; cp "$meta" "$dir/meta.json"
  read -r s k h c < <(measure sh -c "exec \"$tantivy\" index -i \"$dir\" -t $tantivy_threads -m $tantivy_memory <\"$ndjson\"")
  local mb
  mb=$(du -sm "$dir" | cut -f1)
  segments=$(segment_count "$dir")
  ms=0 mc=0
  [ "${TANTIVY_MERGE:-1}" = 1 ] && read -r ms mk mh mc < <(measure "$tantivy" merge -i "$dir")
  echo "$s $k $h $c $mb $segments $ms $mc"
  [ "${KEEP_TANTIVY:-0}" = 1 ] || rm -rf "$dir"
}

echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -r)  "
echo "citeindex $(git rev-parse --short HEAD), tantivy-cli $("$tantivy" --version 2>/dev/null | head -1 || echo '?') (\`index -t $tantivy_threads -m $tantivy_memory\`), $(rg --version | head -1) (its defaults)  "

# citeindex's schema as tantivy-cli reads it, from an index of the sample.
probe=$work/schema-probe
rm -rf "$probe"
"$bin" index sample-corpus --index "$probe" -q >/dev/null 2>&1 || true
bench/tantivy-cli-meta.sh "$(cat "$probe/CURRENT")" "$probe" >"$work/same-meta.json"

# One line per size for bench/fit.py.
results=$work/results.tsv
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
  corpus_bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
  ndjson=$work/statements-$pages.ndjson
  [ -f "$ndjson" ] || target/release/examples/export_ndjson "$corpus" >"$ndjson"
  statements=$(wc -l <"$ndjson")

  full=(); full_cpu=(); rss=0; heap=0; noop=(); change=()
  same=(); lean=(); same_cpu=(); lean_cpu=(); same_merged=(); lean_merged=(); same_merged_cpu=(); lean_merged_cpu=(); same_segments=0; lean_segments=0; same_rss=0; lean_rss=0; same_heap=0; lean_heap=0; same_mb=0; lean_mb=0
  # Each repeat runs citeindex, then the baselines (the same statements,
  # already parsed, into citeindex's schema and into a lean one;
  # BASELINES="lean" leaves the first out), so that a machine whose speed
  # drifts during the run slows them alike.
  for r in $(seq "$repeats"); do
    rm -rf "$index"
    read -r s k h c < <(measure "$bin" index "$corpus" --index "$index" -q)
    segments=$(segment_count "$index/$(cat "$index/CURRENT")")
    full+=("$s"); full_cpu+=("$c"); [ "$k" -gt "$rss" ] && rss=$k; [ "$h" -gt "$heap" ] && heap=$h
    for _ in 1 2; do read -r s k h c < <(measure "$bin" index --index "$index" -q); noop+=("$s"); done
    for f in $(find "$corpus" -name '*.txt' | sort | head -n $((10 * r)) | tail -n 10); do
      printf '“…Benchmark edit %s on zzbenchedit (Okafor et al., 2021).…”\nSection: Discussionmentioning\nconfidence: 90%%\n' "$r" >>"$f"
    done
    read -r s k h c < <(measure "$bin" index --index "$index" -q); change+=("$s")
    if [[ " ${BASELINES:-same lean} " == *" same "* ]]; then
    read -r s k h c m segs ms mc < <(tantivy_cli "$work/same-meta.json" "$work/tantivy-cli-$pages" "$ndjson")
    same+=("$s"); same_cpu+=("$c"); same_merged+=("$(calc "$s+$ms" 2)"); same_merged_cpu+=("$(calc "$c+$mc" 2)"); same_segments=$segs; same_mb=$m; [ "$k" -gt "$same_rss" ] && same_rss=$k; [ "$h" -gt "$same_heap" ] && same_heap=$h
    fi
    if [[ " ${BASELINES:-same lean} " == *" lean "* ]]; then
    read -r s k h c m segs ms mc < <(tantivy_cli bench/tantivy-cli-lean.json "$work/tantivy-cli-lean-$pages" "$ndjson")
    lean+=("$s"); lean_cpu+=("$c"); lean_merged+=("$(calc "$s+$ms" 2)"); lean_merged_cpu+=("$(calc "$c+$mc" 2)"); lean_segments=$segs; lean_mb=$m; [ "$k" -gt "$lean_rss" ] && lean_rss=$k; [ "$h" -gt "$lean_heap" ] && lean_heap=$h
    fi
  done
  [ ${#same[@]} -gt 0 ] || { same=(0); same_cpu=(0); same_merged=(0); same_merged_cpu=(0); }
  [ ${#lean[@]} -gt 0 ] || { lean=(0); lean_cpu=(0); lean_merged=(0); lean_merged_cpu=(0); }
  [ "${KEEP_NDJSON:-1}" = 1 ] || rm -f "$ndjson"

  f=$(printf '%s\n' "${full[@]}" | median)
  t=$(printf '%s\n' "${same[@]}" | median)
  l=$(printf '%s\n' "${lean[@]}" | median)
  fc=$(printf '%s\n' "${full_cpu[@]}" | median)
  tc=$(printf '%s\n' "${same_cpu[@]}" | median)
  lc=$(printf '%s\n' "${lean_cpu[@]}" | median)
  tm=$(printf '%s\n' "${same_merged[@]}" | median)
  lm=$(printf '%s\n' "${lean_merged[@]}" | median)
  tmc=$(printf '%s\n' "${same_merged_cpu[@]}" | median)
  lmc=$(printf '%s\n' "${lean_merged_cpu[@]}" | median)
  n=$(printf '%s\n' "${noop[@]}" | median)
  c=$(printf '%s\n' "${change[@]}" | median)
  index_mb=$(du -sm "$index" | cut -f1)
  index_bytes=$(find "$index" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')

  echo
  echo "## $pages pages: $statements statements, $corpus_mb MB of pages"
  echo
  echo "| | citeindex (from raw pages) | tantivy-cli, citeindex's schema (from NDJSON) | tantivy-cli, lean schema (from NDJSON) |"
  echo "|---|---|---|---|"
  echo "| full build, wall, median of $repeats | $f s | $t s (citeindex takes $(calc "$f/$t" 2)× its time) | $l s (citeindex takes $(calc "$f/$l" 2)×) |"
  echo "| full build, CPU (user + sys), median | $fc s | $tc s (citeindex $(calc "$fc/$tc" 2)×) | $lc s (citeindex $(calc "$fc/$lc" 2)×) |"
  echo "| segments the build leaves | $segments | $same_segments | $lean_segments |"
  if [ "${TANTIVY_MERGE:-1}" = 1 ]; then
  echo "| then \`tantivy merge\` into one segment, as citeindex's: build + merge, wall | $f s | $tm s (citeindex $(calc "$f/$tm" 2)×) | $lm s (citeindex $(calc "$f/$lm" 2)×) |"
  echo "| build + merge, CPU | $fc s | $tmc s (citeindex $(calc "$fc/$tmc" 2)×) | $lmc s (citeindex $(calc "$fc/$lmc" 2)×) |"
  fi
  echo "| statements/s | $(calc "$statements/$f" 0) | $(calc "$statements/$t" 0) | $(calc "$statements/$l" 0) |"
  echo "| pages/s, MB/s of raw pages | $(calc "$pages/$f" 0), $(calc "$corpus_mb/$f" 1) | | |"
  echo "| peak heap (RssAnon) | $(calc "$heap/1024" 0) MB | $(calc "$same_heap/1024" 0) MB | $(calc "$lean_heap/1024" 0) MB |"
  echo "| peak RSS (with mapped files) | $(calc "$rss/1024" 0) MB | $(calc "$same_rss/1024" 0) MB | $(calc "$lean_rss/1024" 0) MB |"
  echo "| index size (du) | $index_mb MB ($(calc "$index_bytes/$corpus_bytes" 2)× the pages' bytes) | $same_mb MB | $lean_mb MB ($(calc "$index_mb/$lean_mb" 2)× is citeindex's) |"
  echo "| no-op re-run, median of $((2 * repeats)) | $n s ($(calc "100*$n/$f" 1)% of full) | | |"
  echo "| 10 files changed, median of $repeats | $c s ($(calc "100*$c/$f" 1)% of full) | | |"
  echo
  echo "runs (s): citeindex full ${full[*]} (CPU ${full_cpu[*]}); tantivy-cli same schema ${same[*]} (CPU ${same_cpu[*]}), lean ${lean[*]} (CPU ${lean_cpu[*]}); with the merge (TANTIVY_MERGE=${TANTIVY_MERGE:-1}), same schema ${same_merged[*]} (CPU ${same_merged_cpu[*]}), lean ${lean_merged[*]} (CPU ${lean_merged_cpu[*]}); no-op ${noop[*]}; 10 changed ${change[*]}"
  echo
  target/release/examples/index_space "$index" "$corpus" | sed 's/^/    /'
  echo
  target/release/examples/bench_queries --index "$index" --corpus "$corpus" --queries "$queries" \
    --repeat "$query_repeat" --rg-repeat "${RG_REPEAT:-5}" | tee "$work/queries-$pages.md"
  qmedian=$(awk '/median over queries of the whole-process p50/ {print $(NF-1)}' "$work/queries-$pages.md")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$pages" "$statements" "$f" "$t" "$l" "$heap" "$index_bytes" "$corpus_bytes" "$n" "$c" "$qmedian" >>"$results"
done
