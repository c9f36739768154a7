#!/usr/bin/env bash
# Installs the npm dependencies when they are missing or older than package-lock.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/node-runtime.sh
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # A linked node_modules (a git worktree sharing another checkout's) is left alone: npm ci would
  # empty the checkout it points to before replacing the link with a folder of its own.
  if [ -L node_modules ]; then
    echo "[deps] node_modules is a link to $(readlink node_modules): not installing; run npm ci where it points if it is out of date" >&2
    exit 0
  fi
  echo "[deps] npm ci" >&2
  npm ci --no-audit --no-fund >&2
fi
