import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AfterCommit, transactionWithEffects } from '../../platform/database/after-commit.js';
import type { DeregisteredGateway, RestartedGateways } from '../../gateways/gateway-changes.js';
import { ReactsTo } from '../../platform/reactions/reactions.js';
import { GatewayLiveState } from '../../gateways/gateway-live-state.js';
import { next, statesMovedBy, type CommandEvent } from '../command-state.js';
import { CommandsStore } from '../commands.store.js';
import { CommandWakeups } from '../hand-out/command-wakeups.js';
import { CommandLifecycle } from '../lifecycle/command-lifecycle.service.js';

/**
 * What the system does to commands, not their gateway or a user: timer events (deliver-by,
 * redelivery, time limit), ending them when their gateway leaves or restarts, and the sweep that
 * raises lost 'commands waiting' flags.
 */
@Injectable()
export class CommandSystemEvents {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CommandsStore) private readonly store: CommandsStore,
    @Inject(GatewayLiveState) private readonly live: GatewayLiveState,
    @Inject(CommandLifecycle) private readonly lifecycle: CommandLifecycle,
    @Inject(CommandWakeups) private readonly wakeups: CommandWakeups,
  ) {}

  /** Applies a timer or system event to one command, if it still applies (handlers of the commands queue). */
  async applySystemEvent(commandId: string, event: CommandEvent): Promise<boolean> {
    return transactionWithEffects(this.dataSource, async (manager, after) => {
      const command = await this.store.lock(manager, commandId);
      if (!command) return false;
      // A redelivery deadline is for one delivery: after a later hand-out it no longer applies (checked under the lock).
      if (event.type === 'REDELIVER_TIMEOUT' && command.deliveries !== event.deliveries) return false;
      const outcome = next(command.state, event);
      if (outcome.kind !== 'MOVED') return false;
      await this.lifecycle.move(manager, command, outcome.to, { actor: { type: 'system', id: null }, errorCode: outcome.errorCode }, after);
      return true;
    });
  }

  /**
   * Raises the flag again for gateways whose commands have waited past `grace` (Redis lost the
   * flag, or a process died between a commit and raising it), and wakes their long polls.
   */
  async reflagWaiting(grace: string, limit: number): Promise<number> {
    const gatewayIds = await this.store.gatewaysWithUnflaggedCommands(grace, limit);
    await this.live.markCommandsWaiting(gatewayIds);
    if (gatewayIds.length) await this.wakeups.publish(gatewayIds);
    return gatewayIds.length;
  }

  /** Every command not over ends ABORTED, in the de-registration's transaction. */
  @ReactsTo('gateway.deregistered')
  async abortAll(gateway: DeregisteredGateway): Promise<void> {
    await this.applyToOpen(gateway.manager, [gateway.id], { type: 'GATEWAY_DEREGISTERED' });
  }

  /** Work acknowledged or running under the old boot ended with the gateway manager: FAILED, INTERRUPTED. */
  @ReactsTo('gateway.restarted')
  async interrupt(restarted: RestartedGateways): Promise<void> {
    // One statement for all of them: after a power cut a whole site restarts at once.
    await this.applyToOpen(
      restarted.manager,
      restarted.gateways.map((gateway) => gateway.id),
      { type: 'GATEWAY_RESTARTED' },
    );
  }

  /** Applies `event` to the gateways' commands in the states it moves (the state machine's answer). */
  private async applyToOpen(manager: EntityManager, gatewayIds: string[], event: CommandEvent): Promise<void> {
    const commands = await this.store.lockOfGateways(manager, gatewayIds, statesMovedBy(event));
    // The caller's transaction commits these; its side effects (bulk advance wake-ups) follow it.
    const after = new AfterCommit();
    for (const command of commands) {
      const outcome = next(command.state, event);
      if (outcome.kind === 'MOVED')
        await this.lifecycle.move(
          manager,
          command,
          outcome.to,
          { actor: { type: 'system', id: null }, errorCode: outcome.errorCode },
          after,
        );
    }
    // Runs at once: the wake-ups it holds are harmless if the caller then rolls back (a wake finds nothing).
    await after.run();
  }
}
