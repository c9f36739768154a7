import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { OutboxStore } from '../events/outbox.store.js';
import { QueueName } from '../queues/job-catalog.js';
import { JobQueue } from '../queues/job-queue.service.js';
import { REDIS } from '../redis/redis.module.js';
import { Metrics, ScrapedMetrics } from './catalog.js';
import { PostgresPingStore } from './postgres-ping.store.js';

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * The platform's gauges read at scrape time (queue depths, the outbox's backlog, the Postgres pool,
 * whether Postgres and Redis answer), and the latency of the shared Redis connection: every
 * command it sends is timed from send to reply (about a microsecond of CPU per command).
 */
@Injectable()
export class PlatformMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly withdrawals: (() => void)[] = [];

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(OutboxStore) private readonly outbox: OutboxStore,
    @Inject(PostgresPingStore) private readonly postgres: PostgresPingStore,
  ) {}

  onModuleInit(): void {
    this.timeRedisCommands();
    this.withdrawals.push(
      ScrapedMetrics.queueJobs.provide(async () => {
        const counts = await Promise.all(
          Object.values(QueueName).map(async (queue) => [queue, await this.jobs.queue(queue).getJobCounts(...JOB_STATES)] as const),
        );
        return counts.flatMap(([queue, byState]) => JOB_STATES.map((state) => ({ labels: { queue, state }, value: byState[state] ?? 0 })));
      }),
      ScrapedMetrics.outboxBacklog.provide(async () => [{ value: (await this.outbox.backlog()).events }]),
      ScrapedMetrics.outboxLag.provide(async () => [{ value: (await this.outbox.backlog()).oldestAgeSeconds }]),
      ScrapedMetrics.dbPool.provide(async () => {
        const pool = (this.dataSource.driver as unknown as { master?: Pool }).master;
        if (!pool) return [];
        return [
          { labels: { state: 'total' }, value: pool.totalCount },
          { labels: { state: 'idle' }, value: pool.idleCount },
          { labels: { state: 'waiting' }, value: pool.waitingCount },
        ];
      }),
      ScrapedMetrics.dependencyUp.provide(async () => {
        const [postgres, redis] = await Promise.all([
          this.postgres.ping().then(
            () => 1,
            () => 0,
          ),
          within(this.redis.ping(), 1_000).then(
            () => 1,
            () => 0,
          ),
        ]);
        return [
          { labels: { dependency: 'postgres' }, value: postgres },
          { labels: { dependency: 'redis' }, value: redis },
        ];
      }),
    );
  }

  /** Wraps the shared connection's sendCommand: a timer per command, observed when it settles. */
  private timeRedisCommands(): void {
    const redis = this.redis as Redis & { __timed?: boolean };
    if (redis.__timed) return;
    redis.__timed = true;
    const send = redis.sendCommand.bind(redis);
    // Every argument passed on: a Redis Cluster client's sendCommand takes a third (the node).
    redis.sendCommand = ((command: { promise: Promise<unknown> }, ...rest: unknown[]) => {
      const started = process.hrtime.bigint();
      const settled = () => Metrics.redisCommands.observe(Number(process.hrtime.bigint() - started) / 1e9);
      command.promise.then(settled, settled);
      return (send as (...args: unknown[]) => unknown)(command, ...rest);
    }) as typeof redis.sendCommand;
  }

  onModuleDestroy(): void {
    for (const withdraw of this.withdrawals) withdraw();
  }
}

const within = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
