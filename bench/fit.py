#!/usr/bin/env python3
"""How each cost grows with the corpus: a least-squares line through
log(cost) against log(statements), over the sizes in results.tsv that
bench/run.sh wrote. An exponent of 1 grows as the corpus does; below 1, slower
(the cost per statement falls); above 1, faster. Prints Markdown.

usage: bench/fit.py RESULTS.tsv
"""
import math
import sys

COLUMNS = ["pages", "statements", "build_s", "tcli_same_s", "tcli_lean_s", "heap_kb",
           "index_bytes", "corpus_bytes", "noop_s", "change_s", "query_ms"]
COSTS = [
    ("citeindex full build (s)", "build_s", 1),
    ("tantivy-cli, citeindex's schema (s)", "tcli_same_s", 1),
    ("tantivy-cli, lean schema (s)", "tcli_lean_s", 1),
    ("peak heap of the build (MB)", "heap_kb", 1 / 1024),
    ("index size (MB)", "index_bytes", 1e-6),
    ("no-op re-run (s)", "noop_s", 1),
    ("10 files changed (s)", "change_s", 1),
    ("query, median of whole-process p50s (ms)", "query_ms", 1),
]


def fit(xs, ys):
    lx = [math.log(x) for x in xs]
    ly = [math.log(y) for y in ys]
    n = len(xs)
    mx, my = sum(lx) / n, sum(ly) / n
    sxx = sum((x - mx) ** 2 for x in lx)
    slope = sum((x - mx) * (y - my) for x, y in zip(lx, ly)) / sxx
    return slope


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    try:
        lines = open(sys.argv[1]).readlines()
    except OSError as e:
        sys.exit(f"cannot read {sys.argv[1]}: {e.strerror}; bench/run.sh appends a line a size to $BENCH_DIR/results.tsv (default target/bench): run it first")
    rows = {}
    for line in lines:
        values = line.rstrip("\n").split("\t")
        if len(values) != len(COLUMNS):
            continue
        row = dict(zip(COLUMNS, (float(v) if v else float("nan") for v in values)))
        rows[int(row["pages"])] = row  # the latest run of a size wins
    sizes = sorted(rows)
    if len(sizes) < 2:
        sys.exit("need at least two sizes")
    print("| cost | " + " | ".join(f"{p:,} pages" for p in sizes) + " | per million statements, largest size | log-log exponent |")
    print("|---|" + "---|" * len(sizes) + "---|---|")
    for label, key, scale in COSTS:
        if not any(rows[p][key] > 0 for p in sizes):
            continue  # a baseline not run
        pts = [(rows[p]["statements"], rows[p][key] * scale) for p in sizes
               if rows[p][key] == rows[p][key] and rows[p][key] > 0]
        cells = [f"{rows[p][key] * scale:,.3g}" if rows[p][key] > 0 else "" for p in sizes]
        if len(pts) >= 2:
            slope = f"{fit([x for x, _ in pts], [y for _, y in pts]):.2f}"
            per = f"{pts[-1][1] / pts[-1][0] * 1e6:,.3g}"
        else:
            slope = per = ""
        print(f"| {label} | " + " | ".join(cells) + f" | {per} | {slope} |")


if __name__ == "__main__":
    main()
