import { Inject } from '@nestjs/common';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { gatewayLoader, profileLoader } from '../gateways/gateway-relations.resolver.js';
import { GatewayView } from '../gateways/gateway.view.js';
import { GatewaysQueryService } from '../gateways/gateways-query.service.js';
import { ProfileView } from '../profiles/profile.view.js';
import { ProfilesService } from '../profiles/profiles.service.js';
import { tenantRowLoader } from '../platform/graphql/loaders.js';
import { MigrationUpdateView, MigrationView } from './migration.view.js';
import { MigrationsQueryService } from './migrations-query.service.js';

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

/** ManagementProfile.migrations: every profile's migrations of the answer in one query per tenant. */
@Resolver(() => ProfileView)
export class ProfileMigrationsResolver {
  constructor(@Inject(MigrationsQueryService) private readonly queries: MigrationsQueryService) {}

  @ResolveField(() => [MigrationView], { description: 'its migrations (and rollbacks), newest first' })
  async migrations(@Parent() profile: ProfileView, @Context() context: object): Promise<MigrationView[]> {
    const loader = tenantRowLoader(context, 'migrationsOfProfile', (tenantId, ids) => this.queries.ofProfiles(tenantId, ids));
    return ((await loader.load({ tenantId: profile.tenantId, id: profile.id })) ?? []).map((migration) => MigrationView.of(migration));
  }
}

/** What a `migrationUpdated` event names, resolved as of the event (loaders start afresh for each event). */
@Resolver(() => MigrationUpdateView)
export class MigrationUpdateRelationsResolver {
  constructor(
    @Inject(MigrationsQueryService) private readonly migrations: MigrationsQueryService,
    @Inject(ProfilesService) private readonly profiles: ProfilesService,
  ) {}

  @ResolveField(() => MigrationView, { nullable: true, description: 'the migration now (null once purged)' })
  async migration(@Parent() update: MigrationUpdateView, @Context() context: object): Promise<MigrationView | null> {
    const loader = tenantRowLoader(context, 'migrationById', (tenantId, ids) => this.migrations.getMany(tenantId, ids));
    const found = await loader.load({ tenantId: update.tenantId, id: update.migrationId });
    return found ? MigrationView.of(found) : null;
  }

  @ResolveField(() => ProfileView, { nullable: true, description: 'its profile (null once deleted)' })
  async profile(@Parent() update: MigrationUpdateView, @Context() context: object): Promise<ProfileView | null> {
    const record = await profileLoader(context, this.profiles).load({ tenantId: update.tenantId, id: update.profileId });
    return record ? ProfileView.of(record.profile, record.link) : null;
  }
}
