import { Inject } from '@nestjs/common';
import { StrictValidation } from '../platform/validation/validation.js';
import { Args, Field, ID, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { CurrentUser } from '../platform/auth/auth.decorators.js';
import type { Role, UserPrincipal } from '../platform/auth/principal.js';
import type { TenantScope } from '../platform/auth/tenant-scope.js';
import { GqlTenantScope } from '../platform/graphql/tenant-scope.decorator.js';
import { Connection, PageArgs, toConnection } from '../platform/pagination/page.dto.js';
import { RoleEnum } from './api-client.view.js';
import { CreateTenantDto } from './dto/tenant.dto.js';
import { CreateTenantPayload, UpdateTenantInput, UpdateTenantPayload } from './dto/tenant-mutations.dto.js';
import { TenantView } from './tenant.view.js';
import { TenantsService } from './tenants.service.js';

export const TenantConnection = Connection(TenantView, 'Tenant');

@ObjectType('Viewer')
class ViewerView {
  @Field(() => ID) apiClientId!: string;
  @Field(() => [RoleEnum]) roles!: Role[];
  @Field(() => TenantView) tenant!: TenantView;
}

@StrictValidation()
@Resolver(() => TenantView)
export class TenantsResolver {
  constructor(@Inject(TenantsService) private readonly service: TenantsService) {}

  @Query(() => ViewerView, { description: 'Who is calling: the API client, its roles and its tenant' })
  async viewer(@CurrentUser() user: UserPrincipal, @GqlTenantScope() scope: TenantScope): Promise<ViewerView> {
    return { apiClientId: user.apiClientId, roles: user.roles, tenant: TenantView.of(await this.service.get(scope)) };
  }

  @Query(() => TenantConnection, { description: 'Your tenant and, for a partner, its clients' })
  async tenants(@CurrentUser() user: UserPrincipal, @Args() page: PageArgs) {
    return toConnection(await this.service.listVisible(user, { limit: page.first, cursor: page.after }), TenantView.of, page.after);
  }

  @Query(() => TenantView)
  async tenant(@GqlTenantScope({ tenant: 'id' }) scope: TenantScope, @Args('id', { type: () => ID }) _id: string): Promise<TenantView> {
    return TenantView.of(await this.service.get(scope));
  }

  @Mutation(() => CreateTenantPayload, { description: 'Create a client tenant under your partner tenant (admin)' })
  async createTenant(@CurrentUser() user: UserPrincipal, @Args('input') input: CreateTenantDto): Promise<CreateTenantPayload> {
    return { tenant: TenantView.of(await this.service.createClient(user, input)) };
  }

  @Mutation(() => UpdateTenantPayload, {
    description: "Rename a tenant; a partner also sets its clients' status and feature flags (admin)",
  })
  async updateTenant(
    @GqlTenantScope({ tenant: 'input.id' }) scope: TenantScope,
    @Args('input') input: UpdateTenantInput,
  ): Promise<UpdateTenantPayload> {
    const { id: _id, ...changes } = input;
    return { tenant: TenantView.of(await this.service.update(scope, changes)) };
  }
}
