import type { CommandUpdatedEvent } from '../commands/lifecycle/command-changes.js';
import { isEnded } from '../commands/command-state.js';
import type { GatewayStatusChangedEvent } from '../gateways/gateway-status-writer.service.js';
import type { MigrationUpdatedEvent } from '../gateway-migrations/migration-workflow.service.js';
import { EventTopic, type EventEnvelope } from '../platform/events/topics.js';

/** The events an endpoint may subscribe to (docs/webhooks.md). */
export const WEBHOOK_EVENT_TYPES = [
  'gateway.registered',
  'gateway.status_changed',
  'gateway.health_changed',
  'gateway.deregistered',
  'command.ended',
  'bulk_command.ended',
  'migration.updated',
  'activation_token.used',
  'webhook.disabled',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The type of the ping sent by `POST …/webhooks/{id}/test`, whatever the endpoint subscribed to. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

/** What the fan-out must load to build an event's `data` (the REST object it is about). */
export type WebhookSubject =
  | { kind: 'gateway'; id: string; status: string | null }
  | { kind: 'command'; id: string }
  | { kind: 'bulkCommand'; id: string }
  | { kind: 'migration'; id: string }
  | { kind: 'activationToken'; id: string }
  | { kind: 'webhook'; id: string };

export interface WebhookEventOf {
  type: WebhookEventType;
  subject: WebhookSubject;
}

/** The outgoing event of a bulk command that ended (webhooks only; no subscription carries it). */
export interface BulkCommandEndedEvent {
  bulkId: string;
  tenantId: string;
  state: string;
}

/** The outgoing event of a gateway whose health changed (webhooks only). */
export interface GatewayHealthChangedEvent {
  gatewayId: string;
  tenantId: string;
  health: string;
  previousHealth: string | null;
}

/** The outgoing event of a webhook endpoint that was disabled after failing for the retry period. */
export interface WebhookDisabledEvent {
  webhookId: string;
  tenantId: string;
}

/**
 * The webhook events an outbox event stands for (none, one or two): a pure mapping, so what a
 * partner receives is decided in one place. A first registration is both `gateway.registered`
 * and `activation_token.used` (the token it used).
 */
export function webhookEventsOf(event: EventEnvelope): WebhookEventOf[] {
  switch (event.topic) {
    case EventTopic.GatewayStatusChanged: {
      const payload = event.payload as unknown as GatewayStatusChangedEvent & { activationTokenId?: string };
      const subject = { kind: 'gateway', id: payload.gatewayId, status: payload.status } as const;
      if (payload.status === 'DEREGISTERED') return [{ type: 'gateway.deregistered', subject }];
      if (payload.previousStatus === null) {
        const registered: WebhookEventOf[] = [{ type: 'gateway.registered', subject }];
        if (payload.activationTokenId)
          registered.push({ type: 'activation_token.used', subject: { kind: 'activationToken', id: payload.activationTokenId } });
        return registered;
      }
      return [{ type: 'gateway.status_changed', subject }];
    }
    case EventTopic.CommandUpdated: {
      const payload = event.payload as unknown as CommandUpdatedEvent;
      return isEnded(payload.state) ? [{ type: 'command.ended', subject: { kind: 'command', id: payload.commandId } }] : [];
    }
    case EventTopic.MigrationUpdated: {
      const payload = event.payload as unknown as MigrationUpdatedEvent;
      return [{ type: 'migration.updated', subject: { kind: 'migration', id: payload.migrationId } }];
    }
    case EventTopic.BulkCommandEnded: {
      const payload = event.payload as unknown as BulkCommandEndedEvent;
      return [{ type: 'bulk_command.ended', subject: { kind: 'bulkCommand', id: payload.bulkId } }];
    }
    case EventTopic.GatewayHealthChanged: {
      const payload = event.payload as unknown as GatewayHealthChangedEvent;
      return [{ type: 'gateway.health_changed', subject: { kind: 'gateway', id: payload.gatewayId, status: null } }];
    }
    case EventTopic.WebhookDisabled: {
      const payload = event.payload as unknown as WebhookDisabledEvent;
      return [{ type: 'webhook.disabled', subject: { kind: 'webhook', id: payload.webhookId } }];
    }
    default:
      return [];
  }
}
