#!/usr/bin/env bash
# Screenshots of the sample workshop's site in headless Chromium: landing page,
# a chapter, search, resources and the print view, light and dark, 1280 and 360
# pixels wide. Writes target/screenshots/*.png (the site itself to
# target/screenshots/site/). Needs Chromium (`apt-get install chromium`).
set -euo pipefail
cd "$(dirname "$0")/.."

out=target/screenshots
cargo run --quiet -- build . -o "$out/site"
cargo run --quiet --example screenshots -- "$out/site" "$out"
ls "$out"/*.png
