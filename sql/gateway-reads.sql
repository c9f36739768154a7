-- The statements of src/gateways/gateway-reads.store.ts, written by `npm run sql:write`: do not edit.

-- firstPage (named prepared statement "gateways-first-page")
SELECT g.id, g.tenant_id AS "tenantId", g.profile_id AS "profileId", g.type, g.name, g.status, g.health,
         g.software_version AS "softwareVersion", g.configuration_version AS "configurationVersion", g.cluster,
         g.registered_at AS "registeredAt", g.last_heartbeat_at AS "lastHeartbeatAt", g.clock_skew_seconds AS "clockSkewSeconds",
         g.deregistered_at AS "deregisteredAt", g.deregistration_reason AS "deregistrationReason", g.created_at AS "createdAt", g.assessment::text AS assessment FROM gateways g WHERE g.tenant_id = $1
       ORDER BY g.created_at DESC, g.id DESC LIMIT $2;

-- pageAfter (named prepared statement "gateways-page-after")
SELECT g.id, g.tenant_id AS "tenantId", g.profile_id AS "profileId", g.type, g.name, g.status, g.health,
         g.software_version AS "softwareVersion", g.configuration_version AS "configurationVersion", g.cluster,
         g.registered_at AS "registeredAt", g.last_heartbeat_at AS "lastHeartbeatAt", g.clock_skew_seconds AS "clockSkewSeconds",
         g.deregistered_at AS "deregisteredAt", g.deregistration_reason AS "deregistrationReason", g.created_at AS "createdAt", g.assessment::text AS assessment FROM gateways g WHERE g.tenant_id = $1 AND (g.created_at, g.id) < ($2::timestamptz, $3::uuid)
       ORDER BY g.created_at DESC, g.id DESC LIMIT $4;

-- firstPageWithoutAssessment (named prepared statement "gateways-first-page-light")
SELECT g.id, g.tenant_id AS "tenantId", g.profile_id AS "profileId", g.type, g.name, g.status, g.health,
         g.software_version AS "softwareVersion", g.configuration_version AS "configurationVersion", g.cluster,
         g.registered_at AS "registeredAt", g.last_heartbeat_at AS "lastHeartbeatAt", g.clock_skew_seconds AS "clockSkewSeconds",
         g.deregistered_at AS "deregisteredAt", g.deregistration_reason AS "deregistrationReason", g.created_at AS "createdAt" FROM gateways g WHERE g.tenant_id = $1
       ORDER BY g.created_at DESC, g.id DESC LIMIT $2;

-- pageAfterWithoutAssessment (named prepared statement "gateways-page-after-light")
SELECT g.id, g.tenant_id AS "tenantId", g.profile_id AS "profileId", g.type, g.name, g.status, g.health,
         g.software_version AS "softwareVersion", g.configuration_version AS "configurationVersion", g.cluster,
         g.registered_at AS "registeredAt", g.last_heartbeat_at AS "lastHeartbeatAt", g.clock_skew_seconds AS "clockSkewSeconds",
         g.deregistered_at AS "deregisteredAt", g.deregistration_reason AS "deregistrationReason", g.created_at AS "createdAt" FROM gateways g WHERE g.tenant_id = $1 AND (g.created_at, g.id) < ($2::timestamptz, $3::uuid)
       ORDER BY g.created_at DESC, g.id DESC LIMIT $4;

-- byIds (named prepared statement "gateways-by-ids")
SELECT g.id, g.tenant_id AS "tenantId", g.profile_id AS "profileId", g.type, g.name, g.status, g.health,
         g.software_version AS "softwareVersion", g.configuration_version AS "configurationVersion", g.cluster,
         g.registered_at AS "registeredAt", g.last_heartbeat_at AS "lastHeartbeatAt", g.clock_skew_seconds AS "clockSkewSeconds",
         g.deregistered_at AS "deregisteredAt", g.deregistration_reason AS "deregistrationReason", g.created_at AS "createdAt", g.assessment FROM gateways g WHERE g.tenant_id = $1 AND g.id = ANY($2::uuid[]);

-- ofProfiles
SELECT g.id, g.tenant_id AS "tenantId", g.profile_id AS "profileId", g.type, g.name, g.status, g.health,
         g.software_version AS "softwareVersion", g.configuration_version AS "configurationVersion", g.cluster,
         g.registered_at AS "registeredAt", g.last_heartbeat_at AS "lastHeartbeatAt", g.clock_skew_seconds AS "clockSkewSeconds",
         g.deregistered_at AS "deregisteredAt", g.deregistration_reason AS "deregistrationReason", g.created_at AS "createdAt", g.assessment FROM gateways g WHERE g.tenant_id = $1 AND g.profile_id = ANY($2::uuid[])
       ORDER BY g.created_at DESC, g.id DESC;

-- nodesOf (named prepared statement "gateway-nodes-of")
SELECT n.id, n.gateway_id AS "gatewayId", n.hostname, n.ip_address AS "ipAddress", n.cpu_cores AS "cpuCores",
         n.memory_mb AS "memoryMb", n.disk_gb AS "diskGb", n.ready, n.kubernetes_version AS "kubernetesVersion", n.apps, n.facts,
         n.state, n.last_reported_at AS "lastReportedAt" FROM gateway_nodes n WHERE n.tenant_id = $1 AND n.gateway_id = ANY($2::uuid[])
       ORDER BY n.hostname, n.ip_address;
