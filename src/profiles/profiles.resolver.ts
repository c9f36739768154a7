import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Query, ResolveField, Resolver, Parent } from '@nestjs/graphql';
import { CurrentUser } from '../platform/auth/auth.decorators.js';
import type { UserPrincipal } from '../platform/auth/principal.js';
import { TENANT_ACCESS, type TenantAccess } from '../platform/auth/tenant-scope.js';
import { Connection, PageArgs, toConnection } from '../platform/pagination/page.dto.js';
import { StrictValidation } from '../platform/validation/validation.js';
import { ActivationTokenView, MintedActivationTokenView } from './activation-token.view.js';
import { ActivationTokensService } from './activation-tokens.service.js';
import { CreateProfileDto, ListProfilesArgs, MintTokenDto, ProfileRefArgs, UpdateProfileDto } from './dto/profile.dto.js';
import { ProfileView } from './profile.view.js';
import { ProfilesService } from './profiles.service.js';

const ProfileConnection = Connection(ProfileView, 'ManagementProfile');
const ActivationTokenConnection = Connection(ActivationTokenView, 'ActivationToken');

@StrictValidation()
@Resolver(() => ProfileView)
export class ProfilesResolver {
  constructor(
    @Inject(ProfilesService) private readonly service: ProfilesService,
    @Inject(ActivationTokensService) private readonly tokens: ActivationTokensService,
    @Inject(TENANT_ACCESS) private readonly tenancy: TenantAccess,
  ) {}

  @Query(() => ProfileConnection, { description: 'Management profiles, newest first' })
  async managementProfiles(@CurrentUser() user: UserPrincipal, @Args() args: ListProfilesArgs) {
    const scope = await this.tenancy.scope(user, args.tenantId ?? user.tenantId);
    const page = await this.service.list(scope, args, { limit: args.first, cursor: args.after });
    return toConnection(page, ({ profile, link }) => ProfileView.of(profile, link), args.after);
  }

  @Query(() => ProfileView)
  async managementProfile(@CurrentUser() user: UserPrincipal, @Args() ref: ProfileRefArgs): Promise<ProfileView> {
    const { profile, link } = await this.service.get(await this.tenancy.scope(user, ref.tenantId ?? user.tenantId), ref.profileId);
    return ProfileView.of(profile, link);
  }

  @ResolveField(() => ActivationTokenConnection, { description: 'its activation tokens, newest first, without secrets' })
  async activationTokens(@CurrentUser() user: UserPrincipal, @Parent() profile: ProfileView, @Args() page: PageArgs) {
    const scope = await this.tenancy.scope(user, profile.tenantId);
    return toConnection(
      await this.tokens.list(scope, profile.id, { limit: page.first, cursor: page.after }),
      (token) => ActivationTokenView.of(token),
      page.after,
    );
  }

  @Mutation(() => ProfileView, { description: 'Create a management profile (admin)' })
  async createManagementProfile(
    @CurrentUser() user: UserPrincipal,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('input') input: CreateProfileDto,
  ): Promise<ProfileView> {
    const { profile, link } = await this.service.create(await this.tenancy.scope(user, tenantId), input);
    return ProfileView.of(profile, link);
  }

  @Mutation(() => ProfileView, { description: 'Edit a management profile (admin)' })
  async updateManagementProfile(
    @CurrentUser() user: UserPrincipal,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('profileId', { type: () => ID }) profileId: string,
    @Args('input') input: UpdateProfileDto,
  ): Promise<ProfileView> {
    const { profile, link } = await this.service.update(await this.tenancy.scope(user, tenantId), profileId, input);
    return ProfileView.of(profile, link);
  }

  @Mutation(() => ID, { description: 'Delete a management profile without an active gateway (admin); answers its id' })
  async deleteManagementProfile(
    @CurrentUser() user: UserPrincipal,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('profileId', { type: () => ID }) profileId: string,
  ): Promise<string> {
    await this.service.delete(await this.tenancy.scope(user, tenantId), profileId);
    return profileId;
  }

  @Mutation(() => MintedActivationTokenView, { description: 'Mint an activation token (admin); the plaintext is in this answer only' })
  async mintActivationToken(
    @CurrentUser() user: UserPrincipal,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('profileId', { type: () => ID }) profileId: string,
    @Args('input', { nullable: true }) input?: MintTokenDto,
  ): Promise<MintedActivationTokenView> {
    const { token, plaintext } = await this.tokens.mint(await this.tenancy.scope(user, tenantId), profileId, input?.ttlSeconds);
    return Object.assign(new MintedActivationTokenView(), ActivationTokenView.of(token), { token: plaintext });
  }

  @Mutation(() => ActivationTokenView, { description: 'Revoke an activation token (admin)' })
  async revokeActivationToken(
    @CurrentUser() user: UserPrincipal,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('profileId', { type: () => ID }) profileId: string,
    @Args('tokenId', { type: () => ID }) tokenId: string,
  ): Promise<ActivationTokenView> {
    return ActivationTokenView.of(await this.tokens.revoke(await this.tenancy.scope(user, tenantId), profileId, tokenId));
  }
}
