import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ChangeRecorder } from '../../platform/audit/change-recorder.js';
import type { Actor } from '../../platform/auth/principal.js';
import type { AfterCommit } from '../../platform/database/after-commit.js';
import { COMMAND_TYPES_WITH_END_REACTION } from '../../platform/reactions/reaction-catalog.js';
import { Reactions } from '../../platform/reactions/reactions.js';
import { GatewayLiveState } from '../../gateways/gateway-live-state.js';
import { BulkProgress } from '../bulk/bulk-progress.service.js';
import { commandChange, sourceOf } from './command-changes.js';
import { isEnded, type CommandState } from '../command-state.js';
import { CommandSaves } from './command-saves.js';
import { CommandTimers } from './command-timers.js';
import { CommandWakeups } from '../hand-out/command-wakeups.js';
import type { CommandEntity } from '../command.entity.js';
import { CommandsStore } from '../commands.store.js';

export interface ChangeDetails {
  actor: Actor;
  progressPercent?: number | null;
  message?: string | null;
  result?: Record<string, unknown> | null;
  errorCode?: string | null;
}

/**
 * Applies a decided state change (see command-state.ts for what may happen) to a command row that
 * the caller has locked (`move`, `progress`), or, without a lock, to the row version it was decided
 * on (`moveIfUnchanged`): the row, its history, its audit and outgoing events, and, after the
 * commit, its bulk command's progress and its next deadline or a wake-up.
 */
@Injectable()
export class CommandLifecycle {
  constructor(
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
    @Inject(BulkProgress) private readonly bulks: BulkProgress,
    @Inject(CommandTimers) private readonly timers: CommandTimers,
    @Inject(GatewayLiveState) private readonly live: GatewayLiveState,
    @Inject(CommandWakeups) private readonly wakeups: CommandWakeups,
    @Inject(Reactions) private readonly reactions: Reactions,
    @Inject(CommandSaves) private readonly saves: CommandSaves,
    @Inject(CommandsStore) private readonly store: CommandsStore,
  ) {}

  async move(manager: EntityManager, command: CommandEntity, to: CommandState, details: ChangeDetails, after: AfterCommit): Promise<void> {
    const previous = command.state;
    const acknowledgedNow = applyChange(command, to, details, new Date());
    await this.store.saveWithHistory(manager, command, sourceOf(details.actor));
    await this.changes.record(manager, commandChange(command, previous, details.actor, `command.${to.toLowerCase()}`));
    if (isEnded(to) && COMMAND_TYPES_WITH_END_REACTION.has(command.type))
      await this.reactions.run('command.ended', { manager, after, command });
    this.afterMove(command, to, acknowledgedNow, after);
  }

  /** Whether `moveIfUnchanged` may make this change: not an end that another part reacts to in the end's transaction. */
  canMoveUnlocked(command: CommandEntity, to: CommandState | null): boolean {
    return to === null || !isEnded(to) || !COMMAND_TYPES_WITH_END_REACTION.has(command.type);
  }

  /**
   * `move` (or, with `to` null, `progress`) for a command read without a lock: the row, its
   * history entry, audit event and outgoing event in one autocommit statement, applied only if the
   * row is still the version that was read. The version is Postgres's `xmin`, which every write of
   * the row changes (a `version` column would rely on every statement that touches commands,
   * bulk ones included, to raise it). Answers the row's new version, or null, having written
   * nothing, when the row changed meanwhile: read it again and decide again. One round trip
   * instead of a transaction's five, shared with the saves that arrive at the same moment (see
   * CommandSaves), on the gateway's updates, which are most of a command's work.
   */
  async moveIfUnchanged(
    command: CommandEntity,
    version: string,
    to: CommandState | null,
    details: ChangeDetails,
    after: AfterCommit,
  ): Promise<string | null> {
    if (!this.canMoveUnlocked(command, to)) throw new Error(`command ${command.id}: an end to ${to} must be moved in a transaction`);
    const previous = command.state;
    let acknowledgedNow = false;
    if (to) acknowledgedNow = applyChange(command, to, details, new Date());
    else applyProgress(command, details);
    const change = commandChange(command, previous, details.actor, to ? `command.${to.toLowerCase()}` : 'command.progress');
    const saved = await this.saves.save({ command, version, source: sourceOf(details.actor), change });
    if (saved && to) this.afterMove(command, to, acknowledgedNow, after);
    return saved;
  }

  /** What follows a committed move: its bulk command's progress, its next deadline, a wake-up. */
  private afterMove(command: CommandEntity, to: CommandState, acknowledgedNow: boolean, after: AfterCommit): void {
    if (isEnded(to)) {
      this.bulks.onCommandEnded(command, after);
      // A deadline left behind would only cost the sweep a read: removing it keeps the sets to open commands.
      const { id, deliveries } = command;
      after.add(() => this.timers.ended({ id, deliveries }), { sweptIfLost: true });
    } else if (acknowledgedNow) {
      const acknowledgedAt = command.acknowledgedAt!;
      const { id, timeoutSeconds, deliveries } = command;
      after.add(() => this.timers.timeLimit({ id, acknowledgedAt, timeoutSeconds, deliveries }), { sweptIfLost: true });
    }
    if (to === 'QUEUED') {
      after.add(
        async () => {
          await this.live.markCommandsWaiting([command.gatewayId]);
          await this.wakeups.publish([command.gatewayId]);
        },
        { sweptIfLost: true },
      );
    }
  }

  /** Progress reported while running: history and event, no change of state. */
  async progress(manager: EntityManager, command: CommandEntity, details: ChangeDetails): Promise<void> {
    applyProgress(command, details);
    await this.store.saveWithHistory(manager, command, sourceOf(details.actor));
    await this.changes.record(manager, commandChange(command, command.state, details.actor, 'command.progress'));
  }
}

/** Sets a move's fields on the command; answers whether this move acknowledges it. */
function applyChange(command: CommandEntity, to: CommandState, details: ChangeDetails, now: Date): boolean {
  command.state = to;
  applyProgress(command, details);
  if (to === 'SUCCEEDED') command.progressPercent = 100;
  if (details.result !== undefined) command.result = details.result;
  if (details.errorCode) command.errorCode = details.errorCode;
  const acknowledgedNow = !command.acknowledgedAt && (to === 'ACKNOWLEDGED' || to === 'RUNNING');
  if (acknowledgedNow) command.acknowledgedAt = now;
  if (isEnded(to)) command.endedAt = now;
  return acknowledgedNow;
}

/** Progress and message as reported (a missing one keeps the last). */
function applyProgress(command: CommandEntity, details: ChangeDetails): void {
  if (details.progressPercent !== undefined && details.progressPercent !== null) command.progressPercent = details.progressPercent;
  if (details.message !== undefined && details.message !== null) command.message = details.message;
}
