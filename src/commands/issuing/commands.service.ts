import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { TenantScope } from '../../platform/auth/tenant-scope.js';
import { transactionWithEffects } from '../../platform/database/after-commit.js';
import { isUuid } from '../../platform/database/uuid.js';
import { invalidRequest } from '../../platform/errors/domain-error.js';
import { IdempotencyKeys } from '../../platform/idempotency/idempotency-keys.js';
import type { GatewayEntity } from '../../gateways/gateway.entity.js';
import { GatewaysStore } from '../../gateways/gateways.store.js';
import { GatewayErrors } from '../../gateways/gateways.errors.js';
import { CommandFactory } from './command-factory.service.js';
import { CommandLifecycle } from '../lifecycle/command-lifecycle.service.js';
import { next } from '../command-state.js';
import { validateParameters, type CommandType } from '../command-types.js';
import type { CommandEntity } from '../command.entity.js';
import { CommandsStore } from '../commands.store.js';
import { CommandErrors } from '../commands.errors.js';
import { MAX_DELIVER_BY_DAYS, type QueueCommandDto } from '../dto/command.dto.js';

export const DEFAULT_DELIVER_BY_MS = 3600_000;
export const DEFAULT_TIMEOUT_SECONDS = 600;

export interface CommandSpec {
  type: CommandType;
  parameters: Record<string, unknown>;
  deliverBy: Date;
  timeoutSeconds: number;
}

/** Checks a queue request: parameters per type, a pick-up deadline in the future, the defaults. */
export function commandSpecOf(input: QueueCommandDto, now = Date.now()): CommandSpec {
  const parameters = validateParameters(input.type, input.parameters ?? {});
  const deliverBy = input.deliverBy ? new Date(input.deliverBy) : new Date(now + DEFAULT_DELIVER_BY_MS);
  if (deliverBy.getTime() <= now || deliverBy.getTime() > now + MAX_DELIVER_BY_DAYS * 86_400_000) {
    throw invalidRequest(`deliverBy must be in the future and at most ${MAX_DELIVER_BY_DAYS} days away`, [
      { field: 'deliverBy', message: `must be in the future and at most ${MAX_DELIVER_BY_DAYS} days away` },
    ]);
  }
  return { type: input.type, parameters, deliverBy, timeoutSeconds: input.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS };
}

/** Queueing and cancelling commands for users (REST and GraphQL). */
@Injectable()
export class CommandsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CommandFactory) private readonly factory: CommandFactory,
    @Inject(CommandLifecycle) private readonly lifecycle: CommandLifecycle,
    @Inject(IdempotencyKeys) private readonly idempotency: IdempotencyKeys,
    @Inject(CommandsStore) private readonly store: CommandsStore,
    @Inject(GatewaysStore) private readonly gateways: GatewaysStore,
  ) {}

  /**
   * Queues a command at the end of the gateway's queue. A disconnected gateway's command waits;
   * a de-registered gateway takes none (409). With an idempotency key, a repeat within 24 h
   * answers the first command (`created: false`).
   */
  async queue(
    scope: TenantScope,
    gatewayId: string,
    input: QueueCommandDto,
    idempotencyKey?: string,
  ): Promise<{ command: CommandEntity; created: boolean }> {
    const spec = commandSpecOf(input);
    return transactionWithEffects(this.dataSource, async (manager, after) => {
      const id = randomUUID();
      if (idempotencyKey) {
        const existing = await this.idempotency.claim(manager, scope.tenantId, idempotencyKey, { gatewayId, ...input }, 'command', id);
        if (existing) return { command: await this.find(scope, existing, manager), created: false };
      }
      await this.lockLiveGateway(manager, scope.tenantId, gatewayId);
      const [command] = await this.factory.createMany(manager, [{ id, tenantId: scope.tenantId, gatewayId, ...spec }], scope.actor, after);
      return { command: command, created: true };
    });
  }

  /** Cancels a command that has not ended; a running one learns it by 409 on its next update. */
  async cancel(scope: TenantScope, commandId: string): Promise<CommandEntity> {
    return transactionWithEffects(this.dataSource, async (manager, after) => {
      const command = await this.find(scope, commandId, manager, true);
      const outcome = next(command.state, { type: 'CANCEL' });
      if (outcome.kind === 'REJECTED') throw CommandErrors.alreadyEnded(command.state);
      if (outcome.kind === 'MOVED') await this.lifecycle.move(manager, command, outcome.to, { actor: scope.actor }, after);
      return command;
    });
  }

  async find(
    scope: Pick<TenantScope, 'tenantId'>,
    commandId: string,
    manager: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<CommandEntity> {
    const command = isUuid(commandId) ? await this.store.findForTenant(manager, scope.tenantId, commandId, lock) : null;
    if (!command) throw CommandErrors.notFound();
    return command;
  }

  /** The gateway row lock orders this command after any de-registration running now. */
  private async lockLiveGateway(manager: EntityManager, tenantId: string, gatewayId: string): Promise<GatewayEntity> {
    const gateway = isUuid(gatewayId) ? await this.gateways.lockForTenant(manager, tenantId, gatewayId) : null;
    if (!gateway) throw GatewayErrors.notFound();
    if (gateway.status === 'DEREGISTERED') throw CommandErrors.gatewayDeregistered();
    return gateway;
  }
}
