-- The statements of src/platform/audit/audit.store.ts, written by `npm run sql:write`: do not edit.

-- firstPage (named prepared statement "audit-first-page")
SELECT e.id, e.tenant_id AS "tenantId", e.actor_type AS "actorType", e.actor_id AS "actorId", e.action,
         e.target_type AS "targetType", e.target_id AS "targetId", e.before, e.after, e.created_at AS "createdAt" FROM audit_events e WHERE e.tenant_id = $1 ORDER BY e.created_at DESC, e.id DESC LIMIT $2;

-- pageAfter (named prepared statement "audit-page-after")
SELECT e.id, e.tenant_id AS "tenantId", e.actor_type AS "actorType", e.actor_id AS "actorId", e.action,
         e.target_type AS "targetType", e.target_id AS "targetId", e.before, e.after, e.created_at AS "createdAt" FROM audit_events e WHERE e.tenant_id = $1 AND (e.created_at, e.id) < ($2::timestamptz, $3::uuid)
       ORDER BY e.created_at DESC, e.id DESC LIMIT $4;

-- recordChanges (named prepared statement "record-changes")
WITH change AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS change(tenant_id uuid, actor_type text, actor_id text, action text, target_type text, target_id uuid, before jsonb, after jsonb, topic text, payload jsonb)), audit AS (
      INSERT INTO audit_events (tenant_id, actor_type, actor_id, action, target_type, target_id, before, after)
      SELECT tenant_id, actor_type, actor_id, action, target_type, target_id, before, after FROM change),
    event AS (
      INSERT INTO outbox_events (tenant_id, topic, payload) SELECT tenant_id, topic, payload FROM change WHERE topic IS NOT NULL) SELECT count(*) FROM change;
