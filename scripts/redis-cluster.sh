#!/usr/bin/env bash
# A local Redis Cluster of three primaries (no replicas) from Debian's redis-server, no Docker:
# what `npm run test:cluster` and a developer trying REDIS_CLUSTER_NODES run against.
#
#   scripts/redis-cluster.sh up     installs redis-server if missing, starts the three nodes and
#                                   forms the cluster (idempotent), prints
#                                   `export REDIS_CLUSTER_NODES=127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3`
#   scripts/redis-cluster.sh down   stops the nodes and forgets the cluster (its data is throw-away)
#
# Ports: GCP_REDIS_CLUSTER_PORT and the two above it. A node's cluster bus listens 10,000 above its
# port, so the base must be at most 55533. Unset, the base is derived from GCP_REDIS_PORT (each
# checkout already has its own), three ports apart per Redis port: 63799 -> 14397..14399, buses
# 24397..24399. Derived ports and buses stay below 32768, out of Linux's ephemeral range (32768-60999):
# a port in that range can be taken by any outgoing connection of the machine at that moment (a CI run
# failed on a bus port 41398 held by one).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/.data/redis-cluster"
REDIS_PORT="${GCP_REDIS_PORT:-63799}"
BASE="${GCP_REDIS_CLUSTER_PORT:-$((12000 + (REDIS_PORT % 3000) * 3))}"
PORTS=("$BASE" "$((BASE + 1))" "$((BASE + 2))")
log() { echo "[redis-cluster] $*" >&2; }

if [ "$BASE" -gt 55533 ] || [ "$BASE" -lt 1024 ]; then
  log "GCP_REDIS_CLUSTER_PORT=$BASE: must be 1024..55533 (the cluster bus listens 10,000 above each port)"; exit 2; fi

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root (or sudo) to run: $*"; exit 1; fi
}

install_redis() {
  command -v redis-server >/dev/null && return 0
  log "installing redis-server with apt-get"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >&2
}

cluster_ok() { redis-cli -p "$1" cluster info 2>/dev/null | grep -q '^cluster_state:ok'; }
nodes_list() { local IFS=,; local list=(); for p in "${PORTS[@]}"; do list+=("127.0.0.1:$p"); done; echo "${list[*]}"; }

up() {
  install_redis
  local running=0
  for port in "${PORTS[@]}"; do
    if redis-cli -p "$port" ping >/dev/null 2>&1; then running=$((running + 1)); continue; fi
    mkdir -p "$DATA/$port"
    rm -f "$DATA/$port/nodes.conf" # a stopped node rejoins nothing: the cluster is formed afresh
    log "starting a cluster node on 127.0.0.1:$port (bus $((port + 10000)))"
    redis-server --port "$port" --bind 127.0.0.1 --dir "$DATA/$port" --daemonize yes \
      --pidfile "$DATA/$port/redis.pid" --logfile "$DATA/$port/redis.log" \
      --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 5000 \
      --appendonly no --save "" --maxmemory-policy noeviction >/dev/null
  done
  for port in "${PORTS[@]}"; do
    for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    redis-cli -p "$port" ping >/dev/null 2>&1 || { log "node $port did not start: see $DATA/$port/redis.log"; exit 1; }
  done
  if ! cluster_ok "${PORTS[0]}"; then
    if [ "$running" -gt 0 ] && [ "$running" -lt 3 ]; then
      log "some nodes were running and the cluster is not healthy: run '$0 down' first"; exit 1; fi
    log "forming the cluster (3 primaries, 16384 slots)"
    local args=(); for port in "${PORTS[@]}"; do args+=("127.0.0.1:$port"); done
    redis-cli --cluster create "${args[@]}" --cluster-replicas 0 --cluster-yes >/dev/null
  fi
  for port in "${PORTS[@]}"; do
    for _ in $(seq 100); do cluster_ok "$port" && break; sleep 0.1; done
    cluster_ok "$port" || { log "node $port does not report cluster_state:ok"; exit 1; }
  done
  echo "export REDIS_CLUSTER_NODES='$(nodes_list)'"
}

down() {
  for port in "${PORTS[@]}"; do
    if redis-cli -p "$port" ping >/dev/null 2>&1; then
      redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; log "node $port stopped"; fi
  done
  rm -rf "$DATA"
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
