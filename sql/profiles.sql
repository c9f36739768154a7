-- The statements of src/profiles/profiles.store.ts, written by `npm run sql:write`: do not edit.

-- firstPage (named prepared statement "profiles-first-page")
SELECT p.id, p.tenant_id AS "tenantId", p.name, p.description, p.configuration,
         p.configuration_version AS "configurationVersion", p.labels, p.version, p.created_at AS "createdAt", p.updated_at AS "updatedAt", a.id AS "activeGatewayId", a.type AS "gatewayType", a.status AS "gatewayStatus",
         EXISTS (SELECT 1 FROM gateway_migrations m WHERE m.profile_id = p.id AND m.state IN ('PENDING', 'SOURCE_DEREGISTERED', 'AWAITING_TARGET', 'TARGET_REGISTERED', 'CONFIGURATION_APPLIED')) AS "migrationRunning" FROM management_profiles p LEFT JOIN LATERAL (SELECT g.id, g.type, g.status FROM gateways g WHERE g.profile_id = p.id AND g.status <> 'DEREGISTERED') a ON true WHERE p.tenant_id = $1 AND p.deleted_at IS NULL
       ORDER BY p.created_at DESC, p.id DESC LIMIT $2;

-- pageAfter (named prepared statement "profiles-page-after")
SELECT p.id, p.tenant_id AS "tenantId", p.name, p.description, p.configuration,
         p.configuration_version AS "configurationVersion", p.labels, p.version, p.created_at AS "createdAt", p.updated_at AS "updatedAt", a.id AS "activeGatewayId", a.type AS "gatewayType", a.status AS "gatewayStatus",
         EXISTS (SELECT 1 FROM gateway_migrations m WHERE m.profile_id = p.id AND m.state IN ('PENDING', 'SOURCE_DEREGISTERED', 'AWAITING_TARGET', 'TARGET_REGISTERED', 'CONFIGURATION_APPLIED')) AS "migrationRunning" FROM management_profiles p LEFT JOIN LATERAL (SELECT g.id, g.type, g.status FROM gateways g WHERE g.profile_id = p.id AND g.status <> 'DEREGISTERED') a ON true
       WHERE p.tenant_id = $1 AND p.deleted_at IS NULL AND (p.created_at, p.id) < ($2::timestamptz, $3::uuid)
       ORDER BY p.created_at DESC, p.id DESC LIMIT $4;

-- liveRowsOfTenant (named prepared statement "profiles-live-by-ids")
SELECT p.id, p.tenant_id AS "tenantId", p.name, p.description, p.configuration,
         p.configuration_version AS "configurationVersion", p.labels, p.version, p.created_at AS "createdAt", p.updated_at AS "updatedAt", a.id AS "activeGatewayId", a.type AS "gatewayType", a.status AS "gatewayStatus",
         EXISTS (SELECT 1 FROM gateway_migrations m WHERE m.profile_id = p.id AND m.state IN ('PENDING', 'SOURCE_DEREGISTERED', 'AWAITING_TARGET', 'TARGET_REGISTERED', 'CONFIGURATION_APPLIED')) AS "migrationRunning" FROM management_profiles p LEFT JOIN LATERAL (SELECT g.id, g.type, g.status FROM gateways g WHERE g.profile_id = p.id AND g.status <> 'DEREGISTERED') a ON true WHERE p.tenant_id = $1 AND p.id = ANY($2::uuid[]) AND p.deleted_at IS NULL;

-- countProfilesOfTenant
SELECT count(*)::int AS count FROM management_profiles WHERE tenant_id = $1 AND deleted_at IS NULL;

-- supersedeOpenTokens
UPDATE activation_tokens SET revoked_at = now(), revoked_reason = 'SUPERSEDED'
       WHERE profile_id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now() RETURNING id;

-- revokeOpenTokensOfDeletedProfile
UPDATE activation_tokens SET revoked_at = now(), revoked_reason = 'PROFILE_DELETED'
         WHERE profile_id = $1 AND used_at IS NULL AND revoked_at IS NULL;

-- revokeTokenOfFailedMigration
UPDATE activation_tokens SET revoked_at = now(), revoked_reason = 'MIGRATION_FAILED' WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL;

-- lockToken
SELECT 1 FROM activation_tokens WHERE id = $1 FOR UPDATE;

-- useActiveToken (named prepared statement "use-activation-token")
UPDATE activation_tokens SET used_at = now(), used_by_instance_id = $2
       WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
       RETURNING id, tenant_id, profile_id, token_hash, prefix, purpose, created_by_type, created_by_id, created_at, expires_at,
         used_at, used_by_instance_id, revoked_at, revoked_reason, migration_id, replaces_gateway_id;

-- lockProfile
SELECT 1 FROM management_profiles WHERE id = $1 FOR UPDATE;

-- existingOfTenant
SELECT id FROM management_profiles WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL;

-- fleetCounts
SELECT count(*)::int AS total,
                count(*) FILTER (WHERE NOT EXISTS (SELECT g.id, g.type, g.status FROM gateways g WHERE g.profile_id = p.id AND g.status <> 'DEREGISTERED'))::int AS not_registered
         FROM management_profiles p WHERE p.tenant_id = $1 AND p.deleted_at IS NULL;

-- tenantOfProfile
SELECT tenant_id FROM management_profiles WHERE id = $1 AND tenant_id = ANY($2::uuid[]);

-- tenantOfActivationToken
SELECT tenant_id FROM activation_tokens WHERE id = $1 AND tenant_id = ANY($2::uuid[]);
