#!/usr/bin/env bash
# Peak memory, measured as the kernel charges it: a full build inside a memory
# cgroup capped at LIMIT_MB, beside tantivy-cli under the same cap.
#
#   bench/memcap.sh PAGES            after bench/run.sh PAGES made the corpus
#   LIMIT_MB=300 BENCH_DIR=target/bench bench/memcap.sh 100000
#   BASELINE=0 bench/memcap.sh 100000      citeindex alone (tantivy-cli takes
#                                          up to 20 min to be killed at 300 MB)
#
# `/usr/bin/time`'s peak RSS counts the resident pages of memory-mapped index
# files, which the kernel can drop at any time, so it says little about whether
# a build fits a machine. A cgroup's limit charges everything the build makes
# resident (heap, mapped files, the page cache of what it reads and writes) and
# makes the kernel reclaim what it can when the limit is hit; a build that needs
# more than that is killed. So: a build that finishes under the cap, with an
# index that answers like an uncapped one, fits in that much memory.
#
# Needs root and a cgroup v1 memory controller or cgroup v2 with the memory
# controller enabled. Prints Markdown for BENCHMARKS.md on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:?usage: bench/memcap.sh PAGES}
limit_mb=${LIMIT_MB:-300}
work=${BENCH_DIR:-target/bench}
work=$(cd "$work" && pwd)
corpus=$work/corpus-$pages
ndjson=$work/statements-$pages.ndjson
tantivy=$work/tools/bin/tantivy
bin=target/release/citeindex
for needed in "$corpus" "$ndjson" "$tantivy"; do
  [ -e "$needed" ] || { echo "missing $needed: run bench/run.sh $pages first" >&2; exit 2; }
done
cargo build --release --quiet --bin citeindex

if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  version=2; root=/sys/fs/cgroup
elif [ -d /sys/fs/cgroup/memory ]; then
  version=1; root=/sys/fs/cgroup/memory
else
  echo "no memory cgroup controller on this machine" >&2; exit 2
fi

# Runs a command in a new cgroup capped at $limit_mb; prints
# "SECONDS PEAK_BYTES LIMIT_HITS OOM_KILLS EXIT".
capped() {
  local cg=$root/citeindex-memcap-$$ log rc
  mkdir "$cg"
  if [ $version = 1 ]; then
    echo $((limit_mb * 1024 * 1024)) >"$cg/memory.limit_in_bytes"
  else
    echo $((limit_mb * 1024 * 1024)) >"$cg/memory.max"
    echo 0 >"$cg/memory.swap.max" 2>/dev/null || true
  fi
  log=$(mktemp)
  rc=0
  sh -c 'echo $$ >"$1/cgroup.procs"; shift; exec /usr/bin/time -f %e -o "$0" "$@"' \
    "$log" "$cg" "$@" >/dev/null 2>&1 || rc=$?
  local seconds peak hits ooms
  seconds=$(tail -1 "$log")
  if [ $version = 1 ]; then
    peak=$(cat "$cg/memory.max_usage_in_bytes")
    hits=$(cat "$cg/memory.failcnt")
    ooms=$(awk '/oom_kill /{print $2}' "$cg/memory.oom_control")
  else
    peak=$(cat "$cg/memory.peak" 2>/dev/null || echo 0)
    hits=$(awk '/^max /{print $2}' "$cg/memory.events")
    ooms=$(awk '/^oom_kill /{print $2}' "$cg/memory.events")
  fi
  echo "$seconds $peak $hits ${ooms:-0} $rc"
  rm -f "$log"
  rmdir "$cg"
}

uncapped() {
  local log; log=$(mktemp)
  /usr/bin/time -f %e -o "$log" "$@" >/dev/null 2>&1
  tail -1 "$log"; rm -f "$log"
}

capped_index=$work/memcap-index-$pages
free_index=$work/memcap-free-index-$pages
tdir=$work/memcap-tantivy-$pages

rm -rf "$capped_index" "$free_index"
read -r c_s c_peak c_hits c_oom c_rc < <(capped "$bin" index "$corpus" --index "$capped_index" -q)
f_s=$(uncapped "$bin" index "$corpus" --index "$free_index" -q)

if [ "${BASELINE:-1}" = 1 ]; then
  rm -rf "$tdir"; mkdir -p "$tdir"
  bench/tantivy-cli-meta.sh "$(cat "$free_index/CURRENT")" "$free_index" >"$tdir/meta.json"
  read -r t_s t_peak t_hits t_oom t_rc < <(capped sh -c "\"$tantivy\" index -i \"$tdir\" <\"$ndjson\"")
else
  t_s="not run"; t_peak=""; t_hits="not run"; t_oom="not run"; t_rc="not run"
fi

# The capped index must answer exactly as the uncapped one does: the same hits
# for a few queries and the same statistics. Equal scores are ordered by
# document address, which differs between two parallel builds, so the hits are
# compared as sorted lines, leaving out those tied with the last one (which of
# them make the cut is that same arbitrary order).
above_last() {
  sed -E 's/"rank":[0-9]+,//' | awk -F'"score":' '{split($2, s, ","); print s[1] "\t" $0}' |
    sort -g -r -k1,1 | awk -F'\t' 'NR == 1 {n = 0} {line[++n] = $0; score[n] = $1}
      END {for (i = 1; i <= n; i++) if (score[i] != score[n] || n < 1000) print line[i]}' | sort
}
# Only the hits go through above_last: the note on stderr of how many were left
# out, read as a last hit without a score, kept the ties at the cut in.
hits() { "$bin" query "$@" --json --limit 1000 2>/dev/null | above_last || echo "query failed"; }
same=yes
for q in marsazen '"dornexi optixijor"' 'author:"Kawenini"' 'raxilum --type contrasting'; do
  # shellcheck disable=SC2086
  a=$(hits $q --index "$capped_index")
  # shellcheck disable=SC2086
  b=$(hits $q --index "$free_index")
  [ "$a" = "$b" ] || { same=no; echo "differs: $q" >&2; }
done
strip() { sed -E 's/"(index|corpus_root|updated_at|index_bytes)":("[^"]*"|[0-9]+),//g'; }
a=$("$bin" stats --index "$capped_index" --json | strip)
b=$("$bin" stats --index "$free_index" --json | strip)
[ "$a" = "$b" ] || same=no

mb() { if [ -n "$1" ]; then awk "BEGIN {printf \"%.0f MB\", $1/1048576}"; else echo "not run"; fi; }
echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, cgroup v$version, citeindex $(git rev-parse --short HEAD)"
echo
echo "## $pages pages under a ${limit_mb} MB memory cgroup"
echo
echo "| | citeindex | tantivy-cli (from NDJSON) |"
echo "|---|---|---|"
echo "| exit status under the cap | $c_rc | $t_rc |"
echo "| OOM kills | $c_oom | $t_oom |"
echo "| peak charged to the cgroup | $(mb "$c_peak") | $(mb "$t_peak") |"
echo "| times the limit forced reclaim | $c_hits | $t_hits |"
echo "| wall time, capped | $c_s s | $t_s$([ "$t_s" = "not run" ] || echo " s") |"
echo "| wall time, uncapped (citeindex) | $f_s s | |"
echo "| capped index answers as the uncapped one | $same | |"
