#!/usr/bin/env bash
# Passes when a TCP connection to LAB_HOST:LAB_PORT succeeds.
set -euo pipefail
host="${LAB_HOST:-127.0.0.1}"
port="${LAB_PORT:?the check must set with: port}"
if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
  echo "$host:$port accepts connections"
else
  echo "FAIL: nothing listens on $host:$port"
  exit 1
fi
