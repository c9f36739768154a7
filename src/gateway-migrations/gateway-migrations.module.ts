import { MigrationRelationsResolver, MigrationUpdateRelationsResolver, ProfileMigrationsResolver } from './migration-relations.resolver.js';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommandsModule } from '../commands/commands.module.js';
import { GatewaysModule } from '../gateways/gateways.module.js';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { GatewayMigrationEntity } from './gateway-migration.entity.js';
import { MigrationWorkflow } from './migration-workflow.service.js';
import { MigrationsController } from './migrations.controller.js';
import { MigrationsProcessor } from './migrations.processor.js';
import { MigrationsQueryService } from './migrations-query.service.js';
import { MigrationsResolver } from './migrations.resolver.js';

@Module({
  imports: [TypeOrmModule.forFeature([GatewayMigrationEntity]), ProfilesModule, GatewaysModule, CommandsModule],
  controllers: [MigrationsController],
  providers: [
    MigrationWorkflow,
    MigrationsProcessor,
    MigrationsQueryService,
    MigrationsResolver,
    MigrationRelationsResolver,
    ProfileMigrationsResolver,
    MigrationUpdateRelationsResolver,
  ],
  exports: [MigrationWorkflow],
})
export class GatewayMigrationsModule {}
