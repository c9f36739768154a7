import { Global, Module } from '@nestjs/common';
import { ChangeRecorder } from '../audit/change-recorder.js';
import { EventPublisher } from './event-publisher.service.js';
import { EventRelay } from './event-relay.service.js';

@Global()
@Module({ providers: [EventPublisher, EventRelay, ChangeRecorder], exports: [EventPublisher, ChangeRecorder] })
export class EventsModule {}
