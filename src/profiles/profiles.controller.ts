import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiConflictResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Created } from '../platform/http/created.js';
import { ApiIfMatch, ETAG_HEADER, etagOf, parseIfMatch } from '../platform/http/etag.js';
import { TenantScope } from '../platform/auth/auth.decorators.js';
import type { TenantScope as Scope } from '../platform/auth/tenant-scope.js';
import { ManagementApi, problem } from '../platform/http/management-api.decorator.js';
import { mapPage } from '../platform/pagination/cursor.js';
import { RestPage } from '../platform/pagination/page.dto.js';
import { CreateProfileDto, ListProfilesQueryDto, UpdateProfileDto } from './dto/profile.dto.js';
import { ProfileView } from './profile.view.js';
import { ProfilesService } from './profiles.service.js';

class ProfilePage extends RestPage(ProfileView, 'ManagementProfilePage') {}

@ApiTags('management-profiles')
@ManagementApi()
@Controller('api/v1/tenants/:tenantId/management-profiles')
export class ProfilesController {
  constructor(@Inject(ProfilesService) private readonly profiles: ProfilesService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a management profile', description: 'Create a management profile (admin)' })
  @Created(ProfileView, '/api/v1/tenants/{tenantId}/management-profiles/{id}')
  @ApiConflictResponse({ description: 'PROFILE_NAME_TAKEN', ...problem })
  async create(@TenantScope() scope: Scope, @Body() body: CreateProfileDto): Promise<ProfileView> {
    const { profile, link } = await this.profiles.create(scope, body);
    return ProfileView.of(profile, link);
  }

  @Get()
  @ApiOperation({
    summary: 'List management profiles',
    description: 'Management profiles, newest first; filter by status, gateway type, name and label selector',
  })
  @ApiOkResponse({ type: ProfilePage })
  async list(@TenantScope() scope: Scope, @Query() query: ListProfilesQueryDto): Promise<ProfilePage> {
    const { status, gatewayType, search, labelSelector, ...page } = query;
    return mapPage(await this.profiles.list(scope, { status, gatewayType, search, labelSelector }, page), ({ profile, link }) =>
      ProfileView.of(profile, link),
    );
  }

  @Get(':profileId')
  @ApiParam({ name: 'profileId', format: 'uuid' })
  @ApiOperation({ summary: 'Get a management profile', description: 'One management profile with its status and active gateway' })
  @ApiOkResponse({ type: ProfileView, headers: ETAG_HEADER })
  async get(
    @TenantScope() scope: Scope,
    @Param('profileId') profileId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProfileView> {
    const { profile, link } = await this.profiles.get(scope, profileId);
    void reply.header('etag', etagOf(profile.version));
    return ProfileView.of(profile, link);
  }

  @Patch(':profileId')
  @ApiParam({ name: 'profileId', format: 'uuid' })
  @ApiOperation({
    summary: 'Update a management profile',
    description: 'Edit name, description or configuration (admin); a new configuration gets the next version',
  })
  @ApiIfMatch()
  @ApiOkResponse({ type: ProfileView, headers: ETAG_HEADER })
  @ApiConflictResponse({ description: 'PROFILE_NAME_TAKEN or PROFILE_VERSION_CONFLICT', ...problem })
  async update(
    @TenantScope() scope: Scope,
    @Param('profileId') profileId: string,
    @Body() body: UpdateProfileDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProfileView> {
    const { profile, link } = await this.profiles.update(scope, profileId, body, parseIfMatch(ifMatch));
    void reply.header('etag', etagOf(profile.version));
    return ProfileView.of(profile, link);
  }

  @Delete(':profileId')
  @HttpCode(204)
  @ApiParam({ name: 'profileId', format: 'uuid' })
  @ApiOperation({ summary: 'Delete a management profile', description: 'Delete a profile that has no active gateway (admin)' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'PROFILE_HAS_ACTIVE_GATEWAY', ...problem })
  async delete(@TenantScope() scope: Scope, @Param('profileId') profileId: string): Promise<void> {
    await this.profiles.delete(scope, profileId);
  }
}
