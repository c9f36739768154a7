import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { GatewayPrincipal } from '../../platform/auth/principal.js';
import { AfterCommit, transactionWithEffects } from '../../platform/database/after-commit.js';
import { isUuid } from '../../platform/database/uuid.js';
import { isEnded } from '../command-state.js';
import { commandFromRow } from '../command.entity.js';
import { CommandsStore } from '../commands.store.js';
import { CommandErrors } from '../commands.errors.js';
import { CommandLifecycle } from '../lifecycle/command-lifecycle.service.js';
import { RecentCommands, type KnownCommand } from './recent-commands.js';
import { decideUpdate, updateDetails, type GatewayUpdate } from './update-decision.js';
import { CommandTraces } from '../command-traces.js';

/**
 * How often an update is tried without a lock before it takes one. A gateway's updates of one
 * command come one after another, so a second try is rare (a timer or a user's cancel in between).
 */
const OPTIMISTIC_UPDATE_ATTEMPTS = 3;

/** Protocol section 6 from the service's side: a gateway's updates of the commands handed to it. */
@Injectable()
export class GatewayCommandUpdates {
  constructor(
    @Inject(CommandTraces) private readonly traces: CommandTraces,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CommandsStore) private readonly store: CommandsStore,
    @Inject(CommandLifecycle) private readonly lifecycle: CommandLifecycle,
    /** What this process last wrote of the commands it handed out or updated (shared with the hand-out). */
    @Inject(RecentCommands) private readonly recent: RecentCommands,
  ) {}

  /**
   * Section 6: forward only and idempotent; 409 after an end; 404 for another gateway's command.
   * Optimistic first: the command is taken from what this process last wrote (RecentCommands) or
   * read without a lock, and the change written in one statement that applies only if the row did
   * not change meanwhile (one or two round trips, no transaction). A row that keeps changing under
   * it, or an end that another part acts on, takes the locked path.
   */
  async update(gateway: GatewayPrincipal, commandId: string, update: GatewayUpdate): Promise<{ applied: boolean }> {
    const outcome = await this.updateTraced(gateway, commandId, update);
    await this.traces.updated(commandId, update.state, outcome.applied);
    return outcome;
  }

  private async updateTraced(gateway: GatewayPrincipal, commandId: string, update: GatewayUpdate): Promise<{ applied: boolean }> {
    for (let attempt = 0; attempt < OPTIMISTIC_UPDATE_ATTEMPTS; attempt++) {
      const outcome = await this.updateUnlocked(gateway, commandId, update, attempt === 0);
      if (outcome === 'NEEDS_LOCK') break;
      if (outcome !== 'CHANGED') return outcome;
    }
    this.recent.forget(commandId);
    return this.updateLocked(gateway, commandId, update);
  }

  private async updateUnlocked(
    gateway: GatewayPrincipal,
    commandId: string,
    update: GatewayUpdate,
    mayUseKnown: boolean,
  ): Promise<{ applied: boolean } | 'CHANGED' | 'NEEDS_LOCK'> {
    let target = mayUseKnown ? this.recent.find(commandId, gateway.gatewayId) : undefined;
    let decision = target && decideUpdate(target.command, update);
    // Only a change is decided on a remembered command (its write checks the version); nothing to
    // do, or a refusal, is decided on the row as it is now.
    if (!target || decision?.kind !== 'CHANGE') {
      target = await this.findGatewayCommand(this.store.manager, gateway, commandId, false);
      decision = decideUpdate(target.command, update);
    }
    const { command, version } = target;
    if (decision.kind === 'REJECTED') throw CommandErrors.alreadyEnded(command.state);
    if (decision.kind === 'NONE') return { applied: false };
    if (!this.lifecycle.canMoveUnlocked(command, decision.to)) return 'NEEDS_LOCK';
    const after = new AfterCommit();
    const savedVersion = await this.lifecycle.moveIfUnchanged(command, version, decision.to, updateDetails(gateway, update), after);
    if (!savedVersion) {
      this.recent.forget(commandId);
      return 'CHANGED';
    }
    if (isEnded(command.state)) this.recent.forget(commandId);
    else this.recent.remember(command, savedVersion);
    await after.run();
    return { applied: true };
  }

  /** The gateway's command with its row version, locked for `manager`'s transaction if asked; 404 for any other. */
  private async findGatewayCommand(
    manager: EntityManager,
    gateway: GatewayPrincipal,
    commandId: string,
    lock: boolean,
  ): Promise<KnownCommand> {
    const row = isUuid(commandId) ? await this.store.gatewayCommand(manager, commandId, gateway.gatewayId, lock) : undefined;
    if (!row) throw CommandErrors.notFound();
    return { command: commandFromRow(row), version: row.version };
  }

  private updateLocked(gateway: GatewayPrincipal, commandId: string, update: GatewayUpdate): Promise<{ applied: boolean }> {
    return transactionWithEffects(this.dataSource, async (manager, after) => {
      const { command } = await this.findGatewayCommand(manager, gateway, commandId, true);
      const decision = decideUpdate(command, update);
      if (decision.kind === 'REJECTED') throw CommandErrors.alreadyEnded(command.state);
      if (decision.kind === 'NONE') return { applied: false };
      const details = updateDetails(gateway, update);
      if (decision.to) await this.lifecycle.move(manager, command, decision.to, details, after);
      else await this.lifecycle.progress(manager, command, details);
      return { applied: true };
    });
  }
}
