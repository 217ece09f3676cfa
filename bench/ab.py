#!/usr/bin/env python3
"""Interleaved whole-process A/B runs of `citeindex query`: two or more
binaries on the same index, each query run N times per binary in turn, so
that a noisy host slows all of them alike. Prints a Markdown table of p50s
and the ratio of the first binary to the second.

usage: bench/ab.py N QUERIES.jsonl INDEX BINARY_A BINARY_B [BINARY ...]

QUERIES.jsonl is the query set `bench/run.sh` writes (one {"label", "args"}
object a line), e.g. $BENCH_DIR/queries-100000.jsonl.
"""
import json
import statistics
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 6:
        sys.exit(__doc__)
    runs, queries, index = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    binaries = sys.argv[4:]
    with open(queries) as f:
        queries = [json.loads(line) for line in f if line.strip()]
    print("| query | " + " | ".join(f"{b} p50 ms" for b in binaries) + " | ratio |")
    print("|---|" + "---|" * len(binaries) + "---|")
    medians = {b: [] for b in binaries}
    for q in queries:
        times = {b: [] for b in binaries}
        for _ in range(runs):
            for b in binaries:
                start = time.perf_counter()
                subprocess.run(
                    [b, "query", *q["args"], "--index", index],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                times[b].append((time.perf_counter() - start) * 1000)
        p50 = [statistics.median(times[b]) for b in binaries]
        for b, m in zip(binaries, p50):
            medians[b].append(m)
        cells = " | ".join(f"{m:.1f}" for m in p50)
        print(f"| {q['label']} `{' '.join(q['args'])}` | {cells} | {p50[0] / p50[1]:.2f}× |")
    overall = [statistics.median(medians[b]) for b in binaries]
    cells = " | ".join(f"{m:.1f}" for m in overall)
    print(f"| median over queries | {cells} | {overall[0] / overall[1]:.2f}× |")


if __name__ == "__main__":
    main()
