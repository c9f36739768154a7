#!/usr/bin/env bash
# Runs the reference gateway agent (agent/) against a local service, such as the one `npm run demo`
# starts: with the demo partner's API client it makes a management profile, mints an activation
# token and starts `gateway-agent run` with it (a later run reuses the credentials kept in the state
# directory and mints nothing). Extra arguments go to the agent, e.g. --type CLUSTER --inventory file:nodes.json.
# Env: GCP_URL (http://127.0.0.1:3000), BOOTSTRAP_CLIENT_ID/SECRET (the demo's), AGENT_STATE_DIR (.data/agent).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/node-runtime.sh
BASE="${GCP_URL:-http://127.0.0.1:${PORT:-3000}}"
CLIENT_ID="${BOOTSTRAP_CLIENT_ID:-demo-partner}"
CLIENT_SECRET="${BOOTSTRAP_CLIENT_SECRET:-demo-partner-secret-change-me}"
STATE_DIR="${AGENT_STATE_DIR:-.data/agent}"
if [ ! -f agent/dist/cli.js ]; then
  bash scripts/ensure-deps.sh
  npm run --silent build --workspace agent
fi
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);const r=process.argv[1].split(".").reduce((o,k)=>o?.[k],v);if(r===undefined){console.error(s);process.exit(1)}console.log(r)})' "$1"; }
TOKEN_ARGS=()
if [ ! -f "$STATE_DIR/state.json" ] || grep -q deregisteredAt "$STATE_DIR/state.json"; then
  API=$(curl -fsS -X POST "$BASE/api/v1/oauth/token" -d grant_type=client_credentials -d "client_id=$CLIENT_ID" -d "client_secret=$CLIENT_SECRET" | json access_token)
  TENANT=$(node -e 'console.log(JSON.parse(Buffer.from(process.argv[1].split(".")[1], "base64url")).tenantId)' "$API")
  PROFILE=$(curl -fsS -X POST "$BASE/api/v1/tenants/$TENANT/management-profiles" -H "authorization: Bearer $API" \
    -H 'content-type: application/json' -d "{\"name\":\"local-agent-$(date +%s)\"}" | json id)
  ACTIVATION=$(curl -fsS -X POST "$BASE/api/v1/tenants/$TENANT/management-profiles/$PROFILE/activation-tokens" -H "authorization: Bearer $API" \
    -H 'content-type: application/json' -d '{}' | json token)
  echo "[agent] profile $PROFILE in tenant $TENANT; registering with a fresh activation token" >&2
  TOKEN_ARGS=(--activation-token "$ACTIVATION")
fi
exec node agent/dist/cli.js run --url "$BASE" --type CLASSIC --state-dir "$STATE_DIR" "${TOKEN_ARGS[@]}" "$@"
