import { Body, Controller, Get, HttpCode, Inject, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Created } from '../platform/http/created.js';
import { CurrentUser, TenantScope } from '../platform/auth/auth.decorators.js';
import type { UserPrincipal } from '../platform/auth/principal.js';
import type { TenantScope as Scope } from '../platform/auth/tenant-scope.js';
import { ManagementApi } from '../platform/http/management-api.decorator.js';
import { mapPage } from '../platform/pagination/cursor.js';
import { RestPage } from '../platform/pagination/page.dto.js';
import { PageQueryDto } from '../platform/pagination/page-query.dto.js';
import { CreateTenantDto, UpdateTenantDto } from './dto/tenant.dto.js';
import { TenantView } from './tenant.view.js';
import { TenantsService } from './tenants.service.js';

class TenantPage extends RestPage(TenantView, 'TenantPage') {}

@ApiTags('tenants')
@Controller('api/v1/tenants')
export class TenantsController {
  constructor(@Inject(TenantsService) private readonly tenants: TenantsService) {}

  @Get()
  @ManagementApi({ tenantScoped: false })
  @ApiOperation({ summary: 'List tenants', description: 'Your tenant and, for a partner, its clients' })
  @ApiOkResponse({ type: TenantPage })
  async list(@CurrentUser() user: UserPrincipal, @Query() query: PageQueryDto): Promise<TenantPage> {
    return mapPage(await this.tenants.listVisible(user, query), TenantView.of);
  }

  @Post()
  @HttpCode(201)
  @ManagementApi({ tenantScoped: false })
  @ApiOperation({ summary: 'Create a client tenant', description: 'Create a client tenant under your partner tenant (admin)' })
  @Created(TenantView, '/api/v1/tenants/{id}')
  async create(@CurrentUser() user: UserPrincipal, @Body() body: CreateTenantDto): Promise<TenantView> {
    return TenantView.of(await this.tenants.createClient(user, body));
  }

  @Get(':tenantId')
  @ManagementApi()
  @ApiOperation({ summary: 'Get a tenant', description: 'One tenant' })
  @ApiOkResponse({ type: TenantView })
  async get(@TenantScope() scope: Scope): Promise<TenantView> {
    return TenantView.withQuotas(await this.tenants.get(scope), await this.tenants.quotaUsage(scope));
  }

  @Patch(':tenantId')
  @ManagementApi()
  @ApiOperation({
    summary: 'Update a tenant',
    description: "Rename a tenant; a partner also sets its clients' status and feature flags (admin)",
  })
  @ApiOkResponse({ type: TenantView })
  async update(@TenantScope() scope: Scope, @Body() body: UpdateTenantDto): Promise<TenantView> {
    return TenantView.withQuotas(await this.tenants.update(scope, body), await this.tenants.quotaUsage(scope));
  }
}
