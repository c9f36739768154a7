import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Created } from '../../platform/http/created.js';
import type { FastifyReply } from 'fastify';
import { Roles, TenantScope } from '../../platform/auth/auth.decorators.js';
import type { TenantScope as Scope } from '../../platform/auth/tenant-scope.js';
import { ManagementApi, problem } from '../../platform/http/management-api.decorator.js';
import { idempotencyKeyOf } from '../../platform/idempotency/idempotency-keys.js';
import { mapPage } from '../../platform/pagination/cursor.js';
import { RestPage } from '../../platform/pagination/page.dto.js';
import { BulkCommandsService } from '../bulk/bulk-commands.service.js';
import { BulkCommandView, CommandView } from '../command.view.js';
import { CommandsQueryService } from './commands-query.service.js';
import { CommandsService } from './commands.service.js';
import { CreateBulkCommandDto, ListCommandsQueryDto, QueueCommandDto } from '../dto/command.dto.js';

class CommandPage extends RestPage(CommandView, 'CommandPage') {}

const IdempotencyKeyHeader = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'the same key within 24 h answers the first result (200) instead of making a second',
  });

/** Answers 201 for a new object and 200 for an idempotent repeat, which says so in a header. */
function replyCreated(reply: FastifyReply, created: boolean): void {
  void reply.status(created ? 201 : 200);
  if (!created) void reply.header('idempotent-replayed', 'true');
}

@ApiTags('commands')
@ManagementApi()
@Controller('api/v1/tenants/:tenantId')
export class CommandsController {
  constructor(
    @Inject(CommandsService) private readonly commands: CommandsService,
    @Inject(CommandsQueryService) private readonly queries: CommandsQueryService,
    @Inject(BulkCommandsService) private readonly bulks: BulkCommandsService,
  ) {}

  @Post('gateways/:gatewayId/commands')
  @Roles('admin', 'operator')
  @ApiParam({ name: 'gatewayId', format: 'uuid' })
  @IdempotencyKeyHeader()
  @ApiOperation({
    summary: 'Queue a command',
    description: "Queue a command at the end of the gateway's queue (admin, operator); a disconnected gateway's command waits",
  })
  @Created(CommandView, '/api/v1/tenants/{tenantId}/commands/{id}')
  @ApiOkResponse({
    type: CommandView,
    description: "an Idempotency-Key seen before: the first answer's command, with `Idempotent-Replayed: true`",
  })
  @ApiConflictResponse({ description: 'GATEWAY_NOT_ACTIVE (the gateway was de-registered), or IDEMPOTENCY_KEY_REUSED', ...problem })
  async queue(
    @TenantScope() scope: Scope,
    @Param('gatewayId') gatewayId: string,
    @Body() body: QueueCommandDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandView> {
    const { command, created } = await this.commands.queue(scope, gatewayId, body, idempotencyKeyOf(idempotencyKey));
    replyCreated(reply, created);
    return CommandView.of(command);
  }

  @Get('gateways/:gatewayId/commands')
  @ApiParam({ name: 'gatewayId', format: 'uuid' })
  @ApiOperation({ summary: 'List commands of a gateway', description: "The gateway's commands, newest first; filter by state" })
  @ApiOkResponse({ type: CommandPage })
  async list(
    @TenantScope() scope: Scope,
    @Param('gatewayId') gatewayId: string,
    @Query() query: ListCommandsQueryDto,
  ): Promise<CommandPage> {
    const { state, ...page } = query;
    return mapPage(await this.queries.listForGateway(scope, gatewayId, state, page), (command) => CommandView.of(command));
  }

  @Get('commands/:commandId')
  @ApiParam({ name: 'commandId', format: 'uuid' })
  @ApiOperation({ summary: 'Get a command', description: 'One command with its history of updates' })
  @ApiOkResponse({ type: CommandView })
  async get(@TenantScope() scope: Scope, @Param('commandId') commandId: string): Promise<CommandView> {
    const { command, history } = await this.queries.getWithHistory(scope, commandId);
    return CommandView.of(command, history);
  }

  @Post('commands/:commandId/cancel')
  @HttpCode(200)
  @Roles('admin', 'operator')
  @ApiParam({ name: 'commandId', format: 'uuid' })
  @ApiOperation({
    summary: 'Cancel a command',
    description: 'Cancel a command that has not ended (admin, operator); a running one is told by 409 on its next update',
  })
  @ApiOkResponse({ type: CommandView })
  @ApiConflictResponse({ description: 'COMMAND_ALREADY_ENDED', ...problem })
  async cancel(@TenantScope() scope: Scope, @Param('commandId') commandId: string): Promise<CommandView> {
    return CommandView.of(await this.commands.cancel(scope, commandId));
  }

  @Post('bulk-commands')
  @Roles('admin', 'operator')
  @IdempotencyKeyHeader()
  @ApiOperation({
    summary: 'Create a bulk command',
    description: 'A command to many gateways, with maxConcurrency and maxErrors (admin, operator)',
  })
  @Created(BulkCommandView, '/api/v1/tenants/{tenantId}/bulk-commands/{id}')
  @ApiOkResponse({
    type: BulkCommandView,
    description: "an Idempotency-Key seen before: the first answer's bulk command, with `Idempotent-Replayed: true`",
  })
  async createBulk(
    @TenantScope() scope: Scope,
    @Body() body: CreateBulkCommandDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BulkCommandView> {
    const { record, created } = await this.bulks.create(scope, body, idempotencyKeyOf(idempotencyKey));
    replyCreated(reply, created);
    return BulkCommandView.of(record.bulk, record.counts);
  }

  @Get('bulk-commands/:bulkId')
  @ApiParam({ name: 'bulkId', format: 'uuid' })
  @ApiOperation({ summary: 'Get a bulk command', description: 'A bulk command with its targets counted by state' })
  @ApiOkResponse({ type: BulkCommandView })
  async getBulk(@TenantScope() scope: Scope, @Param('bulkId') bulkId: string): Promise<BulkCommandView> {
    const record = await this.bulks.get(scope, bulkId);
    return BulkCommandView.of(record.bulk, record.counts);
  }
}
