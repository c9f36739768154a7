import { Inject } from '@nestjs/common';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { tenantRowLoader } from '../platform/graphql/loaders.js';
import { ProfileView } from '../profiles/profile.view.js';
import { ProfilesService } from '../profiles/profiles.service.js';
import { GatewayStatusChangeView, GatewayView } from './gateway.view.js';
import { GatewaysQueryService, type GatewayRecord } from './gateways-query.service.js';

/** The request's loader of gateways by id (one statement per tenant for all parents); other domains' relation fields use it too. */
export const gatewayLoader = (context: object, queries: GatewaysQueryService) =>
  tenantRowLoader<GatewayRecord>(context, 'gatewayById', (tenantId, ids) => queries.getMany(tenantId, ids));

export const profileLoader = (context: object, profiles: ProfilesService) =>
  tenantRowLoader(context, 'profileById', (tenantId, ids) => profiles.getMany(tenantId, ids));

const gatewayView = (record: GatewayRecord | null) => (record ? GatewayView.of(record.gateway, record.live) : null);

/** ManagementProfile's gateways: batched by DataLoader, never a query per profile. */
@Resolver(() => ProfileView)
export class ProfileGatewaysResolver {
  constructor(@Inject(GatewaysQueryService) private readonly queries: GatewaysQueryService) {}

  @ResolveField(() => GatewayView, { nullable: true, description: 'the gateway registered on it now' })
  async activeGateway(@Parent() profile: ProfileView, @Context() context: object): Promise<GatewayView | null> {
    if (!profile.activeGatewayId) return null;
    return gatewayView(await gatewayLoader(context, this.queries).load({ tenantId: profile.tenantId, id: profile.activeGatewayId }));
  }

  @ResolveField(() => [GatewayView], { description: 'every gateway it has had, de-registered ones too, newest first' })
  async gateways(@Parent() profile: ProfileView, @Context() context: object): Promise<GatewayView[]> {
    const loader = tenantRowLoader(context, 'gatewaysOfProfile', (tenantId, ids) => this.queries.ofProfiles(tenantId, ids));
    return ((await loader.load({ tenantId: profile.tenantId, id: profile.id })) ?? []).map((record) =>
      GatewayView.of(record.gateway, record.live),
    );
  }
}

@Resolver(() => GatewayView)
export class GatewayProfileResolver {
  constructor(@Inject(ProfilesService) private readonly profiles: ProfilesService) {}

  @ResolveField(() => ProfileView, { nullable: true, description: 'its management profile (null once the profile is deleted)' })
  async profile(@Parent() gateway: GatewayView, @Context() context: object): Promise<ProfileView | null> {
    const record = await profileLoader(context, this.profiles).load({ tenantId: gateway.tenantId, id: gateway.profileId });
    return record ? ProfileView.of(record.profile, record.link) : null;
  }
}

/** What a `gatewayStatusChanged` event names, resolved as of the event (loaders start afresh for each event). */
@Resolver(() => GatewayStatusChangeView)
export class GatewayStatusChangeRelationsResolver {
  constructor(
    @Inject(GatewaysQueryService) private readonly queries: GatewaysQueryService,
    @Inject(ProfilesService) private readonly profiles: ProfilesService,
  ) {}

  @ResolveField(() => GatewayView, { nullable: true, description: 'the gateway now (null once purged)' })
  async gateway(@Parent() change: GatewayStatusChangeView, @Context() context: object): Promise<GatewayView | null> {
    return gatewayView(await gatewayLoader(context, this.queries).load({ tenantId: change.tenantId, id: change.gatewayId }));
  }

  @ResolveField(() => ProfileView, { nullable: true, description: 'its management profile (null once deleted)' })
  async profile(@Parent() change: GatewayStatusChangeView, @Context() context: object): Promise<ProfileView | null> {
    const record = await profileLoader(context, this.profiles).load({ tenantId: change.tenantId, id: change.profileId });
    return record ? ProfileView.of(record.profile, record.link) : null;
  }
}
