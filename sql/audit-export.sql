-- The statements of src/platform/audit/audit-export.store.ts, written by `npm run sql:write`: do not edit.

-- batch (named prepared statement "audit-export-batch")
SELECT id, tenant_id, actor_type, actor_id, action, target_type, target_id, before, after, created_at, created_at::text AS position
     FROM audit_events
     WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3
       AND ($4::timestamptz IS NULL OR (created_at, id) > ($4::timestamptz, $5::uuid))
     ORDER BY created_at, id LIMIT $6;
