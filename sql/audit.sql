-- The statements of src/platform/audit/audit.store.ts, written by `npm run sql:write`: do not edit.

-- recordChanges (named prepared statement "record-changes")
WITH change AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS change(tenant_id uuid, actor_type text, actor_id text, action text, target_type text, target_id uuid, before jsonb, after jsonb, topic text, payload jsonb)), audit AS (
      INSERT INTO audit_events (tenant_id, actor_type, actor_id, action, target_type, target_id, before, after)
      SELECT tenant_id, actor_type, actor_id, action, target_type, target_id, before, after FROM change),
    event AS (
      INSERT INTO outbox_events (tenant_id, topic, payload) SELECT tenant_id, topic, payload FROM change WHERE topic IS NOT NULL) SELECT count(*) FROM change;
