import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { prepared, type Statements } from '../platform/database/sql.js';
import { decodeCursor, encodeCursor, type Page } from '../platform/pagination/cursor.js';
import type { GatewayNodeEntity } from './gateway-node.entity.js';
import { GatewayEntity } from './gateway.entity.js';
import { AssessmentTexts } from './assessment-texts.js';

/** What the views (GatewayView) and the readers of a gateway use of its row: no secrets, no protocol bookkeeping. */
export type GatewayRow = Pick<
  GatewayEntity,
  | 'id'
  | 'tenantId'
  | 'profileId'
  | 'type'
  | 'name'
  | 'status'
  | 'health'
  | 'assessment'
  | 'softwareVersion'
  | 'configurationVersion'
  | 'cluster'
  | 'registeredAt'
  | 'lastHeartbeatAt'
  | 'clockSkewSeconds'
  | 'deregisteredAt'
  | 'deregistrationReason'
  | 'createdAt'
>;

/**
 * A row of a list page: the assessment only when it was asked for (GraphQL lists that do not ask
 * leave it out); an assessment read as text also brings its view's JSON (AssessmentTexts).
 */
export type GatewayListRow = Omit<GatewayRow, 'assessment'> & Partial<Pick<GatewayRow, 'assessment'>> & { assessmentJson?: string };

/** A node as NodeView and the readers of nodes use it. */
export type GatewayNodeRow = Omit<GatewayNodeEntity, 'tenantId' | 'createdAt' | 'updatedAt'>;

export interface GatewayListFilter {
  status?: string;
  type?: string;
  health?: string;
  profileId?: string;
  /** SQL on the gateway's profile aliased `p` (profiles.store.ts's labelSelectorSql), with its named parameters. */
  profileLabels?: { sql: string; params: Record<string, unknown> };
}

/**
 * The view's columns under the entity's property names: pg hands back rows the views read as they
 * are, with no entity hydration (TypeORM's cost more CPU than the page query itself). The
 * assessment (about 1.5 kB of JSON a gateway, most of a list row) only where it is asked for.
 */
const LIST_COLUMNS = `g.id, g.tenant_id AS "tenantId", g.profile_id AS "profileId", g.type, g.name, g.status, g.health,
         g.software_version AS "softwareVersion", g.configuration_version AS "configurationVersion", g.cluster,
         g.registered_at AS "registeredAt", g.last_heartbeat_at AS "lastHeartbeatAt", g.clock_skew_seconds AS "clockSkewSeconds",
         g.deregistered_at AS "deregisteredAt", g.deregistration_reason AS "deregistrationReason", g.created_at AS "createdAt"`;
const GATEWAY_COLUMNS = `${LIST_COLUMNS}, g.assessment`;
/** A page's assessments as their stored text: pg does not parse them, AssessmentTexts interns them. */
const PAGE_COLUMNS = `${LIST_COLUMNS}, g.assessment::text AS assessment`;
const NODE_COLUMNS = `n.id, n.gateway_id AS "gatewayId", n.hostname, n.ip_address AS "ipAddress", n.cpu_cores AS "cpuCores",
         n.memory_mb AS "memoryMb", n.disk_gb AS "diskGb", n.ready, n.kubernetes_version AS "kubernetesVersion", n.apps, n.facts,
         n.state, n.last_reported_at AS "lastReportedAt"`;
const GATEWAY_PROPERTIES = [
  'id',
  'tenantId',
  'profileId',
  'type',
  'name',
  'status',
  'health',
  'assessment',
  'softwareVersion',
  'configurationVersion',
  'cluster',
  'registeredAt',
  'lastHeartbeatAt',
  'clockSkewSeconds',
  'deregisteredAt',
  'deregistrationReason',
  'createdAt',
] as const satisfies readonly (keyof GatewayRow)[];

/**
 * The management APIs' reads of gateways and their nodes (REST and GraphQL lists, one gateway,
 * relation fields). Keyset pages over gateways_tenant_created_idx (tenant_id, created_at, id), newest
 * first; a first page and a page after a cursor are two statements, so that each keeps a plan on
 * the index once Postgres plans the prepared statement generically (an `$2 IS NULL OR …` would not).
 */
export const STATEMENTS = {
  firstPage: prepared(
    'gateways-first-page',
    `SELECT ${PAGE_COLUMNS} FROM gateways g WHERE g.tenant_id = $1
       ORDER BY g.created_at DESC, g.id DESC LIMIT $2`,
  ),
  pageAfter: prepared(
    'gateways-page-after',
    `SELECT ${PAGE_COLUMNS} FROM gateways g WHERE g.tenant_id = $1 AND (g.created_at, g.id) < ($2::timestamptz, $3::uuid)
       ORDER BY g.created_at DESC, g.id DESC LIMIT $4`,
  ),
  /** The same two for a GraphQL query that asks for no assessment. */
  firstPageWithoutAssessment: prepared(
    'gateways-first-page-light',
    `SELECT ${LIST_COLUMNS} FROM gateways g WHERE g.tenant_id = $1
       ORDER BY g.created_at DESC, g.id DESC LIMIT $2`,
  ),
  pageAfterWithoutAssessment: prepared(
    'gateways-page-after-light',
    `SELECT ${LIST_COLUMNS} FROM gateways g WHERE g.tenant_id = $1 AND (g.created_at, g.id) < ($2::timestamptz, $3::uuid)
       ORDER BY g.created_at DESC, g.id DESC LIMIT $4`,
  ),
  byIds: prepared('gateways-by-ids', `SELECT ${GATEWAY_COLUMNS} FROM gateways g WHERE g.tenant_id = $1 AND g.id = ANY($2::uuid[])`),
  ofProfiles: `SELECT ${GATEWAY_COLUMNS} FROM gateways g WHERE g.tenant_id = $1 AND g.profile_id = ANY($2::uuid[])
       ORDER BY g.created_at DESC, g.id DESC`,
  /** The nodes of a page of gateways, in one statement (gateway_nodes_tenant_gateway_idx). */
  nodesOf: prepared(
    'gateway-nodes-of',
    `SELECT ${NODE_COLUMNS} FROM gateway_nodes n WHERE n.tenant_id = $1 AND n.gateway_id = ANY($2::uuid[])
       ORDER BY n.hostname, n.ip_address`,
  ),
} satisfies Statements;

@Injectable()
export class GatewayReadsStore {
  /** This process's interned assessment texts (the unfiltered pages read them as text). */
  private readonly assessments = new AssessmentTexts();

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * A page of a tenant's gateways, newest first; `limit` is already clamped by the caller. Without
   * `withAssessment` the rows have no `assessment` (GatewayListRow).
   */
  async page(
    tenantId: string,
    filter: GatewayListFilter,
    limit: number,
    cursor: string | undefined,
    withAssessment = true,
  ): Promise<Page<GatewayListRow>> {
    const after = cursor ? decodeCursor(cursor) : null;
    const filtered = Object.values(filter).some((value) => value !== undefined);
    const [first, next] = withAssessment
      ? [STATEMENTS.firstPage, STATEMENTS.pageAfter]
      : [STATEMENTS.firstPageWithoutAssessment, STATEMENTS.pageAfterWithoutAssessment];
    const rows: GatewayListRow[] = filtered
      ? await this.filteredPage(tenantId, filter, limit + 1, after, withAssessment)
      : after
        ? await this.dataSource.query(next, [tenantId, after.at, after.id, limit + 1])
        : await this.dataSource.query(first, [tenantId, limit + 1]);
    if (withAssessment && !filtered)
      for (const row of rows) {
        const interned = this.assessments.of(row.assessment as unknown as string | null);
        row.assessment = interned.view!;
        row.assessmentJson = interned.json;
      }
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null };
  }

  /** Filters (a console's status or health tab, a profile, labels) compose the conditions, so they go through the query builder. */
  private filteredPage(
    tenantId: string,
    filter: GatewayListFilter,
    limit: number,
    after: { at: string; id: string } | null,
    withAssessment: boolean,
  ): Promise<GatewayListRow[]> {
    const properties = withAssessment ? GATEWAY_PROPERTIES : GATEWAY_PROPERTIES.filter((property) => property !== 'assessment');
    const query = this.dataSource.manager
      .createQueryBuilder(GatewayEntity, 'g')
      .select(properties.map((property) => `g.${property}`))
      .where('g.tenant_id = :tenantId', { tenantId });
    if (filter.status) query.andWhere('g.status = :status', { status: filter.status });
    if (filter.type) query.andWhere('g.type = :type', { type: filter.type });
    if (filter.health) query.andWhere('g.health = :health', { health: filter.health });
    if (filter.profileId) query.andWhere('g.profile_id = :profileId', { profileId: filter.profileId });
    if (filter.profileLabels) {
      query.andWhere(
        `EXISTS (SELECT 1 FROM management_profiles p WHERE p.id = g.profile_id AND ${filter.profileLabels.sql})`,
        filter.profileLabels.params,
      );
    }
    if (after)
      query.andWhere('(g.created_at, g.id) < (:cursorAt::timestamptz, :cursorId::uuid)', { cursorAt: after.at, cursorId: after.id });
    return query.orderBy('g.created_at', 'DESC').addOrderBy('g.id', 'DESC').limit(limit).getMany();
  }

  /** Gateways of a tenant by id, de-registered ones too; unknown ids are left out. */
  byIds(tenantId: string, ids: readonly string[]): Promise<GatewayRow[]> {
    return this.dataSource.query(STATEMENTS.byIds, [tenantId, ids]);
  }

  /** The gateways of many profiles (their history), newest first. */
  ofProfiles(tenantId: string, profileIds: readonly string[]): Promise<GatewayRow[]> {
    return this.dataSource.query(STATEMENTS.ofProfiles, [tenantId, profileIds]);
  }

  /** The nodes of many gateways of a tenant, by hostname and address. */
  nodesOf(tenantId: string, gatewayIds: readonly string[]): Promise<GatewayNodeRow[]> {
    return this.dataSource.query(STATEMENTS.nodesOf, [tenantId, gatewayIds]);
  }
}
