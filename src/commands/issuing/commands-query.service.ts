import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '../../platform/auth/tenant-scope.js';
import { isUuid } from '../../platform/database/uuid.js';
import type { Page, PageRequest } from '../../platform/pagination/cursor.js';
import { GatewayErrors } from '../../gateways/gateways.errors.js';
import { GatewaysStore } from '../../gateways/gateways.store.js';
import type { CommandState } from '../command-state.js';
import type { CommandEntity, CommandHistoryEntity } from '../command.entity.js';
import { CommandsStore } from '../commands.store.js';
import { CommandsService } from './commands.service.js';

/** Reads commands for the management APIs. */
@Injectable()
export class CommandsQueryService {
  constructor(
    @Inject(CommandsStore) private readonly store: CommandsStore,
    @Inject(GatewaysStore) private readonly gateways: GatewaysStore,
    @Inject(CommandsService) private readonly commands: CommandsService,
  ) {}

  /** A gateway's commands, newest first. */
  async listForGateway(
    scope: TenantScope,
    gatewayId: string,
    state: CommandState | undefined,
    page: PageRequest,
  ): Promise<Page<CommandEntity>> {
    if (!isUuid(gatewayId)) throw GatewayErrors.notFound();
    const found = await this.store.listForGateway(scope.tenantId, gatewayId, state, page);
    // The page is scoped to the tenant, so commands on it prove the gateway is the tenant's: only an empty page needs the check.
    if (!found.items.length && !(await this.gateways.existsForTenant(scope.tenantId, gatewayId))) throw GatewayErrors.notFound();
    return found;
  }

  /** The newest `first` commands of each gateway (after a cursor, for the next page). */
  latestOf(
    tenantId: string,
    gatewayIds: readonly string[],
    page: { first: number; after?: { at: string; id: string } },
  ): Promise<Map<string, Page<CommandEntity>>> {
    return this.store.latestOf(tenantId, gatewayIds, page);
  }

  /** Commands of a tenant by id, in one query. */
  getMany(tenantId: string, ids: readonly string[]): Promise<Map<string, CommandEntity>> {
    return this.store.getMany(tenantId, ids);
  }

  /** The commands of many bulk commands, newest first, in one query. */
  ofBulks(tenantId: string, bulkIds: readonly string[]): Promise<Map<string, CommandEntity[]>> {
    return this.store.ofBulks(tenantId, bulkIds);
  }

  async getWithHistory(scope: TenantScope, commandId: string): Promise<{ command: CommandEntity; history: CommandHistoryEntity[] }> {
    const command = await this.commands.find(scope, commandId);
    const history = await this.store.history(command.id);
    return { command, history };
  }
}
