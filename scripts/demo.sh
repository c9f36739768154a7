#!/usr/bin/env bash
# Installs what is needed, starts Postgres, Redis and the service with a bootstrap partner, prints
# how to call it, and runs a small simulated fleet. Ctrl-C stops everything this script started.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/node-runtime.sh
bash scripts/ensure-deps.sh
echo "[demo] building" >&2
npm run --silent build >&2

STARTED_STACK=0
if [ -z "${DATABASE_URL:-}" ] || [ -z "${REDIS_URL:-}" ]; then STARTED_STACK=1; fi
eval "$(bash scripts/stack.sh up)"
export DATABASE_URL REDIS_URL
export PORT="${PORT:-3000}"
export JWT_SECRET="${JWT_SECRET:-demo-only-jwt-secret-change-me-in-production}"
export BOOTSTRAP_CLIENT_ID="${BOOTSTRAP_CLIENT_ID:-demo-partner}"
export BOOTSTRAP_CLIENT_SECRET="${BOOTSTRAP_CLIENT_SECRET:-demo-partner-secret-change-me}"
export BOOTSTRAP_TENANT_NAME="${BOOTSTRAP_TENANT_NAME:-Demo Partner}"
# Short intervals so the demo shows changes within seconds.
export HEARTBEAT_INTERVAL_SECONDS="${HEARTBEAT_INTERVAL_SECONDS:-5}"
export HEARTBEAT_MISSED_LIMIT="${HEARTBEAT_MISSED_LIMIT:-3}"
export LOG_LEVEL="${LOG_LEVEL:-warn}"
# /metrics on the public port, to this token (see README "Operating it").
export METRICS_TOKEN="${METRICS_TOKEN:-demo-metrics-token-change-me}"

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo >&2; echo "[demo] stopping" >&2
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$STARTED_STACK" = 1 ]; then bash scripts/stack.sh down; fi
}
trap cleanup INT TERM EXIT

npm run --silent migration:run
node --max-semi-space-size=16 dist/src/main.js &
pids+=($!)
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -fs "$BASE/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fs "$BASE/readyz" >/dev/null || { echo "[demo] the service did not become ready" >&2; exit 1; }

cat <<INFO

  Gateway Control Plane is running.

  Fleet console   $BASE/console       (sign in with the client id and secret below)
  REST API        $BASE/api/v1        (OpenAPI: openapi/openapi.yaml)
  GraphQL         $BASE/graphql       (subscriptions over graphql-ws on the same path)
  Gateway proto   $BASE/gateway/v1
  Health          $BASE/healthz  $BASE/readyz
  Metrics         curl -H "Authorization: Bearer $METRICS_TOKEN" $BASE/metrics

  Bootstrap partner API client
    client id:     $BOOTSTRAP_CLIENT_ID
    client secret: $BOOTSTRAP_CLIENT_SECRET

  Get a token:
    curl -s -X POST $BASE/api/v1/oauth/token -d grant_type=client_credentials -d client_id=$BOOTSTRAP_CLIENT_ID -d client_secret=$BOOTSTRAP_CLIENT_SECRET

  Press Ctrl-C to stop everything.

INFO

if [ -f dist/scripts/simulate.js ]; then
  node dist/scripts/simulate.js --url "$BASE" --client-id "$BOOTSTRAP_CLIENT_ID" --client-secret "$BOOTSTRAP_CLIENT_SECRET" \
    --gateways 6 --clusters 3 --single-host-clusters 1 --drill-after 10 --fail-node-after 45 --silence-after 60 &
  pids+=($!)
fi
wait "${pids[0]}"
