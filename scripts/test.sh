#!/usr/bin/env bash
# The whole test suite: type check, unit tests and e2e tests against real Postgres and Redis
# (provisioned by scripts/stack.sh unless DATABASE_URL and REDIS_URL are given), and the check
# that openapi/openapi.yaml and schema.gql match the code, and the OpenAPI linter. Extra arguments go to vitest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/node-runtime.sh
echo "[test] Node $(node --version)" >&2
bash scripts/ensure-deps.sh
eval "$(bash scripts/stack.sh up)"
# promtool validates deploy/prometheus/alerts.yml (test/operability-dashboards.e2e-spec.ts).
bash scripts/ensure-promtool.sh
# Chromium for the fleet console's browser tests (Debian's package; test/console.e2e-spec.ts).
bash scripts/ensure-chromium.sh
# HAProxy for the load-balancer test (Debian's package).
bash scripts/lb-stack.sh install
export DATABASE_URL REDIS_URL
echo "[test] type check" >&2
npx tsc -p tsconfig.json --noEmit
echo "[test] OpenAPI lint (redocly.yaml: the recommended rules and ours)" >&2
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true npx redocly lint --format=stylish openapi/openapi.yaml
# Some e2e tests run the built service as a second OS process.
echo "[test] build" >&2
npm run --silent build
# After the build: the linter reads the workspaces' types (cli/ imports sdk/'s built declarations).
# It reads every file with types (about a minute here): a full run includes it, a run of
# chosen test files (extra arguments) skips it. `npm run lint` runs it alone.
if [ $# -eq 0 ]; then
  echo "[test] format (.prettierrc.json; \`npx prettier --write .\` fixes it)" >&2
  npx prettier --check --log-level warn .
  echo "[test] lint (eslint.config.js)" >&2
  npx eslint .
fi
echo "[test] unit and e2e tests" >&2
npx vitest run "$@"
# The whole suite (no file named): then the gateway, command, liveness and subscription tests
# again on a local Redis Cluster.
if [ $# -eq 0 ]; then GCP_TEST_BUILT=1 bash scripts/test-cluster.sh; fi
