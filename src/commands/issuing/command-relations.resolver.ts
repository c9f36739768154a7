import { Inject } from '@nestjs/common';
import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { gatewayLoader } from '../../gateways/gateway-relations.resolver.js';
import { GatewayView } from '../../gateways/gateway.view.js';
import { GatewaysQueryService } from '../../gateways/gateways-query.service.js';
import { requestLoader, tenantRowLoader, type TenantKey } from '../../platform/graphql/loaders.js';
import { decodeCursor, DEFAULT_PAGE_SIZE, type Page } from '../../platform/pagination/cursor.js';
import { PageArgs, toConnection } from '../../platform/pagination/page.dto.js';
import type { CommandEntity } from '../command.entity.js';
import { BulkCommandView, CommandUpdateView, CommandView } from '../command.view.js';
import { CommandConnection } from './commands.resolver.js';
import { CommandsQueryService } from './commands-query.service.js';

/** Gateway.commands: the newest commands of every gateway in the answer, in one statement per tenant and page size. */
@Resolver(() => GatewayView)
export class GatewayCommandsResolver {
  constructor(@Inject(CommandsQueryService) private readonly queries: CommandsQueryService) {}

  @ResolveField(() => CommandConnection, { description: 'its commands, newest first' })
  async commands(@Parent() gateway: GatewayView, @Args() page: PageArgs, @Context() context: object) {
    const first = page.first ?? DEFAULT_PAGE_SIZE;
    const after = page.after ? decodeCursor(page.after) : undefined;
    // One loader per page shape: the parents asking for the same page share one statement.
    const loader = requestLoader<TenantKey, Page<CommandEntity>>(
      context,
      `gatewayCommands:${first}:${page.after ?? ''}`,
      async (keys) => {
        const byTenant = new Map<string, string[]>();
        for (const key of keys) byTenant.set(key.tenantId, [...(byTenant.get(key.tenantId) ?? []), key.id]);
        const pages = new Map<string, Page<CommandEntity>>();
        for (const [tenantId, ids] of byTenant)
          for (const [id, found] of await this.queries.latestOf(tenantId, ids, { first, after })) pages.set(`${tenantId}:${id}`, found);
        return keys.map((key) => pages.get(`${key.tenantId}:${key.id}`) ?? { items: [], nextCursor: null });
      },
      (key) => `${key.tenantId}:${key.id}`,
    );
    return toConnection(
      await loader.load({ tenantId: gateway.tenantId, id: gateway.id }),
      (command) => CommandView.of(command),
      page.after,
    );
  }
}

@Resolver(() => CommandView)
export class CommandGatewayResolver {
  constructor(@Inject(GatewaysQueryService) private readonly gateways: GatewaysQueryService) {}

  @ResolveField(() => GatewayView, { description: 'the gateway it is for' })
  async gateway(@Parent() command: CommandView, @Context() context: object): Promise<GatewayView> {
    const record = await gatewayLoader(context, this.gateways).load({ tenantId: command.tenantId, id: command.gatewayId });
    if (!record) throw new Error(`command ${command.id}: its gateway ${command.gatewayId} is missing`);
    return GatewayView.of(record.gateway, record.live);
  }
}

@Resolver(() => BulkCommandView)
export class BulkCommandCommandsResolver {
  constructor(@Inject(CommandsQueryService) private readonly queries: CommandsQueryService) {}

  @ResolveField(() => [CommandView], { description: 'the command of each target, newest first' })
  async commands(@Parent() bulk: BulkCommandView, @Context() context: object): Promise<CommandView[]> {
    const loader = tenantRowLoader(context, 'commandsOfBulk', (tenantId, ids) => this.queries.ofBulks(tenantId, ids));
    return ((await loader.load({ tenantId: bulk.tenantId, id: bulk.id })) ?? []).map((command) => CommandView.of(command));
  }
}

/** What a `commandUpdated` event names, resolved as of the event (loaders start afresh for each event). */
@Resolver(() => CommandUpdateView)
export class CommandUpdateRelationsResolver {
  constructor(
    @Inject(CommandsQueryService) private readonly queries: CommandsQueryService,
    @Inject(GatewaysQueryService) private readonly gateways: GatewaysQueryService,
  ) {}

  @ResolveField(() => CommandView, { nullable: true, description: 'the command now (null once purged)' })
  async command(@Parent() update: CommandUpdateView, @Context() context: object): Promise<CommandView | null> {
    const loader = tenantRowLoader(context, 'commandById', (tenantId, ids) => this.queries.getMany(tenantId, ids));
    const found = await loader.load({ tenantId: update.tenantId, id: update.commandId });
    return found ? CommandView.of(found) : null;
  }

  @ResolveField(() => GatewayView, { nullable: true, description: 'the gateway it is for (null once purged)' })
  async gateway(@Parent() update: CommandUpdateView, @Context() context: object): Promise<GatewayView | null> {
    const record = await gatewayLoader(context, this.gateways).load({ tenantId: update.tenantId, id: update.gatewayId });
    return record ? GatewayView.of(record.gateway, record.live) : null;
  }
}
