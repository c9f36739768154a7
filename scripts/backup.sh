#!/usr/bin/env bash
# Backs up the service's Postgres database (docs/operations.md).
#
#   DATABASE_URL=postgres://… scripts/backup.sh [file]
#
# Writes a pg_dump custom-format archive (compressed, restorable table by table, one consistent
# snapshot of the whole database) to `file` (default backups/gcp-<UTC time>.dump), and beside it
# `file.json`: when it was taken, the last schema migration applied (the restore checks it), the
# number of migrations, the server and pg_dump versions, and the archive's SHA-256. Prints the JSON.
# Redis is not backed up: the service rebuilds everything it keeps there from Postgres.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
OUT="${1:-backups/gcp-$(date -u +%Y%m%dT%H%M%SZ).dump}"
log() { echo "[backup] $*" >&2; }

# shellcheck source=lib/pg-tools.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/pg-tools.sh"
PSQL=$(pg_bin psql); PG_DUMP=$(pg_bin pg_dump)

last_migration() {
  "$PSQL" "$DATABASE_URL" -v ON_ERROR_STOP=1 -tAc \
    "SELECT name || ' ' || (SELECT count(*) FROM schema_migrations) FROM schema_migrations ORDER BY timestamp DESC, id DESC LIMIT 1"
}

mkdir -p "$(dirname "$OUT")"
before=$(last_migration)
[ -n "$before" ] || { log "the database has no schema_migrations: is DATABASE_URL the service's database?"; exit 1; }
log "dumping to $OUT (schema at ${before% *})"
"$PG_DUMP" --format=custom --compress=6 --no-owner --no-privileges --file="$OUT.partial" "$DATABASE_URL"
after=$(last_migration)
if [ "$before" != "$after" ]; then
  rm -f "$OUT.partial"; log "a schema migration ran during the backup (${before% *} → ${after% *}): take it again"; exit 1
fi
mv "$OUT.partial" "$OUT"
server=$("$PSQL" "$DATABASE_URL" -tAc "SHOW server_version")
cat > "$OUT.json" <<JSON
{
  "file": "$(basename "$OUT")",
  "takenAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "migration": "${before% *}",
  "migrations": ${before##* },
  "serverVersion": "$server",
  "pgDump": "$("$PG_DUMP" --version | awk '{print $NF}')",
  "bytes": $(stat -c %s "$OUT"),
  "sha256": "$(sha256sum "$OUT" | cut -d' ' -f1)"
}
JSON
log "done: $(stat -c %s "$OUT") bytes"
cat "$OUT.json"
