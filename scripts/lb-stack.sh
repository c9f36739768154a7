#!/usr/bin/env bash
# Several service processes behind HAProxy on this machine, no Docker: two ROLE=api processes and
# one ROLE=worker on the Postgres and Redis of scripts/stack.sh (or DATABASE_URL and REDIS_URL /
# REDIS_CLUSTER_NODES when set).
#
#   scripts/lb-stack.sh up        installs haproxy if missing, builds, migrates, starts the three
#                                 processes and HAProxy (idempotent), prints `export GCP_LB_URL=...`
#   scripts/lb-stack.sh down      stops what `up` started
#   scripts/lb-stack.sh install   only installs Debian's haproxy package
#   scripts/lb-stack.sh haproxy-config LISTEN_PORT HOST:PORT...
#                                 prints the HAProxy configuration for those api processes (the
#                                 e2e test runs HAProxy with it)
#
# Ports: GCP_LB_PORT (HAProxy), GCP_LB_PORT+1 and +2 (the api processes). Unset, GCP_LB_PORT is
# derived from GCP_REDIS_PORT (each checkout has its own): 63799 -> 21397. The processes' logs
# and pid files are in .data/lb/. Secrets default to the demo's; set JWT_SECRET etc. to override.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib/node-runtime.sh"
RUN="$ROOT/.data/lb"
REDIS_PORT="${GCP_REDIS_PORT:-63799}"
LB_PORT="${GCP_LB_PORT:-$((10000 + (REDIS_PORT % 10000) * 3))}"
API_PORTS=("$((LB_PORT + 1))" "$((LB_PORT + 2))")
log() { echo "[lb-stack] $*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root (or sudo) to run: $*"; exit 1; fi
}

haproxy_bin() { command -v haproxy 2>/dev/null || { [ -x /usr/sbin/haproxy ] && echo /usr/sbin/haproxy; } || true; }

install_haproxy() {
  [ -n "$(haproxy_bin)" ] && return 0
  log "installing haproxy with apt-get"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy >&2
}

# The same rules as deploy/haproxy/haproxy.cfg (see the comments there), for local processes.
haproxy_config() {
  local listen="$1"; shift
  cat <<CFG
global
    # Two descriptors per connection must fit the open-file limit (often 20,000 here).
    maxconn 4000

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    # Long polls hold a request up to 30 s.
    timeout server 40s
    timeout http-keep-alive 10s
    timeout tunnel 1h
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response
    option forwardfor

frontend gcp
    bind 127.0.0.1:$listen
    default_backend api

backend api
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    # A busy process may answer its readiness check slowly: three failures in a row take it out.
    timeout check 2s
    default-server inter 500ms fall 3 rise 2
    http-request disable-l7-retry if METH_POST !{ path_beg /gateway/v1/ }
    http-response set-header X-Served-By %[srv_name]
CFG
  local i=1
  for server in "$@"; do echo "    server api$i $server check"; i=$((i + 1)); done
}

start_process() { # name role port
  local name="$1" role="$2" port="$3"
  if [ -f "$RUN/$name.pid" ] && kill -0 "$(cat "$RUN/$name.pid")" 2>/dev/null; then log "$name already running"; return; fi
  ROLE="$role" PORT="$port" HOST=127.0.0.1 TRUST_PROXY_HOPS=1 nohup node --max-semi-space-size=16 "$ROOT/dist/src/main.js" >"$RUN/$name.log" 2>&1 &
  echo $! >"$RUN/$name.pid"
  log "$name (ROLE=$role) started, pid $!"
}

wait_ready() { # url
  for _ in $(seq 300); do curl -fs "$1/readyz" >/dev/null 2>&1 && return 0; sleep 0.1; done
  log "$1 did not become ready: see $RUN/*.log"; exit 1
}

up() {
  install_haproxy
  mkdir -p "$RUN"
  if [ -z "${DATABASE_URL:-}" ] || { [ -z "${REDIS_URL:-}" ] && [ -z "${REDIS_CLUSTER_NODES:-}" ]; }; then
    eval "$(bash "$ROOT/scripts/stack.sh" up)"
  fi
  export DATABASE_URL
  [ -n "${REDIS_CLUSTER_NODES:-}" ] && { export REDIS_CLUSTER_NODES; unset REDIS_URL; } || export REDIS_URL
  export JWT_SECRET="${JWT_SECRET:-demo-only-jwt-secret-change-me-in-production}"
  export BOOTSTRAP_CLIENT_ID="${BOOTSTRAP_CLIENT_ID:-demo-partner}"
  export BOOTSTRAP_CLIENT_SECRET="${BOOTSTRAP_CLIENT_SECRET:-demo-partner-secret-change-me}"
  export LOG_LEVEL="${LOG_LEVEL:-info}"
  (cd "$ROOT" && bash scripts/ensure-deps.sh && { [ -f dist/src/main.js ] || npm run --silent build; } && npm run --silent migration:run >&2)
  start_process worker worker 0
  start_process api1 api "${API_PORTS[0]}"
  start_process api2 api "${API_PORTS[1]}"
  for port in "${API_PORTS[@]}"; do wait_ready "http://127.0.0.1:$port"; done
  if [ -f "$RUN/haproxy.pid" ] && kill -0 "$(cat "$RUN/haproxy.pid")" 2>/dev/null; then log "HAProxy already running"; else
    haproxy_config "$LB_PORT" "127.0.0.1:${API_PORTS[0]}" "127.0.0.1:${API_PORTS[1]}" >"$RUN/haproxy.cfg"
    "$(haproxy_bin)" -c -q -f "$RUN/haproxy.cfg"
    "$(haproxy_bin)" -D -f "$RUN/haproxy.cfg" -p "$RUN/haproxy.pid"
    log "HAProxy on 127.0.0.1:$LB_PORT -> api1 :${API_PORTS[0]}, api2 :${API_PORTS[1]}"
  fi
  wait_ready "http://127.0.0.1:$LB_PORT"
  echo "export GCP_LB_URL='http://127.0.0.1:$LB_PORT'"
}

down() {
  for name in haproxy api1 api2 worker; do
    if [ -f "$RUN/$name.pid" ]; then
      local pid; pid=$(cat "$RUN/$name.pid")
      if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; log "$name stopped (pid $pid)"; fi
      rm -f "$RUN/$name.pid"
    fi
  done
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  install) install_haproxy ;;
  haproxy-config) shift; haproxy_config "$@" ;;
  *) echo "usage: $0 up|down|install|haproxy-config LISTEN_PORT HOST:PORT..." >&2; exit 2 ;;
esac
