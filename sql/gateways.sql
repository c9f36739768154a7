-- The statements of src/gateways/gateways.store.ts, written by `npm run sql:write`: do not edit.

-- takeCommandSequences (named prepared statement "take-command-sequences")
WITH locked AS (SELECT id FROM gateways WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE)
       UPDATE gateways g SET command_sequence = g.command_sequence + c.n
         FROM unnest($1::uuid[], $2::int[]) AS c(id, n) JOIN locked l ON l.id = c.id WHERE g.id = c.id
         RETURNING g.id, g.command_sequence;

-- writeLastSeen
UPDATE gateways g SET last_heartbeat_at = s.at, clock_skew_seconds = s.skew
         FROM unnest($1::uuid[], $2::timestamptz[], $3::float8[]) AS s(id, at, skew)
         WHERE g.id = s.id AND (g.last_heartbeat_at IS NULL OR g.last_heartbeat_at < s.at);

-- liveGatewaysAfter
SELECT id, status, status_seq, boot_id, report_hash, credential_generation FROM gateways
           WHERE status <> 'DEREGISTERED' AND id > $1 ORDER BY id LIMIT 1000;

-- lockForTransitions (named prepared statement "lock-gateways-for-transitions")
SELECT g.id, g.tenant_id, g.profile_id, g.type, g.status AS previous
       FROM gateways g JOIN unnest($1::uuid[], $2::bigint[]) AS i(id, seq) ON i.id = g.id
       WHERE g.status_seq < i.seq AND g.status <> 'DEREGISTERED' ORDER BY g.id FOR UPDATE OF g;

-- writeTransitions (named prepared statement "write-gateway-transitions")
UPDATE gateways g SET status = t.status, status_seq = t.seq,
           assessment = COALESCE(t.assessment, g.assessment), health = COALESCE(t.health, g.health), updated_at = now(),
           last_heartbeat_at = CASE WHEN t.at IS NOT NULL AND (g.last_heartbeat_at IS NULL OR g.last_heartbeat_at < t.at) THEN t.at ELSE g.last_heartbeat_at END,
           clock_skew_seconds = CASE WHEN t.at IS NOT NULL AND (g.last_heartbeat_at IS NULL OR g.last_heartbeat_at < t.at)
             THEN COALESCE(t.skew, g.clock_skew_seconds) ELSE g.clock_skew_seconds END
         FROM jsonb_to_recordset($1::jsonb) AS t(id uuid, status text, seq bigint, assessment jsonb, health text, at timestamptz, skew float8)
         WHERE g.id = t.id;

-- lockForReports (named prepared statement "lock-gateways-for-reports")
SELECT id, tenant_id, type, status, health, software_version, configuration_version, cluster, boot_id, report_sequence
       FROM gateways WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE;

-- recordNodes (named prepared statement "record-gateway-nodes")
WITH reported AS (
           SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::int[], $7::int[], $8::int[], $9::bool[], $10::text[], $11::jsonb[], $12::jsonb[], $13::timestamptz[])
             AS n(gateway_id, tenant_id, hostname, ip_address, cpu_cores, memory_mb, disk_gb, ready, kubernetes_version, apps, facts, reported_at)),
         upserted AS (
           INSERT INTO gateway_nodes (tenant_id, gateway_id, hostname, ip_address, cpu_cores, memory_mb, disk_gb, ready, kubernetes_version, apps, facts, state, last_reported_at)
           SELECT r.tenant_id, r.gateway_id, r.hostname, r.ip_address, r.cpu_cores, r.memory_mb, r.disk_gb, r.ready, r.kubernetes_version, r.apps, r.facts, 'ACTIVE', r.reported_at
           FROM reported r
           ON CONFLICT (gateway_id, hostname, ip_address) DO UPDATE SET
             cpu_cores = excluded.cpu_cores, memory_mb = excluded.memory_mb, disk_gb = excluded.disk_gb, ready = excluded.ready,
             kubernetes_version = excluded.kubernetes_version, apps = excluded.apps, facts = excluded.facts, state = 'ACTIVE',
             last_reported_at = excluded.last_reported_at, updated_at = now()),
         marked AS (
           UPDATE gateway_nodes n SET state = 'MISSING', ready = false, updated_at = now()
           WHERE n.gateway_id = ANY($1::uuid[]) AND n.state = 'ACTIVE'
             AND NOT EXISTS (SELECT 1 FROM reported r WHERE r.gateway_id = n.gateway_id AND r.hostname = n.hostname AND r.ip_address = n.ip_address)
           RETURNING n.gateway_id, n.hostname, n.ip_address, n.cpu_cores, n.memory_mb, n.disk_gb, n.ready, n.state, n.kubernetes_version, n.facts)
       SELECT gateway_id, hostname, ip_address, cpu_cores, memory_mb, disk_gb, ready, state, kubernetes_version, facts FROM marked
       UNION ALL
       SELECT n.gateway_id, n.hostname, n.ip_address, n.cpu_cores, n.memory_mb, n.disk_gb, n.ready, n.state, n.kubernetes_version, n.facts
       FROM gateway_nodes n
       WHERE n.gateway_id = ANY($1::uuid[]) AND n.state = 'MISSING'
         AND NOT EXISTS (SELECT 1 FROM reported r WHERE r.gateway_id = n.gateway_id AND r.hostname = n.hostname AND r.ip_address = n.ip_address);

-- writeReports (named prepared statement "write-gateway-reports")
UPDATE gateways g SET boot_id = r.boot_id, report_sequence = r.report_sequence, report_hash = r.report_hash,
           software_version = r.software_version, configuration_version = r.configuration_version,
           assessment = r.assessment, health = r.health, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb)
           AS r(id uuid, boot_id text, report_sequence bigint, report_hash text, software_version text, configuration_version int, assessment jsonb, health text)
         WHERE g.id = r.id;

-- reassessmentInputs (named prepared statement "gateway-reassessment-inputs")
SELECT g.id, g.cluster, n.hostname, n.ip_address, n.cpu_cores, n.memory_mb, n.disk_gb, n.ready, n.state, n.kubernetes_version, n.facts
       FROM gateways g LEFT JOIN gateway_nodes n ON n.gateway_id = g.id
       WHERE g.id = ANY($1::uuid[]);

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

-- registerGateway (named prepared statement "register-gateway")
WITH gateway AS (
         INSERT INTO gateways (id, tenant_id, profile_id, type, name, instance_id, registration_token_id, status, status_seq, health,
             assessment, secret_hash, secret_prefix, credential_generation, software_version, configuration_version, cluster,
             registered_at, report_hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
           RETURNING id, tenant_id, registered_at, created_at, updated_at),
       node AS (
         INSERT INTO gateway_nodes (tenant_id, gateway_id, hostname, ip_address, cpu_cores, memory_mb, disk_gb, ready, kubernetes_version, apps, facts, state, last_reported_at)
           SELECT g.tenant_id, g.id, n.hostname, n.ip_address, n.cpu_cores, n.memory_mb, n.disk_gb, n.ready, n.kubernetes_version, n.apps, n.facts, 'ACTIVE', g.registered_at
           FROM gateway g, unnest($20::text[], $21::text[], $22::int[], $23::int[], $24::int[], $25::bool[], $26::text[], $27::jsonb[], $28::jsonb[])
             AS n(hostname, ip_address, cpu_cores, memory_mb, disk_gb, ready, kubernetes_version, apps, facts)),
       change AS (SELECT * FROM jsonb_to_recordset($29::jsonb) AS change(tenant_id uuid, actor_type text, actor_id text, action text, target_type text, target_id uuid, before jsonb, after jsonb, topic text, payload jsonb)),
       audit AS (
      INSERT INTO audit_events (tenant_id, actor_type, actor_id, action, target_type, target_id, before, after)
      SELECT tenant_id, actor_type, actor_id, action, target_type, target_id, before, after FROM change),
    event AS (
      INSERT INTO outbox_events (tenant_id, topic, payload) SELECT tenant_id, topic, payload FROM change WHERE topic IS NOT NULL)
     SELECT created_at, updated_at FROM gateway;

-- tenantOfGateway
SELECT tenant_id FROM gateways WHERE id = $1 AND tenant_id = ANY($2::uuid[]);
