-- The statements of src/commands/commands.store.ts, written by `npm run sql:write`: do not edit.

-- claimWaitingCommandsOfGateways (named prepared statement "claim-waiting-commands-of-gateways")
WITH claimed AS (
           UPDATE commands c SET state = 'DELIVERED', deliveries = c.deliveries + 1, delivered_at = now(), updated_at = now()
           FROM (SELECT w.id FROM unnest($1::uuid[]) AS g(id)
                 CROSS JOIN LATERAL (SELECT id FROM commands WHERE gateway_id = g.id AND state = 'QUEUED' AND deliver_by > now()
                                     ORDER BY sequence LIMIT $2 FOR UPDATE SKIP LOCKED) w) q
           WHERE c.id = q.id RETURNING c.id, c.tenant_id, c.gateway_id, c.bulk_id, c.sequence, c.type, c.parameters, c.state, c.deliver_by, c.timeout_seconds, c.deliveries, c.delivered_at, c.acknowledged_at, c.ended_at, c.progress_percent, c.message, c.result, c.error_code, c.created_by, c.created_at, c.updated_at, c.xmin::text AS version),
         history AS (
           INSERT INTO command_history (tenant_id, command_id, source, state, progress_percent, message, error_code)
           SELECT tenant_id, id, 'system', state, progress_percent, message, error_code FROM claimed),
         delivered_change AS (
      SELECT tenant_id, 'gateway' AS actor_type, gateway_id::text AS actor_id, 'command.delivered' AS action, 'command' AS target_type,
             id AS target_id, '{"state": "QUEUED"}'::jsonb AS before,
             jsonb_strip_nulls(jsonb_build_object('state', state, 'gatewayId', gateway_id, 'type', type, 'progressPercent', progress_percent, 'errorCode', error_code)) AS after,
             'commandUpdated' AS topic,
             jsonb_build_object(
               'commandId', id, 'gatewayId', gateway_id, 'tenantId', tenant_id, 'bulkId', bulk_id, 'type', type,
               'previousState', 'QUEUED', 'state', state, 'progressPercent', progress_percent, 'message', message,
               'errorCode', error_code, 'updatedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) AS payload
      FROM claimed),
         audit AS (
      INSERT INTO audit_events (tenant_id, actor_type, actor_id, action, target_type, target_id, before, after)
      SELECT tenant_id, actor_type, actor_id, action, target_type, target_id, before, after FROM delivered_change),
    event AS (
      INSERT INTO outbox_events (tenant_id, topic, payload) SELECT tenant_id, topic, payload FROM delivered_change WHERE topic IS NOT NULL)
         SELECT id, tenant_id, gateway_id, bulk_id, sequence, type, parameters, state, deliver_by, timeout_seconds, deliveries, delivered_at, acknowledged_at, ended_at, progress_percent, message, result, error_code, created_by, created_at, updated_at, version FROM claimed ORDER BY sequence;

-- readGatewayCommand (named prepared statement "read-gateway-command")
SELECT id, tenant_id, gateway_id, bulk_id, sequence, type, parameters, state, deliver_by, timeout_seconds, deliveries, delivered_at, acknowledged_at, ended_at, progress_percent, message, result, error_code, created_by, created_at, updated_at, xmin::text AS version FROM commands WHERE id = $1 AND gateway_id = $2;

-- lockGatewayCommand (named prepared statement "lock-gateway-command")
SELECT id, tenant_id, gateway_id, bulk_id, sequence, type, parameters, state, deliver_by, timeout_seconds, deliveries, delivered_at, acknowledged_at, ended_at, progress_percent, message, result, error_code, created_by, created_at, updated_at, xmin::text AS version FROM commands WHERE id = $1 AND gateway_id = $2 FOR UPDATE;

-- saveCommandWithHistory (named prepared statement "save-command-with-history")
WITH saved AS (
           UPDATE commands SET state = $3, progress_percent = $4, message = $5, result = $6, error_code = $7,
                  acknowledged_at = $8, ended_at = $9, updated_at = now()
           WHERE id = $2)
         INSERT INTO command_history (tenant_id, command_id, source, state, progress_percent, message, error_code)
         VALUES ($1, $2, $10, $3, $4, $5, $7);

-- saveCommandVersions (named prepared statement "save-command-versions")
WITH input AS (
           SELECT * FROM jsonb_to_recordset($1::jsonb)
             AS i(tenant_id uuid, id uuid, state text, progress_percent int, message text, result jsonb, error_code text,
                  acknowledged_at timestamptz, ended_at timestamptz, source text, version xid)),
         saved AS (
           UPDATE commands c SET state = i.state, progress_percent = i.progress_percent, message = i.message, result = i.result,
                  error_code = i.error_code, acknowledged_at = i.acknowledged_at, ended_at = i.ended_at, updated_at = now()
           FROM input i WHERE c.id = i.id AND c.xmin = i.version
           RETURNING c.id, c.xmin::text AS version),
         history AS (
           INSERT INTO command_history (tenant_id, command_id, source, state, progress_percent, message, error_code)
           SELECT i.tenant_id, i.id, i.source, i.state, i.progress_percent, i.message, i.error_code FROM input i JOIN saved USING (id)),
         saved_change AS (
           SELECT * FROM jsonb_to_recordset($2::jsonb) AS change(tenant_id uuid, actor_type text, actor_id text, action text, target_type text, target_id uuid, before jsonb, after jsonb, topic text, payload jsonb) WHERE change.target_id IN (SELECT id FROM saved)),
         audit AS (
      INSERT INTO audit_events (tenant_id, actor_type, actor_id, action, target_type, target_id, before, after)
      SELECT tenant_id, actor_type, actor_id, action, target_type, target_id, before, after FROM saved_change),
    event AS (
      INSERT INTO outbox_events (tenant_id, topic, payload) SELECT tenant_id, topic, payload FROM saved_change WHERE topic IS NOT NULL)
         SELECT id, version FROM saved;

-- appendCommandHistory (named prepared statement "append-command-history")
INSERT INTO command_history (tenant_id, command_id, source, state, progress_percent, message, error_code)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[]);

-- insertCommands (named prepared statement "insert-commands")
INSERT INTO commands (id, tenant_id, gateway_id, bulk_id, sequence, type, parameters, state, deliver_by, timeout_seconds, created_by)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::bigint[], $6::text[], $7::jsonb[], $8::text[], $9::timestamptz[], $10::int[], $11::text[]);

-- gatewaysWithUnflaggedCommands
SELECT DISTINCT gateway_id FROM commands
       WHERE state = 'QUEUED' AND updated_at < now() - $1::interval AND deliver_by > now() LIMIT $2;

-- deadlineStates (named prepared statement "deadline-states")
SELECT id, state, deliveries FROM commands WHERE id = ANY($1::uuid[]);

-- overdueCommands
SELECT id, 'deliver-by' AS kind, deliveries FROM commands
         WHERE state IN ('QUEUED', 'DELIVERED') AND deliver_by < now() - $1::interval
       UNION ALL
       SELECT id, 'ack', deliveries FROM commands
         WHERE state = 'DELIVERED' AND delivered_at < now() - $2::interval - $1::interval
       UNION ALL
       SELECT id, 'time-limit', deliveries FROM commands
         WHERE state IN ('ACKNOWLEDGED', 'RUNNING') AND acknowledged_at + make_interval(secs => timeout_seconds) < now() - $1::interval
       LIMIT $3;

-- openCommandsAfter
SELECT id, gateway_id, state, deliver_by, deliveries, delivered_at,
                coalesce(acknowledged_at, delivered_at, created_at) AS started_at, timeout_seconds
         FROM commands WHERE state IN ('QUEUED', 'DELIVERED', 'ACKNOWLEDGED', 'RUNNING') AND id > $1 ORDER BY id LIMIT $2;

-- commandsByState
SELECT state AS key, count(*)::int AS count FROM commands WHERE tenant_id = $1 GROUP BY state ORDER BY state;

-- staleBulks
SELECT id FROM bulk_commands WHERE state = 'RUNNING' AND updated_at < now() - $1::interval ORDER BY updated_at LIMIT $2;

-- lockBulk
SELECT * FROM bulk_commands WHERE id = $1 FOR UPDATE;

-- countBulkCommands
SELECT count(*)::int AS started,
                count(*) FILTER (WHERE state = ANY($2::text[]))::int AS ended,
                count(*) FILTER (WHERE state = ANY($3::text[]))::int AS failed
         FROM commands WHERE bulk_id = $1;

-- setBulkCounts
UPDATE bulk_commands SET started_count = $2, ended_count = $3, failed_count = $4, updated_at = now() WHERE id = $1;

-- cancelPendingTargets
UPDATE bulk_command_targets SET state = 'CANCELLED' WHERE bulk_id = $1 AND state = 'PENDING' RETURNING gateway_id;

-- stopBulk
UPDATE bulk_commands SET state = 'STOPPED', stop_reason = $2, updated_at = now() WHERE id = $1;

-- anyPendingTarget
SELECT 1 FROM bulk_command_targets WHERE bulk_id = $1 AND state = 'PENDING' LIMIT 1;

-- completeBulk
UPDATE bulk_commands SET state = 'COMPLETED', updated_at = now() WHERE id = $1;

-- lockPendingTargets
SELECT t.gateway_id, g.status <> 'DEREGISTERED' AS live FROM bulk_command_targets t JOIN gateways g ON g.id = t.gateway_id
       WHERE t.bulk_id = $1 AND t.state = 'PENDING' ORDER BY t.position LIMIT $2 FOR UPDATE OF t SKIP LOCKED;

-- cancelTargets
UPDATE bulk_command_targets SET state = 'CANCELLED' WHERE bulk_id = $1 AND gateway_id = ANY($2::uuid[]);

-- startTargets
UPDATE bulk_command_targets t SET state = 'STARTED', command_id = c.command_id
       FROM unnest($2::uuid[], $3::uuid[]) AS c(gateway_id, command_id) WHERE t.bulk_id = $1 AND t.gateway_id = c.gateway_id;

-- addStartedToBulk
UPDATE bulk_commands SET started_count = started_count + $2 WHERE id = $1;

-- insertBulk
INSERT INTO bulk_commands (id, tenant_id, type, parameters, deliver_by, timeout_seconds, max_concurrency, max_errors, max_errors_percent, state, target_count, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'RUNNING', $10, $11);

-- insertBulkTargets
INSERT INTO bulk_command_targets (bulk_id, gateway_id, position, state) SELECT $1, t.id, t.position, 'PENDING' FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, position);

-- insertSkippedBulkTargets
INSERT INTO bulk_command_targets (bulk_id, gateway_id, position, state) SELECT $1, t.id, $3 + t.position, 'SKIPPED' FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, position);

-- bulkTargetCounts
SELECT COALESCE(c.state, t.state) AS key, count(*)::int AS count
       FROM bulk_command_targets t LEFT JOIN commands c ON c.id = t.command_id
       WHERE t.bulk_id = $1 GROUP BY 1 ORDER BY 1;

-- bulkTargetCountsOf
SELECT t.bulk_id, COALESCE(c.state, t.state) AS key, count(*)::int AS count
       FROM bulk_command_targets t LEFT JOIN commands c ON c.id = t.command_id
       WHERE t.bulk_id = ANY($1::uuid[]) GROUP BY 1, 2 ORDER BY 1, 2;

-- commandsOfGatewayFirst (named prepared statement "commands-of-gateway-first")
SELECT id, tenant_id, gateway_id, bulk_id, sequence, type, parameters, state, deliver_by, timeout_seconds, deliveries, delivered_at, acknowledged_at, ended_at, progress_percent, message, result, error_code, created_by, created_at, updated_at FROM commands WHERE tenant_id = $1 AND gateway_id = $2 AND ($3::text IS NULL OR state = $3)
       ORDER BY created_at DESC, id DESC LIMIT $4;

-- commandsOfGatewayAfter (named prepared statement "commands-of-gateway-after")
SELECT id, tenant_id, gateway_id, bulk_id, sequence, type, parameters, state, deliver_by, timeout_seconds, deliveries, delivered_at, acknowledged_at, ended_at, progress_percent, message, result, error_code, created_by, created_at, updated_at FROM commands WHERE tenant_id = $1 AND gateway_id = $2 AND ($3::text IS NULL OR state = $3)
       AND (created_at, id) < ($5::timestamptz, $6::uuid) ORDER BY created_at DESC, id DESC LIMIT $4;

-- tenantOfCommand
SELECT tenant_id FROM commands WHERE id = $1 AND tenant_id = ANY($2::uuid[]);

-- tenantOfBulkCommand
SELECT tenant_id FROM bulk_commands WHERE id = $1 AND tenant_id = ANY($2::uuid[]);
