import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TenantScope } from '../../platform/auth/tenant-scope.js';
import { isUuid } from '../../platform/database/uuid.js';
import { paginate, type Page, type PageRequest } from '../../platform/pagination/cursor.js';
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

  async getWithHistory(scope: TenantScope, commandId: string): Promise<{ command: CommandEntity; history: CommandHistoryEntity[] }> {
    const command = await this.commands.find(scope, commandId);
    const history = await this.dataSource.manager.find(CommandHistoryEntity, { where: { commandId: command.id }, order: { id: 'ASC' } });
    return { command, history };
  }
}
