#!/usr/bin/env bash
# Benchmarks labsite against mdBook on generated workshops and writes BENCHMARKS.md.
#
#   bash benches/run.sh                 # 100, 1,000 and 5,000 chapters
#   SIZES="1000" RUNS=10 bash benches/run.sh
#
# Measures, per size: a full build on a fresh machine (no highlight cache, no
# previous output), a cold full build (empty highlight cache, previous output in
# place), a no-op rebuild and a rebuild after one chapter is edited (warm cache),
# `check --offline`, save → reload-event latency in `serve`, peak
# memory, output size; and mdBook building the same Markdown (the generator
# writes SUMMARY.md and book.toml), as ratios. Installs hyperfine and mdBook
# when absent. Not part of CI: it takes several minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"100 1000 5000"}
RUNS=${RUNS:-5}
WORK=${WORK:-target/bench}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

if ! command -v hyperfine >/dev/null; then
  apt-get update -qq && apt-get install -y -qq hyperfine
fi
if ! command -v mdbook >/dev/null; then
  cargo install mdbook --locked
fi
cargo build --release --quiet
cargo build --release --quiet --example gen-workshop --example reload-latency
LABSITE=$PWD/target/release/labsite
GEN=$PWD/target/release/examples/gen-workshop
LATENCY=$PWD/target/release/examples/reload-latency

for n in $SIZES; do
  w=$WORK/w$n
  echo "== $n chapters"
  # Everything removed during a run is moved aside and removed at the end: on a
  # filesystem mounted with `discard` (as here), removing thousands of files slows
  # the creation of files that follows, which a fresh machine has not done.
  mkdir -p "$WORK/trash"
  if [ -d "$w" ]; then mv "$w" "$WORK/trash/w$n-$(date +%s%N)"; fi
  "$GEN" "$w" --chapters "$n" --seed 42
  runs=$RUNS
  [ "$n" -ge 5000 ] && runs=3
  # The CI case: a fresh machine, no highlight cache and no previous output. It
  # goes first, before the cold builds replace out-N (removing a site each time);
  # the previous run's output is moved aside, and `sync` writes back the previous
  # run's files before the next starts, as on a machine that has just booted.
  hyperfine --style basic --runs "$runs" --warmup 1 \
    --prepare "rm -rf $WORK/cold-$n; mv $WORK/fresh-$n $WORK/trash/fresh-$n-\$(date +%s%N) 2>/dev/null || true; sync" \
    --export-json "$WORK/build-fresh-$n.json" \
    "LABSITE_CACHE_DIR=$WORK/cold-$n $LABSITE build $w -o $WORK/fresh-$n"
  mv "$WORK/fresh-$n" "$WORK/trash/fresh-$n-last"
  # The same fresh build writing its site to memory (tmpfs), when there is one:
  # what the build costs apart from this disk's creation of files.
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    hyperfine --style basic --runs "$runs" --warmup 1 \
      --prepare "rm -rf $WORK/cold-$n /dev/shm/labsite-bench-$n" \
      --export-json "$WORK/build-tmpfs-$n.json" \
      "LABSITE_CACHE_DIR=$WORK/cold-$n $LABSITE build $w -o /dev/shm/labsite-bench-$n"
    rm -rf "/dev/shm/labsite-bench-$n"
  fi
  hyperfine --style basic --runs "$runs" --warmup 1 \
    --prepare "rm -rf $WORK/cold-$n" \
    --export-json "$WORK/build-cold-$n.json" \
    "LABSITE_CACHE_DIR=$WORK/cold-$n $LABSITE build $w -o $WORK/out-$n"
  LABSITE_CACHE_DIR=$WORK/warm-$n "$LABSITE" build "$w" -o "$WORK/out-$n" 2>/dev/null
  hyperfine --style basic --runs "$runs" --warmup 1 \
    --export-json "$WORK/build-warm-$n.json" \
    "LABSITE_CACHE_DIR=$WORK/warm-$n $LABSITE build $w -o $WORK/out-$n"
  # An author's loop: one chapter in the middle edited, then a build.
  page="$w/content/chapter-$((n / 2))/README.md"
  cp "$page" "$WORK/page-$n.bak"
  hyperfine --style basic --runs "$runs" --warmup 1 \
    --prepare "cp $WORK/page-$n.bak $page && echo \"Edited \$(date +%s%N).\" >> $page" \
    --export-json "$WORK/build-edit-$n.json" \
    "LABSITE_CACHE_DIR=$WORK/warm-$n $LABSITE build $w -o $WORK/out-$n"
  cp "$WORK/page-$n.bak" "$page"
  hyperfine --style basic --runs "$runs" --warmup 1 -i \
    --export-json "$WORK/check-$n.json" \
    "$LABSITE check --offline $w"
  hyperfine --style basic --runs "$runs" --warmup 1 \
    --prepare "mv $w/book $WORK/trash/book-$n-\$(date +%s%N) 2>/dev/null || true" \
    --export-json "$WORK/mdbook-$n.json" \
    "mdbook build $w"
  rm -rf "$WORK/cold-$n"
  LABSITE_CACHE_DIR=$WORK/cold-$n /usr/bin/time -v "$LABSITE" build "$w" -o "$WORK/fresh-$n" 2>"$WORK/mem-labsite-$n.txt" >/dev/null
  mv "$WORK/fresh-$n" "$WORK/trash/fresh-$n-mem"
  mv "$w/book" "$WORK/trash/book-$n-last"
  /usr/bin/time -v mdbook build "$w" 2>"$WORK/mem-mdbook-$n.txt" >/dev/null
  du -sb "$WORK/out-$n" | cut -f1 >"$WORK/size-labsite-$n.txt"
  du -sb "$w/book" | cut -f1 >"$WORK/size-mdbook-$n.txt"
  LABSITE_CACHE_DIR=$WORK/warm-$n "$LATENCY" "$LABSITE" "$w" 10 | tail -n 1 >"$WORK/latency-$n.txt"
done
rm -rf "$WORK/trash"

# Written aside first: report.py keeps the section of benches/corpora.sh from BENCHMARKS.md.
python3 benches/report.py "$WORK" "$SIZES" > "$WORK/BENCHMARKS.md"
mv "$WORK/BENCHMARKS.md" BENCHMARKS.md
echo "wrote BENCHMARKS.md"
