import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { GatewaysModule } from '../gateways/gateways.module.js';
import { GatewayProtocolController } from './gateway-protocol.controller.js';

/**
 * The protocol's registration, token, heartbeat and de-registration routes. It sits above the
 * gateways and commands parts, so a use case that spans them (a heartbeat's answer carries the
 * commands waiting) is two calls in its controller, visible in the imports, instead of a hook
 * filled at run time. (The commands routes, sections 4 and 6, need the commands part only and are
 * wired by CommandsModule.)
 */
@Module({
  imports: [GatewaysModule, CommandsModule],
  controllers: [GatewayProtocolController],
})
export class GatewayProtocolModule {}
