import { Inject } from '@nestjs/common';
import { Args, Context, ID, Info, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { CurrentUser, Roles } from '../platform/auth/auth.decorators.js';
import type { UserPrincipal } from '../platform/auth/principal.js';
import type { TenantScope } from '../platform/auth/tenant-scope.js';
import { TenantEventStream } from '../platform/events/tenant-event-stream.js';
import { EventTopic, payloadWithDates } from '../platform/events/topics.js';
import { requestLoader } from '../platform/graphql/loaders.js';
import { asksForField } from '../platform/graphql/requested-fields.js';
import { GqlTenantScope } from '../platform/graphql/tenant-scope.decorator.js';
import { Connection, toConnection } from '../platform/pagination/page.dto.js';
import { StrictValidation } from '../platform/validation/validation.js';
import { DeregistrationService } from './deregistration.service.js';
import {
  DeregisterGatewayInput,
  DeregisterGatewayPayload,
  RemoveMissingNodeInput,
  RemoveMissingNodePayload,
  ReplaceGatewayInput,
  ReplaceGatewayPayload,
} from './dto/gateway-mutations.dto.js';
import { ListGatewaysArgs } from './dto/gateway-query.dto.js';
import type { GatewayNodeRow } from './gateway-reads.store.js';
import { FleetStatusView, GatewayStatusChangeView, GatewayView, NodeView } from './gateway.view.js';
import { GATEWAY_OWNER } from './gateways.store.js';
import { GatewaysQueryService } from './gateways-query.service.js';
import { NodeRemovalService } from './node-removal.service.js';
import { ReplacementService } from './replacement.service.js';
import { ReplacementView } from './replacement.view.js';

const GatewayConnection = Connection(GatewayView, 'Gateway');

/** The scope of a gateway named by an argument: its tenant, if the caller may reach it. */
export const followGateway = (arg: string) => ({ follow: { arg, owner: GATEWAY_OWNER } });

@StrictValidation()
@Resolver(() => GatewayView)
export class GatewaysResolver {
  constructor(
    @Inject(GatewaysQueryService) private readonly queries: GatewaysQueryService,
    @Inject(DeregistrationService) private readonly deregistration: DeregistrationService,
    @Inject(NodeRemovalService) private readonly nodeRemoval: NodeRemovalService,
    @Inject(TenantEventStream) private readonly events: TenantEventStream,
    @Inject(ReplacementService) private readonly replacement: ReplacementService,
  ) {}

  @Query(() => GatewayConnection, { description: 'Gateways, newest first' })
  async gateways(@GqlTenantScope() scope: TenantScope, @Args() args: ListGatewaysArgs, @Info() info: GraphQLResolveInfo) {
    // Nodes come through the batched `nodes` field; the assessment (most of a row's bytes) only if the query asks for it.
    const page = await this.queries.list(
      scope,
      args,
      { limit: args.first, cursor: args.after },
      { withNodes: false, withAssessment: asksForField(info, 'assessment') },
    );
    return toConnection(page, (r) => GatewayView.of(r.gateway, r.live), args.after);
  }

  @Query(() => GatewayView, { description: 'A gateway, in any tenant you may reach' })
  async gateway(@GqlTenantScope(followGateway('id')) scope: TenantScope, @Args('id', { type: () => ID }) id: string): Promise<GatewayView> {
    const record = await this.queries.get(scope, id);
    return GatewayView.of(record.gateway, record.live);
  }

  /** Batched: one query for the nodes of every gateway in the response. */
  @ResolveField(() => [NodeView])
  async nodes(@Parent() gateway: GatewayView, @Context() context: object): Promise<NodeView[]> {
    const loader = requestLoader<{ tenantId: string; id: string }, GatewayNodeRow[]>(
      context,
      'gatewayNodes',
      async (keys) => {
        const byTenant = new Map<string, string[]>();
        for (const key of keys) byTenant.set(key.tenantId, [...(byTenant.get(key.tenantId) ?? []), key.id]);
        const found = new Map<string, GatewayNodeRow[]>();
        for (const [tenantId, ids] of byTenant) for (const [id, nodes] of await this.queries.nodesOf(tenantId, ids)) found.set(id, nodes);
        return keys.map((key) => found.get(key.id) ?? []);
      },
      (key) => key.id,
    );
    return (await loader.load({ tenantId: gateway.tenantId, id: gateway.id })).map(NodeView.of);
  }

  @Query(() => FleetStatusView, { description: 'Gateways by status and health, profiles not registered, commands by state' })
  async fleetStatus(
    @GqlTenantScope() scope: TenantScope,
    @Args('tenantId', { type: () => ID, nullable: true, description: "default: the caller's own tenant" }) _tenantId?: string,
  ): Promise<FleetStatusView> {
    return this.queries.fleetStatus(scope);
  }

  @Mutation(() => DeregisterGatewayPayload, { description: 'De-register a gateway (admin)' })
  async deregisterGateway(
    @GqlTenantScope(followGateway('input.id')) scope: TenantScope,
    @Args('input') input: DeregisterGatewayInput,
  ): Promise<DeregisterGatewayPayload> {
    await this.deregistration.deregister(scope.tenantId, input.id, scope.actor, 'BY_USER');
    const record = await this.queries.get(scope, input.id);
    return { gateway: GatewayView.of(record.gateway, record.live) };
  }

  @Mutation(() => RemoveMissingNodePayload, { description: 'Remove a node that is MISSING from the reports (admin)' })
  async removeMissingNode(
    @GqlTenantScope(followGateway('input.gatewayId')) scope: TenantScope,
    @Args('input') input: RemoveMissingNodeInput,
  ): Promise<RemoveMissingNodePayload> {
    await this.nodeRemoval.removeMissing(scope, input.gatewayId, input.nodeId);
    const record = await this.queries.get(scope, input.gatewayId);
    return { gateway: GatewayView.of(record.gateway, record.live) };
  }

  @Roles('admin', 'operator')
  @Mutation(() => ReplaceGatewayPayload, {
    description: 'Firmware upgrade / VM swap (admin, operator): a token for the new gateway, in this answer only',
  })
  async replaceGateway(
    @GqlTenantScope(followGateway('input.gatewayId')) scope: TenantScope,
    @Args('input') input: ReplaceGatewayInput,
  ): Promise<ReplaceGatewayPayload> {
    const { gatewayId, ...options } = input;
    return { replacement: ReplacementView.of(await this.replacement.start(scope, gatewayId, options)) };
  }

  @Subscription(() => GatewayStatusChangeView, {
    description: "A gateway's status changed (your tenants, or the one given)",
    resolve: payloadWithDates('lastHeartbeatAt', 'changedAt'),
  })
  async gatewayStatusChanged(@CurrentUser() user: UserPrincipal, @Args('tenantId', { type: () => ID, nullable: true }) tenantId?: string) {
    return this.events.open(user, EventTopic.GatewayStatusChanged, tenantId);
  }
}
