import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TenantScope } from '../../platform/auth/tenant-scope.js';
import { isUuid } from '../../platform/database/uuid.js';
import { encodeCursor, paginate, type Page, type PageRequest } from '../../platform/pagination/cursor.js';
import { GatewayErrors } from '../../gateways/gateways.errors.js';
import type { CommandState } from '../command-state.js';
import { CommandEntity, CommandHistoryEntity } from '../command.entity.js';
import { CommandsService } from './commands.service.js';

/** Reads commands for the management APIs. */
@Injectable()
export class CommandsQueryService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CommandsService) private readonly commands: CommandsService,
  ) {}

  /** A gateway's commands, newest first. */
  async listForGateway(scope: TenantScope, gatewayId: string, state: CommandState | undefined, page: PageRequest): Promise<Page<CommandEntity>> {
    const exists = isUuid(gatewayId) && (await this.dataSource.query(`SELECT 1 FROM gateways WHERE id = $1 AND tenant_id = $2`, [gatewayId, scope.tenantId])).length;
    if (!exists) throw GatewayErrors.notFound();
    const query = this.dataSource.manager
      .createQueryBuilder(CommandEntity, 'c')
      .where('c.tenant_id = :tenantId AND c.gateway_id = :gatewayId', { tenantId: scope.tenantId, gatewayId });
    if (state) query.andWhere('c.state = :state', { state });
    return paginate(query, page, { alias: 'c', column: 'created_at', property: 'createdAt' });
  }

  /**
   * The newest `first` commands of each gateway (after a cursor, for the next page), in one
   * statement: a window over the `(tenant_id, gateway_id, created_at)` rows. One more than asked
   * tells whether another page follows.
   */
  async latestOf(tenantId: string, gatewayIds: readonly string[], page: { first: number; after?: { at: string; id: string } }): Promise<Map<string, Page<CommandEntity>>> {
    const pages = new Map<string, Page<CommandEntity>>(gatewayIds.map((id) => [id, { items: [], nextCursor: null }]));
    const wanted = gatewayIds.filter(isUuid);
    if (!wanted.length) return pages;
    const ranked = this.dataSource.manager
      .createQueryBuilder(CommandEntity, 'c')
      .select('c.id', 'id')
      .addSelect('row_number() OVER (PARTITION BY c.gateway_id ORDER BY c.created_at DESC, c.id DESC)', 'rank')
      .where('c.tenant_id = :tenantId AND c.gateway_id = ANY(:ids)', { tenantId, ids: wanted });
    if (page.after) ranked.andWhere('(c.created_at, c.id) < (:afterAt::timestamptz, :afterId::uuid)', { afterAt: page.after.at, afterId: page.after.id });
    const rows = await this.dataSource.manager
      .createQueryBuilder(CommandEntity, 'c')
      .innerJoin(`(${ranked.getQuery()})`, 'r', 'r.id = c.id')
      .where('r.rank <= :limit', { limit: page.first + 1 })
      .setParameters(ranked.getParameters())
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .getMany();
    for (const row of rows) {
      const current = pages.get(row.gatewayId);
      if (!current) continue;
      if (current.items.length < page.first) current.items.push(row);
      else current.nextCursor = encodeCursor({ at: current.items[current.items.length - 1]!.createdAt, id: current.items[current.items.length - 1]!.id });
    }
    return pages;
  }

  /** Commands of a tenant by id, in one query. */
  async getMany(tenantId: string, ids: readonly string[]): Promise<Map<string, CommandEntity>> {
    const wanted = ids.filter(isUuid);
    if (!wanted.length) return new Map();
    const rows = await this.dataSource.manager.createQueryBuilder(CommandEntity, 'c').where('c.tenant_id = :tenantId AND c.id = ANY(:ids)', { tenantId, ids: wanted }).getMany();
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** The commands of many bulk commands, newest first, in one query. */
  async ofBulks(tenantId: string, bulkIds: readonly string[]): Promise<Map<string, CommandEntity[]>> {
    const byBulk = new Map<string, CommandEntity[]>(bulkIds.map((id) => [id, []]));
    const wanted = bulkIds.filter(isUuid);
    if (!wanted.length) return byBulk;
    const rows = await this.dataSource.manager
      .createQueryBuilder(CommandEntity, 'c')
      .where('c.tenant_id = :tenantId AND c.bulk_id = ANY(:ids)', { tenantId, ids: wanted })
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .getMany();
    for (const row of rows) if (row.bulkId) byBulk.get(row.bulkId)?.push(row);
    return byBulk;
  }

  async getWithHistory(scope: TenantScope, commandId: string): Promise<{ command: CommandEntity; history: CommandHistoryEntity[] }> {
    const command = await this.commands.find(scope, commandId);
    const history = await this.dataSource.manager.find(CommandHistoryEntity, { where: { commandId: command.id }, order: { id: 'ASC' } });
    return { command, history };
  }
}
