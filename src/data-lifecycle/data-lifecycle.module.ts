import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { GatewayMigrationsModule } from '../gateway-migrations/gateway-migrations.module.js';
import { GatewaysModule } from '../gateways/gateways.module.js';
import { RedisRecovery } from './redis-recovery.service.js';
import { RetentionProcessor } from './retention.processor.js';
import { RetentionService } from './retention.service.js';
import { RetentionStore } from './retention.store.js';

/** Retention, month partitions, and rebuilding Redis from Postgres (docs/operations.md). */
@Module({
  imports: [GatewaysModule, CommandsModule, GatewayMigrationsModule],
  providers: [RetentionStore, RetentionService, RetentionProcessor, RedisRecovery],
})
export class DataLifecycleModule {}
