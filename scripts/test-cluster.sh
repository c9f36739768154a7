#!/usr/bin/env bash
# `npm run test:cluster`: the gateway, command, liveness and subscription e2e tests on a local
# 3-primary Redis Cluster (scripts/redis-cluster.sh) instead of one Redis; Postgres as in
# `npm test`. scripts/test.sh runs it after the main suite. Extra arguments go to vitest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/node-runtime.sh
bash scripts/ensure-deps.sh
eval "$(bash scripts/stack.sh up)"
eval "$(bash scripts/redis-cluster.sh up)"
export DATABASE_URL REDIS_CLUSTER_NODES
unset REDIS_URL
# Some of these tests run the built service as a second OS process; scripts/test.sh has built it.
if [ -z "${GCP_TEST_BUILT:-}" ]; then echo "[test:cluster] build" >&2; npm run --silent build; fi
echo "[test:cluster] e2e tests on Redis Cluster $REDIS_CLUSTER_NODES" >&2
npx vitest run --config vitest.cluster.config.ts "$@"
