import { resetRequestLoaders } from '../graphql/loaders.js';

/** Topics of outgoing events; each is also the GraphQL subscription field that carries it, unless marked webhooks only. */
export enum EventTopic {
  GatewayStatusChanged = 'gatewayStatusChanged',
  CommandUpdated = 'commandUpdated',
  MigrationUpdated = 'migrationUpdated',
  ValidationUpdated = 'validationUpdated',
  // Webhooks only (src/webhooks): no subscription field carries these.
  BulkCommandEnded = 'bulkCommandEnded',
  GatewayHealthChanged = 'gatewayHealthChanged',
  WebhookDisabled = 'webhookDisabled',
}

/** What every event carries so subscribers can be filtered by tenant. */
export interface EventEnvelope<T = Record<string, unknown>> {
  tenantId: string;
  topic: EventTopic;
  payload: T;
}

/**
 * A subscription's `resolve`: the event's payload, with the named fields (ISO strings, since the
 * payload went through JSON) turned back into Dates, which is all the DateTime scalar serializes.
 */
export const payloadWithDates =
  (...dateFields: string[]) =>
  (event: EventEnvelope, _args?: unknown, context?: object): Record<string, unknown> => {
    // Each event is answered afresh: its relation fields read the rows as they are now.
    resetRequestLoaders(context);
    const payload = { ...event.payload };
    for (const field of dateFields) if (typeof payload[field] === 'string') payload[field] = new Date(payload[field]);
    return payload;
  };
