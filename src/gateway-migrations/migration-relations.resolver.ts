import { Inject } from '@nestjs/common';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { gatewayLoader, profileLoader } from '../gateways/gateway-relations.resolver.js';
import { GatewayView } from '../gateways/gateway.view.js';
import { GatewaysQueryService } from '../gateways/gateways-query.service.js';
import { ProfileView } from '../profiles/profile.view.js';
import { ProfilesService } from '../profiles/profiles.service.js';
import { MigrationView } from './migration.view.js';

/** Migration's profile and gateways, batched with every other relation field of the answer. */
@Resolver(() => MigrationView)
export class MigrationRelationsResolver {
  constructor(
    @Inject(GatewaysQueryService) private readonly gateways: GatewaysQueryService,
    @Inject(ProfilesService) private readonly profiles: ProfilesService,
  ) {}

  @ResolveField(() => ProfileView, { nullable: true, description: 'the profile it migrates (null once deleted)' })
  async profile(@Parent() migration: MigrationView, @Context() context: object): Promise<ProfileView | null> {
    const record = await profileLoader(context, this.profiles).load({ tenantId: migration.tenantId, id: migration.profileId });
    return record ? ProfileView.of(record.profile, record.link) : null;
  }

  @ResolveField(() => GatewayView, { nullable: true, description: 'the gateway it migrates from' })
  async sourceGateway(@Parent() migration: MigrationView, @Context() context: object): Promise<GatewayView | null> {
    return this.gateway(context, migration.tenantId, migration.sourceGatewayId);
  }

  @ResolveField(() => GatewayView, { nullable: true, description: 'the gateway it migrates to, once registered' })
  async targetGateway(@Parent() migration: MigrationView, @Context() context: object): Promise<GatewayView | null> {
    return this.gateway(context, migration.tenantId, migration.targetGatewayId);
  }

  private async gateway(context: object, tenantId: string, id: string | null): Promise<GatewayView | null> {
    if (!id) return null;
    const record = await gatewayLoader(context, this.gateways).load({ tenantId, id });
    return record ? GatewayView.of(record.gateway, record.live) : null;
  }
}
