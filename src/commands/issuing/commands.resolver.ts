import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { CurrentUser, Roles } from '../../platform/auth/auth.decorators.js';
import type { UserPrincipal } from '../../platform/auth/principal.js';
import { TENANT_ACCESS, type TenantAccess } from '../../platform/auth/tenant-scope.js';
import { TenantEventStream } from '../../platform/events/tenant-event-stream.js';
import { EventTopic, payloadWithDates } from '../../platform/events/topics.js';
import { idempotencyKeyOf } from '../../platform/idempotency/idempotency-keys.js';
import { Connection, toConnection } from '../../platform/pagination/page.dto.js';
import { StrictValidation } from '../../platform/validation/validation.js';
import { BulkCommandsService } from '../bulk/bulk-commands.service.js';
import type { CommandUpdatedEvent } from '../lifecycle/command-changes.js';
import { BulkCommandView, CommandUpdateView, CommandView } from '../command.view.js';
import { CommandsQueryService } from './commands-query.service.js';
import { CommandsService } from './commands.service.js';
import { CreateBulkCommandDto, ListCommandsArgs, QueueCommandDto } from '../dto/command.dto.js';

export const CommandConnection = Connection(CommandView, 'Command');

@StrictValidation()
@Resolver(() => CommandView)
export class CommandsResolver {
  constructor(
    @Inject(CommandsService) private readonly commandsService: CommandsService,
    @Inject(CommandsQueryService) private readonly queries: CommandsQueryService,
    @Inject(BulkCommandsService) private readonly bulks: BulkCommandsService,
    @Inject(TENANT_ACCESS) private readonly tenancy: TenantAccess,
    @Inject(TenantEventStream) private readonly events: TenantEventStream,
  ) {}

  @Query(() => CommandConnection, { description: "A gateway's commands, newest first" })
  async commands(@CurrentUser() user: UserPrincipal, @Args() args: ListCommandsArgs) {
    const scope = await this.tenancy.scope(user, args.tenantId ?? user.tenantId);
    const page = await this.queries.listForGateway(scope, args.gatewayId, args.state, { limit: args.first, cursor: args.after });
    return toConnection(page, (command) => CommandView.of(command), args.after);
  }

  @Query(() => CommandView, { description: 'One command with its history' })
  async command(
    @CurrentUser() user: UserPrincipal,
    @Args('commandId', { type: () => ID }) commandId: string,
    @Args('tenantId', { type: () => ID, nullable: true }) tenantId?: string,
  ): Promise<CommandView> {
    const { command, history } = await this.queries.getWithHistory(await this.tenancy.scope(user, tenantId ?? user.tenantId), commandId);
    return CommandView.of(command, history);
  }

  @Query(() => BulkCommandView)
  async bulkCommand(
    @CurrentUser() user: UserPrincipal,
    @Args('bulkId', { type: () => ID }) bulkId: string,
    @Args('tenantId', { type: () => ID, nullable: true }) tenantId?: string,
  ): Promise<BulkCommandView> {
    const record = await this.bulks.get(await this.tenancy.scope(user, tenantId ?? user.tenantId), bulkId);
    return BulkCommandView.of(record.bulk, record.counts);
  }

  @Roles('admin', 'operator')
  @Mutation(() => CommandView, { description: 'Queue a command (admin, operator)' })
  async queueCommand(
    @CurrentUser() user: UserPrincipal,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('gatewayId', { type: () => ID }) gatewayId: string,
    @Args('input') input: QueueCommandDto,
    @Args('idempotencyKey', { nullable: true }) idempotencyKey?: string,
  ): Promise<CommandView> {
    const { command } = await this.commandsService.queue(
      await this.tenancy.scope(user, tenantId),
      gatewayId,
      input,
      idempotencyKeyOf(idempotencyKey ?? undefined),
    );
    return CommandView.of(command);
  }

  @Roles('admin', 'operator')
  @Mutation(() => CommandView, { description: 'Cancel a command that has not ended (admin, operator)' })
  async cancelCommand(
    @CurrentUser() user: UserPrincipal,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('commandId', { type: () => ID }) commandId: string,
  ): Promise<CommandView> {
    return CommandView.of(await this.commandsService.cancel(await this.tenancy.scope(user, tenantId), commandId));
  }

  @Roles('admin', 'operator')
  @Mutation(() => BulkCommandView, { description: 'A command to many gateways (admin, operator)' })
  async createBulkCommand(
    @CurrentUser() user: UserPrincipal,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('input') input: CreateBulkCommandDto,
    @Args('idempotencyKey', { nullable: true }) idempotencyKey?: string,
  ): Promise<BulkCommandView> {
    const { record } = await this.bulks.create(
      await this.tenancy.scope(user, tenantId),
      input,
      idempotencyKeyOf(idempotencyKey ?? undefined),
    );
    return BulkCommandView.of(record.bulk, record.counts);
  }

  @Subscription(() => CommandUpdateView, {
    description: "A command changed (your tenants, or the one given; optionally one gateway's)",
    resolve: payloadWithDates('updatedAt'),
  })
  async commandUpdated(
    @CurrentUser() user: UserPrincipal,
    @Args('tenantId', { type: () => ID, nullable: true }) tenantId?: string,
    @Args('gatewayId', { type: () => ID, nullable: true }) gatewayId?: string,
  ) {
    return this.events.open(
      user,
      EventTopic.CommandUpdated,
      tenantId,
      gatewayId ? (event) => (event.payload as unknown as CommandUpdatedEvent).gatewayId === gatewayId : undefined,
    );
  }
}
