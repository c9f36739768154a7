import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatewayCommandsController } from '../gateway-protocol/gateway-commands.controller.js';
import { GatewaysModule } from '../gateways/gateways.module.js';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { BulkCommandsService } from './bulk-commands.service.js';
import { BulkProgress } from './bulk-progress.service.js';
import { CommandDeadlinesProcessor } from './command-deadlines.processor.js';
import { CommandDelivery } from './command-delivery.service.js';
import { CommandFactory } from './command-factory.service.js';
import { CommandHooks } from './command-hooks.js';
import { CommandLifecycle } from './command-lifecycle.service.js';
import { CommandSaves } from './command-saves.js';
import { CommandTimers } from './command-timers.js';
import { CommandWakeups } from './command-wakeups.js';
import { BulkCommandEntity, CommandEntity, CommandHistoryEntity } from './command.entity.js';
import { CommandsQueryService } from './commands-query.service.js';
import { CommandsController } from './commands.controller.js';
import { CommandsResolver } from './commands.resolver.js';
import { CommandsService } from './commands.service.js';
import { ConfigurationRollout } from './configuration-rollout.js';

@Module({
  imports: [TypeOrmModule.forFeature([CommandEntity, CommandHistoryEntity, BulkCommandEntity]), GatewaysModule, ProfilesModule],
  controllers: [CommandsController, GatewayCommandsController],
  providers: [
    CommandWakeups,
    CommandTimers,
    CommandHooks,
    CommandFactory,
    BulkProgress,
    CommandSaves,
    CommandLifecycle,
    CommandDelivery,
    CommandsService,
    BulkCommandsService,
    CommandsQueryService,
    CommandDeadlinesProcessor,
    CommandsResolver,
    ConfigurationRollout,
  ],
  exports: [CommandsService, CommandDelivery, CommandFactory, CommandHooks, ConfigurationRollout],
})
export class CommandsModule {}
