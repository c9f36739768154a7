import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ChangeRecorder } from '../platform/audit/change-recorder.js';
import { SYSTEM_ACTOR } from '../platform/auth/principal.js';
import { EventTopic } from '../platform/events/topics.js';
import { JobQueue } from '../platform/queues/job-queue.service.js';
import { REDIS, RedisConnections, type RedisClient } from '../platform/redis/redis.module.js';
import type { WebhookDisabledEvent } from './webhook-events.js';
import { nextAttemptAt, type RetryPolicy } from './webhook-retries.js';
import { sendWebhook } from './webhook-sender.js';
import { signWebhook, WebhookSecretBox } from './webhook-signing.js';
import { WebhooksStore } from './webhooks.store.js';

/** Deliveries one job sends before it yields its worker slot to other endpoints (it queues its own continuation). */
const DELIVERIES_PER_JOB = 20;
const SWEEP_OVERDUE = '2 seconds';
const SWEEP_LIMIT = 1_000;

/** Come back after `delayMs`; `idle`: nothing pending; `inactive`: the endpoint is disabled or gone. */
type Outcome = { delayMs: number } | 'idle' | 'inactive';

const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Sends webhook deliveries. Per endpoint, one job at a time holds a Redis lock and sends its
 * pending deliveries strictly in order, one attempt at a time: a failed one is retried (back-off
 * with jitter) before any later one goes, and once it has failed for the whole retry period the
 * endpoint is disabled (`webhook.disabled`). Other endpoints' jobs never wait for it.
 */
@Injectable()
export class WebhookDelivery {
  private readonly logger = new Logger(WebhookDelivery.name);
  private readonly policy: RetryPolicy;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(WebhooksStore) private readonly store: WebhooksStore,
    @Inject(WebhookSecretBox) private readonly secrets: WebhookSecretBox,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(RedisConnections) private readonly connections: RedisConnections,
  ) {
    this.policy = {
      baseMs: config.webhooks.retryBaseMs,
      maxDelayMs: config.webhooks.retryMaxDelaySeconds * 1000,
      periodMs: config.webhooks.retryPeriodSeconds * 1000,
    };
  }

  /** Sends the endpoint's due deliveries (a `webhooks.deliver` job), and queues its continuation if some remain. */
  async deliver(endpointId: string): Promise<void> {
    const lockKey = this.connections.key('webhook-lock', endpointId);
    const token = randomUUID();
    const lockMs = this.config.webhooks.timeoutMs * 2 + 5_000;
    // Another job holds the endpoint: it looks for due deliveries again after releasing, so this one's are not lost.
    if ((await this.redis.set(lockKey, token, 'PX', lockMs, 'NX')) !== 'OK') return;
    let outcome: Outcome;
    try {
      outcome = await this.sendDue(endpointId, lockKey, lockMs);
    } finally {
      await this.redis.eval(RELEASE_LOCK, 1, lockKey, token);
    }
    // A delivery added while we held the lock had its job return at once: look again now that it is free.
    if (outcome === 'idle' && (await this.store.headDelivery(endpointId))?.due) outcome = { delayMs: 0 };
    if (typeof outcome === 'object')
      await this.jobs.add('webhooks.deliver', { endpointId }, outcome.delayMs > 0 ? { delayMs: outcome.delayMs } : {});
  }

  /** Sends the endpoint's due deliveries in order; answers when to come back. */
  private async sendDue(endpointId: string, lockKey: string, lockMs: number): Promise<Outcome> {
    const endpoint = await this.store.endpointToDeliver(endpointId);
    if (!endpoint || endpoint.status !== 'ENABLED') return 'inactive';
    const secret = this.secrets.open(endpoint.secretEncrypted);
    for (let sent = 0; sent < DELIVERIES_PER_JOB; sent++) {
      const head = await this.store.headDelivery(endpointId);
      if (!head) return 'idle';
      if (!head.due) return { delayMs: Math.max(1, Math.ceil(head.waitMs)) };
      await this.redis.pexpire(lockKey, lockMs);
      const body = JSON.stringify(head.body);
      const headers = signWebhook(secret, `msg_${head.id}`, Math.floor(Date.now() / 1000), body);
      const result = await sendWebhook(endpoint.url, body, headers, {
        timeoutMs: this.config.webhooks.timeoutMs,
        allowedPrivateTargets: this.config.webhooks.allowedPrivateTargets,
      });
      if (result.ok) {
        await this.store.deliverySucceeded(head.id, result.statusCode!, result.durationMs);
        continue;
      }
      const next = nextAttemptAt(this.policy, head.createdAt, head.attempts + 1, new Date());
      await this.store.deliveryFailed(head.id, result, next);
      if (!next) {
        await this.disable(endpoint.id, endpoint.tenantId, `deliveries failed for ${this.config.webhooks.retryPeriodSeconds} s`);
        return 'inactive';
      }
      return { delayMs: Math.max(1, next.getTime() - Date.now()) };
    }
    return { delayMs: 0 };
  }

  private async disable(endpointId: string, tenantId: string, reason: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.store.disable(manager, endpointId, reason))) return;
      const event: WebhookDisabledEvent = { webhookId: endpointId, tenantId };
      await this.changes.record(manager, {
        tenantId,
        actor: SYSTEM_ACTOR,
        action: 'webhook.disabled',
        targetType: 'webhook',
        targetId: endpointId,
        after: { status: 'DISABLED', reason },
        event: { topic: EventTopic.WebhookDisabled, payload: event },
      });
    });
    this.logger.warn({ webhookId: endpointId, tenantId }, 'webhook endpoint disabled after failing for its retry period');
  }

  /** Queues a delivery job for every endpoint with an overdue delivery (a lost job, say). */
  async sweep(): Promise<void> {
    const endpointIds = await this.store.dueEndpoints(SWEEP_OVERDUE, SWEEP_LIMIT);
    await this.jobs.addMany(
      'webhooks.deliver',
      endpointIds.map((endpointId) => ({ payload: { endpointId } })),
    );
  }
}
