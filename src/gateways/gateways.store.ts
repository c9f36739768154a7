import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { prepared, queryReturning, type Statements } from '../platform/database/sql.js';
import type { GatewayType } from '../profiles/profile-status.js';
import { canonicalFacts, type NodeFacts, type NodeReport } from './node-report.js';
import type { GatewayStatus, Health } from './gateway-status.js';
import { GatewayEntity, type ClusterSettings } from './gateway.entity.js';
import type { Assessment } from './cluster-assessment.js';
import type { NodeState } from './gateway-node.entity.js';
import { tenantOwnerLookup } from '../platform/graphql/tenant-scope.decorator.js';
import { changeArrays, insertChangesFrom, unnestChanges, type RecordedChange } from '../platform/audit/change-recorder.js';

/** A gateway locked for its status transition, with its status before it. */
export interface TransitionLockRow {
  id: string;
  tenant_id: string;
  profile_id: string;
  type: GatewayType;
  previous: GatewayStatus;
}

/** A gateway as locked for writing node reports. */
export interface ReportedGatewayRow {
  id: string;
  tenant_id: string;
  type: GatewayType;
  status: GatewayStatus;
  health: Health;
  software_version: string;
  configuration_version: number | null;
  cluster: ClusterSettings | null;
  boot_id: string | null;
  report_sequence: string | null;
}

/** A stored node as an assessment reads it. */
export interface StoredNodeRow {
  gateway_id: string;
  hostname: string;
  ip_address: string;
  cpu_cores: number;
  memory_mb: number;
  disk_gb: number;
  ready: boolean;
  state: NodeState;
  kubernetes_version: string | null;
  facts: NodeFacts | null;
}

/** What a node report leaves on its gateway's row. */
export interface WrittenReport {
  id: string;
  bootId: string;
  reportSequence: number;
  reportHash: string;
  softwareVersion: string;
  configurationVersion: number | null;
  assessment: Assessment;
  health: Health;
}

/**
 * The active (not de-registered) gateway of the profile aliased `profile`, as a sub-select of its
 * id, type and status (at most one row: gateways_one_active_per_profile).
 */
export const activeGatewayOfProfileSql = (profile: string): string =>
  `SELECT g.id, g.type, g.status FROM gateways g WHERE g.profile_id = ${profile}.id AND g.status <> 'DEREGISTERED'`;

/** Every statement on gateways and gateway_nodes. */
export const STATEMENTS = {
  /**
   * Per-gateway command sequence numbers: the gateway row's counter, under its row lock (queueing
   * commands). A bulk takes up to a thousand rows at once: it locks them in id order first, as the
   * status and node-report batches do, so two such writers never wait on each other in a cycle.
   */
  takeCommandSequences: prepared(
    'take-command-sequences',
    `WITH locked AS (SELECT id FROM gateways WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE)
       UPDATE gateways g SET command_sequence = g.command_sequence + c.n
         FROM unnest($1::uuid[], $2::int[]) AS c(id, n) JOIN locked l ON l.id = c.id WHERE g.id = c.id
         RETURNING g.id, g.command_sequence`,
  ),
  writeLastSeen: `UPDATE gateways g SET last_heartbeat_at = s.at, clock_skew_seconds = s.skew
         FROM unnest($1::uuid[], $2::timestamptz[], $3::float8[]) AS s(id, at, skew)
         WHERE g.id = s.id AND (g.last_heartbeat_at IS NULL OR g.last_heartbeat_at < s.at)`,
  liveGatewaysAfter: `SELECT id, status, status_seq, boot_id, report_hash, credential_generation FROM gateways
           WHERE status <> 'DEREGISTERED' AND id > $1 ORDER BY id LIMIT 1000`,
  /**
   * The gateways whose status sequence is older than the one decided in Redis (de-registered ones
   * aside), locked in id order for the transition's write: what it needs to know of each.
   */
  lockForTransitions: prepared(
    'lock-gateways-for-transitions',
    `SELECT g.id, g.tenant_id, g.profile_id, g.type, g.status AS previous
       FROM gateways g JOIN unnest($1::uuid[], $2::bigint[]) AS i(id, seq) ON i.id = g.id
       WHERE g.status_seq < i.seq AND g.status <> 'DEREGISTERED' ORDER BY g.id FOR UPDATE OF g`,
  ),
  /**
   * The transitions of locked gateways: status and sequence, and with them the new assessment of
   * those whose status changed (null keeps the row's), so each row is written once. The last
   * heartbeat and clock skew decided with the transition go too, unless the row has a newer one:
   * the last-seen flush then finds the row up to date and writes no second version of it (in a
   * reconnect storm it rewrote every row, waiting for the rows the batches held). One JSON
   * parameter (`jsonb_to_recordset`), not five arrays: pg escapes an array's elements one by one,
   * and the assessments are kilobytes each.
   */
  writeTransitions: prepared(
    'write-gateway-transitions',
    `UPDATE gateways g SET status = t.status, status_seq = t.seq,
           assessment = COALESCE(t.assessment, g.assessment), health = COALESCE(t.health, g.health), updated_at = now(),
           last_heartbeat_at = CASE WHEN t.at IS NOT NULL AND (g.last_heartbeat_at IS NULL OR g.last_heartbeat_at < t.at) THEN t.at ELSE g.last_heartbeat_at END,
           clock_skew_seconds = CASE WHEN t.at IS NOT NULL AND (g.last_heartbeat_at IS NULL OR g.last_heartbeat_at < t.at)
             THEN COALESCE(t.skew, g.clock_skew_seconds) ELSE g.clock_skew_seconds END
         FROM jsonb_to_recordset($1::jsonb) AS t(id uuid, status text, seq bigint, assessment jsonb, health text, at timestamptz, skew float8)
         WHERE g.id = t.id`,
  ),
  /**
   * The gateways of a batch of node reports, locked in id order (so two batches over the same
   * gateways wait for each other instead of deadlocking), with what a report compares against.
   */
  lockForReports: prepared(
    'lock-gateways-for-reports',
    `SELECT id, tenant_id, type, status, health, software_version, configuration_version, cluster, boot_id, report_sequence
       FROM gateways WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
  ),
  /**
   * The reported nodes of many gateways in one statement: upserts them by (gateway, hostname,
   * address), turns the gateways' other ACTIVE nodes MISSING, and answers every MISSING node of
   * these gateways (those just marked, from \`marked\`; those already missing, from the table as it
   * was before the statement, less any this report brought back).
   */
  recordNodes: prepared(
    'record-gateway-nodes',
    `WITH reported AS (
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
         AND NOT EXISTS (SELECT 1 FROM reported r WHERE r.gateway_id = n.gateway_id AND r.hostname = n.hostname AND r.ip_address = n.ip_address)`,
  ),
  /**
   * What a batch of node reports leaves on the gateway rows (boot, report, versions, assessment):
   * one JSON parameter, as for the transitions (the assessments are kilobytes each).
   */
  writeReports: prepared(
    'write-gateway-reports',
    `UPDATE gateways g SET boot_id = r.boot_id, report_sequence = r.report_sequence, report_hash = r.report_hash,
           software_version = r.software_version, configuration_version = r.configuration_version,
           assessment = r.assessment, health = r.health, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb)
           AS r(id uuid, boot_id text, report_sequence bigint, report_hash text, software_version text, configuration_version int, assessment jsonb, health text)
         WHERE g.id = r.id`,
  ),
  /**
   * What a re-assessment needs, for many gateways in one statement: each gateway's cluster
   * settings and its stored nodes (one row per node; one row with null node columns for a gateway without any).
   */
  reassessmentInputs: prepared(
    'gateway-reassessment-inputs',
    `SELECT g.id, g.cluster, n.hostname, n.ip_address, n.cpu_cores, n.memory_mb, n.disk_gb, n.ready, n.state, n.kubernetes_version, n.facts
       FROM gateways g LEFT JOIN gateway_nodes n ON n.gateway_id = g.id
       WHERE g.id = ANY($1::uuid[])`,
  ),
  countByStatus: `SELECT status AS key, count(*)::int AS count FROM gateways WHERE tenant_id = $1 AND status <> 'DEREGISTERED' GROUP BY status ORDER BY status`,
  countByHealth: `SELECT health AS key, count(*)::int AS count FROM gateways WHERE tenant_id = $1 AND status <> 'DEREGISTERED' GROUP BY health ORDER BY health`,
  activeOfTenantByIds: `SELECT id FROM gateways WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND status <> 'DEREGISTERED'`,
  activeOfTenantProfiles: `SELECT id FROM gateways WHERE tenant_id = $1 AND profile_id = ANY($2::uuid[]) AND status <> 'DEREGISTERED' ORDER BY created_at, id`,
  existsForTenant: `SELECT 1 FROM gateways WHERE id = $1 AND tenant_id = $2`,
  connectedAmong: `SELECT id FROM gateways WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND status = 'CONNECTED'`,
  lockActiveOfProfile: `SELECT id FROM gateways WHERE profile_id = $1 AND status <> 'DEREGISTERED' FOR UPDATE`,
  activeOfProfiles: `SELECT profile_id, id, type, status FROM gateways WHERE profile_id = ANY($1::uuid[]) AND status <> 'DEREGISTERED'`,
  /**
   * A registration's new gateway with its assessment, its nodes (all ACTIVE, reported at its
   * registration; a new gateway has no stored node to conflict with), its audit row and its outbox
   * event: one statement instead of three round trips (each costs the service a socket write and
   * Postgres a statement; TypeORM's save cost more CPU than the insert). The nodes' foreign key to
   * the new row holds: Postgres checks it at the end of the statement, after the gateway's insert.
   */
  registerGateway: prepared(
    'register-gateway',
    `WITH gateway AS (
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
       change AS (SELECT * FROM ${unnestChanges(29)}),
       ${insertChangesFrom('change')}
     SELECT created_at, updated_at FROM gateway`,
  ),
  /** Which of the given tenants owns the row (GraphQL scopes follow an object to its tenant). */
  tenantOfGateway: `SELECT tenant_id FROM gateways WHERE id = $1 AND tenant_id = ANY($2::uuid[])`,
} satisfies Statements;

/** The gateways part's tables: gateways and gateway_nodes. Methods that take a `manager` run in the caller's transaction. */
@Injectable()
export class GatewaysStore {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The one of `tenantIds` that owns Gateway `id`, or null. */
  async tenantOfGateway(id: string, tenantIds: readonly string[]): Promise<string | null> {
    const rows: { tenant_id: string }[] = await this.dataSource.query(STATEMENTS.tenantOfGateway, [id, tenantIds]);
    return rows[0]?.tenant_id ?? null;
  }

  /** Takes `count` sequence numbers per gateway: each gateway's new counter. */
  takeCommandSequences(manager: EntityManager, counts: Map<string, number>): Promise<{ id: string; command_sequence: string }[]> {
    return queryReturning(manager, STATEMENTS.takeCommandSequences, [[...counts.keys()], [...counts.values()]]);
  }

  async writeLastSeen(seen: { gatewayId: string; at: Date; clockSkewSeconds: number | null }[]): Promise<void> {
    await this.dataSource.query(STATEMENTS.writeLastSeen, [
      seen.map((s) => s.gatewayId),
      seen.map((s) => s.at),
      seen.map((s) => s.clockSkewSeconds),
    ]);
  }

  /** Live gateways in id order after `after`, a thousand at a time (the liveness reconcile). */
  liveGatewaysAfter(after: string): Promise<
    {
      id: string;
      status: GatewayStatus;
      status_seq: string;
      boot_id: string | null;
      report_hash: string | null;
      credential_generation: number;
    }[]
  > {
    return this.dataSource.query(STATEMENTS.liveGatewaysAfter, [after]);
  }

  /** Locks the gateways whose status sequence is older than `wanted`'s (skipping de-registered ones), in id order. */
  lockForTransitions(manager: EntityManager, wanted: { id: string; statusSeq: number | string }[]): Promise<TransitionLockRow[]> {
    return manager.query(STATEMENTS.lockForTransitions, [wanted.map((w) => w.id), wanted.map((w) => w.statusSeq)]);
  }

  /** Writes the transitions of gateways locked by `lockForTransitions`; an assessment only where given. */
  async writeTransitions(
    manager: EntityManager,
    transitions: {
      id: string;
      status: GatewayStatus;
      statusSeq: number | string;
      assessment: Assessment | null;
      lastHeartbeatAt: Date | null;
      clockSkewSeconds: number | null;
    }[],
  ): Promise<void> {
    await manager.query(STATEMENTS.writeTransitions, [
      JSON.stringify(
        transitions.map((t) => ({
          id: t.id,
          status: t.status,
          seq: String(t.statusSeq),
          assessment: t.assessment,
          health: t.assessment?.health ?? null,
          at: t.lastHeartbeatAt,
          skew: t.clockSkewSeconds,
        })),
      ),
    ]);
  }

  /** Locks the gateways (in id order) for writing their node reports. */
  lockForReports(manager: EntityManager, gatewayIds: string[]): Promise<ReportedGatewayRow[]> {
    return manager.query(STATEMENTS.lockForReports, [gatewayIds]);
  }

  /**
   * Upserts the reported nodes of many gateways, marks their other nodes MISSING, and answers every
   * MISSING node of `gatewayIds` (a gateway in `gatewayIds` that reported no node has all its nodes missing).
   */
  async recordNodes(
    manager: EntityManager,
    gatewayIds: string[],
    nodes: { gatewayId: string; tenantId: string; node: NodeReport; at: Date }[],
  ): Promise<StoredNodeRow[]> {
    return manager.query(STATEMENTS.recordNodes, [
      gatewayIds,
      nodes.map((n) => n.gatewayId),
      nodes.map((n) => n.tenantId),
      nodes.map((n) => n.node.hostname),
      nodes.map((n) => n.node.ipAddress),
      nodes.map((n) => n.node.cpuCores),
      nodes.map((n) => n.node.memoryMb),
      nodes.map((n) => n.node.diskGb),
      nodes.map((n) => n.node.ready),
      nodes.map((n) => n.node.kubernetesVersion ?? null),
      nodes.map((n) => JSON.stringify(n.node.apps ?? [])),
      nodes.map((n) => JSON.stringify(canonicalFacts(n.node))),
      nodes.map((n) => n.at),
    ]);
  }

  async writeReports(manager: EntityManager, reports: WrittenReport[]): Promise<void> {
    await manager.query(STATEMENTS.writeReports, [
      JSON.stringify(
        reports.map((r) => ({
          id: r.id,
          boot_id: r.bootId,
          report_sequence: r.reportSequence,
          report_hash: r.reportHash,
          software_version: r.softwareVersion,
          configuration_version: r.configurationVersion,
          assessment: r.assessment,
          health: r.health,
        })),
      ),
    ]);
  }

  /** The cluster settings and stored nodes of each gateway (re-assessment). */
  async reassessmentInputs(
    manager: EntityManager,
    gatewayIds: string[],
  ): Promise<Map<string, { cluster: ClusterSettings | null; nodes: StoredNodeRow[] }>> {
    const rows: (Omit<StoredNodeRow, 'gateway_id' | 'hostname'> & {
      id: string;
      cluster: ClusterSettings | null;
      hostname: string | null;
    })[] = await manager.query(STATEMENTS.reassessmentInputs, [gatewayIds]);
    const inputs = new Map<string, { cluster: ClusterSettings | null; nodes: StoredNodeRow[] }>();
    for (const row of rows) {
      let input = inputs.get(row.id);
      if (!input) inputs.set(row.id, (input = { cluster: row.cluster, nodes: [] }));
      if (row.hostname !== null) input.nodes.push({ ...row, gateway_id: row.id, hostname: row.hostname });
    }
    return inputs;
  }

  /**
   * Inserts a new gateway (its id chosen by the caller) with its nodes (distinct by hostname and
   * address) and the registration's audit row and event (`registerGateway`); sets its createdAt and
   * updatedAt from the row. The caller wakes the outbox relay after the commit (ChangeRecorder.eventWritten).
   */
  async registerGateway(manager: EntityManager, gateway: GatewayEntity, nodes: NodeReport[], change: RecordedChange): Promise<void> {
    const [row] = (await manager.query(STATEMENTS.registerGateway, [
      gateway.id,
      gateway.tenantId,
      gateway.profileId,
      gateway.type,
      gateway.name,
      gateway.instanceId,
      gateway.registrationTokenId,
      gateway.status,
      gateway.statusSeq,
      gateway.health,
      JSON.stringify(gateway.assessment),
      gateway.secretHash,
      gateway.secretPrefix,
      gateway.credentialGeneration,
      gateway.softwareVersion,
      gateway.configurationVersion,
      gateway.cluster === null ? null : JSON.stringify(gateway.cluster),
      gateway.registeredAt,
      gateway.reportHash,
      nodes.map((node) => node.hostname),
      nodes.map((node) => node.ipAddress),
      nodes.map((node) => node.cpuCores),
      nodes.map((node) => node.memoryMb),
      nodes.map((node) => node.diskGb),
      nodes.map((node) => node.ready),
      nodes.map((node) => node.kubernetesVersion ?? null),
      nodes.map((node) => JSON.stringify(node.apps ?? [])),
      nodes.map((node) => JSON.stringify(canonicalFacts(node))),
      ...changeArrays([change]),
    ])) as { created_at: Date; updated_at: Date }[];
    gateway.createdAt = row.created_at;
    gateway.updatedAt = row.updated_at;
  }

  countByStatus(tenantId: string): Promise<{ key: string; count: number }[]> {
    return this.dataSource.query(STATEMENTS.countByStatus, [tenantId]);
  }

  countByHealth(tenantId: string): Promise<{ key: string; count: number }[]> {
    return this.dataSource.query(STATEMENTS.countByHealth, [tenantId]);
  }

  /** Of `ids`, those that are active gateways of the tenant. */
  async activeIdsOfTenant(tenantId: string, ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows: { id: string }[] = await this.dataSource.query(STATEMENTS.activeOfTenantByIds, [tenantId, ids]);
    return rows.map((row) => row.id);
  }

  /** Of `ids`, the tenant's gateways that are CONNECTED (as written to Postgres). */
  async connectedAmong(tenantId: string, ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows: { id: string }[] = await this.dataSource.query(STATEMENTS.connectedAmong, [tenantId, ids]);
    return new Set(rows.map((row) => row.id));
  }

  /** The active gateways of the tenant's profiles, oldest first. */
  async activeIdsOfProfiles(tenantId: string, profileIds: string[]): Promise<string[]> {
    if (!profileIds.length) return [];
    const rows: { id: string }[] = await this.dataSource.query(STATEMENTS.activeOfTenantProfiles, [tenantId, profileIds]);
    return rows.map((row) => row.id);
  }

  async existsForTenant(tenantId: string, gatewayId: string): Promise<boolean> {
    return (await this.dataSource.query(STATEMENTS.existsForTenant, [gatewayId, tenantId])).length > 0;
  }

  /** The profile's active gateway id, locked for `manager`'s transaction, if it has one. */
  async lockActiveOfProfile(manager: EntityManager, profileId: string): Promise<string | null> {
    const [gateway] = await manager.query(STATEMENTS.lockActiveOfProfile, [profileId]);
    return gateway ? (gateway.id as string) : null;
  }

  /** The active gateway of each of these profiles that has one. */
  activeOfProfiles(
    manager: EntityManager,
    profileIds: string[],
  ): Promise<{ profile_id: string; id: string; type: GatewayType; status: GatewayStatus }[]> {
    return manager.query(STATEMENTS.activeOfProfiles, [profileIds]);
  }

  /** The profile's active gateway as an entity (registration). */
  activeEntityOfProfile(manager: EntityManager, profileId: string): Promise<GatewayEntity | null> {
    return manager
      .createQueryBuilder(GatewayEntity, 'g')
      .where(`g.profile_id = :profileId AND g.status <> 'DEREGISTERED'`, { profileId })
      .getOne();
  }

  /** The profile's active gateway, locked for `manager`'s transaction (a migration's source). */
  lockActiveEntityOfProfile(manager: EntityManager, profileId: string): Promise<GatewayEntity | null> {
    return manager
      .createQueryBuilder(GatewayEntity, 'g')
      .where(`g.profile_id = :profileId AND g.status <> 'DEREGISTERED'`, { profileId })
      .setLock('pessimistic_write')
      .getOne();
  }

  /** A tenant's gateway, locked for `manager`'s transaction. */
  lockForTenant(manager: EntityManager, tenantId: string, gatewayId: string): Promise<GatewayEntity | null> {
    return manager.findOne(GatewayEntity, { where: { id: gatewayId, tenantId }, lock: { mode: 'pessimistic_write' } });
  }
}

export const GATEWAY_OWNER = tenantOwnerLookup(GatewaysStore, (store, id, tenants) => store.tenantOfGateway(id, tenants));
