import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Created } from '../platform/http/created.js';
import { TenantScope } from '../platform/auth/auth.decorators.js';
import type { TenantScope as Scope } from '../platform/auth/tenant-scope.js';
import { ManagementApi } from '../platform/http/management-api.decorator.js';
import { mapPage } from '../platform/pagination/cursor.js';
import { RestPage } from '../platform/pagination/page.dto.js';
import { PageQueryDto } from '../platform/pagination/page-query.dto.js';
import { ApiClientView, CreatedApiClientView } from './api-client.view.js';
import { ApiClientsService } from './api-clients.service.js';
import { CreateApiClientDto } from './dto/api-client.dto.js';

class ApiClientPage extends RestPage(ApiClientView, 'ApiClientPage') {}

@ApiTags('api-clients')
@ManagementApi()
@Controller('api/v1/tenants/:tenantId/api-clients')
export class ApiClientsController {
  constructor(@Inject(ApiClientsService) private readonly apiClients: ApiClientsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an API client', description: 'Create an API client; its secret is in this answer only (admin)' })
  @Created(CreatedApiClientView, '/api/v1/tenants/{tenantId}/api-clients/{id}')
  async create(@TenantScope() scope: Scope, @Body() body: CreateApiClientDto): Promise<CreatedApiClientView> {
    const { client, clientSecret } = await this.apiClients.create(scope, body);
    return Object.assign(new CreatedApiClientView(), ApiClientView.of(client), { clientSecret });
  }

  @Get()
  @ApiOperation({ summary: 'List API clients', description: 'The API clients of a tenant (never their secrets)' })
  @ApiOkResponse({ type: ApiClientPage })
  async list(@TenantScope() scope: Scope, @Query() query: PageQueryDto): Promise<ApiClientPage> {
    return mapPage(await this.apiClients.list(scope, query), ApiClientView.of);
  }

  @Delete(':apiClientId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an API client', description: 'Delete an API client: its tokens stop working at once (admin)' })
  @ApiNoContentResponse()
  async delete(@TenantScope() scope: Scope, @Param('apiClientId') apiClientId: string): Promise<void> {
    await this.apiClients.delete(scope, apiClientId);
  }
}
