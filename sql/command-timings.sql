-- The statements of src/commands/command-timings.store.ts, written by `npm run sql:write`: do not edit.

-- times (named prepared statement "command-times")
SELECT id, created_at, delivered_at, ended_at FROM commands WHERE id = ANY($1::uuid[]);

-- bulkRunning (named prepared statement "bulk-commands-running")
SELECT count(*)::int AS n FROM bulk_commands WHERE state = 'RUNNING';
