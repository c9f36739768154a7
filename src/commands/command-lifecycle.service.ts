import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ChangeRecorder } from '../platform/audit/change-recorder.js';
import type { Actor } from '../platform/auth/principal.js';
import type { AfterCommit } from '../platform/database/after-commit.js';
import { GatewayLiveState } from '../gateways/gateway-live-state.js';
import { BulkProgress } from './bulk-progress.service.js';
import { appendHistory, commandChange, sourceOf } from './command-changes.js';
import { isEnded, type CommandState } from './command-state.js';
import { CommandHooks } from './command-hooks.js';
import { CommandTimers } from './command-timers.js';
import { CommandWakeups } from './command-wakeups.js';
import { CommandEntity } from './command.entity.js';

export interface ChangeDetails {
  actor: Actor;
  progressPercent?: number | null;
  message?: string | null;
  result?: Record<string, unknown> | null;
  errorCode?: string | null;
}

/**
 * Applies a decided state change (see command-state.ts for what may happen) to a command row that
 * the caller has locked: the row, its history, its audit and outgoing events, and, after the
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
    @Inject(CommandHooks) private readonly hooks: CommandHooks,
  ) {}

  async move(manager: EntityManager, command: CommandEntity, to: CommandState, details: ChangeDetails, after: AfterCommit): Promise<void> {
    const previous = command.state;
    const now = new Date();
    command.state = to;
    if (details.progressPercent !== undefined && details.progressPercent !== null) command.progressPercent = details.progressPercent;
    if (to === 'SUCCEEDED') command.progressPercent = 100;
    if (details.message !== undefined && details.message !== null) command.message = details.message;
    if (details.result !== undefined) command.result = details.result;
    if (details.errorCode) command.errorCode = details.errorCode;
    const acknowledgedNow = !command.acknowledgedAt && (to === 'ACKNOWLEDGED' || to === 'RUNNING');
    if (acknowledgedNow) command.acknowledgedAt = now;
    if (isEnded(to)) command.endedAt = now;
    await this.save(manager, command);
    await appendHistory(manager, [{ command, source: sourceOf(details.actor) }]);
    await this.changes.record(manager, commandChange(command, previous, details.actor, `command.${to.toLowerCase()}`));
    if (isEnded(to)) this.bulks.onCommandEnded(command, after);
    if (isEnded(to)) await this.hooks.ended(manager, command, after);
    if (acknowledgedNow) after.add(() => this.timers.timeLimit({ id: command.id, acknowledgedAt: now, timeoutSeconds: command.timeoutSeconds }));
    if (to === 'QUEUED') {
      after.add(async () => {
        await this.live.markCommandsWaiting([command.gatewayId]);
        await this.wakeups.publish([command.gatewayId]);
      });
    }
  }

  /** Progress reported while running: history and event, no change of state. */
  async progress(manager: EntityManager, command: CommandEntity, details: ChangeDetails): Promise<void> {
    if (details.progressPercent !== undefined && details.progressPercent !== null) command.progressPercent = details.progressPercent;
    if (details.message !== undefined && details.message !== null) command.message = details.message;
    await this.save(manager, command);
    await appendHistory(manager, [{ command, source: sourceOf(details.actor) }]);
    await this.changes.record(manager, commandChange(command, command.state, details.actor, 'command.progress'));
  }

  private async save(manager: EntityManager, command: CommandEntity): Promise<void> {
    await manager.update(
      CommandEntity,
      { id: command.id },
      {
        state: command.state,
        progressPercent: command.progressPercent,
        message: command.message,
        result: command.result as never, // jsonb: TypeORM's deep-partial type does not fit a free-form object
        errorCode: command.errorCode,
        acknowledgedAt: command.acknowledgedAt,
        endedAt: command.endedAt,
      },
    );
  }
}
