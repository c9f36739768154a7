# Sourced by scripts/backup.sh and scripts/restore.sh: where the Postgres client tools are.

# pg_bin <tool>: the newest installed client's tool (pg_dump must be at least the server's
# version), else the one on PATH.
pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/$1" ]; then echo "$dir/$1"; else command -v "$1"; fi
}
