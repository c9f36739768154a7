import { Inject } from '@nestjs/common';
import { StrictValidation } from '../platform/validation/validation.js';
import { Args, Field, ID, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { CurrentUser } from '../platform/auth/auth.decorators.js';
import type { Role, UserPrincipal } from '../platform/auth/principal.js';
import { TENANT_ACCESS, type TenantAccess } from '../platform/auth/tenant-scope.js';
import { Connection, PageArgs, toConnection } from '../platform/pagination/page.dto.js';
import { RoleEnum } from './api-client.view.js';
import { CreateTenantDto, UpdateTenantDto } from './dto/tenant.dto.js';
import { TenantView } from './tenant.view.js';
import { TenantsService } from './tenants.service.js';

const TenantConnection = Connection(TenantView, 'Tenant');

@ObjectType('Viewer')
class ViewerView {
  @Field(() => ID) apiClientId!: string;
  @Field(() => [RoleEnum]) roles!: Role[];
  @Field(() => TenantView) tenant!: TenantView;
}

@StrictValidation()
@Resolver(() => TenantView)
export class TenantsResolver {
  constructor(
    @Inject(TenantsService) private readonly service: TenantsService,
    @Inject(TENANT_ACCESS) private readonly tenancy: TenantAccess,
  ) {}

  @Query(() => ViewerView, { description: 'Who is calling: the API client, its roles and its tenant' })
  async viewer(@CurrentUser() user: UserPrincipal): Promise<ViewerView> {
    const tenant = await this.service.get(await this.tenancy.scope(user, user.tenantId));
    return { apiClientId: user.apiClientId, roles: user.roles, tenant: TenantView.of(tenant) };
  }

  @Query(() => TenantConnection, { description: 'Your tenant and, for a partner, its clients' })
  async tenants(@CurrentUser() user: UserPrincipal, @Args() page: PageArgs) {
    return toConnection(await this.service.listVisible(user, { limit: page.first, cursor: page.after }), TenantView.of, page.after);
  }

  @Query(() => TenantView)
  async tenant(@CurrentUser() user: UserPrincipal, @Args('id', { type: () => ID }) id: string): Promise<TenantView> {
    return TenantView.of(await this.service.get(await this.tenancy.scope(user, id)));
  }

  @Mutation(() => TenantView, { description: 'Create a client tenant under your partner tenant (admin)' })
  async createTenant(@CurrentUser() user: UserPrincipal, @Args('input') input: CreateTenantDto): Promise<TenantView> {
    return TenantView.of(await this.service.createClient(user, input));
  }

  @Mutation(() => TenantView, { description: "Rename a tenant; a partner also sets its clients' status and feature flags (admin)" })
  async updateTenant(
    @CurrentUser() user: UserPrincipal,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateTenantDto,
  ): Promise<TenantView> {
    return TenantView.of(await this.service.update(await this.tenancy.scope(user, id), input));
  }
}
