#!/usr/bin/env bash
# cosmos-regions: the Cosmos DB accounts of a resource group whose name matches
# a pattern replicate to enough regions, and optionally write in a given region.
#
# with:
#   group         resource group                    -> LAB_GROUP
#   account       account name or shell pattern     -> LAB_ACCOUNT (default "*")
#   min_regions   minimum number of regions         -> LAB_MIN_REGIONS (default 2)
#   write_region  expected write region, optional, e.g. norwayeast or "Norway East"
#                                                   -> LAB_WRITE_REGION
#
# az invocations:
#   az account show                                 exit 0 = logged in
#   az cosmosdb list --resource-group "$LAB_GROUP" \
#     --query "[].[name, length(locations), writeLocations[0].locationName]" -o tsv
#                                                   prints "<name><TAB><regions><TAB><write region>"
#                                                   per account, e.g. "cosmos-lab-1a2b	2	Sweden Central"
# Pass: at least one account matches LAB_ACCOUNT, and every matching account has
# at least LAB_MIN_REGIONS regions and, when LAB_WRITE_REGION is set, writes in
# that region (compared without spaces and case).
#
# Exit: 0 pass, 1 fail (prints "FAIL: <reason>"), 2 error (no az, not logged
# in, missing input, az failed for another reason).
set -euo pipefail

command -v az >/dev/null || { echo "az not found on PATH: install the Azure CLI (https://learn.microsoft.com/cli/azure/install-azure-cli)"; exit 2; }
az account show >/dev/null 2>&1 || { echo "not logged in to Azure: run 'az login'"; exit 2; }
[[ -n "${LAB_GROUP:-}" ]] || { echo "the verify block needs 'with: { group: <name> }'"; exit 2; }
pattern=${LAB_ACCOUNT:-*}
min=${LAB_MIN_REGIONS:-2}
[[ "$min" =~ ^[0-9]+$ ]] || { echo "min_regions must be a whole number, got '$min'"; exit 2; }

# "Norway East" -> "norwayeast", so both spellings of a region compare equal.
region_key() { printf '%s' "${1// /}" | tr '[:upper:]' '[:lower:]'; }
want_write=$(region_key "${LAB_WRITE_REGION:-}")

err=$(mktemp)
trap 'rm -f "$err"' EXIT
# The first ERROR line az wrote to stderr, else its first line.
az_error() { grep -m1 '^ERROR' "$err" || grep -m1 . "$err" || echo 'no error message'; }

if ! accounts=$(az cosmosdb list --resource-group "$LAB_GROUP" \
    --query "[].[name, length(locations), writeLocations[0].locationName]" -o tsv 2>"$err"); then
  if grep -qiE 'NotFound|could not be found|was not found' "$err"; then
    echo "FAIL: resource group '$LAB_GROUP' not found"
    exit 1
  fi
  echo "az cosmosdb list failed: $(az_error)"
  exit 2
fi

good=()
bad=()
while IFS=$'\t' read -r name count write; do
  # $pattern is deliberately unquoted: it is a shell pattern such as "cosmos-lab-*".
  # shellcheck disable=SC2053
  [[ -n "$name" && "$name" == $pattern ]] || continue
  [[ "$count" =~ ^[0-9]+$ ]] || count=0
  if (( count < min )); then
    bad+=("$name has $count region(s), expected at least $min")
  elif [[ -n "$want_write" && "$(region_key "$write")" != "$want_write" ]]; then
    bad+=("$name writes in '$write', expected '$LAB_WRITE_REGION'")
  else
    good+=("$name ($count regions, writes in $write)")
  fi
done <<<"$accounts"

if (( ${#good[@]} + ${#bad[@]} == 0 )); then
  echo "FAIL: no Cosmos DB account matching '$pattern' in resource group '$LAB_GROUP'"
  exit 1
fi
if (( ${#bad[@]} > 0 )); then
  msg=$(printf '%s; ' "${bad[@]}")
  echo "FAIL: ${msg%; }"
  exit 1
fi
echo "ok: ${good[*]}"
