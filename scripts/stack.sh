#!/usr/bin/env bash
# Provisions the private Postgres and Redis that the demo and the test suite run against.
#
#   scripts/stack.sh up     installs missing system packages, starts both servers (idempotent),
#                           prints `export DATABASE_URL=... REDIS_URL=...` on stdout
#   scripts/stack.sh down   stops the servers this checkout started
#   scripts/stack.sh down postgres|redis   stops only one of them (the fault tests' outages)
#
# GCP_STACK_DATA moves the data folder (default .data/): the fault tests run private servers of
# their own there, on ports of their own, and stop and start them.
#
# When DATABASE_URL and REDIS_URL are both set, nothing is installed or started: `up` only
# echoes them back. Data lives in .data/ inside the checkout (ports below are private and
# chosen not to clash with system-wide servers on 5432/6379).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${GCP_STACK_DATA:-$ROOT/.data}"
PG_PORT="${GCP_PG_PORT:-54329}"
REDIS_PORT="${GCP_REDIS_PORT:-63799}"
log() { echo "[stack] $*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root (or sudo) to run: $*"; exit 1; fi
}

pg_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

install_packages() {
  local wanted=()
  pg_bindir >/dev/null || wanted+=(postgresql)
  command -v redis-server >/dev/null || wanted+=(redis-server)
  [ ${#wanted[@]} -eq 0 ] && return 0
  log "installing ${wanted[*]} with apt-get (about a minute)"
  # Debian's package would otherwise create and start a system-wide cluster on 5432 that we never use.
  as_root mkdir -p /etc/postgresql-common
  echo "create_main_cluster = false" | as_root tee /etc/postgresql-common/createcluster.conf >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${wanted[@]}" >&2
}

# Postgres refuses to run as root. As root we run it as the `postgres` user, which must be able to
# reach the data folder: when the checkout is somewhere that user cannot enter (under /root, say),
# the cluster goes to /var/tmp instead, keyed by the checkout's path.
pg_data_dir() {
  if [ "$(id -u)" != 0 ]; then echo "$DATA/postgres"; return; fi
  mkdir -p "$DATA"
  if su postgres -s /bin/sh -c "test -x '$DATA'" 2>/dev/null; then echo "$DATA/postgres"; else
    echo "/var/tmp/gateway-control-plane-$(echo "${GCP_STACK_DATA:-$ROOT}" | md5sum | cut -c1-12)/postgres"; fi
}

run_pg() { # run a Postgres binary as the right user
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; else "$@"; fi
}

# GCP_PG_STAT_STATEMENTS=1: load pg_stat_statements (every statement, nested ones in triggers too)
# and time functions, to see where Postgres's CPU goes in a benchmark trial (docs/performance.md).
# Off by default: it costs a little on every statement. Takes effect when Postgres (re)starts.
pg_stats_options() {
  [ "${GCP_PG_STAT_STATEMENTS:-0}" = 1 ] || return 0
  printf ' -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all -c track_functions=all'
}

start_postgres() {
  local bin pgdata sock
  bin=$(pg_bindir)
  pgdata=$(pg_data_dir)
  sock="$(dirname "$pgdata")/pg-socket"
  mkdir -p "$(dirname "$pgdata")" "$sock"
  if [ "$(id -u)" = 0 ]; then id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres; chown postgres "$(dirname "$pgdata")" "$sock"; fi
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    log "creating a Postgres cluster in $pgdata"
    run_pg "$bin/initdb" -D "$pgdata" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if run_pg "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    log "Postgres already running on port $PG_PORT"
  else
    log "starting Postgres on 127.0.0.1:$PG_PORT"
    run_pg "$bin/pg_ctl" -D "$pgdata" -w -t 30 -l "$pgdata/../postgres.log" \
      -o "-p $PG_PORT -k $sock -c listen_addresses=127.0.0.1 -c max_connections=300$(pg_stats_options)" start >/dev/null
  fi
  for db in gateway_control_plane gateway_control_plane_test; do
    if ! "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_database where datname='$db'" | grep -q 1; then
      "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$db"
    fi
  done
}

start_redis() {
  mkdir -p "$DATA/redis"
  if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    log "Redis already running on port $REDIS_PORT"; return; fi
  log "starting Redis on 127.0.0.1:$REDIS_PORT"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$DATA/redis" --daemonize yes \
    --pidfile "$DATA/redis/redis.pid" --logfile "$DATA/redis/redis.log" \
    --appendonly yes --save "" --maxmemory-policy noeviction >/dev/null
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return; sleep 0.1; done
  log "Redis did not start: see $DATA/redis/redis.log"; exit 1
}

stop_all() {
  local bin pgdata which="${1:-all}"
  if [ "$which" != postgres ] && command -v redis-cli >/dev/null && redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; log "Redis stopped"; fi
  [ "$which" = redis ] && return 0
  bin=$(pg_bindir || true); pgdata=$(pg_data_dir)
  if [ -n "$bin" ] && [ -f "$pgdata/PG_VERSION" ] && run_pg "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    run_pg "$bin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null; log "Postgres stopped"; fi
}

case "${1:-up}" in
  up)
    if [ -n "${DATABASE_URL:-}" ] && [ -n "${REDIS_URL:-}" ]; then
      log "using the given DATABASE_URL and REDIS_URL"
    else
      install_packages; start_postgres; start_redis
      DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/gateway_control_plane"
      # The Unix socket when its path fits (sun_path holds 107 bytes): on this 2-core VM it costs
      # the service about a quarter less CPU per query than loopback TCP.
      sock="$(dirname "$(pg_data_dir)")/pg-socket"
      if [ -S "$sock/.s.PGSQL.$PG_PORT" ] && [ "${#sock}" -lt 90 ]; then DATABASE_URL="$DATABASE_URL?host=$sock"; fi
      REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
    fi
    echo "export DATABASE_URL='$DATABASE_URL' REDIS_URL='$REDIS_URL'"
    ;;
  down) stop_all "${2:-all}" ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
