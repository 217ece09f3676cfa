#!/usr/bin/env python3
"""Runs a command and prints "SECONDS PEAK_RSS_KB PEAK_HEAP_KB CPU_SECONDS":
wall time, the peak resident set (VmHWM, which counts mapped index files the kernel can
drop at any time) and the peak of anonymous memory (RssAnon, the heap and
stacks), sampled every 0.1 s from /proc, and the CPU time (user + system) of
the command and every process it waited for. The command's output is discarded.

usage: bench/peak.py COMMAND [ARG ...]
"""
import resource
import subprocess
import sys
import time


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def status(pid):
    fields = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                fields[key] = value.split()[0] if value.split() else "0"
    except OSError:
        pass
    return fields


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cpu_before = children_cpu()
    started = time.monotonic()
    child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    hwm = heap = 0
    while child.poll() is None:
        fields = status(child.pid)
        hwm = max(hwm, int(fields.get("VmHWM", 0)))
        heap = max(heap, int(fields.get("RssAnon", 0)))
        time.sleep(0.1)
    elapsed = time.monotonic() - started
    if child.returncode != 0:
        sys.exit(f"{sys.argv[1]} exited with {child.returncode}")
    print(f"{elapsed:.2f} {hwm} {heap} {children_cpu() - cpu_before:.2f}")


if __name__ == "__main__":
    main()
