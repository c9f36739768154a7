#!/usr/bin/env bash
# A short measurement through HAProxy (docs/scaling.md): scripts/lb-stack.sh's two api processes
# and one worker, and the fleet simulator (the reference agent: heartbeats and long polls)
# going through the load balancer. Samples each process's CPU time (utime+stime from /proc) and
# each api process's request counts (its /metrics) over a steady window, prints them and writes
# bench-results/lb-measure.json.
#
#   GATEWAYS=300 INTERVAL=5 WINDOW=60 bash scripts/bench/lb-measure.sh
#
# CPU time is what each process used, not wall time: on a shared machine it is inflated less than
# latency is, but still take figures on a quiet machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
GATEWAYS="${GATEWAYS:-300}"
WINDOW="${WINDOW:-60}"
export HEARTBEAT_INTERVAL_SECONDS="${INTERVAL:-5}" HEARTBEAT_MISSED_LIMIT=3 LOG_LEVEL=warn
# /metrics answers with this token (the api processes inherit it).
export METRICS_TOKEN="${METRICS_TOKEN:-lb-measure-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
RUN="$ROOT/.data/lb"
log() { echo "[lb-measure] $*" >&2; }

npm run --silent build
eval "$(bash scripts/stack.sh up)"
export DATABASE_URL REDIS_URL
eval "$(bash scripts/lb-stack.sh up)"
TICK=$(getconf CLK_TCK)
cpu_seconds() { awk -v t="$TICK" '{ print ($14 + $15) / t }' "/proc/$1/stat"; }
redis_cpu() { redis-cli -p "${GCP_REDIS_PORT:-63799}" info cpu | awk -F: '/used_cpu_(sys|user):/ { s += $2 } END { print s }'; }
pg_cpu() { # the postmaster and its children
  local pm; pm=$(pgrep -f "postgres -D .*$(basename "$ROOT")/.data/postgres" | head -1 || true)
  [ -z "$pm" ] && { echo 0; return; }
  { echo "$pm"; pgrep -P "$pm"; } | while read -r pid; do [ -r "/proc/$pid/stat" ] && cpu_seconds "$pid"; done | awk '{ s += $1 } END { print s + 0 }'
}
requests() { # route count on one api process
  curl -s -H "authorization: Bearer $METRICS_TOKEN" "http://127.0.0.1:$1/metrics" | awk -v r="$2" '$0 ~ "^gcp_http_request_duration_seconds_count" && index($0, "route=\"" r "\"") { s += $2 } END { print s + 0 }'
}
LB_PORT="${GCP_LB_URL##*:}"
API_PORTS=("$((LB_PORT + 1))" "$((LB_PORT + 2))")
sample() {
  echo "$(date +%s.%N) $(cpu_seconds "$(cat "$RUN/api1.pid")") $(cpu_seconds "$(cat "$RUN/api2.pid")") $(cpu_seconds "$(cat "$RUN/worker.pid")") $(cpu_seconds "$(cat "$RUN/haproxy.pid")") $(redis_cpu) $(pg_cpu)" \
    "$(requests "${API_PORTS[0]}" /gateway/v1/heartbeat) $(requests "${API_PORTS[1]}" /gateway/v1/heartbeat) $(requests "${API_PORTS[0]}" /gateway/v1/commands) $(requests "${API_PORTS[1]}" /gateway/v1/commands)"
}

log "simulating $GATEWAYS gateways through $GCP_LB_URL (heartbeat every ${HEARTBEAT_INTERVAL_SECONDS} s)"
node dist/scripts/simulate.js --url "$GCP_LB_URL" --client-id "${BOOTSTRAP_CLIENT_ID:-demo-partner}" --client-secret "${BOOTSTRAP_CLIENT_SECRET:-demo-partner-secret-change-me}" \
  --gateways "$GATEWAYS" --duration $((WINDOW + 3 * HEARTBEAT_INTERVAL_SECONDS + 10)) >"$RUN/simulator.log" 2>&1 &
SIM=$!
trap 'kill $SIM 2>/dev/null || true' EXIT
# Steady once every gateway heartbeats: wait for the registrations, then one more interval.
until [ "$(( $(requests "${API_PORTS[0]}" /gateway/v1/register) + $(requests "${API_PORTS[1]}" /gateway/v1/register) ))" -ge "$GATEWAYS" ]; do
  kill -0 $SIM 2>/dev/null || { log "the simulator stopped: see $RUN/simulator.log"; exit 1; }; sleep 1; done
sleep $((2 * HEARTBEAT_INTERVAL_SECONDS))
A=$(sample); sleep "$WINDOW"; B=$(sample)
node -e '
const [a, b] = [process.argv[1], process.argv[2]].map((line) => line.split(/\s+/).map(Number));
const seconds = b[0] - a[0];
const d = (i) => b[i] - a[i];
const heartbeats = d(7) + d(8), polls = d(9) + d(10);
const cpu = { api1: d(1), api2: d(2), worker: d(3), haproxy: d(4), redis: d(5), postgres: d(6) };
const pct = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, Math.round((v / seconds) * 1000) / 10]));
const apiCpuMs = ((cpu.api1 + cpu.api2) * 1000);
const result = {
  finishedAt: new Date().toISOString(), gateways: Number(process.env.GATEWAYS), heartbeatIntervalSeconds: Number(process.env.HEARTBEAT_INTERVAL_SECONDS),
  windowSeconds: Math.round(seconds), heartbeatsPerSecond: Math.round(heartbeats / seconds), pollAnswersPerSecond: Math.round(polls / seconds),
  heartbeatsPerApiProcess: { api1: d(7), api2: d(8) }, cpuPercentOfACore: pct,
  apiCpuMsPerRequest: Math.round((apiCpuMs / (heartbeats + polls)) * 1000) / 1000,
  haproxyCpuMsPerRequest: Math.round(((cpu.haproxy * 1000) / (heartbeats + polls)) * 1000) / 1000,
  workerCpuMsPerGatewayPerMinute: Math.round(((cpu.worker * 1000) / Number(process.env.GATEWAYS) / (seconds / 60)) * 1000) / 1000,
  machineLoadAverage: require("os").loadavg().map((x) => Math.round(x * 10) / 10),
};
console.log(JSON.stringify(result, null, 2));
require("fs").writeFileSync("bench-results/lb-measure.json", JSON.stringify(result, null, 2) + "\n");
' "$A" "$B"
kill $SIM 2>/dev/null || true
bash scripts/lb-stack.sh down
