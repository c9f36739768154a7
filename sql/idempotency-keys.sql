-- The statements of src/platform/idempotency/idempotency-keys.store.ts, written by `npm run sql:write`: do not edit.

-- deleteExpiredKey
DELETE FROM idempotency_keys WHERE tenant_id = $1 AND key = $2 AND created_at < now() - make_interval(hours => $3);

-- claim
INSERT INTO idempotency_keys (tenant_id, key, request_hash, resource_type, resource_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, key) DO NOTHING RETURNING key;

-- find
SELECT request_hash, resource_type, resource_id FROM idempotency_keys WHERE tenant_id = $1 AND key = $2;

-- prune
DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1);
