-- The statements of src/gateway-migrations/migrations.store.ts, written by `npm run sql:write`: do not edit.

-- lockReferences
SELECT profile_id, activation_token_id FROM gateway_migrations WHERE id = $1;

-- stuckRunning
SELECT id, state, deadline < now() AS overdue FROM gateway_migrations
       WHERE state IN ('PENDING', 'SOURCE_DEREGISTERED', 'AWAITING_TARGET', 'TARGET_REGISTERED', 'CONFIGURATION_APPLIED') AND updated_at < now() - interval '5 seconds';

-- lockRunningOfProfile
SELECT id FROM gateway_migrations WHERE profile_id = $1 AND state IN ('PENDING', 'SOURCE_DEREGISTERED', 'AWAITING_TARGET', 'TARGET_REGISTERED', 'CONFIGURATION_APPLIED') FOR UPDATE;

-- anyRunningOfProfile
SELECT 1 FROM gateway_migrations WHERE profile_id = $1 AND state IN ('PENDING', 'SOURCE_DEREGISTERED', 'AWAITING_TARGET', 'TARGET_REGISTERED', 'CONFIGURATION_APPLIED');

-- profilesMigrating
SELECT profile_id FROM gateway_migrations WHERE profile_id = ANY($1::uuid[]) AND state IN ('PENDING', 'SOURCE_DEREGISTERED', 'AWAITING_TARGET', 'TARGET_REGISTERED', 'CONFIGURATION_APPLIED');

-- tenantOfMigration
SELECT tenant_id FROM gateway_migrations WHERE id = $1 AND tenant_id = ANY($2::uuid[]);
