import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { WEBHOOK_STATUSES, type WebhookEndpointEntity, type WebhookStatus } from './webhook-endpoint.entity.js';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT, type WebhookEventType } from './webhook-events.js';

export const WebhookStatusEnum = Object.fromEntries(WEBHOOK_STATUSES.map((status) => [status, status])) as {
  [S in WebhookStatus]: S;
};
registerEnumType(WebhookStatusEnum, { name: 'WebhookStatus' });

export const DELIVERY_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const DeliveryStatusEnum = Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, status])) as {
  [S in DeliveryStatus]: S;
};
registerEnumType(DeliveryStatusEnum, { name: 'WebhookDeliveryStatus' });

@ObjectType('Webhook')
@ApiSchema({ name: 'Webhook' })
export class WebhookView {
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) id!: string;
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) tenantId!: string;
  @ApiProperty({ format: 'uri', example: 'https://hooks.example.com/gcp' }) @Field() url!: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, example: ['gateway.status_changed', 'command.ended'] })
  @Field(() => [String], { description: 'the event types sent to this endpoint (docs/webhooks.md)' })
  events!: WebhookEventType[];
  @ApiProperty({ type: String, nullable: true, maxLength: 500 }) @Field(() => String, { nullable: true }) description!: string | null;
  @ApiProperty({ enum: WEBHOOK_STATUSES, description: 'DISABLED after failing for the whole retry period; an update re-enables it' })
  @Field(() => WebhookStatusEnum)
  status!: WebhookStatus;
  @ApiProperty({ type: String, nullable: true }) @Field(() => String, { nullable: true }) disabledReason!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  @Field(() => Date, { nullable: true })
  disabledAt!: Date | null;
  @ApiProperty({ description: 'the first characters of the signing secret, to tell secrets apart', example: 'whsec_3kF9' })
  @Field()
  secretPrefix!: string;
  @ApiProperty({ format: 'date-time' }) @Field(() => Date) createdAt!: Date;
  @ApiProperty({ format: 'date-time' }) @Field(() => Date) updatedAt!: Date;

  static of(endpoint: WebhookEndpointEntity): WebhookView {
    return Object.assign(new WebhookView(), {
      id: endpoint.id,
      tenantId: endpoint.tenantId,
      url: endpoint.url,
      events: endpoint.events as WebhookEventType[],
      description: endpoint.description,
      status: endpoint.status,
      disabledReason: endpoint.disabledReason,
      disabledAt: endpoint.disabledAt,
      secretPrefix: endpoint.secretPrefix,
      createdAt: endpoint.createdAt,
      updatedAt: endpoint.updatedAt,
    });
  }
}

/** The answer to creating a webhook: the only time its signing secret is shown. */
@ObjectType('CreatedWebhook')
@ApiSchema({ name: 'CreatedWebhook' })
export class CreatedWebhookView extends WebhookView {
  @ApiProperty({
    description: 'the Standard Webhooks signing secret; shown in this answer only',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  @Field()
  secret!: string;
}

export interface DeliveryRow {
  id: string;
  tenantId: string;
  endpointId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

@ObjectType('WebhookDelivery')
@ApiSchema({ name: 'WebhookDelivery' })
export class WebhookDeliveryView {
  @ApiProperty({ format: 'uuid', description: 'also the `webhook-id` header of every attempt (`msg_…` without the prefix)' })
  @Field(() => ID)
  id!: string;
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) webhookId!: string;
  @ApiProperty({ enum: [...WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT], example: 'command.ended' }) @Field() eventType!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) @Field(() => DeliveryStatusEnum) status!: DeliveryStatus;
  @ApiProperty({ minimum: 0, description: 'attempts made so far' }) @Field(() => Int) attempts!: number;
  @ApiProperty({ type: Number, nullable: true, description: "the last attempt's HTTP status (null: no answer)" })
  @Field(() => Int, { nullable: true })
  lastStatusCode!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'why the last attempt got no answer (timeout, refused, …)' })
  @Field(() => String, { nullable: true })
  lastError!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: "the last attempt's duration in milliseconds" })
  @Field(() => Int, { nullable: true })
  lastDurationMs!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  @Field(() => Date, { nullable: true })
  lastAttemptAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when the next retry is due (PENDING only)' })
  @Field(() => Date, { nullable: true })
  nextAttemptAt!: Date | null;
  @ApiProperty({ format: 'date-time' }) @Field(() => Date) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  @Field(() => Date, { nullable: true })
  deliveredAt!: Date | null;

  static of(row: DeliveryRow): WebhookDeliveryView {
    return Object.assign(new WebhookDeliveryView(), {
      id: row.id,
      webhookId: row.endpointId,
      eventType: row.eventType,
      status: row.status,
      attempts: row.attempts,
      lastStatusCode: row.lastStatusCode,
      lastError: row.lastError,
      lastDurationMs: row.lastDurationMs,
      lastAttemptAt: row.lastAttemptAt,
      nextAttemptAt: row.nextAttemptAt,
      createdAt: row.createdAt,
      deliveredAt: row.deliveredAt,
    });
  }
}
