import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { CurrentUser, Roles } from '../../platform/auth/auth.decorators.js';
import type { UserPrincipal } from '../../platform/auth/principal.js';
import type { TenantScope } from '../../platform/auth/tenant-scope.js';
import { TenantEventStream } from '../../platform/events/tenant-event-stream.js';
import { EventTopic, payloadWithDates } from '../../platform/events/topics.js';
import { GqlTenantScope } from '../../platform/graphql/tenant-scope.decorator.js';
import { idempotencyKeyOf } from '../../platform/idempotency/idempotency-keys.js';
import { Connection, TenantPageArgs, toConnection } from '../../platform/pagination/page.dto.js';
import { StrictValidation } from '../../platform/validation/validation.js';
import { followGateway } from '../../gateways/gateways.resolver.js';
import { BulkCommandsService } from '../bulk/bulk-commands.service.js';
import type { CommandUpdatedEvent } from '../lifecycle/command-changes.js';
import { BulkCommandView, CommandUpdateView, CommandView } from '../command.view.js';
import { BULK_COMMAND_OWNER, COMMAND_OWNER } from '../commands.store.js';
import { CommandsQueryService } from './commands-query.service.js';
import { CommandsService } from './commands.service.js';
import { ListCommandsArgs } from '../dto/command.dto.js';
import {
  CancelCommandInput,
  CancelCommandPayload,
  CreateBulkCommandInput,
  CreateBulkCommandPayload,
  QueueCommandInput,
  QueueCommandPayload,
} from '../dto/command-mutations.dto.js';

export const CommandConnection = Connection(CommandView, 'Command');
const BulkCommandConnection = Connection(BulkCommandView, 'BulkCommand');

const followCommand = (arg: string) => ({ follow: { arg, owner: COMMAND_OWNER } });

@StrictValidation()
@Resolver(() => CommandView)
export class CommandsResolver {
  constructor(
    @Inject(CommandsService) private readonly commandsService: CommandsService,
    @Inject(CommandsQueryService) private readonly queries: CommandsQueryService,
    @Inject(BulkCommandsService) private readonly bulks: BulkCommandsService,
    @Inject(TenantEventStream) private readonly events: TenantEventStream,
  ) {}

  @Query(() => CommandConnection, { description: "A gateway's commands, newest first" })
  async commands(@GqlTenantScope(followGateway('gatewayId')) scope: TenantScope, @Args() args: ListCommandsArgs) {
    const page = await this.queries.listForGateway(scope, args.gatewayId, args.state, { limit: args.first, cursor: args.after });
    return toConnection(page, (command) => CommandView.of(command), args.after);
  }

  @Query(() => CommandView, { description: 'One command with its history, in any tenant you may reach' })
  async command(@GqlTenantScope(followCommand('id')) scope: TenantScope, @Args('id', { type: () => ID }) id: string): Promise<CommandView> {
    const { command, history } = await this.queries.getWithHistory(scope, id);
    return CommandView.of(command, history);
  }

  @Query(() => BulkCommandView, { description: 'A command to many gateways, in any tenant you may reach' })
  async bulkCommand(
    @GqlTenantScope({ follow: { arg: 'id', owner: BULK_COMMAND_OWNER } }) scope: TenantScope,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<BulkCommandView> {
    const record = await this.bulks.get(scope, id);
    return BulkCommandView.of(record.bulk, record.counts);
  }

  @Query(() => BulkCommandConnection, { description: 'Commands to many gateways, newest first' })
  async bulkCommands(@GqlTenantScope() scope: TenantScope, @Args() page: TenantPageArgs) {
    const bulks = await this.bulks.list(scope, { limit: page.first, cursor: page.after });
    return toConnection(bulks, (record) => BulkCommandView.of(record.bulk, record.counts), page.after);
  }

  @Roles('admin', 'operator')
  @Mutation(() => QueueCommandPayload, { description: 'Queue a command (admin, operator)' })
  async queueCommand(
    @GqlTenantScope(followGateway('input.gatewayId')) scope: TenantScope,
    @Args('input') input: QueueCommandInput,
  ): Promise<QueueCommandPayload> {
    const { gatewayId, idempotencyKey, deliverBy, ...spec } = input;
    const { command } = await this.commandsService.queue(
      scope,
      gatewayId,
      { ...spec, deliverBy: deliverBy?.toISOString() },
      idempotencyKeyOf(idempotencyKey ?? undefined),
    );
    return { command: CommandView.of(command) };
  }

  @Roles('admin', 'operator')
  @Mutation(() => CancelCommandPayload, { description: 'Cancel a command that has not ended (admin, operator)' })
  async cancelCommand(
    @GqlTenantScope(followCommand('input.id')) scope: TenantScope,
    @Args('input') input: CancelCommandInput,
  ): Promise<CancelCommandPayload> {
    return { command: CommandView.of(await this.commandsService.cancel(scope, input.id)) };
  }

  @Roles('admin', 'operator')
  @Mutation(() => CreateBulkCommandPayload, { description: 'A command to many gateways (admin, operator)' })
  async createBulkCommand(
    @GqlTenantScope() scope: TenantScope,
    @Args('input') input: CreateBulkCommandInput,
  ): Promise<CreateBulkCommandPayload> {
    const { tenantId: _tenantId, idempotencyKey, deliverBy, ...spec } = input;
    const { record } = await this.bulks.create(
      scope,
      { ...spec, deliverBy: deliverBy?.toISOString() },
      idempotencyKeyOf(idempotencyKey ?? undefined),
    );
    return { bulkCommand: BulkCommandView.of(record.bulk, record.counts) };
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
