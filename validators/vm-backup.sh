#!/usr/bin/env bash
# vm-backup: every listed VM is a backup item of a Recovery Services vault.
#
# with:
#   vault   Recovery Services vault name            -> LAB_VAULT
#   group   resource group of the vault             -> LAB_GROUP
#   vms     VM names (list)                         -> LAB_VMS (space separated)
#
# az invocations:
#   az account show                                 exit 0 = logged in
#   az backup item list --vault-name "$LAB_VAULT" --resource-group "$LAB_GROUP" \
#     --query "[].properties.friendlyName" -o tsv   prints one protected item name per line
# Pass: every name in LAB_VMS is printed (compared case-insensitively, as Azure
# names are). A vault that az reports as not found fails.
#
# Exit: 0 pass, 1 fail (prints "FAIL: <reason>"), 2 error (no az, not logged
# in, missing input, az failed for another reason).
set -euo pipefail

command -v az >/dev/null || { echo "az not found on PATH: install the Azure CLI (https://learn.microsoft.com/cli/azure/install-azure-cli)"; exit 2; }
az account show >/dev/null 2>&1 || { echo "not logged in to Azure: run 'az login'"; exit 2; }
[[ -n "${LAB_VAULT:-}" ]] || { echo "the verify block needs 'with: { vault: <name> }'"; exit 2; }
[[ -n "${LAB_GROUP:-}" ]] || { echo "the verify block needs 'with: { group: <name> }'"; exit 2; }
read -r -a vms <<<"${LAB_VMS:-}"
(( ${#vms[@]} > 0 )) || { echo "the verify block needs 'with: { vms: [<name>, ...] }'"; exit 2; }

err=$(mktemp)
trap 'rm -f "$err"' EXIT
# The first ERROR line az wrote to stderr, else its first line.
az_error() { grep -m1 '^ERROR' "$err" || grep -m1 . "$err" || echo 'no error message'; }

if ! items=$(az backup item list --vault-name "$LAB_VAULT" --resource-group "$LAB_GROUP" \
    --query "[].properties.friendlyName" -o tsv 2>"$err"); then
  if grep -qiE 'NotFound|could not be found|was not found' "$err"; then
    echo "FAIL: vault '$LAB_VAULT' not found in resource group '$LAB_GROUP'"
    exit 1
  fi
  echo "az backup item list failed: $(az_error)"
  exit 2
fi

missing=()
for vm in "${vms[@]}"; do
  grep -Fxqi -- "$vm" <<<"$items" || missing+=("$vm")
done

if (( ${#missing[@]} > 0 )); then
  echo "FAIL: not protected in vault '$LAB_VAULT': ${missing[*]} (enable it with: az backup protection enable-for-vm)"
  exit 1
fi
echo "protected in vault '$LAB_VAULT': ${vms[*]}"
