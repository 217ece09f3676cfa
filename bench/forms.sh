#!/usr/bin/env bash
# What each saved form costs to index, per page: for each form, a corpus of
# COPIES copies of each of the six browser-saved fixtures of that form
# (tests/fixtures/browser/chromium/, made by a real Chromium), indexed from scratch
# REPEATS times as a whole process; the median wall time over the pages.
# HTML (the pages the fixtures were saved from) is the baseline.
#
#   bench/forms.sh                    COPIES=200 REPEATS=5
#   COPIES=500 REPEATS=3 BENCH_DIR=target/bench bench/forms.sh
#   CITEINDEX=path/to/citeindex bench/forms.sh    a binary already built
#
# Prints a Markdown table for BENCHMARKS.md on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${COPIES:-200}
repeats=${REPEATS:-5}
work=${BENCH_DIR:-target/bench}/forms
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)
bin=${CITEINDEX:-}
if [ -z "$bin" ]; then
  cargo build --release --quiet --bin citeindex
  bin=target/release/citeindex
fi

median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }

echo "| form | pages | bytes a page | median build (s) | ms a page | pages/s | vs HTML |"
echo "|---|---|---|---|---|---|---|"
base_ms=""
for form in html txt mhtml webarchive pdf; do
  corpus=$work/$form
  mkdir -p "$corpus"
  if [ "$form" = html ]; then
    sources=(sample-corpus/html/*.htm*)
  else
    sources=(tests/fixtures/browser/chromium/*."$form")
  fi
  for ((i = 0; i < copies; i++)); do
    dir=$corpus/$((i / 50))
    mkdir -p "$dir"
    for src in "${sources[@]}"; do
      cp "$src" "$dir/$i-$(basename "$src")"
    done
  done
  pages=$((copies * ${#sources[@]}))
  bytes=$(du -sb "$corpus" | cut -f1)
  times=()
  for ((r = 0; r < repeats; r++)); do
    log=$(mktemp)
    /usr/bin/time -f '%e' -o "$log" "$bin" index "$corpus" --index "$work/index-$form" --full --quiet >/dev/null 2>&1
    times+=("$(cat "$log")")
    rm -f "$log"
  done
  wall=$(printf '%s\n' "${times[@]}" | median)
  ms=$(awk "BEGIN {printf \"%.3f\", $wall * 1000 / $pages}")
  [ -n "$base_ms" ] || base_ms=$ms
  echo "| $form | $pages | $((bytes / pages)) | $wall | $ms | $(awk "BEGIN {printf \"%.0f\", $pages / $wall}") | $(awk "BEGIN {printf \"%.2f\", $ms / $base_ms}")× |"
  rm -rf "$corpus" "$work/index-$form"
done
