-- The statements of src/platform/events/outbox.store.ts, written by `npm run sql:write`: do not edit.

-- claim (named prepared statement "claim-outbox-events")
SELECT id, tenant_id, topic, payload, created_at FROM outbox_events WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED;

-- markPublished (named prepared statement "mark-outbox-events-published")
UPDATE outbox_events SET published_at = now() WHERE id = ANY($1::bigint[]);

-- prunePublished
DELETE FROM outbox_events WHERE published_at < now() - $1::interval;

-- listen
LISTEN outbox_events;

-- notify
SELECT pg_notify($1, '');

-- backlog (named prepared statement "outbox-backlog")
SELECT count(*)::int AS events, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS age FROM outbox_events WHERE published_at IS NULL;
