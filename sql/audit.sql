-- The statements of src/platform/audit/audit.store.ts, written by `npm run sql:write`: do not edit.

-- recordChanges (named prepared statement "record-changes")
WITH change AS (SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::jsonb[], $8::jsonb[], $9::text[], $10::jsonb[]) AS change(tenant_id, actor_type, actor_id, action, target_type, target_id, before, after, topic, payload)), audit AS (
      INSERT INTO audit_events (tenant_id, actor_type, actor_id, action, target_type, target_id, before, after)
      SELECT tenant_id, actor_type, actor_id, action, target_type, target_id, before, after FROM change),
    event AS (
      INSERT INTO outbox_events (tenant_id, topic, payload) SELECT tenant_id, topic, payload FROM change WHERE topic IS NOT NULL) SELECT count(*) FROM change;
