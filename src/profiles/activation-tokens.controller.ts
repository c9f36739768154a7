import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Created } from '../platform/http/created.js';
import { TenantScope } from '../platform/auth/auth.decorators.js';
import type { TenantScope as Scope } from '../platform/auth/tenant-scope.js';
import { ManagementApi, problem } from '../platform/http/management-api.decorator.js';
import { mapPage } from '../platform/pagination/cursor.js';
import { RestPage } from '../platform/pagination/page.dto.js';
import { PageQueryDto } from '../platform/pagination/page-query.dto.js';
import { ActivationTokenView, MintedActivationTokenView } from './activation-token.view.js';
import { ActivationTokensService } from './activation-tokens.service.js';
import { MintTokenDto } from './dto/profile.dto.js';

class ActivationTokenPage extends RestPage(ActivationTokenView, 'ActivationTokenPage') {}

@ApiTags('management-profiles')
@ManagementApi()
@ApiParam({ name: 'profileId', format: 'uuid' })
@Controller('api/v1/tenants/:tenantId/management-profiles/:profileId/activation-tokens')
export class ActivationTokensController {
  constructor(@Inject(ActivationTokensService) private readonly tokens: ActivationTokensService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Mint an activation token',
    description: "Mint an activation token (admin): the plaintext is in this answer only; the profile's older active tokens are revoked",
  })
  @ApiConflictResponse({ description: 'MIGRATION_IN_PROGRESS: a running migration has its own token', ...problem })
  @Created(MintedActivationTokenView, '/api/v1/tenants/{tenantId}/management-profiles/{profileId}/activation-tokens/{id}')
  async mint(
    @TenantScope() scope: Scope,
    @Param('profileId') profileId: string,
    @Body() body: MintTokenDto,
  ): Promise<MintedActivationTokenView> {
    const { token, plaintext } = await this.tokens.mint(scope, profileId, body.ttlSeconds);
    return Object.assign(new MintedActivationTokenView(), ActivationTokenView.of(token), { token: plaintext });
  }

  @Get()
  @ApiOperation({ summary: 'List activation tokens', description: "The profile's activation tokens, newest first, without secrets" })
  @ApiOkResponse({ type: ActivationTokenPage })
  async list(
    @TenantScope() scope: Scope,
    @Param('profileId') profileId: string,
    @Query() query: PageQueryDto,
  ): Promise<ActivationTokenPage> {
    return mapPage(await this.tokens.list(scope, profileId, query), (token) => ActivationTokenView.of(token));
  }

  @Delete(':tokenId')
  @HttpCode(204)
  @ApiParam({ name: 'tokenId', format: 'uuid' })
  @ApiOperation({ summary: 'Revoke an activation token', description: 'Revoke an activation token (admin)' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'ACTIVATION_TOKEN_NOT_ACTIVE: it was used or has expired', ...problem })
  async revoke(@TenantScope() scope: Scope, @Param('profileId') profileId: string, @Param('tokenId') tokenId: string): Promise<void> {
    await this.tokens.revoke(scope, profileId, tokenId);
  }
}
