import { Inject } from '@nestjs/common';
import { Args, Context, ID, Mutation, Query, ResolveField, Resolver, Parent } from '@nestjs/graphql';
import type { TenantScope } from '../platform/auth/tenant-scope.js';
import { tenantRowLoader } from '../platform/graphql/loaders.js';
import { decodeCursor, DEFAULT_PAGE_SIZE } from '../platform/pagination/cursor.js';
import { GqlTenantScope } from '../platform/graphql/tenant-scope.decorator.js';
import { Connection, PageArgs, toConnection } from '../platform/pagination/page.dto.js';
import { StrictValidation } from '../platform/validation/validation.js';
import { ActivationTokenView } from './activation-token.view.js';
import { ActivationTokensService } from './activation-tokens.service.js';
import { ListProfilesArgs } from './dto/profile.dto.js';
import {
  CreateProfileInput,
  CreateProfilePayload,
  DeleteProfileInput,
  DeleteProfilePayload,
  MintActivationTokenInput,
  MintActivationTokenPayload,
  RevokeActivationTokenInput,
  RevokeActivationTokenPayload,
  UpdateProfileInput,
  UpdateProfilePayload,
} from './dto/profile-mutations.dto.js';
import { ProfileView } from './profile.view.js';
import { ACTIVATION_TOKEN_OWNER, PROFILE_OWNER } from './profiles.store.js';
import { ProfilesService } from './profiles.service.js';

const ProfileConnection = Connection(ProfileView, 'ManagementProfile');
const ActivationTokenConnection = Connection(ActivationTokenView, 'ActivationToken');

const followProfile = (arg: string) => ({ follow: { arg, owner: PROFILE_OWNER } });

@StrictValidation()
@Resolver(() => ProfileView)
export class ProfilesResolver {
  constructor(
    @Inject(ProfilesService) private readonly service: ProfilesService,
    @Inject(ActivationTokensService) private readonly tokens: ActivationTokensService,
  ) {}

  @Query(() => ProfileConnection, { description: 'Management profiles, newest first' })
  async profiles(@GqlTenantScope() scope: TenantScope, @Args() args: ListProfilesArgs) {
    const page = await this.service.list(scope, args, { limit: args.first, cursor: args.after });
    return toConnection(page, ({ profile, link }) => ProfileView.of(profile, link), args.after);
  }

  @Query(() => ProfileView, { description: 'A management profile, in any tenant you may reach' })
  async profile(@GqlTenantScope(followProfile('id')) scope: TenantScope, @Args('id', { type: () => ID }) id: string): Promise<ProfileView> {
    const { profile, link } = await this.service.get(scope, id);
    return ProfileView.of(profile, link);
  }

  /** Batched: the tokens of every profile of the answer asking for the same page, in one statement per tenant. */
  @ResolveField(() => ActivationTokenConnection, { description: 'its activation tokens, newest first, without secrets' })
  async activationTokens(@Parent() profile: ProfileView, @Args() page: PageArgs, @Context() context: object) {
    const first = page.first ?? DEFAULT_PAGE_SIZE;
    const after = page.after ? decodeCursor(page.after) : undefined;
    const loader = tenantRowLoader(context, `activationTokens:${first}:${page.after ?? ''}`, (tenantId, ids) =>
      this.tokens.latestOfProfiles(tenantId, ids, { first, after }),
    );
    const found = (await loader.load({ tenantId: profile.tenantId, id: profile.id })) ?? { items: [], nextCursor: null };
    return toConnection(found, (token) => ActivationTokenView.of(token), page.after);
  }

  @Mutation(() => CreateProfilePayload, { description: 'Create a management profile (admin)' })
  async createProfile(@GqlTenantScope() scope: TenantScope, @Args('input') input: CreateProfileInput): Promise<CreateProfilePayload> {
    const { tenantId: _tenantId, ...fields } = input;
    const { profile, link } = await this.service.create(scope, fields);
    return { profile: ProfileView.of(profile, link) };
  }

  @Mutation(() => UpdateProfilePayload, { description: 'Edit a management profile (admin)' })
  async updateProfile(
    @GqlTenantScope(followProfile('input.id')) scope: TenantScope,
    @Args('input') input: UpdateProfileInput,
  ): Promise<UpdateProfilePayload> {
    const { id, ...changes } = input;
    const { profile, link } = await this.service.update(scope, id, changes);
    return { profile: ProfileView.of(profile, link) };
  }

  @Mutation(() => DeleteProfilePayload, { description: 'Delete a management profile without an active gateway (admin)' })
  async deleteProfile(
    @GqlTenantScope(followProfile('input.id')) scope: TenantScope,
    @Args('input') input: DeleteProfileInput,
  ): Promise<DeleteProfilePayload> {
    await this.service.delete(scope, input.id);
    return { deletedProfileId: input.id };
  }

  @Mutation(() => MintActivationTokenPayload, { description: 'Mint an activation token (admin); the plaintext is in this answer only' })
  async mintActivationToken(
    @GqlTenantScope(followProfile('input.profileId')) scope: TenantScope,
    @Args('input') input: MintActivationTokenInput,
  ): Promise<MintActivationTokenPayload> {
    const { token, plaintext } = await this.tokens.mint(scope, input.profileId, input.ttlSeconds);
    return { activationToken: ActivationTokenView.of(token), token: plaintext };
  }

  @Mutation(() => RevokeActivationTokenPayload, { description: 'Revoke an activation token (admin)' })
  async revokeActivationToken(
    @GqlTenantScope({ follow: { arg: 'input.id', owner: ACTIVATION_TOKEN_OWNER } }) scope: TenantScope,
    @Args('input') input: RevokeActivationTokenInput,
  ): Promise<RevokeActivationTokenPayload> {
    return { activationToken: ActivationTokenView.of(await this.tokens.revokeById(scope, input.id)) };
  }
}
