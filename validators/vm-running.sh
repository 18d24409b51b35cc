#!/usr/bin/env bash
# vm-running: every listed VM exists and its power state is "VM running".
#
# with:
#   group   resource group of the VMs               -> LAB_GROUP
#   vms     VM names (list)                         -> LAB_VMS (space separated)
#
# az invocations:
#   az account show                                 exit 0 = logged in
#   az vm get-instance-view --resource-group "$LAB_GROUP" --name <vm> \
#     --query "instanceView.statuses[?starts_with(code,'PowerState/')].displayStatus" -o tsv
#                                                   once per VM; prints e.g. "VM running"
# Pass: every VM prints "VM running". A VM that az reports as not found fails.
#
# Exit: 0 pass, 1 fail (prints "FAIL: <reason>"), 2 error (no az, not logged
# in, missing input, az failed for another reason).
set -euo pipefail

command -v az >/dev/null || { echo "az not found on PATH: install the Azure CLI (https://learn.microsoft.com/cli/azure/install-azure-cli)"; exit 2; }
az account show >/dev/null 2>&1 || { echo "not logged in to Azure: run 'az login'"; exit 2; }
[[ -n "${LAB_GROUP:-}" ]] || { echo "the verify block needs 'with: { group: <name> }'"; exit 2; }
read -r -a vms <<<"${LAB_VMS:-}"
(( ${#vms[@]} > 0 )) || { echo "the verify block needs 'with: { vms: [<name>, ...] }'"; exit 2; }

err=$(mktemp)
trap 'rm -f "$err"' EXIT
# The first ERROR line az wrote to stderr, else its first line.
az_error() { grep -m1 '^ERROR' "$err" || grep -m1 . "$err" || echo 'no error message'; }

problems=()
stopped=0
for vm in "${vms[@]}"; do
  if ! state=$(az vm get-instance-view --resource-group "$LAB_GROUP" --name "$vm" \
      --query "instanceView.statuses[?starts_with(code,'PowerState/')].displayStatus" -o tsv 2>"$err"); then
    if grep -qiE 'NotFound|could not be found|was not found' "$err"; then
      problems+=("$vm not found in $LAB_GROUP")
      continue
    fi
    echo "az vm get-instance-view failed for $vm: $(az_error)"
    exit 2
  fi
  if [[ "$state" != "VM running" ]]; then
    problems+=("$vm is '${state:-in an unknown state}'")
    stopped=1
  fi
done

if (( ${#problems[@]} > 0 )); then
  msg=$(printf '%s; ' "${problems[@]}")
  hint=""
  if (( stopped )); then
    hint=" (expected 'VM running'; start it with: az vm start -g $LAB_GROUP -n <vm>)"
  fi
  echo "FAIL: ${msg%; }$hint"
  exit 1
fi
echo "running: ${vms[*]}"
