import { Global, Module } from '@nestjs/common';
import { ChangeRecorder } from '../audit/change-recorder.js';
import { IdempotencyKeys } from '../idempotency/idempotency-keys.js';
import { IdempotencyKeysStore } from '../idempotency/idempotency-keys.store.js';
import { EventPublisher } from './event-publisher.service.js';
import { EventRelay } from './event-relay.service.js';
import { OutboxStore } from './outbox.store.js';
import { OutboxWake } from './outbox-wake.js';
import { TenantEventStream } from './tenant-event-stream.js';

@Global()
@Module({
  providers: [
    EventPublisher,
    EventRelay,
    OutboxWake,
    OutboxStore,
    ChangeRecorder,
    TenantEventStream,
    IdempotencyKeys,
    IdempotencyKeysStore,
  ],
  exports: [EventPublisher, EventRelay, OutboxStore, ChangeRecorder, TenantEventStream, IdempotencyKeys],
})
export class EventsModule {}
