import { Inject } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { CurrentUser, Roles } from '../platform/auth/auth.decorators.js';
import type { UserPrincipal } from '../platform/auth/principal.js';
import type { TenantScope } from '../platform/auth/tenant-scope.js';
import { GqlTenantScope } from '../platform/graphql/tenant-scope.decorator.js';
import { followGateway } from '../gateways/gateways.resolver.js';
import { VALIDATION_OWNER } from './validations.store.js';
import { gatewayLoader } from '../gateways/gateway-relations.resolver.js';
import { TenantEventStream } from '../platform/events/tenant-event-stream.js';
import { EventTopic, payloadWithDates, type EventEnvelope } from '../platform/events/topics.js';
import { requestLoader, tenantRowLoader } from '../platform/graphql/loaders.js';
import { Connection, toConnection } from '../platform/pagination/page.dto.js';
import { StrictValidation } from '../platform/validation/validation.js';
import { GatewayView } from '../gateways/gateway.view.js';
import { GatewaysQueryService } from '../gateways/gateways-query.service.js';
import { CancelValidationInput, ListValidationsArgs, StartNodeFailureDrillInput, StartSetupValidationInput } from './dto/validation.dto.js';
import {
  CancelValidationPayload,
  StartNodeFailureDrillPayload,
  StartSetupValidationPayload,
  ValidationUpdateView,
  ValidationView,
} from './validation.view.js';
import { ValidationsService, type ValidationUpdatedEvent } from './validations.service.js';

const ValidationConnection = Connection(ValidationView, 'Validation');

@StrictValidation()
@Resolver(() => ValidationView)
export class ValidationsResolver {
  constructor(
    @Inject(ValidationsService) private readonly runs: ValidationsService,
    @Inject(GatewaysQueryService) private readonly gateways: GatewaysQueryService,
    @Inject(TenantEventStream) private readonly events: TenantEventStream,
  ) {}

  @Query(() => ValidationConnection, { description: 'Setup validations and node-failure drills, newest first' })
  async validations(@GqlTenantScope(followGateway('gatewayId')) scope: TenantScope, @Args() args: ListValidationsArgs) {
    return toConnection(
      await this.runs.list(scope, args.gatewayId, { limit: args.first, cursor: args.after }),
      ValidationView.of,
      args.after,
    );
  }

  @Query(() => ValidationView, { description: 'A setup validation or drill, in any tenant you may reach' })
  async validation(
    @GqlTenantScope({ follow: { arg: 'id', owner: VALIDATION_OWNER } }) scope: TenantScope,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ValidationView> {
    return ValidationView.of(await this.runs.find(scope, id));
  }

  /** Batched: one query for the gateways of every validation in the response. */
  @ResolveField(() => GatewayView, { nullable: true, description: 'null when the gateway was purged' })
  async gateway(@Parent() validation: ValidationView, @Context() context: object): Promise<GatewayView | null> {
    const loader = requestLoader<{ tenantId: string; id: string }, GatewayView | null>(
      context,
      'validation.gateway',
      async (keys) => {
        const byTenant = new Map<string, string[]>();
        for (const key of keys) byTenant.set(key.tenantId, [...(byTenant.get(key.tenantId) ?? []), key.id]);
        const found = new Map<string, GatewayView>();
        for (const [tenantId, ids] of byTenant) {
          for (const [id, record] of await this.gateways.byIds(tenantId, ids)) found.set(id, GatewayView.of(record.gateway, record.live));
        }
        return keys.map((key) => found.get(key.id) ?? null);
      },
      (key) => `${key.tenantId}:${key.id}`,
    );
    return loader.load({ tenantId: validation.tenantId, id: validation.gatewayId });
  }

  @Roles('admin', 'operator')
  @Mutation(() => StartSetupValidationPayload, {
    description: 'Discover and ping managed resources through a gateway, and report each (admin, operator)',
  })
  async startSetupValidation(
    @GqlTenantScope(followGateway('input.gatewayId')) scope: TenantScope,
    @Args('input') input: StartSetupValidationInput,
  ): Promise<StartSetupValidationPayload> {
    return { validation: ValidationView.of(await this.runs.startSetup(scope, input.gatewayId, input.resources)) };
  }

  @Roles('admin', 'operator')
  @Mutation(() => StartNodeFailureDrillPayload, {
    description: 'A node-failure drill: lose a node, watch its apps come back on the others (admin, operator)',
  })
  async startNodeFailureDrill(
    @GqlTenantScope(followGateway('input.gatewayId')) scope: TenantScope,
    @Args('input') input: StartNodeFailureDrillInput,
  ): Promise<StartNodeFailureDrillPayload> {
    return { validation: ValidationView.of(await this.runs.startDrill(scope, input)) };
  }

  @Roles('admin', 'operator')
  @Mutation(() => CancelValidationPayload, { description: 'Stop watching a running validation (admin, operator)' })
  async cancelValidation(
    @GqlTenantScope({ follow: { arg: 'input.id', owner: VALIDATION_OWNER } }) scope: TenantScope,
    @Args('input') input: CancelValidationInput,
  ): Promise<CancelValidationPayload> {
    return { validation: ValidationView.of(await this.runs.cancel(scope, input.id)) };
  }

  @Subscription(() => ValidationUpdateView, {
    description: 'A validation changed (your tenants, or the one given; one gateway when given)',
    resolve: payloadWithDates('updatedAt'),
  })
  async validationUpdated(
    @CurrentUser() user: UserPrincipal,
    @Args('tenantId', { type: () => ID, nullable: true }) tenantId?: string,
    @Args('gatewayId', { type: () => ID, nullable: true }) gatewayId?: string,
  ) {
    const ofGateway = gatewayId
      ? (event: EventEnvelope) => (event.payload as unknown as ValidationUpdatedEvent).gatewayId === gatewayId
      : undefined;
    return this.events.open(user, EventTopic.ValidationUpdated, tenantId, ofGateway);
  }
}

/** What a `validationUpdated` event names, resolved as of the event (loaders start afresh for each event). */
@Resolver(() => ValidationUpdateView)
export class ValidationUpdateRelationsResolver {
  constructor(
    @Inject(ValidationsService) private readonly runs: ValidationsService,
    @Inject(GatewaysQueryService) private readonly gateways: GatewaysQueryService,
  ) {}

  @ResolveField(() => ValidationView, { nullable: true, description: 'the run now (null once purged)' })
  async validation(@Parent() update: ValidationUpdateView, @Context() context: object): Promise<ValidationView | null> {
    const found = await tenantRowLoader(context, 'validationById', (tenantId, ids) => this.runs.getMany(tenantId, ids)).load({
      tenantId: update.tenantId,
      id: update.validationId,
    });
    return found ? ValidationView.of(found) : null;
  }

  @ResolveField(() => GatewayView, { nullable: true, description: 'its gateway (null once purged)' })
  async gateway(@Parent() update: ValidationUpdateView, @Context() context: object): Promise<GatewayView | null> {
    const record = await gatewayLoader(context, this.gateways).load({ tenantId: update.tenantId, id: update.gatewayId });
    return record ? GatewayView.of(record.gateway, record.live) : null;
  }
}
