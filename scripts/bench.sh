#!/usr/bin/env bash
# Runs one benchmark: `bash scripts/bench.sh heartbeat` or `bash scripts/bench.sh commands`
# (npm run bench:heartbeat, npm run bench:commands). Installs what is missing, provisions Postgres
# and Redis with scripts/stack.sh (unless DATABASE_URL and REDIS_URL are given), builds, then runs
# dist/scripts/bench-<name>.js. Figures go to stdout (Markdown), progress to stderr.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/node-runtime.sh
name="${1:?usage: scripts/bench.sh heartbeat|commands}"
if [ ! -f "scripts/bench-$name.ts" ]; then
  echo "[bench] no benchmark called $name (scripts/bench-$name.ts)" >&2
  exit 2
fi
if [ -f scripts/ensure-deps.sh ]; then bash scripts/ensure-deps.sh; fi
eval "$(bash scripts/stack.sh up)"
export DATABASE_URL REDIS_URL
echo "[bench] build" >&2
npm run --silent build
exec node "dist/scripts/bench-$name.js"
