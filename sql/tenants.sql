-- The statements of src/tenants/tenants.store.ts, written by `npm run sql:write`: do not edit.

-- apiClientForToken
SELECT c.id, c.tenant_id AS "tenantId", c.roles, c.secret_hash AS "secretHash", t.status
       FROM api_clients c JOIN tenants t ON t.id = c.tenant_id WHERE c.client_id = $1 AND c.revoked_at IS NULL;

-- reachableTenantIds
SELECT id FROM tenants WHERE id = $1 OR parent_id = $1;

-- tenantOfApiClient
SELECT tenant_id FROM api_clients WHERE id = $1 AND tenant_id = ANY($2::uuid[]);

-- tenantForScope (named prepared statement "tenant-for-scope")
SELECT id, kind, parent_id, status, features FROM tenants WHERE id = $1;

-- apiClientPrincipal (named prepared statement "api-client-principal")
SELECT c.id, c.tenant_id, c.roles, t.status FROM api_clients c JOIN tenants t ON t.id = c.tenant_id
       WHERE c.id = $1 AND c.revoked_at IS NULL;
