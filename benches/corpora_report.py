#!/usr/bin/env python3
"""Turns the measurements of benches/corpora.sh into the section "Real repositories" of
BENCHMARKS.md (Markdown on stdout)."""
import json
import os
import platform
import re
import statistics
import subprocess
import sys

work, names = sys.argv[1], sys.argv[2:]


def path(name):
    return os.path.join(work, name)


def read(name):
    with open(path(name)) as f:
        return f.read().strip()


def timings(name):
    """(median wall, its standard deviation, mean CPU time: user + system) of each command."""
    with open(path(name)) as f:
        return [
            (
                statistics.median(r["times"]),
                statistics.stdev(r["times"]) if len(r["times"]) > 1 else 0.0,
                r["user"] + r["system"],
            )
            for r in json.load(f)["results"]
        ]


def fmt(t):
    return f"{t[0] * 1000:.0f} ms ± {t[1] * 1000:.0f}"


def load(name):
    m = re.search(r"load average: (.*)$", read(name))
    return m.group(1) if m else "?"


def version(cmd):
    return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]


def cpu():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def met(ratio, limit):
    return "met" if ratio <= limit else "**not met**"


labsite = version(["target/release/labsite", "--version"])
lychee = version(["lychee", "--version"])
mdbook = version(["mdbook", "--version"])
print("## Real repositories\n")
print(f"Measured on {read('date.txt')} with `bash benches/corpora.sh` ({labsite}, {lychee}, {mdbook}),")
print(f"on {cpu()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; load average (1, 5, 15 min)")
print(f"{load('uptime-start.txt')} at the start and {load('uptime-end.txt')} at the end: the machine is shared,")
print("so these figures carry the other users' work. Times are medians of hyperfine runs ± standard deviation;")
print("*CPU* is the mean CPU time (user + system) of a run, which the other users' work disturbs less than the")
print("wall time (on a loaded machine a run waits for a core). The targets are on wall time.")
print("*check*: `labsite check --offline ROOT` against `lychee --offline --include-fragments` given the same")
print("Markdown files (labsite's pages: `*.md` outside hidden folders, `node_modules/` and `target/`).")
print("*fresh build*: no highlight cache, no previous output, against `mdbook build` of a copy of the")
print("repository with a generated `SUMMARY.md` listing every page. *generated*: `gen-workshop --repository`")
print("(seed 42), with the hazards of real repositories at their rates:")
if os.path.exists(path("generated-stats.txt")):
    print(f"{read('generated-stats.txt').replace('wrote ', 'it wrote ').split(' to /')[0]};")
    stats = read("generated-stats.txt").split("; ", 1)[1]
    print(f"{stats}.")
for line in open(path("missing.txt")):
    print(f"\n{line.strip()}.")
print()
print("| repository | pages (files) | measure | labsite | peer | labsite / peer | CPU labsite / peer | target | |")
print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |")
for name in names:
    size = f"{read(f'pages-{name}.txt')} ({read(f'files-{name}.txt')})"
    check, lych = timings(f"check-{name}.json")
    (build,) = timings(f"build-{name}.json")
    (md,) = timings(f"mdbook-{name}.json")
    for measure, ours, peer, limit in (
        ("`check --offline` vs lychee", check, lych, 0.5),
        ("fresh build vs mdBook", build, md, 0.25),
    ):
        r = ours[0] / peer[0]
        cpu_ratio = f"{ours[2] * 1000:.0f} / {peer[2] * 1000:.0f} ms = {ours[2] / peer[2]:.2f}"
        print(
            f"| {name} | {size} | {measure} | {fmt(ours)} | {fmt(peer)} | {r:.2f} | {cpu_ratio} | ≤ {limit} | {met(r, limit)} |"
        )
    ls, ms = int(read(f"size-labsite-{name}.txt")), int(read(f"size-mdbook-{name}.txt"))
    print(f"| {name} | {size} | output size | {ls / 1e6:.1f} MB | {ms / 1e6:.1f} MB | {ls / ms:.2f} | – | – | |")
