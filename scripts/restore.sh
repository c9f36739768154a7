#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into an empty database (docs/operations.md).
#
#   DATABASE_URL=postgres://…/new_database scripts/restore.sh <file>
#
# The database must exist and be empty (createdb it first): restoring over live data is refused.
# Checks the archive against its `file.json` (SHA-256 and the schema migration it recorded),
# restores in one transaction (all or nothing), then ANALYZEs. Start the service on it afterwards:
# it applies any newer migration, and rebuilds what it keeps in Redis (an empty Redis is fine).
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the (empty) database to restore into}"
FILE="${1:?usage: scripts/restore.sh <backup file>}"
log() { echo "[restore] $*" >&2; }

# shellcheck source=lib/pg-tools.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/pg-tools.sh"
PSQL=$(pg_bin psql); PG_RESTORE=$(pg_bin pg_restore)

[ -f "$FILE" ] || { log "no such file: $FILE"; exit 1; }
expected=""
if [ -f "$FILE.json" ]; then
  sha=$(sed -n 's/.*"sha256": "\([0-9a-f]*\)".*/\1/p' "$FILE.json")
  if [ -n "$sha" ] && [ "$sha" != "$(sha256sum "$FILE" | cut -d' ' -f1)" ]; then log "$FILE does not match the SHA-256 in $FILE.json"; exit 1; fi
  expected=$(sed -n 's/.*"migration": "\([^"]*\)".*/\1/p' "$FILE.json")
else
  log "no $FILE.json beside the archive: restoring without checking it"
fi

tables=$("$PSQL" "$DATABASE_URL" -v ON_ERROR_STOP=1 -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != 0 ]; then log "the target database is not empty ($tables tables): restore into a new one"; exit 1; fi

log "restoring $FILE"
"$PG_RESTORE" --exit-on-error --single-transaction --no-owner --no-privileges --dbname="$DATABASE_URL" "$FILE"
"$PSQL" "$DATABASE_URL" -v ON_ERROR_STOP=1 -qc "ANALYZE" >/dev/null
restored=$("$PSQL" "$DATABASE_URL" -v ON_ERROR_STOP=1 -tAc "SELECT name FROM schema_migrations ORDER BY timestamp DESC, id DESC LIMIT 1")
if [ -n "$expected" ] && [ "$restored" != "$expected" ]; then log "restored schema is at $restored, the backup recorded $expected"; exit 1; fi
log "done: schema at $restored"
echo "$restored"
