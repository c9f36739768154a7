import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayCommandUpdates } from '../commands/gateway-updates/gateway-command-updates.service.js';
import { CommandHandOut } from '../commands/hand-out/command-hand-out.service.js';
import { CurrentGateway, GatewayAuth } from '../platform/auth/auth.decorators.js';
import type { GatewayPrincipal } from '../platform/auth/principal.js';
import { AnswersLater } from '../platform/http/answers-later.js';
import { GATEWAY_BEARER, GatewayProtocolApi, problem } from '../platform/http/management-api.decorator.js';
import { ApiSchemaBody, SchemaBody } from '../platform/validation/schema-body.js';
import {
  commandUpdateBody,
  CommandUpdateResponseDto,
  MAX_WAIT_SECONDS,
  PollCommandsResponseDto,
  WaitSecondsPipe,
  type CommandUpdateBody,
} from './dto/command-update.dto.js';

/**
 * Gateway protocol v1, sections 4 and 6. No class-validator pipe: the update body is a zod schema,
 * `waitSeconds` has its pipe, `commandId` is checked by the service (a malformed one is 404).
 */
@ApiTags('gateway protocol v1')
@GatewayProtocolApi({ classValidation: false })
@GatewayAuth()
@ApiBearerAuth(GATEWAY_BEARER)
@ApiUnauthorizedResponse({ description: 'ACCESS_TOKEN_EXPIRED or GATEWAY_DEREGISTERED', ...problem })
@Controller('gateway/v1/commands')
export class GatewayCommandsController {
  constructor(
    @Inject(CommandHandOut) private readonly handOut: CommandHandOut,
    @Inject(GatewayCommandUpdates) private readonly updates: GatewayCommandUpdates,
  ) {}

  @Get()
  @AnswersLater()
  @ApiOperation({
    summary: 'Poll for commands',
    description: '4. Long poll: answers at once when commands wait, else when one is queued or waitSeconds (0–30) pass',
  })
  @ApiQuery({ name: 'waitSeconds', required: false, schema: { minimum: 0, maximum: MAX_WAIT_SECONDS, default: 0, type: 'number' } })
  @ApiOkResponse({ type: PollCommandsResponseDto })
  poll(
    @CurrentGateway() gateway: GatewayPrincipal,
    @Query('waitSeconds', WaitSecondsPipe) waitSeconds: number,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    // Returns at once; the poll answers through the reply when it ends (see AnswersLater). An error
    // goes to the same exception filter as one thrown here. The request's 'close' before the
    // answer: the gateway hung up.
    this.handOut.longPoll(
      gateway,
      waitSeconds,
      (error, commands) => {
        const answer: PollCommandsResponseDto = { commands };
        void (error === null ? reply.send(answer) : reply.send(error));
      },
      request.raw,
    );
  }

  @Post(':commandId/updates')
  @HttpCode(200)
  @ApiParam({ name: 'commandId', format: 'uuid' })
  @ApiOperation({
    summary: 'Report a command update',
    description: '6. Report progress or an end: forward only; a repeated or older update answers applied:false',
  })
  @ApiSchemaBody(commandUpdateBody, 'CommandUpdateRequest')
  @ApiOkResponse({ type: CommandUpdateResponseDto })
  @ApiNotFoundResponse({ description: "COMMAND_NOT_FOUND: not this gateway's command", ...problem })
  @ApiConflictResponse({ description: 'COMMAND_ALREADY_ENDED: stop that work', ...problem })
  async update(
    @CurrentGateway() gateway: GatewayPrincipal,
    @Param('commandId') commandId: string,
    @SchemaBody(commandUpdateBody) body: CommandUpdateBody,
  ): Promise<CommandUpdateResponseDto> {
    return this.updates.update(gateway, commandId, body);
  }
}
