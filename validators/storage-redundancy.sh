#!/usr/bin/env bash
# storage-redundancy: the storage accounts of a resource group whose name
# matches a pattern use one of the accepted redundancy SKUs.
#
# with:
#   group    resource group                         -> LAB_GROUP
#   account  account name or shell pattern          -> LAB_ACCOUNT (default "*")
#   skus     accepted SKUs (list), e.g. [Standard_ZRS, Standard_GRS]
#                                                   -> LAB_SKUS (space separated)
#
# az invocations:
#   az account show                                 exit 0 = logged in
#   az storage account list --resource-group "$LAB_GROUP" \
#     --query "[].[name, sku.name]" -o tsv          prints "<name><TAB><sku>" per account
# Pass: at least one account matches LAB_ACCOUNT, and every matching account's
# SKU is in LAB_SKUS.
#
# Exit: 0 pass, 1 fail (prints "FAIL: <reason>"), 2 error (no az, not logged
# in, missing input, az failed for another reason).
set -euo pipefail

command -v az >/dev/null || { echo "az not found on PATH: install the Azure CLI (https://learn.microsoft.com/cli/azure/install-azure-cli)"; exit 2; }
az account show >/dev/null 2>&1 || { echo "not logged in to Azure: run 'az login'"; exit 2; }
[[ -n "${LAB_GROUP:-}" ]] || { echo "the verify block needs 'with: { group: <name> }'"; exit 2; }
pattern=${LAB_ACCOUNT:-*}
read -r -a skus <<<"${LAB_SKUS:-}"
(( ${#skus[@]} > 0 )) || { echo "the verify block needs 'with: { skus: [Standard_ZRS, ...] }'"; exit 2; }

err=$(mktemp)
trap 'rm -f "$err"' EXIT
# The first ERROR line az wrote to stderr, else its first line.
az_error() { grep -m1 '^ERROR' "$err" || grep -m1 . "$err" || echo 'no error message'; }

if ! accounts=$(az storage account list --resource-group "$LAB_GROUP" \
    --query "[].[name, sku.name]" -o tsv 2>"$err"); then
  if grep -qiE 'NotFound|could not be found|was not found' "$err"; then
    echo "FAIL: resource group '$LAB_GROUP' not found"
    exit 1
  fi
  echo "az storage account list failed: $(az_error)"
  exit 2
fi

good=()
bad=()
while IFS=$'\t' read -r name sku; do
  # $pattern is deliberately unquoted: it is a shell pattern such as "stlab*".
  # shellcheck disable=SC2053
  [[ -n "$name" && "$name" == $pattern ]] || continue
  if [[ " ${skus[*]} " == *" $sku "* ]]; then
    good+=("$name ($sku)")
  else
    bad+=("$name is $sku")
  fi
done <<<"$accounts"

if (( ${#good[@]} + ${#bad[@]} == 0 )); then
  echo "FAIL: no storage account matching '$pattern' in resource group '$LAB_GROUP'"
  exit 1
fi
if (( ${#bad[@]} > 0 )); then
  echo "FAIL: ${bad[*]}; expected one of: ${skus[*]}"
  exit 1
fi
echo "redundant storage: ${good[*]}"
