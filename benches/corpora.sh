#!/usr/bin/env bash
# Benchmarks labsite on real workshop repositories against the peers DESIGN.md names,
# and writes the section "Real repositories" of BENCHMARKS.md.
#
#   bash benches/corpora.sh
#   RUNS=10 bash benches/corpora.sh
#
# For ../shared/corpora/pulumi-workshops and ../shared/corpora/az-104 (relative to the
# repository root; each is skipped, saying so, when missing), and for a repository made
# by `gen-workshop --repository` with about as many pages as pulumi-workshops:
#
# - `labsite check --offline ROOT` against `lychee --offline --include-fragments` given
#   the same Markdown files (those labsite reads: *.md and *.markdown outside hidden
#   folders, node_modules/ and target/);
# - a fresh `labsite build` (LABSITE_CACHE_DIR an empty folder, no previous output)
#   against `mdbook build` on a copy of the repository with a generated SUMMARY.md listing
#   every one of those pages (the generated repository has its own SUMMARY.md).
#
# Nothing is written into ../shared, and nothing of it is kept in the project: the sites,
# caches and the copies for mdBook are in a temporary folder (same disk) removed at the end;
# $WORK keeps the measurements and the generated repository. Times are medians of hyperfine runs. Installs lychee and mdBook with
# `cargo install --locked` when absent. Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
WORK=${WORK:-target/bench-corpora}
CORPORA=${CORPORA:-../shared/corpora}
WORKSHOPS=${WORKSHOPS:-32}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
export PATH="$HOME/.cargo/bin:$PATH"

if ! command -v hyperfine >/dev/null; then
  apt-get update -qq && apt-get install -y -qq hyperfine
fi
if ! command -v lychee >/dev/null; then
  cargo install lychee --locked
fi
if ! command -v mdbook >/dev/null; then
  cargo install mdbook --locked
fi
cargo build --release --quiet --bin labsite --example gen-workshop
LABSITE=$PWD/target/release/labsite
GEN=$PWD/target/release/examples/gen-workshop

# Everything removed between runs is moved aside and removed at the end: on this disk
# (mounted with `discard`) removing thousands of files slows the creation of files that
# follows, which a fresh machine has not done (see BENCHMARKS.md).
TMP=$(mktemp -d "${TMPDIR:-/tmp}/labsite-corpora.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
TRASH=$TMP/trash
mkdir -p "$TRASH"
aside() { if [ -e "$1" ]; then mv "$1" "$TRASH/$(basename "$1")-$(date +%s%N)"; fi; }

# The pages labsite reads under a root, NUL-separated, sorted.
pages() {
  (cd "$1" && find . -mindepth 1 \( -name '.*' -o -name node_modules -o -name target \) -prune \
    -o -type f \( -iname '*.md' -o -iname '*.markdown' \) -print0 | sed -z 's|^\./||' | sort -z)
}

# A SUMMARY.md listing every page, for mdBook (link destinations in <> for spaces).
summary() {
  printf '# Summary\n\n'
  tr '\0' '\n' <"$1" | while IFS= read -r p; do
    [ "$p" = SUMMARY.md ] && continue
    printf -- '- [%s](<%s>)\n' "$p" "$p"
  done
}

NAMES=()
: >"$WORK/missing.txt"
for corpus in pulumi-workshops az-104; do
  if [ -d "$CORPORA/$corpus" ]; then
    NAMES+=("$corpus")
  else
    echo "$CORPORA/$corpus is missing: skipped" | tee -a "$WORK/missing.txt"
  fi
done
NAMES+=(generated)

date -u +%Y-%m-%dT%H:%MZ >"$WORK/date.txt"
uptime >"$WORK/uptime-start.txt"
for name in "${NAMES[@]}"; do
  echo "== $name"
  if [ "$name" = generated ]; then
    root=$WORK/generated
    aside "$root"
    "$GEN" "$root" --repository --workshops "$WORKSHOPS" --seed 42 2>"$WORK/generated-stats.txt"
    cat "$WORK/generated-stats.txt"
  else
    root=$(cd "$CORPORA/$name" && pwd)
  fi
  list=$WORK/pages-$name.lst
  pages "$root" >"$list"
  tr -cd '\0' <"$list" | wc -c >"$WORK/pages-$name.txt"
  (cd "$root" && find . -type f -not -path './.git/*' | wc -l) >"$WORK/files-$name.txt"
  echo "$(cat "$WORK/pages-$name.txt") pages, $(cat "$WORK/files-$name.txt") files"
  # lychee is given absolute paths, all in one command line.
  (cd "$root" && tr '\0' '\n' <"$list" | while IFS= read -r p; do printf '%s\0' "$root/$p"; done) >"$list.abs"
  if [ "$(wc -c <"$list.abs")" -ge 120000 ]; then
    echo "too many pages for one lychee command line" >&2
    exit 1
  fi

  # What each tool reports, once, outside the measures.
  "$LABSITE" check --offline "$root" >"$WORK/check-labsite-$name.txt" 2>&1 || true
  xargs -0 -a "$list.abs" lychee --offline --include-fragments --no-progress \
    >"$WORK/check-lychee-$name.txt" 2>&1 || true
  tail -n 3 "$WORK/check-labsite-$name.txt"
  grep -E "Total|Errors" "$WORK/check-lychee-$name.txt" | head -n 4 || true

  hyperfine --style basic --runs "$RUNS" --warmup 1 -i \
    --export-json "$WORK/check-$name.json" \
    -n "labsite check --offline" "$LABSITE check --offline $root" \
    -n "lychee --offline --include-fragments" \
    "xargs -0 -a $list.abs lychee --offline --include-fragments --no-progress"

  cache=$TMP/cache-$name
  site=$TMP/site-$name
  hyperfine --style basic --runs "$RUNS" --warmup 1 \
    --prepare "rm -rf $cache; mkdir -p $cache; mv $site $TRASH/site-$name-\$(date +%s%N) 2>/dev/null || true; sync" \
    --export-json "$WORK/build-$name.json" \
    -n "labsite build (fresh)" "LABSITE_CACHE_DIR=$cache $LABSITE build $root -o $site"
  du -sb "$site" | cut -f1 >"$WORK/size-labsite-$name.txt"

  # mdBook on a copy of the same files, with a SUMMARY.md listing every page.
  src=$TMP/mdbook-src-$name
  aside "$src"
  mkdir -p "$src"
  (cd "$root" && tar --exclude=./.git -cf - .) | (cd "$src" && tar -xf -)
  if [ "$name" != generated ]; then
    summary "$list" >"$src/SUMMARY.md"
    printf '[book]\ntitle = "%s"\nsrc = "."\n\n[build]\ncreate-missing = false\n' "$name" >"$src/book.toml"
  fi
  book=$TMP/book-$name
  aside "$book"
  mdbook build "$src" -d "$book" >"$WORK/mdbook-log-$name.txt" 2>&1 ||
    { echo "mdbook failed on $name:"; tail -n 20 "$WORK/mdbook-log-$name.txt"; exit 1; }
  hyperfine --style basic --runs "$RUNS" --warmup 1 \
    --prepare "mv $book $TRASH/book-$name-\$(date +%s%N) 2>/dev/null || true; sync" \
    --export-json "$WORK/mdbook-$name.json" \
    -n "mdbook build" "mdbook build $src -d $book"
  du -sb "$book" | cut -f1 >"$WORK/size-mdbook-$name.txt"
done
uptime >"$WORK/uptime-end.txt"
rm -rf "$TRASH"

python3 benches/corpora_report.py "$WORK" "${NAMES[@]}" >"$WORK/section.md"
python3 - "$WORK/section.md" <<'EOF'
import re, sys
section = open(sys.argv[1]).read().rstrip("\n") + "\n"
text = open("BENCHMARKS.md").read()
# The section runs from its heading to the next "## " heading or the end.
m = re.search(r"^## Real repositories\n.*?(?=^## |\Z)", text, flags=re.S | re.M)
if m:
    rest = text[m.end():]
    text = text[: m.start()] + section + ("\n" + rest if rest else "")
else:
    text = text.rstrip("\n") + "\n\n" + section
open("BENCHMARKS.md", "w").write(text)
EOF
echo "wrote the section Real repositories of BENCHMARKS.md"
