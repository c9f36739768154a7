import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue, type JobsOptions } from 'bullmq';
import { RedisConnections } from '../redis/redis.module.js';
import { JOB_CATALOG, QueueName, type JobName, type JobPayloads } from './job-catalog.js';
import { currentCarrier, TRACE_FIELD } from '../tracing/tracing.js';

export interface EnqueueOptions {
  /** Deterministic id: adding a job whose id exists (waiting, delayed or active) is a no-op. */
  jobId?: string;
  delayMs?: number;
}

/** The one typed way to put work on a queue. */
@Injectable()
export class JobQueue implements OnApplicationShutdown {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(@Inject(RedisConnections) private readonly redis: RedisConnections) {}

  /**
   * BullMQ keys live under the deployment's prefix too. A queue's scripts use many of its keys at
   * once, so on Redis Cluster they must share a slot: each queue's prefix carries its own hash tag
   * (`gcp:{bull:commands}`), and the four queues can still live on different nodes.
   */
  bullPrefix(queue: QueueName): string {
    return this.redis.tagged(`bull:${queue}`);
  }

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      // Not a blocking connection: it fails fast while Redis is down (the request answers 503)
      // instead of waiting for Redis with the request open, as a worker's connection must.
      queue = new Queue(name, { connection: this.redis.open(`queue:${name}`), prefix: this.bullPrefix(name) });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async add<N extends JobName>(name: N, payload: JobPayloads[N], options: EnqueueOptions = {}): Promise<void> {
    const spec = JOB_CATALOG[name];
    const jobOptions: JobsOptions = { ...spec.options, jobId: options.jobId, delay: options.delayMs };
    await this.queue(spec.queue).add(name, traced(payload), jobOptions);
  }

  async addMany<N extends JobName>(name: N, jobs: { payload: JobPayloads[N]; options?: EnqueueOptions }[]): Promise<void> {
    if (!jobs.length) return;
    const spec = JOB_CATALOG[name];
    await this.queue(spec.queue).addBulk(
      jobs.map(({ payload, options }) => ({
        name,
        data: traced(payload),
        opts: { ...spec.options, jobId: options?.jobId, delay: options?.delayMs },
      })),
    );
  }

  /** Removes a delayed job that is no longer needed (a deadline that was met). */
  async remove(name: JobName, jobId: string): Promise<void> {
    await this.queue(JOB_CATALOG[name].queue)
      .remove(jobId)
      .catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}

/** The job's data, with the enqueuer's trace context when tracing is on (QueueWorkers continues it). */
function traced<T extends object>(payload: T): T {
  const carrier = currentCarrier();
  return carrier ? { ...payload, [TRACE_FIELD]: carrier } : payload;
}
