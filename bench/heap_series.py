#!/usr/bin/env python3
"""Runs a command and samples its anonymous memory (RssAnon: the heap and
stacks) once a second, to see which phase of a build holds the heap: prints
"SECONDS MB" lines while it runs, then the peak per window of WINDOW seconds
(default 120) and the overall peak. The command's own output is discarded.

usage: bench/heap_series.py [--window SECONDS] COMMAND [ARG ...]

Example, a first build of a million pages:
    bench/heap_series.py target/release/citeindex index corpus-1000000 --index idx -q
"""
import subprocess
import sys
import time


def rss_anon_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main():
    args = sys.argv[1:]
    window = 120
    if args[:1] == ["--window"]:
        window, args = int(args[1]), args[2:]
    if not args:
        sys.exit(__doc__)
    started = time.monotonic()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples = []
    while child.poll() is None:
        t, mb = time.monotonic() - started, rss_anon_kb(child.pid) / 1024
        samples.append((t, mb))
        print(f"{t:.0f} {mb:.0f}", flush=True)
        time.sleep(1)
    elapsed = time.monotonic() - started
    if child.returncode != 0:
        sys.exit(f"{args[0]} exited with {child.returncode}")
    peaks = {}
    for t, mb in samples:
        w = int(t // window)
        peaks[w] = max(peaks.get(w, 0), mb)
    print(f"# {elapsed:.0f} s in all; peak per {window} s window:")
    for w, mb in sorted(peaks.items()):
        print(f"#   {w * window:>5}-{(w + 1) * window:<5} s  {mb:.0f} MB")
    print(f"# peak {max(mb for _, mb in samples):.0f} MB")


if __name__ == "__main__":
    main()
