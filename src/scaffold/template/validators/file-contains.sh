#!/usr/bin/env bash
# Passes when the file LAB_PATH (relative to the workshop folder) contains LAB_TEXT.
set -euo pipefail
path="${LAB_PATH:?the check must set with: path}"
text="${LAB_TEXT:?the check must set with: text}"
if [ ! -f "$path" ]; then
  echo "FAIL: $path does not exist yet"
  exit 1
fi
if ! grep -qF -- "$text" "$path"; then
  echo "FAIL: $path does not contain \"$text\""
  exit 1
fi
echo "$path contains \"$text\""
