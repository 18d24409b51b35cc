#!/usr/bin/env bash
# Runs every fuzz target of labsite for a bounded time and fails on any crash,
# hang (an input slower than FUZZ_TIMEOUT seconds) or out-of-memory.
#
#   bash fuzz/run.sh                 # every target, 60 s each
#   bash fuzz/run.sh 300             # every target, 300 s each
#   bash fuzz/run.sh 30 slug serve_path
#   FUZZ_SECONDS=120 bash fuzz/run.sh
#
# Needs a nightly toolchain (cargo-fuzz builds with -Zsanitizer=address and
# libFuzzer); installs cargo-fuzz when it is missing. Corpora grow in
# fuzz/corpus/<target>/ across runs (seeded from the repository's Markdown and
# YAML); a crashing input is saved in fuzz/artifacts/<target>/ and named at the
# end: replay it with `cargo +nightly fuzz run <target> <file>`, then make it a
# regression test beside the code it broke. Logs are in fuzz/logs/.
#
# Not part of .ci/run: a full run takes about 5 minutes to build and
# 6 × FUZZ_SECONDS to fuzz.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:-${FUZZ_SECONDS:-60}}"
shift || true
toolchain="${FUZZ_TOOLCHAIN:-nightly}"
timeout="${FUZZ_TIMEOUT:-10}"
rss_mb="${FUZZ_RSS_MB:-2048}"

if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1; then
  echo "== installing the $toolchain toolchain (cargo-fuzz needs nightly)"
  rustup toolchain install "$toolchain" --profile minimal
fi
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo "+$toolchain" fuzz list)
fi

# The targets' fixture workshops go to a temporary folder removed at the end.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# Seeds: the Markdown and YAML the project already has (read-only corpora).
seeds="$scratch/seeds"
mkdir -p "$seeds/markdown" "$seeds/yaml" "$seeds/links" "$seeds/paths"
n=0
while IFS= read -r -d '' f; do
  n=$((n + 1))
  cp "$f" "$seeds/markdown/$n.md"
done < <(find ../content ../tests/fixtures ../src/scaffold -name '*.md' -size -64k -print0 2>/dev/null)
while IFS= read -r -d '' f; do
  n=$((n + 1))
  cp "$f" "$seeds/yaml/$n.yaml"
done < <(find ../workshop.yaml ../validators ../tests/fixtures ../src/scaffold \( -name 'workshop.yaml' -o -path '*/validators/*.yaml' \) -size -64k -print0 2>/dev/null)
printf '%s' '../chapter-2/Readme.md#task-1' >"$seeds/links/1"
printf '%s' '/content/chapter-1/images/a%20b.png?x=1' >"$seeds/links/2"
printf '%s' './extra%20notes.md#Task-1' >"$seeds/links/3"
printf '%s' '../odd%23name%3F/100%25.md' >"$seeds/links/4"
printf '%s' '/chapter%201/index.html?x=1' >"$seeds/paths/1"
printf '%s' '/a/..%2f..%2fx' >"$seeds/paths/2"

seed_for() {
  case "$1" in
    markdown_pipeline | front_matter | slug) echo "$seeds/markdown" ;;
    workshop_yaml) echo "$seeds/yaml" ;;
    link_resolution) echo "$seeds/links" ;;
    serve_path) echo "$seeds/paths" ;;
    *) echo "$seeds/markdown" ;;
  esac
}

echo "== building ${#targets[@]} fuzz targets"
cargo "+$toolchain" fuzz build

mkdir -p logs
failed=()
summary=()
for t in "${targets[@]}"; do
  echo "== fuzzing $t for ${seconds}s"
  mkdir -p "corpus/$t"
  log="logs/$t.log"
  status=0
  TMPDIR="$scratch" cargo "+$toolchain" fuzz run "$t" "corpus/$t" "$(seed_for "$t")" -- \
    -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb="$rss_mb" \
    -print_final_stats=1 >"$log" 2>&1 || status=$?
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  cov="$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -1)"
  line="$(printf '%-18s %10s execs  %s' "$t" "${execs:-?}" "${cov:-no coverage reported}")"
  if [ "$status" -ne 0 ]; then
    failed+=("$t")
    line="$line  FAILED (exit $status; see fuzz/$log)"
    grep -E 'panicked at|ERROR: libFuzzer|SUMMARY|Test unit written' "$log" | head -6 || true
  fi
  summary+=("$line")
  echo "$line"
done

echo
echo "== summary (${seconds}s per target; cov = code edges reached, ft = features)"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}; crashing inputs are in fuzz/artifacts/"
  exit 1
fi
echo "no crash in ${#targets[@]} targets"
