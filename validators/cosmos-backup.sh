#!/usr/bin/env bash
# cosmos-backup: the Cosmos DB accounts of a resource group whose name matches a
# pattern use the expected backup policy type.
#
# with:
#   group    resource group                         -> LAB_GROUP
#   account  account name or shell pattern          -> LAB_ACCOUNT (default "*")
#   policy   expected backupPolicy.type: Continuous or Periodic
#                                                   -> LAB_POLICY (default Continuous)
#
# az invocations:
#   az account show                                 exit 0 = logged in
#   az cosmosdb list --resource-group "$LAB_GROUP" \
#     --query "[].[name, backupPolicy.type, backupPolicy.migrationState.status]" -o tsv
#                                                   prints "<name><TAB><type><TAB><migration status>"
#                                                   per account, e.g. "cosmos-lab-1a2b	Continuous	None"
# Pass: at least one account matches LAB_ACCOUNT, and every matching account's
# type equals LAB_POLICY (case-insensitively).
#
# Exit: 0 pass, 1 fail (prints "FAIL: <reason>"), 2 error (no az, not logged
# in, missing input, az failed for another reason).
set -euo pipefail

command -v az >/dev/null || { echo "az not found on PATH: install the Azure CLI (https://learn.microsoft.com/cli/azure/install-azure-cli)"; exit 2; }
az account show >/dev/null 2>&1 || { echo "not logged in to Azure: run 'az login'"; exit 2; }
[[ -n "${LAB_GROUP:-}" ]] || { echo "the verify block needs 'with: { group: <name> }'"; exit 2; }
pattern=${LAB_ACCOUNT:-*}
policy=${LAB_POLICY:-Continuous}
lower() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]'; }

err=$(mktemp)
trap 'rm -f "$err"' EXIT
# The first ERROR line az wrote to stderr, else its first line.
az_error() { grep -m1 '^ERROR' "$err" || grep -m1 . "$err" || echo 'no error message'; }

if ! accounts=$(az cosmosdb list --resource-group "$LAB_GROUP" \
    --query "[].[name, backupPolicy.type, backupPolicy.migrationState.status]" -o tsv 2>"$err"); then
  if grep -qiE 'NotFound|could not be found|was not found' "$err"; then
    echo "FAIL: resource group '$LAB_GROUP' not found"
    exit 1
  fi
  echo "az cosmosdb list failed: $(az_error)"
  exit 2
fi

good=()
bad=()
while IFS=$'\t' read -r name type migration; do
  # $pattern is deliberately unquoted: it is a shell pattern such as "cosmos-lab-*".
  # shellcheck disable=SC2053
  [[ -n "$name" && "$name" == $pattern ]] || continue
  if [[ "$(lower "$type")" == "$(lower "$policy")" ]]; then
    good+=("$name")
  elif [[ "$migration" == "InProgress" ]]; then
    bad+=("$name is still migrating to $policy backup, check again in a few minutes")
  else
    bad+=("$name uses ${type:-an unknown} backup, expected $policy")
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
echo "$policy backup: ${good[*]}"
