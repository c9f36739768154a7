-- The statements of src/tenants/tenant-quotas.store.ts, written by `npm run sql:write`: do not edit.

-- lockTenantQuotas
SELECT quotas FROM tenants WHERE id = $1 FOR UPDATE;

-- tenantQuotas
SELECT quotas FROM tenants WHERE id = $1;

-- setTenantQuotas
UPDATE tenants SET quotas = $2::jsonb WHERE id = $1;

-- registrationTenant (named prepared statement "registration-tenant")
SELECT status, features, set_config('gcp.gateway_quota', coalesce(quotas->>'gateways', $2::text), true) AS gateway_quota
     FROM tenants WHERE id = $1;

-- countApiClients
SELECT count(*)::int AS count FROM api_clients WHERE tenant_id = $1 AND revoked_at IS NULL;

-- usage
SELECT
       (SELECT count(*)::int FROM management_profiles WHERE tenant_id = $1 AND deleted_at IS NULL) AS profiles,
       (SELECT count(*)::int FROM gateways WHERE tenant_id = $1 AND status <> 'DEREGISTERED') AS gateways,
       (SELECT count(*)::int FROM api_clients WHERE tenant_id = $1 AND revoked_at IS NULL) AS "apiClients",
       (SELECT count(*)::int FROM webhook_endpoints WHERE tenant_id = $1 AND deleted_at IS NULL) AS webhooks;
