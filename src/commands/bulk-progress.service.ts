import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ChangeRecorder } from '../platform/audit/change-recorder.js';
import { SYSTEM_ACTOR } from '../platform/auth/principal.js';
import type { AfterCommit } from '../platform/database/after-commit.js';
import { queryReturning } from '../platform/database/sql.js';
import { CommandFactory } from './command-factory.service.js';
import type { CommandState } from './command-state.js';
import type { BulkCommandEntity, CommandEntity } from './command.entity.js';

/** Ends that count against a bulk command's error threshold. */
const FAILURES = new Set<CommandState>(['FAILED', 'TIMED_OUT', 'EXPIRED', 'ABORTED']);

interface BulkRow {
  id: string;
  tenant_id: string;
  type: BulkCommandEntity['type'];
  parameters: Record<string, unknown>;
  deliver_by: Date;
  timeout_seconds: number;
  max_concurrency: number;
  max_errors: number | null;
  max_errors_percent: string | null;
  state: BulkCommandEntity['state'];
  target_count: number;
  started_count: number;
  ended_count: number;
  failed_count: number;
}

/** The most failures a bulk command tolerates before it stops. */
export const errorThreshold = (bulk: Pick<BulkRow, 'max_errors' | 'max_errors_percent' | 'target_count'>) =>
  bulk.max_errors ?? Math.floor((Number(bulk.max_errors_percent) / 100) * bulk.target_count);

/**
 * Runs a bulk command: starts targets while fewer than maxConcurrency run, and once failures pass
 * maxErrors stops, ending the targets not yet started CANCELLED with the reason. Each command's
 * end advances it in that command's transaction; the bulk row's lock orders concurrent ends.
 */
@Injectable()
export class BulkProgress {
  constructor(
    @Inject(CommandFactory) private readonly factory: CommandFactory,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
  ) {}

  async onCommandEnded(manager: EntityManager, command: CommandEntity, after: AfterCommit): Promise<void> {
    const [bulk] = await queryReturning<BulkRow>(
      manager,
      `UPDATE bulk_commands SET ended_count = ended_count + 1, failed_count = failed_count + $2, updated_at = now()
       WHERE id = $1 RETURNING *`,
      [command.bulkId, FAILURES.has(command.state) ? 1 : 0],
    );
    if (bulk) await this.advance(manager, bulk, after);
  }

  /** Starts what the concurrency limit allows, stops past the threshold, completes when all ended. */
  async advance(manager: EntityManager, bulk: BulkRow, after: AfterCommit): Promise<void> {
    if (bulk.state !== 'RUNNING') return;
    const threshold = errorThreshold(bulk);
    if (bulk.failed_count > threshold) {
      const reason = `stopped: ${bulk.failed_count} targets failed, more than maxErrors (${threshold})`;
      const cancelled = await queryReturning<{ gateway_id: string }>(
        manager,
        `UPDATE bulk_command_targets SET state = 'CANCELLED' WHERE bulk_id = $1 AND state = 'PENDING' RETURNING gateway_id`,
        [bulk.id],
      );
      await manager.query(`UPDATE bulk_commands SET state = 'STOPPED', stop_reason = $2, updated_at = now() WHERE id = $1`, [bulk.id, reason]);
      await this.changes.record(manager, {
        tenantId: bulk.tenant_id,
        actor: SYSTEM_ACTOR,
        action: 'bulk_command.stopped',
        targetType: 'bulkCommand',
        targetId: bulk.id,
        before: { state: 'RUNNING' },
        after: { state: 'STOPPED', reason, cancelledTargets: cancelled.length },
      });
      return;
    }
    let slots = bulk.max_concurrency - (bulk.started_count - bulk.ended_count);
    while (slots > 0) {
      const { examined, started } = await this.startNext(manager, bulk, slots, after);
      if (!examined) break;
      bulk.started_count += started;
      slots -= started;
    }
    if (bulk.started_count === bulk.ended_count) {
      const pending = await manager.query(`SELECT 1 FROM bulk_command_targets WHERE bulk_id = $1 AND state = 'PENDING' LIMIT 1`, [bulk.id]);
      if (!pending.length) {
        await manager.query(`UPDATE bulk_commands SET state = 'COMPLETED', updated_at = now() WHERE id = $1`, [bulk.id]);
        await this.changes.record(manager, {
          tenantId: bulk.tenant_id,
          actor: SYSTEM_ACTOR,
          action: 'bulk_command.completed',
          targetType: 'bulkCommand',
          targetId: bulk.id,
          before: { state: 'RUNNING' },
          after: { state: 'COMPLETED', targets: bulk.target_count, failed: bulk.failed_count },
        });
      }
    }
  }

  /** Starts up to `slots` pending targets, in order; a target whose gateway left meanwhile is CANCELLED. */
  private async startNext(manager: EntityManager, bulk: BulkRow, slots: number, after: AfterCommit): Promise<{ examined: number; started: number }> {
    const targets: { gateway_id: string; live: boolean }[] = await manager.query(
      `SELECT t.gateway_id, g.status <> 'DEREGISTERED' AS live FROM bulk_command_targets t JOIN gateways g ON g.id = t.gateway_id
       WHERE t.bulk_id = $1 AND t.state = 'PENDING' ORDER BY t.position LIMIT $2 FOR UPDATE OF t SKIP LOCKED`,
      [bulk.id, slots],
    );
    const gone = targets.filter((t) => !t.live).map((t) => t.gateway_id);
    if (gone.length) {
      await manager.query(`UPDATE bulk_command_targets SET state = 'CANCELLED' WHERE bulk_id = $1 AND gateway_id = ANY($2::uuid[])`, [bulk.id, gone]);
    }
    const live = targets.filter((t) => t.live).map((t) => t.gateway_id);
    if (!live.length) return { examined: targets.length, started: 0 };
    const commands = await this.factory.createMany(
      manager,
      live.map((gatewayId) => ({
        tenantId: bulk.tenant_id,
        gatewayId,
        bulkId: bulk.id,
        type: bulk.type,
        parameters: bulk.parameters,
        deliverBy: bulk.deliver_by,
        timeoutSeconds: bulk.timeout_seconds,
      })),
      SYSTEM_ACTOR,
      after,
    );
    await manager.query(
      `UPDATE bulk_command_targets t SET state = 'STARTED', command_id = c.command_id
       FROM unnest($2::uuid[], $3::uuid[]) AS c(gateway_id, command_id) WHERE t.bulk_id = $1 AND t.gateway_id = c.gateway_id`,
      [bulk.id, commands.map((c) => c.gatewayId), commands.map((c) => c.id)],
    );
    await manager.query(`UPDATE bulk_commands SET started_count = started_count + $2 WHERE id = $1`, [bulk.id, commands.length]);
    return { examined: targets.length, started: commands.length };
  }
}
