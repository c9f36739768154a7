-- The statements of src/platform/events/outbox-backlog.store.ts, written by `npm run sql:write`: do not edit.

-- backlog (named prepared statement "outbox-backlog")
SELECT count(*)::int AS events, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS age FROM outbox_events WHERE published_at IS NULL;
