import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Worker, type Job } from 'bullmq';
import { runsWorkers, type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { Metrics } from '../metrics/catalog.js';
import { RedisConnections } from '../redis/redis.module.js';
import { JOB_CATALOG, QUEUE_CONCURRENCY, QueueName, type JobName } from './job-catalog.js';
import { JOB_HANDLER } from './job-handler.decorator.js';
import { JobQueue } from './job-queue.service.js';
import { inSpanOf, TRACE_FIELD, type TraceCarrier } from '../tracing/tracing.js';

type Handler = (payload: unknown, job: Job) => Promise<unknown>;

const jobsProcessed = Metrics.jobsProcessed;
const jobDuration = Metrics.jobDuration;

/**
 * Finds every @JobHandler, checks that each job type of the catalog has exactly one, and in
 * worker processes runs one BullMQ worker per queue. At shutdown the workers stop taking jobs
 * and finish the ones they hold.
 */
@Injectable()
export class QueueWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(QueueWorkers.name);
  private readonly handlers = new Map<JobName, Handler>();
  private readonly workers: Worker[] = [];
  private lastWorkerError = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(RedisConnections) private readonly redis: RedisConnections,
    @Inject(JobQueue) private readonly jobQueue: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.collectHandlers();
    if (!runsWorkers(this.config)) return;
    for (const queue of Object.values(QueueName)) {
      const worker = new Worker(queue, (job) => this.run(queue, job), {
        connection: this.redis.open(`worker:${queue}`, { forBullMq: true }),
        prefix: this.jobQueue.bullPrefix(queue),
        concurrency: QUEUE_CONCURRENCY[queue],
        // A job held by a worker that died is found stalled and run again within about twice this.
        lockDuration: this.config.jobs.lockSeconds * 1000,
        stalledInterval: this.config.jobs.lockSeconds * 1000,
      });
      worker.on('failed', (job, error) => this.logger.warn({ queue, job: job?.name, jobId: job?.id, err: error }, 'job failed'));
      // Without a listener BullMQ prints each reconnection's error to the console while Redis is
      // down; the Redis connection already logs the loss (redis.module.ts), so one line a minute here.
      worker.on('error', (error) => {
        if (Date.now() - this.lastWorkerError < 60_000) return;
        this.lastWorkerError = Date.now();
        this.logger.warn({ queue, err: error.message }, 'queue worker error (further ones this minute not logged)');
      });
      this.workers.push(worker);
    }
    await this.ensureSchedulers();
  }

  /** The repeatable jobs' schedulers (kept in Redis): made at start, and again when Redis lost them. */
  async ensureSchedulers(): Promise<void> {
    for (const [name, spec] of Object.entries(JOB_CATALOG)) {
      if (spec.everyMs) {
        await this.jobQueue.queue(spec.queue).upsertJobScheduler(name, { every: spec.everyMs }, { name, data: {}, opts: spec.options });
      }
    }
  }

  private collectHandlers(): void {
    const seen = new Map<string, string[]>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance);
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const name = this.reflector.get<JobName | undefined>(JOB_HANDLER, prototype[method]);
        if (!name) continue;
        seen.set(name, [...(seen.get(name) ?? []), `${wrapper.name}.${method}`]);
        this.handlers.set(name, (instance[method] as Handler).bind(instance));
      }
    }
    const problems = [
      ...Object.keys(JOB_CATALOG)
        .filter((name) => !seen.has(name))
        .map((name) => `job type ${name} has no handler`),
      ...[...seen]
        .filter(([, where]) => where.length > 1)
        .map(([name, where]) => `job type ${name} has ${where.length} handlers: ${where.join(', ')}`),
      ...[...seen.keys()].filter((name) => !(name in JOB_CATALOG)).map((name) => `handler for unknown job type ${name}`),
    ];
    if (problems.length) throw new Error(`queue wiring is wrong: ${problems.join('; ')}`);
  }

  private async run(queue: QueueName, job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler) throw new Error(`no handler for job ${job.name}`);
    const startedAt = performance.now();
    try {
      const carrier = (job.data as Record<string, unknown> | undefined)?.[TRACE_FIELD] as TraceCarrier | undefined;
      // A job enqueued in a trace continues it; the periodic ones (no enqueuer) make no trace.
      const result = carrier
        ? await inSpanOf(`job ${job.name}`, carrier, { 'job.queue': queue, 'job.id': String(job.id) }, () => handler(job.data, job))
        : await handler(job.data, job);
      jobsProcessed.inc({ queue, job: job.name, outcome: 'completed' });
      return result;
    } catch (error) {
      jobsProcessed.inc({ queue, job: job.name, outcome: 'failed' });
      throw error;
    } finally {
      jobDuration.observe({ queue, job: job.name }, (performance.now() - startedAt) / 1000);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
  }
}
