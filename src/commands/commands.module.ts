import { CommandTraces } from './command-traces.js';
import {
  BulkCommandCommandsResolver,
  CommandGatewayResolver,
  CommandUpdateRelationsResolver,
  GatewayCommandsResolver,
} from './issuing/command-relations.resolver.js';
import { CommandMetrics } from './command-metrics.js';
import { CommandTimingsStore } from './command-timings.store.js';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatewayCommandsController } from '../gateway-protocol/gateway-commands.controller.js';
import { GatewaysModule } from '../gateways/gateways.module.js';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { BulkCommandsService } from './bulk/bulk-commands.service.js';
import { BulkProgress } from './bulk/bulk-progress.service.js';
import { CommandDeadlinesProcessor } from './system-events/command-deadlines.processor.js';
import { GatewayCommandUpdates } from './gateway-updates/gateway-command-updates.service.js';
import { RecentCommands } from './gateway-updates/recent-commands.js';
import { CommandHandOut } from './hand-out/command-hand-out.service.js';
import { CommandRedisRebuild } from './system-events/command-redis-rebuild.js';
import { CommandSystemEvents } from './system-events/command-system-events.service.js';
import { CommandFactory } from './issuing/command-factory.service.js';
import { CommandLifecycle } from './lifecycle/command-lifecycle.service.js';
import { CommandSaves } from './lifecycle/command-saves.js';
import { CommandTimers } from './lifecycle/command-timers.js';
import { CommandWakeups } from './hand-out/command-wakeups.js';
import { BulkCommandEntity, CommandEntity, CommandHistoryEntity } from './command.entity.js';
import { CommandsQueryService } from './issuing/commands-query.service.js';
import { CommandsController } from './issuing/commands.controller.js';
import { CommandsResolver } from './issuing/commands.resolver.js';
import { CommandsService } from './issuing/commands.service.js';
import { ConfigurationRollout } from './issuing/configuration-rollout.js';

@Module({
  imports: [TypeOrmModule.forFeature([CommandEntity, CommandHistoryEntity, BulkCommandEntity]), GatewaysModule, ProfilesModule],
  controllers: [CommandsController, GatewayCommandsController],
  providers: [
    CommandTraces,
    GatewayCommandsResolver,
    CommandGatewayResolver,
    BulkCommandCommandsResolver,
    CommandUpdateRelationsResolver,
    CommandTimingsStore,
    CommandMetrics,
    CommandWakeups,
    CommandTimers,
    CommandFactory,
    BulkProgress,
    CommandSaves,
    CommandLifecycle,
    // One per process: the hand-out remembers what it wrote for the gateway's next update.
    { provide: RecentCommands, useFactory: () => new RecentCommands() },
    CommandHandOut,
    GatewayCommandUpdates,
    CommandSystemEvents,
    CommandRedisRebuild,
    CommandsService,
    BulkCommandsService,
    CommandsQueryService,
    CommandDeadlinesProcessor,
    CommandsResolver,
    ConfigurationRollout,
  ],
  exports: [CommandRedisRebuild, CommandsService, CommandHandOut, GatewayCommandUpdates, CommandFactory, ConfigurationRollout],
})
export class CommandsModule {}
