import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { runsWorkers, type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { AfterCommit } from '../database/after-commit.js';
import { IdempotencyKeys } from '../idempotency/idempotency-keys.js';
import { Metrics } from '../metrics/catalog.js';
import { JobHandler } from '../queues/job-handler.decorator.js';
import { EventPublisher } from './event-publisher.service.js';
import { OutboxStore } from './outbox.store.js';
import type { GatewayStatusChangedEvent } from '../../gateways/gateway-status-writer.service.js';
import { Reactions } from '../reactions/reactions.js';
import { EventTopic, type EventEnvelope } from './topics.js';
import { eventSpan, inSpanOf, TRACE_FIELD, tracingOn, type TraceCarrier } from '../tracing/tracing.js';

const BATCH = 500;
/** A fallback poll, for notifications lost while the listening connection was down. */
const POLL_MS = 1_000;
const RETENTION = '1 day';

/**
 * Moves committed outbox rows to Redis pub/sub, at least once and in order per batch. Runs in
 * worker processes; several may run at once (rows are claimed with SKIP LOCKED).
 */
@Injectable()
export class EventRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventRelay.name);
  private listener: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(IdempotencyKeys) private readonly idempotencyKeys: IdempotencyKeys,
    @Inject(Reactions) private readonly reactions: Reactions,
    @Inject(OutboxStore) private readonly store: OutboxStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!runsWorkers(this.config)) return;
    await this.listen();
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.wake();
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.config.database.url, application_name: 'gateway-control-plane:outbox-listener' });
    client.on('notification', () => this.wake());
    client.on('error', (error: Error) => {
      this.logger.warn({ err: error }, 'outbox listener lost its connection; polling until it is back');
      this.listener = null;
      if (!this.stopped) setTimeout(() => void this.listen().catch(() => undefined), POLL_MS);
    });
    await client.connect();
    await this.store.listen(client);
    this.listener = client;
  }

  wake(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .catch((error) => this.logger.warn({ err: error }, 'outbox relay failed; retrying'))
      .finally(() => {
        this.draining = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const after = new AfterCommit();
      const published = await this.dataSource.transaction(async (manager) => {
        const rows = await this.store.claim(manager, BATCH);
        if (!rows.length) return { count: 0, events: [], createdAt: [] };
        const events = rows.map((row) => ({ tenantId: row.tenant_id, topic: row.topic, payload: withoutTrace(row.payload) }));
        // Work that must follow a committed change at least once runs before the event counts as delivered.
        for (const event of events)
          if (event.topic === EventTopic.GatewayStatusChanged)
            await this.reactions.run('outbox.gateway-status-changed', event.payload as unknown as GatewayStatusChangedEvent);
        // Webhooks: one delivery row per subscribed endpoint, committed with the batch's `published_at`.
        await this.reactions.run('outbox.published', {
          manager,
          after,
          events: events.map((event, i) => ({ ...event, occurredAt: rows[i]!.created_at })),
        });
        await publishedInTraces(
          rows.map((row) => row.payload),
          () => this.publisher.publishAll(events),
        );
        await this.store.markPublished(
          manager,
          rows.map((row) => row.id),
        );
        return { count: rows.length, events, createdAt: rows.map((row) => row.created_at) };
      });
      await after.run().catch((error: unknown) => this.logger.warn({ err: error }, 'webhook jobs not queued; their sweep will'));
      if (published.count) this.observePublished(published.events, published.createdAt);
      if (published.count < BATCH || this.stopped) return;
    }
  }

  private observePublished(events: EventEnvelope[], createdAt: Date[]): void {
    const now = Date.now();
    for (let i = 0; i < events.length; i++) {
      Metrics.outboxRelayed.inc({ topic: events[i]!.topic });
      Metrics.outboxRelayDelay.observe(Math.max(0, now - createdAt[i]!.getTime()) / 1000);
    }
    // The parts' metrics (reaction-catalog.ts), at least once like the events; they must not hold up the relay.
    for (const name of ['outbox.relayed.fleet-metrics', 'outbox.relayed.command-metrics'] as const)
      void this.reactions.run(name, { events }).catch((error: unknown) => this.logger.warn({ err: error }, `reaction ${name} failed`));
  }

  @JobHandler('events.prune')
  async prune(): Promise<void> {
    await this.store.prunePublished(RETENTION);
    await this.idempotencyKeys.prune(this.dataSource.manager);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.draining;
    await this.listener?.end().catch(() => undefined);
  }
}

/** The payload as published: the trace context the writer stored with it (tracing on) left out. */
function withoutTrace(payload: Record<string, unknown>): Record<string, unknown> {
  if (!(TRACE_FIELD in payload)) return payload;
  const { [TRACE_FIELD]: _trace, ...rest } = payload;
  return rest;
}

/** `outbox.publish` in the trace of each event that carries one (one span for the batch otherwise). */
async function publishedInTraces(payloads: Record<string, unknown>[], publish: () => Promise<void>): Promise<void> {
  if (!tracingOn() || !payloads.some((payload) => TRACE_FIELD in payload)) return publish();
  const carriers = payloads
    .map((payload) => payload[TRACE_FIELD] as TraceCarrier | undefined)
    .filter((carrier): carrier is TraceCarrier => Boolean(carrier));
  await inSpanOf('outbox.publish', undefined, { 'outbox.events': payloads.length }, async () => {
    for (const carrier of carriers) eventSpan('outbox.published', carrier, {});
    await publish();
  });
}
