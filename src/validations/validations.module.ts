import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommandsModule } from '../commands/commands.module.js';
import { GatewaysModule } from '../gateways/gateways.module.js';
import { ValidationRunEntity } from './validation-run.entity.js';
import { ValidationsController } from './validations.controller.js';
import { ValidationsProcessor } from './validations.processor.js';
import { ValidationUpdateRelationsResolver, ValidationsResolver } from './validations.resolver.js';
import { ValidationsService } from './validations.service.js';

/** The cluster guide's validations as tracked runs: setup validation and node-failure drill. */
@Module({
  imports: [TypeOrmModule.forFeature([ValidationRunEntity]), GatewaysModule, CommandsModule],
  controllers: [ValidationsController],
  providers: [ValidationsService, ValidationsProcessor, ValidationsResolver, ValidationUpdateRelationsResolver],
})
export class ValidationsModule {}
