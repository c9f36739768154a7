-- The statements of src/platform/metrics/postgres-ping.store.ts, written by `npm run sql:write`: do not edit.

-- ping
SELECT 1;
