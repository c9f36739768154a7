import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type Repository } from 'typeorm';
import type { TenantScope } from '../platform/auth/tenant-scope.js';
import { isUuid } from '../platform/database/uuid.js';
import { paginate, type Page, type PageRequest } from '../platform/pagination/cursor.js';
import type { GatewayType } from '../profiles/profile-status.js';
import { GatewayLiveState, type LiveValues } from './gateway-live-state.js';
import { GatewayNodeEntity } from './gateway-node.entity.js';
import type { GatewayStatus, Health } from './gateway-status.js';
import { GatewayEntity } from './gateway.entity.js';
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

export interface GatewayRecord {
  gateway: GatewayEntity;
  live: LiveValues | undefined;
  nodes: GatewayNodeEntity[];
}

export interface FleetStatus {
  gateways: number;
  gatewaysByStatus: { key: string; count: number }[];
  gatewaysByHealth: { key: string; count: number }[];
  profiles: number;
  profilesNotRegistered: number;
  commandsByState: { key: string; count: number }[];
}

/** Reads gateways for the management APIs: rows from Postgres, liveness from Redis, nodes in one query. */
@Injectable()
export class GatewaysQueryService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @InjectRepository(GatewayEntity) private readonly gateways: Repository<GatewayEntity>,
    @Inject(GatewayLiveState) private readonly live: GatewayLiveState,
    @Inject(TenantCountsStore) private readonly counts: TenantCountsStore,
  ) {}

  async list(scope: TenantScope, filter: GatewayFilter, page: PageRequest, withNodes = true): Promise<Page<GatewayRecord>> {
    const query = this.gateways.createQueryBuilder('g').where('g.tenant_id = :tenantId', { tenantId: scope.tenantId });
    if (filter.status) query.andWhere('g.status = :status', { status: filter.status });
    if (filter.type) query.andWhere('g.type = :type', { type: filter.type });
    if (filter.health) query.andWhere('g.health = :health', { health: filter.health });
    if (filter.profileId) {
      if (!isUuid(filter.profileId)) return { items: [], nextCursor: null };
      query.andWhere('g.profile_id = :profileId', { profileId: filter.profileId });
    }
    if (filter.labelSelector !== undefined) {
      const selector = labelSelectorSql(parseLabelSelector(filter.labelSelector), 'p');
      query.andWhere(`EXISTS (SELECT 1 FROM management_profiles p WHERE p.id = g.profile_id AND ${selector.sql})`, selector.params);
    }
    const found = await paginate(query, page, { alias: 'g', column: 'created_at', property: 'createdAt' });
    return { items: await this.records(found.items, withNodes), nextCursor: found.nextCursor };
  }

  async get(scope: Pick<TenantScope, 'tenantId'>, gatewayId: string): Promise<GatewayRecord> {
    const gateway = isUuid(gatewayId) ? await this.gateways.findOneBy({ id: gatewayId, tenantId: scope.tenantId }) : null;
    if (!gateway) throw GatewayErrors.notFound();
    return (await this.records([gateway], true))[0];
  }

  /** Many gateways of a tenant by id in one query (GraphQL relation fields batch through this); unknown ids are left out. */
  async byIds(tenantId: string, gatewayIds: readonly string[]): Promise<Map<string, GatewayRecord>> {
    const ids = gatewayIds.filter(isUuid);
    const gateways = ids.length
      ? await this.gateways.createQueryBuilder('g').where('g.tenant_id = :tenantId AND g.id = ANY(:ids)', { tenantId, ids }).getMany()
      : [];
    return new Map((await this.records(gateways, false)).map((record) => [record.gateway.id, record]));
  }

  /** Gateways of a tenant by id, de-registered ones too, in one query (GraphQL relation fields batch through this). */
  async getMany(tenantId: string, ids: readonly string[]): Promise<Map<string, GatewayRecord>> {
    const wanted = ids.filter(isUuid);
    if (!wanted.length) return new Map();
    const gateways = await this.gateways
      .createQueryBuilder('g')
      .where('g.tenant_id = :tenantId AND g.id = ANY(:ids)', { tenantId, ids: wanted })
      .getMany();
    return new Map((await this.records(gateways, false)).map((record) => [record.gateway.id, record]));
  }

  /** The gateways of many profiles (their history, newest first), in one query. */
  async ofProfiles(tenantId: string, profileIds: readonly string[]): Promise<Map<string, GatewayRecord[]>> {
    const byProfile = new Map<string, GatewayRecord[]>(profileIds.map((id) => [id, []]));
    const wanted = profileIds.filter(isUuid);
    if (!wanted.length) return byProfile;
    const gateways = await this.gateways
      .createQueryBuilder('g')
      .where('g.tenant_id = :tenantId AND g.profile_id = ANY(:ids)', { tenantId, ids: wanted })
      .orderBy('g.created_at', 'DESC')
      .addOrderBy('g.id', 'DESC')
      .getMany();
    for (const record of await this.records(gateways, false)) byProfile.get(record.gateway.profileId)?.push(record);
    return byProfile;
  }

  /** Nodes of many gateways in one query (GraphQL batches `nodes` through this). */
  async nodesOf(tenantId: string, gatewayIds: readonly string[]): Promise<Map<string, GatewayNodeEntity[]>> {
    const byGateway = new Map<string, GatewayNodeEntity[]>(gatewayIds.map((id) => [id, []]));
    if (!gatewayIds.length) return byGateway;
    const nodes = await this.dataSource.manager
      .createQueryBuilder(GatewayNodeEntity, 'n')
      .where('n.tenant_id = :tenantId AND n.gateway_id = ANY(:ids)', { tenantId, ids: [...gatewayIds] })
      .orderBy('n.hostname')
      .addOrderBy('n.ip_address')
      .getMany();
    for (const node of nodes) byGateway.get(node.gatewayId)?.push(node);
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

  private async records(gateways: GatewayEntity[], withNodes: boolean): Promise<GatewayRecord[]> {
    const ids = gateways.map((g) => g.id);
    const [live, nodes] = await Promise.all([
      this.live.read(ids),
      withNodes && gateways[0] ? this.nodesOf(gateways[0].tenantId, ids) : Promise.resolve(new Map<string, GatewayNodeEntity[]>()),
    ]);
    return gateways.map((gateway) => ({ gateway, live: live.get(gateway.id), nodes: nodes.get(gateway.id) ?? [] }));
  }
}
