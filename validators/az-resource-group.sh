#!/usr/bin/env bash
# az-resource-group: a resource group exists in the current subscription.
#
# with:
#   group   resource group name                     -> LAB_GROUP
#
# az invocations:
#   az account show                                 exit 0 = logged in
#   az group exists --name "$LAB_GROUP" -o tsv      prints "true" or "false"
# Pass: "true".
#
# Exit: 0 pass, 1 fail (prints "FAIL: <reason>"), 2 error (no az, not logged
# in, missing input, az failed for another reason).
set -euo pipefail

command -v az >/dev/null || { echo "az not found on PATH: install the Azure CLI (https://learn.microsoft.com/cli/azure/install-azure-cli)"; exit 2; }
az account show >/dev/null 2>&1 || { echo "not logged in to Azure: run 'az login'"; exit 2; }
[[ -n "${LAB_GROUP:-}" ]] || { echo "the verify block needs 'with: { group: <name> }'"; exit 2; }

err=$(mktemp)
trap 'rm -f "$err"' EXIT
# The first ERROR line az wrote to stderr, else its first line.
az_error() { grep -m1 '^ERROR' "$err" || grep -m1 . "$err" || echo 'no error message'; }

if ! exists=$(az group exists --name "$LAB_GROUP" -o tsv 2>"$err"); then
  echo "az group exists failed: $(az_error)"
  exit 2
fi

if [[ "$exists" != "true" ]]; then
  echo "FAIL: resource group '$LAB_GROUP' does not exist in the current subscription (check 'az account show')"
  exit 1
fi
echo "resource group '$LAB_GROUP' exists"
