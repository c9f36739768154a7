import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '../platform/auth/tenant-scope.js';
import { isUuid } from '../platform/database/uuid.js';
import { pageLimit, type Page, type PageRequest } from '../platform/pagination/cursor.js';
import type { GatewayType } from '../profiles/profile-status.js';
import { GatewayLiveState, type LiveValues } from './gateway-live-state.js';
import { GatewayReadsStore, type GatewayListRow, type GatewayNodeRow, type GatewayRow } from './gateway-reads.store.js';
import type { GatewayStatus, Health } from './gateway-status.js';
import { GatewayErrors } from './gateways.errors.js';
import { TenantCountsStore, type TenantCount } from './tenant-counts.store.js';
import { labelSelectorSql } from '../profiles/profiles.store.js';
import { parseLabelSelector } from '../profiles/labels.js';

export interface GatewayFilter {
  status?: GatewayStatus;
  type?: GatewayType;
  profileId?: string;
  health?: Health;
  /** On the gateway's profile's labels. */
  labelSelector?: string;
}

export interface GatewayRecord<Row extends GatewayListRow = GatewayRow> {
  gateway: Row;
  live: LiveValues | undefined;
  nodes: GatewayNodeRow[];
}

export interface GatewayListOptions {
  /** Read each page's nodes too (REST; GraphQL batches them through its `nodes` field). */
  withNodes: boolean;
  /** Read the assessments (GraphQL only when the query asks for them). */
  withAssessment: boolean;
}

export interface FleetStatus {
  gateways: number;
  gatewaysByStatus: { key: string; count: number }[];
  gatewaysByHealth: { key: string; count: number }[];
  profiles: number;
  profilesNotRegistered: number;
  commandsByState: { key: string; count: number }[];
}

/** Reads gateways for the management APIs: rows from Postgres (gateway-reads.store.ts), liveness from Redis, nodes in one query. */
@Injectable()
export class GatewaysQueryService {
  constructor(
    @Inject(GatewayReadsStore) private readonly store: GatewayReadsStore,
    @Inject(GatewayLiveState) private readonly live: GatewayLiveState,
    @Inject(TenantCountsStore) private readonly counts: TenantCountsStore,
  ) {}

  async list(
    scope: TenantScope,
    filter: GatewayFilter,
    page: PageRequest,
    { withNodes, withAssessment }: GatewayListOptions = { withNodes: true, withAssessment: true },
  ): Promise<Page<GatewayRecord<GatewayListRow>>> {
    if (filter.profileId !== undefined && !isUuid(filter.profileId)) return { items: [], nextCursor: null };
    const limit = pageLimit(page);
    // Picked one by one: GraphQL passes its whole arguments object (tenantId, first, after) as the filter.
    const { status, type, health, profileId, labelSelector } = filter;
    const profileLabels = labelSelector !== undefined ? labelSelectorSql(parseLabelSelector(labelSelector), 'p') : undefined;
    const found = await this.store.page(
      scope.tenantId,
      { status, type, health, profileId, profileLabels },
      limit,
      page.cursor,
      withAssessment,
    );
    return { items: await this.records(scope.tenantId, found.items, withNodes), nextCursor: found.nextCursor };
  }

  async get(scope: Pick<TenantScope, 'tenantId'>, gatewayId: string): Promise<GatewayRecord> {
    const [gateway] = isUuid(gatewayId) ? await this.store.byIds(scope.tenantId, [gatewayId]) : [];
    if (!gateway) throw GatewayErrors.notFound();
    return (await this.records(scope.tenantId, [gateway], true))[0]!;
  }

  /** Many gateways of a tenant by id in one query (GraphQL relation fields batch through this); unknown ids are left out. */
  async byIds(tenantId: string, gatewayIds: readonly string[]): Promise<Map<string, GatewayRecord>> {
    return this.getMany(tenantId, gatewayIds);
  }

  /** Gateways of a tenant by id, de-registered ones too, in one query (GraphQL relation fields batch through this). */
  async getMany(tenantId: string, ids: readonly string[]): Promise<Map<string, GatewayRecord>> {
    const wanted = ids.filter(isUuid);
    if (!wanted.length) return new Map();
    const records = await this.records(tenantId, await this.store.byIds(tenantId, wanted), false);
    return new Map(records.map((record) => [record.gateway.id, record]));
  }

  /** The gateways of many profiles (their history, newest first), in one query. */
  async ofProfiles(tenantId: string, profileIds: readonly string[]): Promise<Map<string, GatewayRecord[]>> {
    const byProfile = new Map<string, GatewayRecord[]>(profileIds.map((id) => [id, []]));
    const wanted = profileIds.filter(isUuid);
    if (!wanted.length) return byProfile;
    for (const record of await this.records(tenantId, await this.store.ofProfiles(tenantId, wanted), false))
      byProfile.get(record.gateway.profileId)?.push(record);
    return byProfile;
  }

  /** Nodes of many gateways in one query (GraphQL batches `nodes` through this). */
  async nodesOf(tenantId: string, gatewayIds: readonly string[]): Promise<Map<string, GatewayNodeRow[]>> {
    const byGateway = new Map<string, GatewayNodeRow[]>(gatewayIds.map((id) => [id, []]));
    if (!gatewayIds.length) return byGateway;
    for (const node of await this.store.nodesOf(tenantId, gatewayIds)) byGateway.get(node.gatewayId)?.push(node);
    return byGateway;
  }

  /**
   * From the tenant's maintained counts (tenant-counts.store.ts): two small index scans whatever
   * the fleet's size, where counting the rows took seconds at 100,000 gateways.
   */
  async fleetStatus(scope: TenantScope): Promise<FleetStatus> {
    const counts = await this.counts.counts(scope.tenantId);
    const of = (kind: TenantCount['kind']) => counts.filter((c) => c.kind === kind).map((c) => ({ key: c.key, count: c.n }));
    const total = (kind: TenantCount['kind']) => counts.find((c) => c.kind === kind)?.n ?? 0;
    const byStatus = of('gateway_status');
    const profiles = total('profiles');
    return {
      gateways: byStatus.reduce((sum, row) => sum + row.count, 0),
      gatewaysByStatus: byStatus,
      gatewaysByHealth: of('gateway_health'),
      profiles,
      profilesNotRegistered: Math.max(0, profiles - total('active_gateways')),
      commandsByState: of('command_state'),
    };
  }

  private async records<Row extends GatewayListRow>(tenantId: string, gateways: Row[], withNodes: boolean): Promise<GatewayRecord<Row>[]> {
    if (!gateways.length) return [];
    const ids = gateways.map((g) => g.id);
    const [live, nodes] = await Promise.all([
      this.live.read(ids),
      withNodes ? this.nodesOf(tenantId, ids) : Promise.resolve(new Map<string, GatewayNodeRow[]>()),
    ]);
    return gateways.map((gateway) => ({ gateway, live: live.get(gateway.id), nodes: nodes.get(gateway.id) ?? [] }));
  }
}
