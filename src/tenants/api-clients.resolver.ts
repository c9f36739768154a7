import { Inject } from '@nestjs/common';
import { StrictValidation } from '../platform/validation/validation.js';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { TenantScope } from '../platform/auth/tenant-scope.js';
import { GqlTenantScope } from '../platform/graphql/tenant-scope.decorator.js';
import { Connection, TenantPageArgs, toConnection } from '../platform/pagination/page.dto.js';
import { ApiClientView } from './api-client.view.js';
import { ApiClientsService } from './api-clients.service.js';
import { CreateApiClientInput, CreateApiClientPayload, DeleteApiClientInput, DeleteApiClientPayload } from './dto/tenant-mutations.dto.js';
import { API_CLIENT_OWNER } from './tenants.store.js';

const ApiClientConnection = Connection(ApiClientView, 'ApiClient');

@StrictValidation()
@Resolver(() => ApiClientView)
export class ApiClientsResolver {
  constructor(@Inject(ApiClientsService) private readonly service: ApiClientsService) {}

  @Query(() => ApiClientConnection, { description: 'The API clients of a tenant (default: your own)' })
  async apiClients(@GqlTenantScope() scope: TenantScope, @Args() page: TenantPageArgs) {
    return toConnection(await this.service.list(scope, { limit: page.first, cursor: page.after }), ApiClientView.of, page.after);
  }

  @Mutation(() => CreateApiClientPayload, { description: 'Create an API client; its secret is in this answer only (admin)' })
  async createApiClient(@GqlTenantScope() scope: TenantScope, @Args('input') input: CreateApiClientInput): Promise<CreateApiClientPayload> {
    const { tenantId: _tenantId, ...fields } = input;
    const { client, clientSecret } = await this.service.create(scope, fields);
    return { apiClient: ApiClientView.of(client), clientSecret };
  }

  @Mutation(() => DeleteApiClientPayload, { description: 'Delete an API client (admin)' })
  async deleteApiClient(
    @GqlTenantScope({ follow: { arg: 'input.id', owner: API_CLIENT_OWNER } }) scope: TenantScope,
    @Args('input') input: DeleteApiClientInput,
  ): Promise<DeleteApiClientPayload> {
    await this.service.delete(scope, input.id);
    return { deletedApiClientId: input.id };
  }
}
