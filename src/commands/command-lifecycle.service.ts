import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ChangeRecorder } from '../platform/audit/change-recorder.js';
import type { Actor } from '../platform/auth/principal.js';
import type { AfterCommit } from '../platform/database/after-commit.js';
import { prepared } from '../platform/database/sql.js';
import { GatewayLiveState } from '../gateways/gateway-live-state.js';
import { BulkProgress } from './bulk-progress.service.js';
import { commandChange, sourceOf, type HistorySource } from './command-changes.js';
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
    await this.saveWithHistory(manager, command, sourceOf(details.actor));
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
    await this.saveWithHistory(manager, command, sourceOf(details.actor));
    await this.changes.record(manager, commandChange(command, command.state, details.actor, 'command.progress'));
  }

  /** The row and its history entry in one statement (one round trip fewer on every update). */
  private async saveWithHistory(manager: EntityManager, command: CommandEntity, source: HistorySource): Promise<void> {
    await manager.query(
      prepared(
        'save-command-with-history',
        `WITH saved AS (
           UPDATE commands SET state = $3, progress_percent = $4, message = $5, result = $6, error_code = $7,
                  acknowledged_at = $8, ended_at = $9, updated_at = now()
           WHERE id = $2)
         INSERT INTO command_history (tenant_id, command_id, source, state, progress_percent, message, error_code)
         VALUES ($1, $2, $10, $3, $4, $5, $7)`,
      ),
      [
        command.tenantId,
        command.id,
        command.state,
        command.progressPercent,
        command.message,
        command.result === null || command.result === undefined ? null : JSON.stringify(command.result),
        command.errorCode,
        command.acknowledgedAt,
        command.endedAt,
        source,
      ],
    );
  }
}
