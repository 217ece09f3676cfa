#!/usr/bin/env python3
"""How much of citeindex's own code a fuzz corpus reaches.

libFuzzer's `cov:` figure counts every instrumented edge, and most of those
are in html5ever, tantivy and the standard library. Whether a run has reached
a plateau is a question about our own parser, so this counts only the edges of
functions whose source is under the repository's `src/`.

usage: fuzz/own_coverage.py [--under src/page] TARGET_BINARY CORPUS [CORPUS ...]
       fuzz/own_coverage.py --uncovered [--under src/page] TARGET_BINARY CORPUS

The first form prints one line per corpus folder (say, hard-linked snapshots
of a work folder taken every ten minutes): units, our covered/total edges, and
where the uncovered ones sit; `--under` narrows "ours" to one folder. The second lists,
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

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
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
    return os.path.join(ROOT, under.strip(os.sep)) + os.sep


class Function:
    """One function of ours in libFuzzer's report, with where its uncovered edges sit."""

    def __init__(self, name, line, covered, total):
        self.name, self.line, self.covered, self.total = name, line, covered, total
        self.own_lines = collections.Counter()  # our source line -> uncovered edges there
        self.in_library = 0  # uncovered edges inside inlined library code


def functions(binary, corpus, prefix):
    """Our functions under `prefix`, keyed by (file relative to it, line, name):
    each generic instance is a function of its own at the same line."""
    found, current = {}, None
    for line in coverage_lines(binary, corpus):
        m = FUNC.match(line)
        if m:
            current = None
            if m[5].startswith(prefix):
                current = Function(m[4], int(m[6]), int(m[2]), int(m[3]))
                found[(m[5][len(prefix):], int(m[6]), m[4])] = current
            continue
        if current and line.startswith(PC):
            where = line[len(PC):]
            # A PC of ours symbolises to file:line; line 0 is compiler-made code.
            if where.startswith(prefix) and not where.endswith(":0"):
                current.own_lines[int(where.rsplit(":", 1)[1])] += 1
            else:
                current.in_library += 1
    return found


def summary(binary, corpus, under):
    """libFuzzer lists uncovered PCs only inside functions that were entered, so
    the uncovered edges are split three ways: at our own lines, inside library
    code inlined into our functions (Unicode tables, UTF-8 widths, `Vec`
    growth), and in functions never entered."""
    found = functions(binary, corpus, under_prefix(under))
    covered = sum(f.covered for f in found.values())
    total = sum(f.total for f in found.values())
    at_lines = sum(sum(f.own_lines.values()) for f in found.values() if f.covered)
    in_library = sum(f.in_library for f in found.values() if f.covered)
    never = sum(f.total for f in found.values() if not f.covered)
    units = len(os.listdir(corpus))
    print(
        f"{os.path.basename(corpus.rstrip(os.sep))}\tunits {units}\town edges {covered}/{total}"
        f"\tuncovered: {at_lines} at our lines, {in_library} in inlined library code,"
        f" {never} in functions never entered"
    )


def uncovered(binary, corpus, under):
    found = functions(binary, corpus, under_prefix(under))
    print(f"== functions under {under} never entered")
    for (path, line, _), f in sorted(found.items()):
        if not f.covered:
            print(f"{path}:{line}\t{f.total} edges\t{f.name}")
    print("== entered functions: covered/total edges; lines of ours with an uncovered edge (line x count)")
    for (path, line, _), f in sorted(found.items()):
        if f.covered:
            lines = ", ".join(f"{n}x{c}" if c > 1 else str(n) for n, c in sorted(f.own_lines.items()))
            print(f"{path}:{line} {f.name}  {f.covered}/{f.total}")
            print(f"    lines: {lines or '-'}; in inlined library code: {f.in_library}")


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
