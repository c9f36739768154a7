import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ChangeRecorder } from '../../platform/audit/change-recorder.js';
import type { Actor } from '../../platform/auth/principal.js';
import type { AfterCommit } from '../../platform/database/after-commit.js';
import { GatewayLiveState } from '../../gateways/gateway-live-state.js';
import { GatewaysStore } from '../../gateways/gateways.store.js';
import { commandChange } from '../lifecycle/command-changes.js';
import { CommandsStore } from '../commands.store.js';
import { CommandTimers } from '../lifecycle/command-timers.js';
import type { CommandType } from '../command-types.js';
import { CommandWakeups } from '../hand-out/command-wakeups.js';
import { CommandEntity } from '../command.entity.js';
import { CommandTraces } from '../command-traces.js';

export interface NewCommand {
  id?: string;
  tenantId: string;
  gatewayId: string;
  bulkId?: string | null;
  type: CommandType;
  parameters: Record<string, unknown>;
  deliverBy: Date;
  timeoutSeconds: number;
}

/**
 * Puts commands at the end of their gateways' queues, any number in a few statements (a bulk
 * command starts a thousand at once). The caller holds the transaction and has checked the
 * gateways are live; after the commit the gateways are woken and the pick-up deadlines set.
 */
@Injectable()
export class CommandFactory {
  constructor(
    @Inject(CommandTraces) private readonly traces: CommandTraces,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
    @Inject(GatewayLiveState) private readonly live: GatewayLiveState,
    @Inject(CommandWakeups) private readonly wakeups: CommandWakeups,
    @Inject(CommandTimers) private readonly timers: CommandTimers,
    @Inject(CommandsStore) private readonly store: CommandsStore,
    @Inject(GatewaysStore) private readonly gateways: GatewaysStore,
  ) {}

  async createMany(manager: EntityManager, specs: NewCommand[], actor: Actor, after: AfterCommit): Promise<CommandEntity[]> {
    if (!specs.length) return [];
    // Per-gateway sequence numbers: the gateway row's counter, taken under its row lock.
    const counts = new Map<string, number>();
    for (const spec of specs) counts.set(spec.gatewayId, (counts.get(spec.gatewayId) ?? 0) + 1);
    const bumped = await this.gateways.takeCommandSequences(manager, counts);
    const nextSequence = new Map(bumped.map((row) => [row.id, Number(row.command_sequence) - counts.get(row.id)! + 1]));
    const createdBy = actor.id ? `${actor.type}:${actor.id}` : actor.type;
    const commands = specs.map((spec) => {
      const sequence = nextSequence.get(spec.gatewayId)!;
      nextSequence.set(spec.gatewayId, sequence + 1);
      return manager.create(CommandEntity, {
        id: spec.id ?? randomUUID(),
        tenantId: spec.tenantId,
        gatewayId: spec.gatewayId,
        bulkId: spec.bulkId ?? null,
        sequence: String(sequence),
        type: spec.type,
        parameters: spec.parameters,
        state: 'QUEUED',
        deliverBy: spec.deliverBy,
        timeoutSeconds: spec.timeoutSeconds,
        deliveries: 0,
        deliveredAt: null,
        acknowledgedAt: null,
        endedAt: null,
        progressPercent: null,
        message: null,
        result: null,
        errorCode: null,
        createdBy,
      });
    });
    await this.store.insert(manager, commands);
    const now = new Date();
    for (const command of commands) Object.assign(command, { createdAt: now, updatedAt: now });
    await this.store.appendHistory(
      manager,
      commands.map((command) => ({ command, source: actor.type === 'system' ? 'system' : actor.type })),
    );
    await this.changes.recordAll(
      manager,
      commands.map((command) => commandChange(command, null, actor, 'command.queued')),
    );
    const gatewayIds = [...counts.keys()];
    // Lost with Redis, the sweep raises the flag again and applies an overdue deliver-by.
    after.add(
      async () => {
        // Before the gateway can be woken: its hand-out looks the trace up.
        await this.traces.queued(commands);
        await this.live.markCommandsWaiting(gatewayIds);
        await this.wakeups.publish(gatewayIds);
        await this.timers.deliverBy(commands);
      },
      { sweptIfLost: true },
    );
    return commands;
  }
}
