#!/usr/bin/env python3
"""How much of citeindex's own code a fuzz corpus reaches.

libFuzzer's `cov:` figure counts every instrumented edge, and most of those
are in html5ever, tantivy and the standard library. Whether a run has reached
a plateau is a question about our own parser, so this counts only the edges of
functions whose source is under the repository's `src/`.

usage: fuzz/own_coverage.py [--under src/page] TARGET_BINARY CORPUS [CORPUS ...]
       fuzz/own_coverage.py --uncovered [--under src/page] TARGET_BINARY CORPUS

The first form prints one line per corpus folder (say, hard-linked snapshots
of a work folder taken every ten minutes): units, our covered/total edges and
all covered edges; `--under` narrows "ours" to one folder. The second lists,
for one corpus, the functions of ours it never entered and the lines of ours
where an edge stayed uncovered, so a plateau can be read line by line. Edges
that libFuzzer places inside inlined library code (a `Vec` growing, an
overflow check) are counted per function but not listed.

TARGET_BINARY is a libFuzzer binary that `cargo fuzz build -O` built from this
checkout (its debug info names the source paths matched here), e.g.
fuzz/target/x86_64-unknown-linux-gnu/release/parse_page.
"""
import argparse
import collections
import os
import re
import subprocess

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src") + os.sep
FUNC = re.compile(r"^(UN)?COVERED_FUNC: hits: \d+ edges: (\d+)/(\d+) (.*) (\S+):(\d+)$")
PC = "  UNCOVERED_PC: "


def coverage_lines(binary, corpus):
    """libFuzzer's per-function report for one pass over the corpus, nothing mutated."""
    run = subprocess.run(
        [binary, "-runs=0", "-print_coverage=1", "-timeout=60", "-rss_limit_mb=4096", corpus],
        capture_output=True, text=True, errors="replace", check=False,
    )
    if "COVERED_FUNC" not in run.stderr:
        raise SystemExit(f"{binary} printed no coverage for {corpus}:\n{run.stderr[-2000:]}")
    return run.stderr.splitlines()


def under_prefix(under):
    return os.path.join(os.path.dirname(SRC.rstrip(os.sep)), under.strip(os.sep)) + os.sep


def summary(binary, corpus, under):
    prefix = under_prefix(under)
    own_covered = own_total = all_covered = 0
    for line in coverage_lines(binary, corpus):
        m = FUNC.match(line)
        if not m:
            continue
        covered, total, path = int(m[2]), int(m[3]), m[5]
        all_covered += covered
        if path.startswith(prefix):
            own_covered += covered
            own_total += total
    units = len(os.listdir(corpus))
    print(f"{os.path.basename(corpus.rstrip(os.sep))}\tunits {units}\town edges {own_covered}/{own_total}\tall edges {all_covered}")


def uncovered(binary, corpus, under):
    prefix = under_prefix(under)
    never, own_lines, library_pcs, edges = [], {}, collections.Counter(), {}
    current = None
    for line in coverage_lines(binary, corpus):
        m = FUNC.match(line)
        if m:
            current = None
            if m[5].startswith(prefix):
                current = (m[5][len(prefix):], int(m[6]), m[4])
                edges[current] = (int(m[2]), int(m[3]))
                if m[1]:
                    never.append(current)
                else:
                    own_lines[current] = collections.Counter()
            continue
        if current in own_lines and line.startswith(PC):
            where = line[len(PC):]
            # A PC of ours symbolises to file:line; line 0 is compiler-made code.
            if where.startswith(prefix) and not where.endswith(":0"):
                own_lines[current][int(where.rsplit(":", 1)[1])] += 1
            else:
                library_pcs[current] += 1
    print(f"== functions under {under} never entered")
    for f in sorted(never):
        print(f"{f[0]}:{f[1]}\t{edges[f][1]} edges\t{f[2]}")
    print("== entered functions: covered/total edges; lines of ours with an uncovered edge (line x count)")
    for f in sorted(own_lines, key=lambda k: (k[0], k[1])):
        lines = ", ".join(f"{n}x{c}" if c > 1 else str(n) for n, c in sorted(own_lines[f].items()))
        print(f"{f[0]}:{f[1]} {f[2]}  {edges[f][0]}/{edges[f][1]}")
        print(f"    lines: {lines or '-'}; in inlined library code: {library_pcs[f]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uncovered", action="store_true", help="list what one corpus leaves uncovered")
    parser.add_argument("--under", default="src", help="the source folder to count (default: src)")
    parser.add_argument("binary")
    parser.add_argument("corpora", nargs="+")
    args = parser.parse_args()
    if args.uncovered:
        if len(args.corpora) != 1:
            parser.error("--uncovered takes one corpus")
        uncovered(args.binary, args.corpora[0], args.under)
    else:
        for corpus in args.corpora:
            summary(args.binary, corpus, args.under)


if __name__ == "__main__":
    main()
