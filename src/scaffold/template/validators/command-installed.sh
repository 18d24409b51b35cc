#!/usr/bin/env bash
# Passes when the program LAB_COMMAND is on the PATH; prints its version.
set -euo pipefail
cmd="${LAB_COMMAND:?the check must set with: command}"
if ! command -v "$cmd" >/dev/null 2>&1; then
  echo "FAIL: $cmd is not installed (not found on PATH)"
  exit 1
fi
"$cmd" --version 2>/dev/null | head -n 1 || echo "$cmd is installed"
