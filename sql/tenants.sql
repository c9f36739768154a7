-- The statements of src/tenants/tenants.store.ts, written by `npm run sql:write`: do not edit.

-- tenantOfApiClient
SELECT tenant_id FROM api_clients WHERE id = $1 AND tenant_id = ANY($2::uuid[]);
