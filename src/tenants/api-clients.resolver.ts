import { Inject } from '@nestjs/common';
import { StrictValidation } from '../platform/validation/validation.js';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentUser } from '../platform/auth/auth.decorators.js';
import type { UserPrincipal } from '../platform/auth/principal.js';
import { TENANT_ACCESS, type TenantAccess } from '../platform/auth/tenant-scope.js';
import { Connection, TenantPageArgs, toConnection } from '../platform/pagination/page.dto.js';
import { ApiClientView, CreatedApiClientView } from './api-client.view.js';
import { ApiClientsService } from './api-clients.service.js';
import { CreateApiClientDto } from './dto/api-client.dto.js';

const ApiClientConnection = Connection(ApiClientView, 'ApiClient');

@StrictValidation()
@Resolver(() => ApiClientView)
export class ApiClientsResolver {
  constructor(
    @Inject(ApiClientsService) private readonly service: ApiClientsService,
    @Inject(TENANT_ACCESS) private readonly tenancy: TenantAccess,
  ) {}

  @Query(() => ApiClientConnection, { description: 'The API clients of a tenant (default: your own)' })
  async apiClients(@CurrentUser() user: UserPrincipal, @Args() page: TenantPageArgs) {
    const scope = await this.tenancy.scope(user, page.tenantId ?? user.tenantId);
    return toConnection(await this.service.list(scope, { limit: page.first, cursor: page.after }), ApiClientView.of, page.after);
  }

  @Mutation(() => CreatedApiClientView, { description: 'Create an API client; its secret is in this answer only (admin)' })
  async createApiClient(
    @CurrentUser() user: UserPrincipal,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('input') input: CreateApiClientDto,
  ): Promise<CreatedApiClientView> {
    const { client, clientSecret } = await this.service.create(await this.tenancy.scope(user, tenantId), input);
    return Object.assign(new CreatedApiClientView(), ApiClientView.of(client), { clientSecret });
  }

  @Mutation(() => ID, { description: 'Delete an API client; answers its id (admin)' })
  async deleteApiClient(
    @CurrentUser() user: UserPrincipal,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<string> {
    await this.service.delete(await this.tenancy.scope(user, tenantId), id);
    return id;
  }
}
