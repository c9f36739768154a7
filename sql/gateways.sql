-- The statements of src/gateways/gateways.store.ts, written by `npm run sql:write`: do not edit.

-- takeCommandSequences (named prepared statement "take-command-sequences")
UPDATE gateways g SET command_sequence = g.command_sequence + c.n
         FROM unnest($1::uuid[], $2::int[]) AS c(id, n) WHERE g.id = c.id RETURNING g.id, g.command_sequence;

-- writeLastSeen
UPDATE gateways g SET last_heartbeat_at = s.at, clock_skew_seconds = s.skew
         FROM unnest($1::uuid[], $2::timestamptz[], $3::float8[]) AS s(id, at, skew)
         WHERE g.id = s.id AND (g.last_heartbeat_at IS NULL OR g.last_heartbeat_at < s.at);

-- liveGatewaysAfter
SELECT id, status, status_seq, boot_id, report_hash, credential_generation FROM gateways
           WHERE status <> 'DEREGISTERED' AND id > $1 ORDER BY id LIMIT 1000;

-- applyStatuses
WITH input AS (SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[]) AS i(id, status, seq)),
             locked AS (
               SELECT g.id, g.status AS previous FROM gateways g JOIN input i ON i.id = g.id
               WHERE g.status_seq < i.seq AND g.status <> 'DEREGISTERED' FOR UPDATE OF g)
             UPDATE gateways g SET status = i.status, status_seq = i.seq, updated_at = now()
             FROM input i JOIN locked l ON l.id = i.id WHERE g.id = i.id
             RETURNING g.id, g.tenant_id, g.profile_id, g.type, l.previous, g.status, g.status_seq;

-- setAssessments
UPDATE gateways g SET assessment = a.assessment, health = a.health
           FROM unnest($1::uuid[], $2::jsonb[], $3::text[]) AS a(id, assessment, health) WHERE g.id = a.id;

-- upsertNodes
INSERT INTO gateway_nodes (tenant_id, gateway_id, hostname, ip_address, cpu_cores, memory_mb, disk_gb, ready, kubernetes_version, apps, facts, state, last_reported_at)
         SELECT $1, $2, n.hostname, n.ip_address, n.cpu_cores, n.memory_mb, n.disk_gb, n.ready, n.kubernetes_version, n.apps, n.facts, 'ACTIVE', $3
         FROM unnest($4::text[], $5::text[], $6::int[], $7::int[], $8::int[], $9::bool[], $10::text[], $11::jsonb[], $12::jsonb[])
           AS n(hostname, ip_address, cpu_cores, memory_mb, disk_gb, ready, kubernetes_version, apps, facts)
         ON CONFLICT (gateway_id, hostname, ip_address) DO UPDATE SET
           cpu_cores = excluded.cpu_cores, memory_mb = excluded.memory_mb, disk_gb = excluded.disk_gb, ready = excluded.ready,
           kubernetes_version = excluded.kubernetes_version, apps = excluded.apps, facts = excluded.facts, state = 'ACTIVE',
           last_reported_at = excluded.last_reported_at, updated_at = now();

-- markMissingNodes
UPDATE gateway_nodes SET state = 'MISSING', ready = false, updated_at = now()
       WHERE gateway_id = $1 AND state = 'ACTIVE'
         AND (hostname, ip_address) NOT IN (SELECT * FROM unnest($2::text[], $3::text[]));

-- countByStatus
SELECT status AS key, count(*)::int AS count FROM gateways WHERE tenant_id = $1 AND status <> 'DEREGISTERED' GROUP BY status ORDER BY status;

-- countByHealth
SELECT health AS key, count(*)::int AS count FROM gateways WHERE tenant_id = $1 AND status <> 'DEREGISTERED' GROUP BY health ORDER BY health;

-- activeOfTenantByIds
SELECT id FROM gateways WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND status <> 'DEREGISTERED';

-- activeOfTenantProfiles
SELECT id FROM gateways WHERE tenant_id = $1 AND profile_id = ANY($2::uuid[]) AND status <> 'DEREGISTERED' ORDER BY created_at, id;

-- existsForTenant
SELECT 1 FROM gateways WHERE id = $1 AND tenant_id = $2;

-- connectedAmong
SELECT id FROM gateways WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND status = 'CONNECTED';

-- lockActiveOfProfile
SELECT id FROM gateways WHERE profile_id = $1 AND status <> 'DEREGISTERED' FOR UPDATE;

-- activeOfProfiles
SELECT profile_id, id, type, status FROM gateways WHERE profile_id = ANY($1::uuid[]) AND status <> 'DEREGISTERED';

-- insertGateway (named prepared statement "insert-gateway")
INSERT INTO gateways (id, tenant_id, profile_id, type, name, instance_id, registration_token_id, status, status_seq, health,
         assessment, secret_hash, secret_prefix, credential_generation, software_version, configuration_version, cluster,
         registered_at, report_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
       RETURNING created_at, updated_at;

-- tenantOfGateway
SELECT tenant_id FROM gateways WHERE id = $1 AND tenant_id = ANY($2::uuid[]);
