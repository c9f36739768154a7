import { Inject, Injectable } from '@nestjs/common';
import type { ReactionPayloads } from '../platform/reactions/reaction-catalog.js';
import { ReactsTo } from '../platform/reactions/reactions.js';
import { JobQueue } from '../platform/queues/job-queue.service.js';
import { WebhookEventData } from './webhook-event-data.js';
import { webhookEventsOf } from './webhook-events.js';
import { WebhooksStore } from './webhooks.store.js';

/**
 * Turns published outbox events into webhook deliveries: one row per event and subscribed
 * endpoint, written in the relay's transaction (so an event is fanned out exactly when it counts
 * as published), then one job per endpoint once that commits. Costs one indexed read per batch
 * when no tenant of the batch has an endpoint.
 */
@Injectable()
export class WebhookFanout {
  constructor(
    @Inject(WebhooksStore) private readonly store: WebhooksStore,
    @Inject(WebhookEventData) private readonly data: WebhookEventData,
    @Inject(JobQueue) private readonly jobs: JobQueue,
  ) {}

  @ReactsTo('outbox.published')
  async fanOut({ manager, after, events }: ReactionPayloads['outbox.published']): Promise<void> {
    const mapped = events.flatMap((event) => webhookEventsOf(event).map((webhook) => ({ event, webhook })));
    if (!mapped.length) return;
    const endpoints = await this.store.enabledEndpointsOf(manager, [...new Set(mapped.map(({ event }) => event.tenantId))]);
    if (!endpoints.length) return;
    const deliveries: { tenantId: string; endpointId: string; eventType: string; body: object }[] = [];
    for (const { event, webhook } of mapped) {
      const targets = endpoints.filter((endpoint) => endpoint.tenantId === event.tenantId && endpoint.events.includes(webhook.type));
      if (!targets.length) continue;
      const data = await this.data.of(event.tenantId, webhook.subject);
      if (!data) continue;
      const body = { type: webhook.type, timestamp: event.occurredAt.toISOString(), data };
      for (const endpoint of targets) deliveries.push({ tenantId: event.tenantId, endpointId: endpoint.id, eventType: webhook.type, body });
    }
    const inserted = await this.store.insertDeliveries(manager, deliveries);
    const endpointIds = [...new Set(inserted.map((delivery) => delivery.endpointId))];
    if (endpointIds.length)
      after.add(() =>
        this.jobs.addMany(
          'webhooks.deliver',
          endpointIds.map((endpointId) => ({ payload: { endpointId } })),
        ),
      );
  }
}
