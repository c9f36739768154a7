import { Module } from '@nestjs/common';
import { RetentionProcessor } from './retention.processor.js';
import { RetentionService } from './retention.service.js';
import { RetentionStore } from './retention.store.js';

/** Retention, month partitions, and rebuilding Redis from Postgres (docs/operations.md). */
@Module({
  providers: [RetentionStore, RetentionService, RetentionProcessor],
})
export class DataLifecycleModule {}
