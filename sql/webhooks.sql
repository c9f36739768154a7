-- The statements of src/webhooks/webhooks.store.ts, written by `npm run sql:write`: do not edit.

-- countEndpointsOfTenant
SELECT count(*)::int AS count FROM webhook_endpoints WHERE tenant_id = $1 AND deleted_at IS NULL;

-- enabledEndpointsOfTenants (named prepared statement "enabled-webhook-endpoints-of-tenants")
SELECT id, tenant_id, events FROM webhook_endpoints WHERE tenant_id = ANY($1::uuid[]) AND status = 'ENABLED' AND deleted_at IS NULL;

-- insertDeliveries
INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_type, body, next_attempt_at)
       SELECT d.tenant_id, d.endpoint_id, d.event_type, d.body, now()
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[]) AS d(tenant_id, endpoint_id, event_type, body)
       RETURNING id, endpoint_id;

-- endpointToDeliver
SELECT id, tenant_id, url, secret_encrypted, status FROM webhook_endpoints WHERE id = $1 AND deleted_at IS NULL;

-- headDelivery (named prepared statement "webhook-head-delivery")
SELECT id, event_type, body, attempts, created_at, next_attempt_at <= now() AS due, GREATEST(0, EXTRACT(EPOCH FROM next_attempt_at - now()) * 1000)::float8 AS wait_ms
       FROM webhook_deliveries WHERE endpoint_id = $1 AND status = 'PENDING' ORDER BY seq LIMIT 1;

-- deliverySucceeded
UPDATE webhook_deliveries SET status = 'SUCCEEDED', attempts = attempts + 1, last_status_code = $2, last_error = NULL,
       last_duration_ms = $3, last_attempt_at = now(), next_attempt_at = NULL, delivered_at = now() WHERE id = $1 AND status = 'PENDING';

-- deliveryFailed
UPDATE webhook_deliveries SET status = CASE WHEN $5::timestamptz IS NULL THEN 'FAILED' ELSE 'PENDING' END,
       attempts = attempts + 1, last_status_code = $2, last_error = $3, last_duration_ms = $4, last_attempt_at = now(), next_attempt_at = $5
       WHERE id = $1 AND status = 'PENDING';

-- disableEndpoint
UPDATE webhook_endpoints SET status = 'DISABLED', disabled_reason = $2, disabled_at = now(), updated_at = now()
       WHERE id = $1 AND status = 'ENABLED' AND deleted_at IS NULL RETURNING tenant_id;

-- failPendingOfEndpoint
UPDATE webhook_deliveries SET status = 'FAILED', next_attempt_at = NULL WHERE endpoint_id = $1 AND status = 'PENDING';

-- dueEndpoints
SELECT DISTINCT d.endpoint_id FROM webhook_deliveries d
       WHERE d.status = 'PENDING' AND d.next_attempt_at <= now() - $1::interval LIMIT $2;

-- deliveriesOfEndpoint
SELECT id, tenant_id AS "tenantId", endpoint_id AS "endpointId", event_type AS "eventType", status, attempts,
  last_status_code AS "lastStatusCode", last_error AS "lastError", last_duration_ms AS "lastDurationMs", last_attempt_at AS "lastAttemptAt",
  next_attempt_at AS "nextAttemptAt", created_at AS "createdAt", delivered_at AS "deliveredAt" FROM webhook_deliveries
       WHERE tenant_id = $1 AND endpoint_id = $2 AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $5;

-- deliveryById
SELECT id, tenant_id AS "tenantId", endpoint_id AS "endpointId", event_type AS "eventType", status, attempts,
  last_status_code AS "lastStatusCode", last_error AS "lastError", last_duration_ms AS "lastDurationMs", last_attempt_at AS "lastAttemptAt",
  next_attempt_at AS "nextAttemptAt", created_at AS "createdAt", delivered_at AS "deliveredAt" FROM webhook_deliveries WHERE id = $1;

-- tenantOfEndpoint
SELECT tenant_id FROM webhook_endpoints WHERE id = $1 AND tenant_id = ANY($2::uuid[]) AND deleted_at IS NULL;
