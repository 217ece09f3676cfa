#!/usr/bin/env python3
"""Interleaved whole-process A/B runs of `citeindex query`: two or more
binaries on the same index, each query run N times per binary in turn, so
that a noisy host slows all of them alike. Prints a Markdown table of p50s
and the ratio of the first binary to the second.

usage: bench/ab.py N QUERIES.jsonl INDEX BINARY_A BINARY_B [BINARY ...]
       bench/ab.py N QUERIES.jsonl --indexes BINARY INDEX_A INDEX_B [INDEX ...]
       bench/ab.py N QUERIES.jsonl --pairs BINARY_A:INDEX_A BINARY_B:INDEX_B [...]

The second form compares indexes (say, one corpus built by two binaries)
under one binary. The third runs each binary on its own index: one corpus
built by each binary and queried by the same one, when a change touches both
how files are written and how they are read.

QUERIES.jsonl is the query set `bench/run.sh` writes (one {"label", "args"}
object a line), e.g. $BENCH_DIR/queries-100000.jsonl.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 6:
        sys.exit(__doc__)
    runs, queries = int(sys.argv[1]), sys.argv[2]
    if sys.argv[3] == "--indexes":
        # (binary, index) per column
        columns = [(sys.argv[4], index) for index in sys.argv[5:]]
        names = sys.argv[5:]
    elif sys.argv[3] == "--pairs":
        columns = [tuple(pair.split(":", 1)) for pair in sys.argv[4:]]
        if any(len(c) != 2 for c in columns):
            sys.exit(__doc__)
        names = sys.argv[4:]
    else:
        columns = [(binary, sys.argv[3]) for binary in sys.argv[4:]]
        names = sys.argv[4:]
    if len(columns) < 2:
        sys.exit(__doc__)
    missing = [queries] if not os.path.exists(queries) else []
    for binary, index in columns:
        missing += [] if shutil.which(binary) else [binary]
        missing += [] if os.path.exists(index) else [index]
    if missing:
        sys.exit(f"not found: {', '.join(dict.fromkeys(missing))}; bench/run.sh writes the queries ($BENCH_DIR/queries-PAGES.jsonl) and the index, cargo build --release the binary")
    with open(queries) as f:
        queries = [json.loads(line) for line in f if line.strip()]
    print("| query | " + " | ".join(f"{n} p50 ms" for n in names) + " | ratio |")
    print("|---|" + "---|" * len(names) + "---|")
    medians = [[] for _ in columns]
    for q in queries:
        times = [[] for _ in columns]
        for _ in range(runs):
            for (binary, index), samples in zip(columns, times):
                start = time.perf_counter()
                subprocess.run(
                    [binary, "query", *q["args"], "--index", index],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                samples.append((time.perf_counter() - start) * 1000)
        p50 = [statistics.median(samples) for samples in times]
        for column, m in zip(medians, p50):
            column.append(m)
        cells = " | ".join(f"{m:.1f}" for m in p50)
        print(f"| {q['label']} `{' '.join(q['args'])}` | {cells} | {p50[0] / p50[1]:.2f}× |")
    overall = [statistics.median(column) for column in medians]
    cells = " | ".join(f"{m:.1f}" for m in overall)
    print(f"| median over queries | {cells} | {overall[0] / overall[1]:.2f}× |")


if __name__ == "__main__":
    main()
