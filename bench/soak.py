#!/usr/bin/env python3
"""Soak test of `citeindex serve --watch`: hours of searches while the corpus
changes under the server and full rebuilds run beside it.

usage: bench/soak.py [--seconds 600] [--pages 20000] [--clients 3]
                     [--binary target/release/citeindex]
                     [--gen target/release/examples/gen_corpus] [--work DIR]

It generates a corpus (gen_corpus, seed 11), indexes it, starts
`citeindex serve --watch` on it, and then, for --seconds:
  - clients search without pause (random words, every filter, every sort,
    facets, paging), and ask /api/stats and /api/paper/{doi};
  - every few seconds a page is added, changed or deleted (pages carrying a
    word of their own), and the search for that word must show the change
    within --visible-within seconds;
  - every --rebuild-every seconds, `citeindex index --full` runs on the same
    index in another process;
  - the server's memory (RSS, and RssAnon: its heap) and open descriptors are
    sampled, and so are the index's generation folders (the heap must not grow
    10% past its size after warm-up; judged on runs of five minutes or more).
Every answer is checked: no 5xx but a 503 past the time limit; a search's total
equals each facet's sum and every hit passes the filters asked for. At the end
the server gets SIGTERM and must exit within 2 seconds.

Prints a Markdown report and exits 1 if any check failed.
Only Python's standard library is used.
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

SECTIONS = ["introduction", "background", "methods", "results", "discussion",
            "conclusion", "limitations", "other"]
TYPES = ["supporting", "mentioning", "contrasting"]
SORTS = ["relevance", "year", "confidence"]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seconds", type=float, default=600)
    p.add_argument("--pages", type=int, default=20000)
    p.add_argument("--clients", type=int, default=3)
    p.add_argument("--binary", default="target/release/citeindex")
    p.add_argument("--gen", default="target/release/examples/gen_corpus")
    p.add_argument("--work", default="target/soak")
    p.add_argument("--mutate-every", type=float, default=3.0)
    p.add_argument("--rebuild-every", type=float, default=120.0)
    p.add_argument("--visible-within", type=float, default=10.0)
    p.add_argument("--sample-every", type=float, default=10.0)
    return p.parse_args()


class Tally:
    """Counts, latencies and failures, shared by the threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.answered = {}
        self.latency = {}
        self.failures = {}
        self.examples = {}
        self.visible = []

    def ok(self, kind, seconds):
        with self.lock:
            self.answered[kind] = self.answered.get(kind, 0) + 1
            self.latency.setdefault(kind, []).append(seconds)

    def fail(self, kind, example):
        with self.lock:
            self.failures[kind] = self.failures.get(kind, 0) + 1
            self.examples.setdefault(kind, example)


def get(base, path, timeout=30):
    """(status, JSON body or None, seconds)."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(base + path, timeout=timeout) as r:
            body = json.loads(r.read())
            return r.status, body, time.monotonic() - started
    except urllib.error.HTTPError as e:
        try:
            body = json.loads(e.read())
        except ValueError:
            body = None
        return e.code, body, time.monotonic() - started


def check_search(params, body):
    """Why an answer to /api/search is wrong, or None."""
    facets = body["facets"]
    for name in ("type", "section", "year"):
        total = sum(facets[name].values())
        if total != body["total"]:
            return f"total {body['total']} but {name} facets sum to {total}"
    for hit in body["hits"]:
        if "type" in params and hit["type"] != params["type"]:
            return f"hit of type {hit['type']} under type={params['type']}"
        if "section" in params and hit["section_bucket"] != params["section"]:
            return f"hit in {hit['section_bucket']} under section={params['section']}"
        if "doi" in params and hit["doi"] != params["doi"]:
            return f"hit about {hit['doi']} under doi={params['doi']}"
        if "year" in params:
            low, high = params["year"].split("..")
            if hit["year"] is None or not int(low) <= hit["year"] <= int(high):
                return f"hit of {hit['year']} under year={params['year']}"
    if len(body["hits"]) > body["limit"]:
        return "more hits than the limit"
    return None


def client(base, words, dois, stop, tally, seed):
    rng = random.Random(seed)
    while not stop.is_set():
        roll = rng.random()
        if roll < 0.05:
            status, body, took = get(base, "/api/stats")
            kind = "stats"
        elif roll < 0.12 and dois:
            doi = rng.choice(dois)
            status, body, took = get(base, "/api/paper/" + urllib.parse.quote(doi, safe="/"))
            kind = "paper"
            if status == 404:  # deleted meanwhile
                tally.ok("paper (gone)", took)
                continue
        else:
            params = {"q": " ".join(rng.sample(words, rng.choice([1, 1, 2])))}
            if rng.random() < 0.3:
                params["type"] = rng.choice(TYPES)
            if rng.random() < 0.2:
                params["section"] = rng.choice(SECTIONS)
            if rng.random() < 0.2:
                low = rng.randint(1990, 2020)
                params["year"] = f"{low}..{low + rng.randint(0, 6)}"
            if rng.random() < 0.05 and dois:
                params["doi"] = rng.choice(dois)
            if rng.random() < 0.4:
                params["sort"] = rng.choice(SORTS)
            if rng.random() < 0.3:
                params["offset"] = str(rng.choice([10, 20, 50]))
            params["limit"] = str(rng.choice([10, 10, 20, 100]))
            status, body, took = get(base, "/api/search?" + urllib.parse.urlencode(params))
            kind = "search"
            if status == 200:
                why = check_search(params, body)
                if why:
                    tally.fail("inconsistent search", f"{params}: {why}")
                    continue
                for hit in body["hits"][:3]:
                    if hit["doi"] and len(dois) < 5000:
                        dois.append(hit["doi"])
        if status == 200:
            tally.ok(kind, took)
        elif status == 503:
            tally.ok(kind + " (503, over the time limit)", took)
        else:
            tally.fail(f"{kind} {status}", str(body)[:200])


PAGE = """2020
DOI: 10.5555/SOAK.{n}
|View full text |Cite
|

A soak page number {n} about {word}

Cited by 3 publications
(1 citation statements)
“…The {word} effect held in every cohort we measured (Soakley et al., 2019).…”
Section: Resultssupporting
confidence: 90%
"""


def mutator(base, corpus, stop, tally, args, seed):
    """Adds, changes and deletes pages of its own, each with a word of its own,
    and checks that the server shows each change in time."""
    rng = random.Random(seed)
    folder = os.path.join(corpus, "soak")
    os.makedirs(folder, exist_ok=True)
    live = {}  # path -> word
    n = 0

    def found(word):
        status, body, _ = get(base, "/api/search?" + urllib.parse.urlencode({"q": word}))
        return status == 200 and body["total"] > 0

    def wait_for(word, present, what):
        # While another process rebuilds the index, the server's own update
        # must wait for the writer lock: the clock restarts when it ends.
        started = time.monotonic()
        overlapped = False
        while True:
            now = time.monotonic()
            if found(word) == present:
                took = now - started
                if overlapped:
                    tally.ok(what + " (during a full rebuild)", took)
                else:
                    tally.visible.append(took)
                    tally.ok(what, took)
                return
            overlapped |= REBUILD["running"] or REBUILD["ended"] > started
            since = max(started, REBUILD["ended"])
            if not REBUILD["running"] and now - since > args.visible_within:
                break
            time.sleep(0.1)
        tally.fail(f"{what} not seen within {args.visible_within:.0f} s", word)

    while not stop.wait(args.mutate_every):
        n += 1
        word = f"soakword{seed}x{n}"
        action = rng.random()
        if action < 0.5 or len(live) < 3:
            path = os.path.join(folder, f"page-{n}.txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write(PAGE.format(n=n, word=word))
            live[path] = word
            wait_for(word, True, "page added")
        elif action < 0.75:
            path = rng.choice(list(live))
            old = live[path]
            with open(path, "w", encoding="utf-8") as f:
                f.write(PAGE.format(n=n, word=word))
            live[path] = word
            wait_for(word, True, "page changed")
            wait_for(old, False, "old text gone")
        else:
            path = rng.choice(list(live))
            os.remove(path)
            wait_for(live.pop(path), False, "page deleted")


# Whether `citeindex index --full` runs in another process, and when it last ended.
REBUILD = {"running": False, "ended": 0.0}


def rebuilder(binary, corpus, index, stop, tally, every):
    while not stop.wait(every):
        started = time.monotonic()
        REBUILD["running"] = True
        run = subprocess.run([binary, "index", corpus, "--index", index, "--full", "--quiet"],
                             capture_output=True, text=True)
        REBUILD["ended"] = time.monotonic()
        REBUILD["running"] = False
        took = time.monotonic() - started
        if run.returncode == 0:
            tally.ok("full rebuild (other process)", took)
        elif "another" in run.stderr or "lock" in run.stderr.lower():
            tally.ok("full rebuild refused: index busy", took)
        else:
            tally.fail("full rebuild failed", run.stderr[-300:])


def sample(pid, index):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon"):
                fields[key] = int(value.split()[0]) / 1024
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    generations = len([d for d in os.listdir(index) if d.startswith("gen-")])
    return fields.get("VmRSS", 0), fields.get("RssAnon", 0), fds, generations


def percentile(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def build_defaults(args):
    """Builds the binary and the corpus generator when they are the defaults,
    so the script runs from a fresh clone (cargo only rebuilds what changed)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    wanted = []
    if args.binary == "target/release/citeindex":
        wanted += ["--bin", "citeindex"]
        args.binary = os.path.join(root, args.binary)
    if args.gen == "target/release/examples/gen_corpus":
        wanted += ["--example", "gen_corpus"]
        args.gen = os.path.join(root, args.gen)
    if wanted:
        subprocess.run(["cargo", "build", "--release", "--quiet", *wanted], cwd=root, check=True)
    for path in (args.binary, args.gen):
        if not os.access(path, os.X_OK):
            sys.exit(f"{path} is not an executable: build it, or point --binary/--gen at one")


def main():
    args = parse_args()
    build_defaults(args)
    os.makedirs(args.work, exist_ok=True)
    work = os.path.abspath(args.work)
    corpus, index = os.path.join(work, "corpus"), os.path.join(work, "index")
    queries = os.path.join(work, "queries.jsonl")
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(index, ignore_errors=True)
    subprocess.run([args.gen, "--pages", str(args.pages), "--seed", "11", "--out", corpus,
                    "--queries", queries], check=True, stdout=subprocess.DEVNULL)
    words = sorted({w for line in open(queries)
                    for a in json.loads(line)["args"] for w in re.findall(r"[a-z]{4,}", a)
                    if not a.startswith("-")})
    subprocess.run([args.binary, "index", corpus, "--index", index, "--quiet"], check=True)

    log = open(os.path.join(work, "serve.log"), "w")
    server = subprocess.Popen([args.binary, "serve", "--index", index, "--watch", corpus,
                               "--addr", "127.0.0.1:0"], stderr=subprocess.PIPE, text=True)
    line = server.stderr.readline()
    match = re.search(r"http://(\S+)/", line)
    if not match:
        sys.exit(f"the server did not start: {line}")
    base = "http://" + match.group(1)
    threading.Thread(target=lambda: shutil.copyfileobj(server.stderr, log), daemon=True).start()

    tally, stop, dois = Tally(), threading.Event(), []
    threads = [threading.Thread(target=client, args=(base, words, dois, stop, tally, i))
               for i in range(args.clients)]
    threads.append(threading.Thread(target=mutator, args=(base, corpus, stop, tally, args, 7)))
    threads.append(threading.Thread(target=rebuilder, args=(args.binary, corpus, index, stop,
                                                            tally, args.rebuild_every)))
    for t in threads:
        t.start()
    started = time.monotonic()
    samples = []
    while time.monotonic() - started < args.seconds:
        time.sleep(min(args.sample_every, max(0.1, args.seconds - (time.monotonic() - started))))
        samples.append((time.monotonic() - started, *sample(server.pid, index)))
    stop.set()
    for t in threads:
        t.join()

    server.send_signal(signal.SIGTERM)
    asked = time.monotonic()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    stopped_in = time.monotonic() - asked
    report(args, tally, samples, stopped_in)


def report(args, tally, samples, stopped_in):
    failed = dict(tally.failures)
    print(f"## Soak: {args.seconds:.0f} s, {args.pages} pages, {args.clients} clients\n")
    print("| requests | answered | p50 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|")
    for kind in sorted(tally.answered):
        lat = [x * 1000 for x in tally.latency[kind]]
        print(f"| {kind} | {tally.answered[kind]} | {percentile(lat, 50):.1f} | "
              f"{percentile(lat, 99):.1f} | {max(lat):.1f} |")
    print()
    if tally.visible:
        print(f"Changes seen by a search after {percentile(tally.visible, 50):.2f} s "
              f"(median), {max(tally.visible):.2f} s at most.\n")
    warm = [s for s in samples if s[0] >= min(60.0, args.seconds / 4)]
    print("| time s | RSS MiB | heap (RssAnon) MiB | open descriptors | generations |")
    print("|---|---|---|---|---|")
    step = max(1, len(samples) // 12)
    for s in samples[::step] + ([samples[-1]] if samples and (len(samples) - 1) % step else []):
        print(f"| {s[0]:.0f} | {s[1]:.1f} | {s[2]:.1f} | {s[3]} | {s[4]} |")
    print()
    if len(warm) >= 4:
        first = statistics.median(s[2] for s in warm[:3])
        last = statistics.median(s[2] for s in warm[-3:])
        growth = (last - first) / first if first else 0.0
        fds_first = max(s[3] for s in warm[:3])
        fds_last = statistics.median(s[3] for s in warm[-3:])
        print(f"Heap after warm-up {first:.1f} MiB, at the end {last:.1f} MiB "
              f"({growth * 100:+.1f}%); descriptors {fds_first} then {fds_last:.0f}.")
        # Short runs end before the heap settles (it moves with each rebuild
        # and merge): memory is judged only over runs of five minutes or more.
        if growth >= 0.10 and args.seconds >= 300:
            failed["heap grew 10% or more"] = 1
        elif args.seconds < 300:
            print("(The run is too short to judge memory growth: five minutes at least.)")
        if fds_last > fds_first + 8:
            failed["descriptors grew"] = 1
    if max((s[4] for s in samples), default=0) > 3:
        failed["old generations left on disk"] = 1
    print(f"SIGTERM: the server stopped in {stopped_in:.2f} s.")
    if stopped_in > 2.0:
        failed["slow to stop"] = 1
    print()
    if failed:
        print("**Failures:**")
        for kind, n in sorted(failed.items()):
            print(f"- {kind}: {n} (e.g. {tally.examples.get(kind, '')})")
        sys.exit(1)
    print("No failures.")


if __name__ == "__main__":
    main()
