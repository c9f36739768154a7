import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { prepared, queryReturning, type Statements } from '../platform/database/sql.js';
import type { GatewayType } from '../profiles/profile-status.js';
import { canonicalFacts, type NodeReport } from './node-report.js';
import type { GatewayStatus } from './gateway-status.js';
import { GatewayEntity } from './gateway.entity.js';
import { tenantOwnerLookup } from '../platform/graphql/tenant-scope.decorator.js';

/** A status change as written by applyStatuses. */
export interface ChangedStatusRow {
  id: string;
  tenant_id: string;
  profile_id: string;
  type: GatewayType;
  previous: GatewayStatus;
  status: GatewayStatus;
  status_seq: string;
}

/** The active (not de-registered) gateway of the profile aliased `profile`, as a sub-select of its type and status. */
export const activeGatewayOfProfileSql = (profile: string): string =>
  `SELECT g.type, g.status FROM gateways g WHERE g.profile_id = ${profile}.id AND g.status <> 'DEREGISTERED'`;

/** Every statement on gateways and gateway_nodes. */
export const STATEMENTS = {
  /** Per-gateway command sequence numbers: the gateway row's counter, under its row lock (queueing commands). */
  takeCommandSequences: prepared(
    'take-command-sequences',
    `UPDATE gateways g SET command_sequence = g.command_sequence + c.n
         FROM unnest($1::uuid[], $2::int[]) AS c(id, n) WHERE g.id = c.id RETURNING g.id, g.command_sequence`,
  ),
  writeLastSeen: `UPDATE gateways g SET last_heartbeat_at = s.at, clock_skew_seconds = s.skew
         FROM unnest($1::uuid[], $2::timestamptz[], $3::float8[]) AS s(id, at, skew)
         WHERE g.id = s.id AND (g.last_heartbeat_at IS NULL OR g.last_heartbeat_at < s.at)`,
  liveGatewaysAfter: `SELECT id, status, status_seq, boot_id, report_hash, credential_generation FROM gateways
           WHERE status <> 'DEREGISTERED' AND id > $1 ORDER BY id LIMIT 1000`,
  applyStatuses: `WITH input AS (SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[]) AS i(id, status, seq)),
             locked AS (
               SELECT g.id, g.status AS previous FROM gateways g JOIN input i ON i.id = g.id
               WHERE g.status_seq < i.seq AND g.status <> 'DEREGISTERED' FOR UPDATE OF g)
             UPDATE gateways g SET status = i.status, status_seq = i.seq, updated_at = now()
             FROM input i JOIN locked l ON l.id = i.id WHERE g.id = i.id
             RETURNING g.id, g.tenant_id, g.profile_id, g.type, l.previous, g.status, g.status_seq`,
  setAssessments: `UPDATE gateways g SET assessment = a.assessment, health = a.health
           FROM unnest($1::uuid[], $2::jsonb[], $3::text[]) AS a(id, assessment, health) WHERE g.id = a.id`,
  upsertNodes: `INSERT INTO gateway_nodes (tenant_id, gateway_id, hostname, ip_address, cpu_cores, memory_mb, disk_gb, ready, kubernetes_version, apps, facts, state, last_reported_at)
         SELECT $1, $2, n.hostname, n.ip_address, n.cpu_cores, n.memory_mb, n.disk_gb, n.ready, n.kubernetes_version, n.apps, n.facts, 'ACTIVE', $3
         FROM unnest($4::text[], $5::text[], $6::int[], $7::int[], $8::int[], $9::bool[], $10::text[], $11::jsonb[], $12::jsonb[])
           AS n(hostname, ip_address, cpu_cores, memory_mb, disk_gb, ready, kubernetes_version, apps, facts)
         ON CONFLICT (gateway_id, hostname, ip_address) DO UPDATE SET
           cpu_cores = excluded.cpu_cores, memory_mb = excluded.memory_mb, disk_gb = excluded.disk_gb, ready = excluded.ready,
           kubernetes_version = excluded.kubernetes_version, apps = excluded.apps, facts = excluded.facts, state = 'ACTIVE',
           last_reported_at = excluded.last_reported_at, updated_at = now()`,
  markMissingNodes: `UPDATE gateway_nodes SET state = 'MISSING', ready = false, updated_at = now()
       WHERE gateway_id = $1 AND state = 'ACTIVE'
         AND (hostname, ip_address) NOT IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
  countByStatus: `SELECT status AS key, count(*)::int AS count FROM gateways WHERE tenant_id = $1 AND status <> 'DEREGISTERED' GROUP BY status ORDER BY status`,
  countByHealth: `SELECT health AS key, count(*)::int AS count FROM gateways WHERE tenant_id = $1 AND status <> 'DEREGISTERED' GROUP BY health ORDER BY health`,
  activeOfTenantByIds: `SELECT id FROM gateways WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND status <> 'DEREGISTERED'`,
  activeOfTenantProfiles: `SELECT id FROM gateways WHERE tenant_id = $1 AND profile_id = ANY($2::uuid[]) AND status <> 'DEREGISTERED' ORDER BY created_at, id`,
  existsForTenant: `SELECT 1 FROM gateways WHERE id = $1 AND tenant_id = $2`,
  connectedAmong: `SELECT id FROM gateways WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND status = 'CONNECTED'`,
  lockActiveOfProfile: `SELECT id FROM gateways WHERE profile_id = $1 AND status <> 'DEREGISTERED' FOR UPDATE`,
  activeOfProfiles: `SELECT profile_id, id, type, status FROM gateways WHERE profile_id = ANY($1::uuid[]) AND status <> 'DEREGISTERED'`,
  /** A registration's new gateway, with its assessment (one statement; TypeORM's save cost more CPU than the insert). */
  insertGateway: prepared(
    'insert-gateway',
    `INSERT INTO gateways (id, tenant_id, profile_id, type, name, instance_id, registration_token_id, status, status_seq, health,
         assessment, secret_hash, secret_prefix, credential_generation, software_version, configuration_version, cluster,
         registered_at, report_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
       RETURNING created_at, updated_at`,
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

  /** Writes statuses whose sequence is newer than the row's (skipping de-registered gateways): the rows it changed. */
  applyStatuses(
    manager: EntityManager,
    wanted: { id: string; status: GatewayStatus; statusSeq: number | string }[],
  ): Promise<ChangedStatusRow[]> {
    return queryReturning<ChangedStatusRow>(manager, STATEMENTS.applyStatuses, [
      wanted.map((w) => w.id),
      wanted.map((w) => w.status),
      wanted.map((w) => w.statusSeq),
    ]);
  }

  async setAssessments(manager: EntityManager, assessments: { id: string; assessment: object; health: string }[]): Promise<void> {
    await manager.query(STATEMENTS.setAssessments, [
      assessments.map((a) => a.id),
      assessments.map((a) => JSON.stringify(a.assessment)),
      assessments.map((a) => a.health),
    ]);
  }

  async upsertNodes(manager: EntityManager, gateway: { id: string; tenantId: string }, nodes: NodeReport[], at: Date): Promise<void> {
    await manager.query(STATEMENTS.upsertNodes, [
      gateway.tenantId,
      gateway.id,
      at,
      nodes.map((n) => n.hostname),
      nodes.map((n) => n.ipAddress),
      nodes.map((n) => n.cpuCores),
      nodes.map((n) => n.memoryMb),
      nodes.map((n) => n.diskGb),
      nodes.map((n) => n.ready),
      nodes.map((n) => n.kubernetesVersion ?? null),
      nodes.map((n) => JSON.stringify(n.apps ?? [])),
      nodes.map((n) => JSON.stringify(canonicalFacts(n))),
    ]);
  }

  /** Inserts a new gateway (its id chosen by the caller); sets its createdAt and updatedAt from the row. */
  async insertGateway(manager: EntityManager, gateway: GatewayEntity): Promise<void> {
    const [row] = (await manager.query(STATEMENTS.insertGateway, [
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
    ])) as { created_at: Date; updated_at: Date }[];
    gateway.createdAt = row.created_at;
    gateway.updatedAt = row.updated_at;
  }

  /** Nodes of the gateway not in `present` become MISSING. */
  async markMissingNodes(manager: EntityManager, gatewayId: string, present: NodeReport[]): Promise<void> {
    await manager.query(STATEMENTS.markMissingNodes, [gatewayId, present.map((n) => n.hostname), present.map((n) => n.ipAddress)]);
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
