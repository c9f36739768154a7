import { Inject } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { CurrentUser, Roles } from '../platform/auth/auth.decorators.js';
import { ReplaceGatewayDto } from './dto/replace-gateway.dto.js';
import type { UserPrincipal } from '../platform/auth/principal.js';
import { TENANT_ACCESS, type TenantAccess } from '../platform/auth/tenant-scope.js';
import { TenantEventStream } from '../platform/events/tenant-event-stream.js';
import { EventTopic, payloadWithDates } from '../platform/events/topics.js';
import { requestLoader } from '../platform/graphql/loaders.js';
import { Connection, toConnection } from '../platform/pagination/page.dto.js';
import { StrictValidation } from '../platform/validation/validation.js';
import { DeregistrationService } from './deregistration.service.js';
import { ListGatewaysArgs } from './dto/gateway-query.dto.js';
import type { GatewayNodeEntity } from './gateway-node.entity.js';
import { FleetStatusView, GatewayStatusChangeView, GatewayView, NodeView } from './gateway.view.js';
import { GatewaysQueryService } from './gateways-query.service.js';
import { NodeRemovalService } from './node-removal.service.js';
import { ReplacementService } from './replacement.service.js';
import { ReplacementView } from './replacement.view.js';

const GatewayConnection = Connection(GatewayView, 'Gateway');

@StrictValidation()
@Resolver(() => GatewayView)
export class GatewaysResolver {
  constructor(
    @Inject(GatewaysQueryService) private readonly queries: GatewaysQueryService,
    @Inject(DeregistrationService) private readonly deregistration: DeregistrationService,
    @Inject(NodeRemovalService) private readonly nodeRemoval: NodeRemovalService,
    @Inject(TENANT_ACCESS) private readonly tenancy: TenantAccess,
    @Inject(TenantEventStream) private readonly events: TenantEventStream,
    @Inject(ReplacementService) private readonly replacement: ReplacementService,
  ) {}

  @Query(() => GatewayConnection, { description: 'Gateways, newest first' })
  async gateways(@CurrentUser() user: UserPrincipal, @Args() args: ListGatewaysArgs) {
    const scope = await this.tenancy.scope(user, args.tenantId ?? user.tenantId);
    const page = await this.queries.list(scope, args, { limit: args.first, cursor: args.after }, false);
    return toConnection(page, (r) => GatewayView.of(r.gateway, r.live), args.after);
  }

  @Query(() => GatewayView)
  async gateway(
    @CurrentUser() user: UserPrincipal,
    @Args('gatewayId', { type: () => ID }) gatewayId: string,
    @Args('tenantId', { type: () => ID, nullable: true }) tenantId?: string,
  ): Promise<GatewayView> {
    const record = await this.queries.get(await this.tenancy.scope(user, tenantId ?? user.tenantId), gatewayId);
    return GatewayView.of(record.gateway, record.live);
  }

  /** Batched: one query for the nodes of every gateway in the response. */
  @ResolveField(() => [NodeView])
  async nodes(@Parent() gateway: GatewayView, @Context() context: object): Promise<NodeView[]> {
    const loader = requestLoader<{ tenantId: string; id: string }, GatewayNodeEntity[]>(
      context,
      'gatewayNodes',
      async (keys) => {
        const byTenant = new Map<string, string[]>();
        for (const key of keys) byTenant.set(key.tenantId, [...(byTenant.get(key.tenantId) ?? []), key.id]);
        const found = new Map<string, GatewayNodeEntity[]>();
        for (const [tenantId, ids] of byTenant) for (const [id, nodes] of await this.queries.nodesOf(tenantId, ids)) found.set(id, nodes);
        return keys.map((key) => found.get(key.id) ?? []);
      },
      (key) => key.id,
    );
    return (await loader.load({ tenantId: gateway.tenantId, id: gateway.id })).map(NodeView.of);
  }

  @Query(() => FleetStatusView, { description: 'Gateways by status and health, profiles not registered, commands by state' })
  async fleetStatus(
    @CurrentUser() user: UserPrincipal,
    @Args('tenantId', { type: () => ID, nullable: true }) tenantId?: string,
  ): Promise<FleetStatusView> {
    return this.queries.fleetStatus(await this.tenancy.scope(user, tenantId ?? user.tenantId));
  }

  @Mutation(() => GatewayView, { description: 'De-register a gateway (admin)' })
  async deregisterGateway(
    @CurrentUser() user: UserPrincipal,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('gatewayId', { type: () => ID }) gatewayId: string,
  ): Promise<GatewayView> {
    const scope = await this.tenancy.scope(user, tenantId);
    await this.deregistration.deregister(scope.tenantId, gatewayId, scope.actor, 'BY_USER');
    const record = await this.queries.get(scope, gatewayId);
    return GatewayView.of(record.gateway, record.live);
  }

  @Mutation(() => GatewayView, { description: 'Remove a node that is MISSING from the reports (admin)' })
  async removeMissingNode(
    @CurrentUser() user: UserPrincipal,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('gatewayId', { type: () => ID }) gatewayId: string,
    @Args('nodeId', { type: () => ID }) nodeId: string,
  ): Promise<GatewayView> {
    const scope = await this.tenancy.scope(user, tenantId);
    await this.nodeRemoval.removeMissing(scope, gatewayId, nodeId);
    const record = await this.queries.get(scope, gatewayId);
    return GatewayView.of(record.gateway, record.live);
  }

  @Roles('admin', 'operator')
  @Mutation(() => ReplacementView, {
    description: 'Firmware upgrade / VM swap (admin, operator): a token for the new gateway, in this answer only',
  })
  async replaceGateway(
    @CurrentUser() user: UserPrincipal,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('gatewayId', { type: () => ID }) gatewayId: string,
    @Args('input', { nullable: true }) input?: ReplaceGatewayDto,
  ): Promise<ReplacementView> {
    return ReplacementView.of(await this.replacement.start(await this.tenancy.scope(user, tenantId), gatewayId, input ?? {}));
  }

  @Subscription(() => GatewayStatusChangeView, {
    description: "A gateway's status changed (your tenants, or the one given)",
    resolve: payloadWithDates('lastHeartbeatAt', 'changedAt'),
  })
  async gatewayStatusChanged(@CurrentUser() user: UserPrincipal, @Args('tenantId', { type: () => ID, nullable: true }) tenantId?: string) {
    return this.events.open(user, EventTopic.GatewayStatusChanged, tenantId);
  }
}
