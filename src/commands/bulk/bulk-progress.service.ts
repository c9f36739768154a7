import { EventTopic } from '../../platform/events/topics.js';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ChangeRecorder } from '../../platform/audit/change-recorder.js';
import { SYSTEM_ACTOR } from '../../platform/auth/principal.js';
import { transactionWithEffects, type AfterCommit } from '../../platform/database/after-commit.js';
import { CommandFactory } from '../issuing/command-factory.service.js';
import type { CommandEntity } from '../command.entity.js';
import { CommandsStore, type BulkRow } from '../commands.store.js';

export type { BulkRow };

/** The most failures a bulk command tolerates before it stops. */
export const errorThreshold = (bulk: Pick<BulkRow, 'max_errors' | 'max_errors_percent' | 'target_count'>) =>
  bulk.max_errors ?? Math.floor((Number(bulk.max_errors_percent) / 100) * bulk.target_count);

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
    @Inject(CommandsStore) private readonly store: CommandsStore,
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
    const stale = await this.store.staleBulkIds(grace, limit);
    for (const id of stale) await this.requestAdvance(id);
    return stale.length;
  }

  /** Counts the bulk's commands again under the bulk row's lock, then advances it. */
  private async advanceNow(bulkId: string): Promise<void> {
    await transactionWithEffects(this.dataSource, async (manager, after) => {
      const bulk = await this.store.lockBulk(manager, bulkId);
      if (bulk?.state !== 'RUNNING') return;
      const counts = await this.store.countBulk(manager, bulkId);
      // Touched even when nothing changed, so the sweep's oldest-first order moves on.
      await this.store.setBulkCounts(manager, bulkId, counts);
      await this.advance(
        manager,
        { ...bulk, started_count: counts.started, ended_count: counts.ended, failed_count: counts.failed },
        after,
      );
    });
  }

  /** Starts what the concurrency limit allows, stops past the threshold, completes when all ended. */
  async advance(manager: EntityManager, bulk: BulkRow, after: AfterCommit): Promise<void> {
    if (bulk.state !== 'RUNNING') return;
    const threshold = errorThreshold(bulk);
    if (bulk.failed_count > threshold) {
      const reason = `stopped: ${bulk.failed_count} targets failed, more than maxErrors (${threshold})`;
      const cancelled = await this.store.cancelPendingTargets(manager, bulk.id);
      await this.store.stopBulk(manager, bulk.id, reason);
      await this.changes.record(manager, {
        tenantId: bulk.tenant_id,
        actor: SYSTEM_ACTOR,
        action: 'bulk_command.stopped',
        targetType: 'bulkCommand',
        targetId: bulk.id,
        before: { state: 'RUNNING' },
        after: { state: 'STOPPED', reason, cancelledTargets: cancelled.length },
        event: { topic: EventTopic.BulkCommandEnded, payload: { bulkId: bulk.id, tenantId: bulk.tenant_id, state: 'STOPPED' } },
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
      if (!(await this.store.hasPendingTargets(manager, bulk.id))) {
        await this.store.completeBulk(manager, bulk.id);
        await this.changes.record(manager, {
          tenantId: bulk.tenant_id,
          actor: SYSTEM_ACTOR,
          action: 'bulk_command.completed',
          targetType: 'bulkCommand',
          targetId: bulk.id,
          before: { state: 'RUNNING' },
          after: { state: 'COMPLETED', targets: bulk.target_count, failed: bulk.failed_count },
          event: { topic: EventTopic.BulkCommandEnded, payload: { bulkId: bulk.id, tenantId: bulk.tenant_id, state: 'COMPLETED' } },
        });
      }
    }
  }

  /** Starts up to `slots` pending targets, in order; a target whose gateway left meanwhile is CANCELLED. */
  private async startNext(
    manager: EntityManager,
    bulk: BulkRow,
    slots: number,
    after: AfterCommit,
  ): Promise<{ examined: number; started: number }> {
    const targets = await this.store.lockPendingTargets(manager, bulk.id, slots);
    const gone = targets.filter((t) => !t.live).map((t) => t.gateway_id);
    if (gone.length) {
      await this.store.cancelTargets(manager, bulk.id, gone);
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
    await this.store.startTargets(manager, bulk.id, commands);
    return { examined: targets.length, started: commands.length };
  }
}
