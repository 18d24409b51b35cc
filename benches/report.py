#!/usr/bin/env python3
"""Turns the measurements of benches/run.sh into BENCHMARKS.md (Markdown on stdout)."""
import json
import os
import platform
import re
import statistics
import subprocess
import sys
from datetime import date

work, sizes = sys.argv[1], sys.argv[2].split()


def timing(name):
    with open(os.path.join(work, name)) as f:
        times = json.load(f)["results"][0]["times"]
    return statistics.median(times), (statistics.stdev(times) if len(times) > 1 else 0.0)


def optional_timing(name):
    return timing(name) if os.path.exists(os.path.join(work, name)) else None


def read(name):
    with open(os.path.join(work, name)) as f:
        return f.read().strip()


def peak_mb(name):
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", read(name))
    return int(m.group(1)) / 1024


def fmt(t):
    return f"{t[0] * 1000:.0f} ms ± {t[1] * 1000:.0f}"


def cpu():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


version = subprocess.run(["target/release/labsite", "--version"], capture_output=True, text=True).stdout.strip()
mdbook = subprocess.run(["mdbook", "--version"], capture_output=True, text=True).stdout.strip()
print("# Benchmarks\n")
print(f"Measured on {date.today().isoformat()} with `bash benches/run.sh` ({version}, {mdbook}),")
print(f"on {cpu()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}.")
print("Workshops come from `examples/gen-workshop.rs` (seed 42): chapter folders with 6-10 sections,")
print("a code block per section in six languages, tables, alerts, images, links and anchors between")
print("chapters, two verify blocks each, hand-written navigation. Times are medians of hyperfine runs")
print("± standard deviation. *Fresh*: no highlight cache and no previous output, as on a CI machine;")
print("*cold cache*: no highlight cache, the previous output in place; *one chapter edited* and *no-op*:")
print("warm cache. mdBook rebuilds everything every time, so its one figure is compared with each.")
print("Between runs of the fresh build and of mdBook the previous output is moved aside rather than")
print("removed: this disk (ext4 without a journal, mounted with `discard`) slows the creation of files")
print("for a minute after thousands are removed, which a fresh CI machine has not done. So the fresh")
print("build is measured first for each size, the previous workshop moved aside before it is generated,")
print("and `sync` runs before each fresh run. labsite's own removal of its previous site, in the other")
print("rebuilds, is measured as it is. The fresh build still varies with the disk's state and the")
print("machine's load: at 1,000 chapters the same binary has measured 460-545 ms on different days,")
print("alone or in this script. *Output on tmpfs*: the fresh build writing its site to memory, which shows")
print("what the disk adds.\n")
print("| chapters | measure | labsite | mdBook | labsite / mdBook |")
print("| ---: | --- | ---: | ---: | ---: |")
rows = {}
targets = {}
for n in sizes:
    fresh, cold, warm, edit, check, md = (
        timing(f"{k}-{n}.json")
        for k in ("build-fresh", "build-cold", "build-warm", "build-edit", "check", "mdbook")
    )
    lmem, mmem = peak_mb(f"mem-labsite-{n}.txt"), peak_mb(f"mem-mdbook-{n}.txt")
    lsize, msize = int(read(f"size-labsite-{n}.txt")), int(read(f"size-mdbook-{n}.txt"))
    latency = read(f"latency-{n}.txt")
    tmpfs = optional_timing(f"build-tmpfs-{n}.json")
    rows[n] = (fresh[0], check[0], lsize)
    targets[n] = (fresh, tmpfs, cold, check, lmem, latency)
    print(f"| {n} | full build, fresh (no cache, no output) | {fmt(fresh)} | {fmt(md)} | {fresh[0] / md[0]:.2f} |")
    if tmpfs:
        print(f"| {n} | full build, fresh, output on tmpfs | {fmt(tmpfs)} | {fmt(md)} | {tmpfs[0] / md[0]:.2f} |")
    print(f"| {n} | full build, cold cache | {fmt(cold)} | {fmt(md)} | {cold[0] / md[0]:.2f} |")
    print(f"| {n} | one chapter edited | {fmt(edit)} | {fmt(md)} | {edit[0] / md[0]:.2f} |")
    print(f"| {n} | no-op rebuild | {fmt(warm)} | {fmt(md)} | {warm[0] / md[0]:.2f} |")
    print(f"| {n} | `check --offline` | {fmt(check)} | – | – |")
    print(f"| {n} | save → reload event | {latency} | – | – |")
    print(f"| {n} | peak memory (build) | {lmem:.0f} MB | {mmem:.0f} MB | {lmem / mmem:.2f} |")
    print(f"| {n} | output size | {lsize / 1e6:.1f} MB | {msize / 1e6:.1f} MB | {lsize / msize:.2f} |")
if len(sizes) > 1:
    print("\n## Scaling\n")
    print("Ratios between consecutive sizes (linear growth gives the ratio of chapter counts).\n")
    print("| from → to | chapters | fresh build | check | output size |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for a, b in zip(sizes, sizes[1:]):
        ra, rb = rows[a], rows[b]
        print(f"| {a} → {b} | {int(b) / int(a):.1f}× | {rb[0] / ra[0]:.1f}× | {rb[1] / ra[1]:.1f}× | {rb[2] / ra[2]:.1f}× |")
if "1000" in targets:
    fresh, tmpfs, cold, check, lmem, latency = targets["1000"]
    median = float(re.search(r"median ([0-9.]+) ms", latency).group(1))

    def met(ok):
        return "met" if ok else "**not met**"

    print("\n## Targets of DESIGN.md, 1,000 chapters\n")
    print("| target | limit | measured | |")
    print("| --- | ---: | ---: | --- |")
    for name, t in (("full build, fresh", fresh), ("full build, fresh, output on tmpfs", tmpfs),
                    ("full build, cold cache", cold)):
        if t:
            print(f"| {name} | 500 ms | {fmt(t)} | {met(t[0] <= 0.5)} |")
    print(f"| save → reload event | 50 ms | {median:.1f} ms (median) | {met(median <= 50)} |")
    print(f"| `check --offline` | 150 ms | {fmt(check)} | {met(check[0] <= 0.15)} |")
    print(f"| peak memory, full build | 200 MB | {lmem:.0f} MB | {met(lmem <= 200)} |")

# The sections of real repositories (benches/corpora.sh's and the notes after it), kept as they are.
if os.path.exists("BENCHMARKS.md"):
    kept = re.search(r"^## Real repositories\n.*\Z", open("BENCHMARKS.md").read(), flags=re.S | re.M)
    if kept:
        print("\n" + kept.group(0).rstrip("\n"))
