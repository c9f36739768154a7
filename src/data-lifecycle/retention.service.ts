import { Inject, Injectable, Logger } from '@nestjs/common';
import { Histogram } from 'prom-client';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import {
  cutoffs,
  droppable,
  PARTITIONED,
  PARTITIONS_AHEAD_MONTHS,
  ROW_KINDS,
  type PartitionedTable,
  type RowKind,
} from './retention-policy.js';
import { RetentionStore } from './retention.store.js';

const batchSeconds = new Histogram({
  name: 'gcp_retention_batch_seconds',
  help: 'Time of one retention batch (one short statement) or one partition drop, by kind of data',
  labelNames: ['kind'],
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});

/** Batches of one kind per run, at most: a run never takes long, and the next run goes on. */
const MAX_BATCHES_PER_KIND = 200;

export interface RetentionRun {
  /** Rows deleted per kind. */
  deleted: Record<RowKind, number>;
  /** Month partitions dropped, by name. */
  droppedPartitions: string[];
  /** Month partitions made ahead. */
  createdPartitions: number;
  /** The longest single batch or drop, in milliseconds. */
  longestBatchMs: number;
  batches: number;
  /** Each batch's or drop's time, in milliseconds, in order. */
  batchMs: number[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The data lifecycle's one job: keeps month partitions ready ahead, drops the months past their
 * retention, and deletes other expired rows in small batches (docs/operations.md).
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RetentionStore) private readonly store: RetentionStore,
  ) {}

  async ensurePartitionsAhead(now = new Date()): Promise<number> {
    const ahead = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + PARTITIONS_AHEAD_MONTHS, 1));
    let created = 0;
    for (const { table, column } of PARTITIONED) created += await this.store.ensurePartitions(table, column, now, ahead);
    return created;
  }

  async run(now = new Date()): Promise<RetentionRun> {
    const { batchSize, batchPauseMs } = this.config.retention;
    const limits = cutoffs(this.config.retention, now, await this.store.longestTenantAuditRetention());
    const result: RetentionRun = {
      deleted: Object.fromEntries(ROW_KINDS.map((kind) => [kind, 0])) as Record<RowKind, number>,
      droppedPartitions: [],
      createdPartitions: 0,
      longestBatchMs: 0,
      batches: 0,
      batchMs: [],
    };
    const timed = async <T>(kind: string, work: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      try {
        return await work();
      } finally {
        const ms = performance.now() - started;
        batchSeconds.observe({ kind }, ms / 1000);
        result.longestBatchMs = Math.max(result.longestBatchMs, ms);
        result.batchMs.push(ms);
        result.batches += 1;
      }
    };

    result.createdPartitions = await timed('partitions', () => this.ensurePartitionsAhead(now));

    for (const kind of ROW_KINDS) {
      for (let batch = 0; batch < MAX_BATCHES_PER_KIND; batch++) {
        const deleted = await timed(kind, () => this.store.deleteBatch(kind, limits[kind], batchSize));
        result.deleted[kind] += deleted;
        if (deleted < batchSize) break;
        if (batchPauseMs) await sleep(batchPauseMs);
      }
    }

    for (const { table } of PARTITIONED) {
      for (const partition of droppable(await this.store.partitions(table), limits[table])) {
        try {
          await timed(table, () => this.store.dropPartition(table, partition));
          result.droppedPartitions.push(partition);
        } catch (error) {
          // Most likely the lock wait ran out behind a long transaction: the next run tries again.
          this.logger.warn({ err: error, partition }, 'could not drop an expired partition; the next run tries again');
        }
      }
      await this.warnAboutDefaultPartition(table);
    }

    const total = Object.values(result.deleted).reduce((a, b) => a + b, 0);
    if (total || result.droppedPartitions.length) {
      this.logger.log(
        { deleted: result.deleted, droppedPartitions: result.droppedPartitions, longestBatchMs: Math.round(result.longestBatchMs) },
        'retention removed expired data',
      );
    }
    return result;
  }

  private async warnAboutDefaultPartition(table: PartitionedTable): Promise<void> {
    if (await this.store.defaultPartitionHasRows(table)) {
      this.logger.warn(
        { table },
        `${table}_default holds rows outside every month partition; they are never dropped by retention (see docs/operations.md)`,
      );
    }
  }
}
