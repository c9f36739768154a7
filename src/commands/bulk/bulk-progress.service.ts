import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ChangeRecorder } from '../../platform/audit/change-recorder.js';
import { SYSTEM_ACTOR } from '../../platform/auth/principal.js';
import { transactionWithEffects, type AfterCommit } from '../../platform/database/after-commit.js';
import { queryReturning } from '../../platform/database/sql.js';
import { CommandFactory } from '../issuing/command-factory.service.js';
import { ENDED_STATES, type CommandState } from '../command-state.js';
import type { BulkCommandEntity, CommandEntity } from '../command.entity.js';

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

/** What a bulk command's counts are, read from its commands (the one source of truth). */
interface BulkCounts {
  started: number;
  ended: number;
  failed: number;
}

/**
 * Runs a bulk command: starts targets while fewer than maxConcurrency run, and once failures pass
 * maxErrors stops, ending the targets not yet started CANCELLED with the reason.
 *
 * A command's end does not touch the bulk row in its own transaction: that row lock made the ends
 * of one bulk's targets commit one after another. Instead, after the end commits, the bulk is
 * advanced in a transaction of its own that counts its commands again; in-process, the ends that
 * arrive meanwhile share the next advance, and the bulk row's lock orders advances across processes.
 * Counting again (not adding one) makes an advance safe to repeat, so the command sweep can advance
 * any bulk whose advance was lost with a process.
 */
@Injectable()
export class BulkProgress {
  private readonly logger = new Logger(BulkProgress.name);
  /** Per bulk: the advance running now, and the one queued behind it for the ends it may have missed. */
  private readonly inFlight = new Map<string, { running: Promise<void>; next: Promise<void> | null }>();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CommandFactory) private readonly factory: CommandFactory,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
  ) {}

  /** A target's command ended: advance its bulk once that end is committed. */
  onCommandEnded(command: CommandEntity, after: AfterCommit): void {
    const bulkId = command.bulkId;
    if (bulkId) after.add(() => this.requestAdvance(bulkId));
  }

  /**
   * Resolves once an advance that started after this call has finished, so the caller's committed
   * end is counted. Concurrent callers share one advance; failures are logged and left to the sweep.
   */
  requestAdvance(bulkId: string): Promise<void> {
    const current = this.inFlight.get(bulkId);
    if (current?.next) return current.next;
    const run = async () => {
      try {
        await this.advanceNow(bulkId);
      } catch (error) {
        this.logger.warn({ err: error, bulkId }, 'bulk advance failed; the command sweep retries it');
      }
    };
    if (!current) {
      const entry = { running: run(), next: null as Promise<void> | null };
      this.inFlight.set(bulkId, entry);
      void entry.running.finally(() => this.promote(bulkId, entry));
      return entry.running;
    }
    current.next = current.running.then(run);
    return current.next;
  }

  /** The running advance ended: the queued one (if any) becomes the running one. */
  private promote(bulkId: string, entry: { running: Promise<void>; next: Promise<void> | null }): void {
    if (this.inFlight.get(bulkId) !== entry) return;
    if (!entry.next) {
      this.inFlight.delete(bulkId);
      return;
    }
    const following = { running: entry.next, next: null as Promise<void> | null };
    this.inFlight.set(bulkId, following);
    void following.running.finally(() => this.promote(bulkId, following));
  }

  /** Advances every running bulk not advanced for `grace`: the safety net for advances lost with a process. */
  async advanceStale(grace: string, limit: number): Promise<number> {
    const stale: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM bulk_commands WHERE state = 'RUNNING' AND updated_at < now() - $1::interval ORDER BY updated_at LIMIT $2`,
      [grace, limit],
    );
    for (const { id } of stale) await this.requestAdvance(id);
    return stale.length;
  }

  /** Counts the bulk's commands again under the bulk row's lock, then advances it. */
  private async advanceNow(bulkId: string): Promise<void> {
    await transactionWithEffects(this.dataSource, async (manager, after) => {
      const [bulk] = await queryReturning<BulkRow>(manager, `SELECT * FROM bulk_commands WHERE id = $1 FOR UPDATE`, [bulkId]);
      if (bulk?.state !== 'RUNNING') return;
      const [counts] = await queryReturning<BulkCounts>(
        manager,
        `SELECT count(*)::int AS started,
                count(*) FILTER (WHERE state = ANY($2::text[]))::int AS ended,
                count(*) FILTER (WHERE state = ANY($3::text[]))::int AS failed
         FROM commands WHERE bulk_id = $1`,
        [bulkId, [...ENDED_STATES], [...FAILURES]],
      );
      // Touched even when nothing changed, so the sweep's oldest-first order moves on.
      await manager.query(`UPDATE bulk_commands SET started_count = $2, ended_count = $3, failed_count = $4, updated_at = now() WHERE id = $1`, [
        bulkId,
        counts.started,
        counts.ended,
        counts.failed,
      ]);
      await this.advance(manager, { ...bulk, started_count: counts.started, ended_count: counts.ended, failed_count: counts.failed }, after);
    });
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
