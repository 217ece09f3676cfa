#!/usr/bin/env bash
# The `citeindex check` benchmark: the whole process (start-up, reading the
# list, opening the index, every look-up, writing JSON lines) checking a
# 1,000-reference list against a 100,000-page index. Target: under 1 s.
#
# It builds what it needs: the release binary and examples/gen_corpus
# (cargo build --release --locked), a generated corpus of $PAGES pages (seed 7,
# as bench/run.sh) and its index, both kept in $BENCH_DIR and reused on a
# re-run. The reference list is made from the index itself (`papers --json
# --all`): about 90% references by the DOI of an indexed paper, written in
# assorted forms (plain lower and upper case, `doi:`, https://doi.org/,
# http://dx.doi.org/, the slash URL-encoded as %2F, some only in `url`), 5%
# DOIs the index lacks (10.5555/absent.N: `no report`) and 5% with no DOI
# but the exact title of an indexed paper (found by title). It is written as
# BibTeX and, its DOIs only, as a text list, one DOI per line.
#
# Timed, whole process, each RUNS times after one warm-up, in turn (A B C A
# B C ...) so that a drifting machine moves all three alike:
#   check REFS.bib --format json, check REFS.txt --format json, and as a
#   yardstick `papers --json --all` (every paper of the index, one process).
# Wall seconds (a monotonic clock around the child) and CPU seconds (its
# user + system, from wait4) are printed as median [min, max]; quote the
# median. The found / no report / no doi counts are checked against what
# the list was built to hold, and the script fails if they differ.
#
#   bench/check.sh
#   PAGES=20000 REFS=1000 RUNS=10 BENCH_DIR=target/bench-check bench/check.sh
#
# The first run at 100,000 pages generates about 1.3 GB of pages and indexes
# them: several minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${PAGES:-100000}
refs=${REFS:-1000}
runs=${RUNS:-10}
work=${BENCH_DIR:-target/bench-check}
mkdir -p "$work"
work=$(cd "$work" && pwd)

cargo build --release --locked
cargo build --release --locked --example gen_corpus
bin=target/release/citeindex

corpus=$work/corpus-$pages
index=$work/index-$pages
if [ ! -d "$corpus" ]; then
  # Into a temporary folder first: an interrupted run is not taken for a corpus.
  rm -rf "$corpus.partial"
  echo "generating $pages pages into $corpus" >&2
  target/release/examples/gen_corpus --pages "$pages" --seed 7 --out "$corpus.partial" 2>/dev/null
  mv "$corpus.partial" "$corpus"
fi
if [ ! -f "$index/CURRENT" ]; then
  echo "indexing $corpus into $index" >&2
  "$bin" index "$corpus" --index "$index" -q
fi

# The reference list, from the index's own papers (same seed, same list).
papers=$work/papers-$pages.jsonl
bib=$work/refs-$pages-$refs.bib
txt=$work/refs-$pages-$refs.txt
expected=$work/refs-$pages-$refs.expected
"$bin" papers --json --all --index "$index" >"$papers"
python3 - "$papers" "$refs" "$bib" "$txt" "$expected" <<'PY'
import json, random, re, sys
from collections import Counter
papers_file, n, bib_file, txt_file, expected_file = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
papers = [json.loads(line) for line in open(papers_file, encoding="utf-8")]
papers = [p for p in papers if p.get("doi") and p.get("title")]

def key(title):
    # As src/check/title.rs compares titles: case, punctuation and spacing do not count.
    return " ".join(re.findall(r"\w+", title.lower()))

unique = Counter(key(p["title"]) for p in papers)
rng = random.Random(7)
n_absent = n // 20
n_title = n // 20
n_doi = n - n_absent - n_title
by_doi = rng.sample(papers, n_doi)
taken = {p["doi"] for p in by_doi}
by_title = rng.sample([p for p in papers if p["doi"] not in taken and unique[key(p["title"])] == 1], n_title)

def written(doi, i):
    """The DOI as reference lists write it: (field, form)."""
    prefix, suffix = doi.split("/", 1)
    return [
        ("doi", doi.lower()),
        ("doi", doi.upper()),
        ("doi", "doi:" + doi),
        ("doi", "https://doi.org/" + doi),
        ("doi", "http://dx.doi.org/" + doi),
        ("doi", "https://doi.org/" + prefix + "%2F" + suffix),
        ("url", "https://doi.org/" + doi),
        ("url", "https://doi.org/" + prefix + "%2F" + suffix),
        ("doi", "DOI: " + doi.upper()),
    ][i % 9]

refs = []
for i, p in enumerate(by_doi):
    refs.append(("doi", p["title"], p.get("year"), written(p["doi"], i)))
for i in range(n_absent):
    refs.append(("absent", f"An Unsaved Paper Number {i}", 2020, written(f"10.5555/absent.{i}", i)))
for p in by_title:
    refs.append(("title", p["title"], p.get("year"), None))
rng.shuffle(refs)

with open(bib_file, "w", encoding="utf-8") as bib, open(txt_file, "w", encoding="utf-8") as txt:
    for i, (kind, title, year, doi) in enumerate(refs):
        fields = [f"  author = {{Okafor, Ada and van der Berg, Jan}}",
                  f"  title = {{{title}}}",
                  f"  journal = {{Journal of Synthetic Results}}"]
        if year:
            fields.append(f"  year = {year}")
        if doi:
            fields.append(f"  {doi[0]} = {{{doi[1]}}}")
            txt.write(doi[1] + "\n")
        bib.write(f"@article{{ref{i:04d},\n" + ",\n".join(fields) + "\n}\n\n")
with open(expected_file, "w") as out:
    out.write(f"bib {n_doi + n_title} {n_absent} 0\n")
    out.write(f"txt {n_doi} {n_absent} 0\n")
PY

# Correctness first: each list's rows, counted by status.
counts() { python3 -c '
import json, sys
from collections import Counter
c = Counter(json.loads(l).get("status") for l in open(sys.argv[1]) if l.startswith("{"))
print(c["found"], c["no report"], c["no doi"])' "$1"; }
fail=0
while read -r form want_found want_absent want_nodoi; do
  list=$bib; [ "$form" = txt ] && list=$txt
  "$bin" check "$list" --index "$index" --format json >"$work/out-$form.jsonl"
  read -r found absent nodoi < <(counts "$work/out-$form.jsonl")
  echo "check .$form: $found found (want $want_found), $absent no report (want $want_absent), $nodoi no doi (want $want_nodoi)"
  [ "$found $absent $nodoi" = "$want_found $want_absent $want_nodoi" ] || fail=1
done <"$expected"
[ "$fail" = 0 ] || { echo "check.sh: counts differ from the list's make-up" >&2; exit 1; }

echo
echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -r); citeindex $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo '+changes'); $pages pages, $(wc -l <"$papers") papers, $refs references"
python3 - "$runs" \
  "check .bib" "$bin check $bib --index $index --format json" \
  "check .txt" "$bin check $txt --index $index --format json" \
  "papers --json --all (yardstick)" "$bin papers --json --all --index $index" <<'PY'
import os, resource, shlex, statistics, subprocess, sys, time
runs = int(sys.argv[1])
commands = list(zip(sys.argv[2::2], sys.argv[3::2]))

def once(command):
    start = time.perf_counter()
    child = subprocess.Popen(shlex.split(command), stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"{command}: exit {child.returncode}")
    return wall, usage.ru_utime + usage.ru_stime

for _, command in commands:
    once(command)  # warm-up, not counted
times = {label: [] for label, _ in commands}
for _ in range(runs):
    for label, command in commands:
        times[label].append(once(command))
for label, command in commands:
    wall = [w for w, _ in times[label]]
    cpu = [c for _, c in times[label]]
    print(f"{label:34} wall {statistics.median(wall):.3f} s [{min(wall):.3f}, {max(wall):.3f}]"
          f"  cpu {statistics.median(cpu):.3f} s [{min(cpu):.3f}, {max(cpu):.3f}]  (median [min, max] of {runs})")
    print(f"    {command}")
PY
