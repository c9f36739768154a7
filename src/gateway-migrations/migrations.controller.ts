import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Created } from '../platform/http/created.js';
import { Roles, TenantScope } from '../platform/auth/auth.decorators.js';
import type { TenantScope as Scope } from '../platform/auth/tenant-scope.js';
import { ManagementApi, problem } from '../platform/http/management-api.decorator.js';
import { mapPage } from '../platform/pagination/cursor.js';
import { RestPage } from '../platform/pagination/page.dto.js';
import { ListMigrationsQueryDto, RollbackMigrationDto, StartMigrationDto } from './dto/migration.dto.js';
import { MigrationWorkflow } from './migration-workflow.service.js';
import { MigrationView } from './migration.view.js';
import { MigrationsQueryService } from './migrations-query.service.js';

class MigrationPage extends RestPage(MigrationView, 'MigrationPage') {}

@ApiTags('migrations')
@ManagementApi()
@Controller('api/v1/tenants/:tenantId/migrations')
export class MigrationsController {
  constructor(
    @Inject(MigrationWorkflow) private readonly workflow: MigrationWorkflow,
    @Inject(MigrationsQueryService) private readonly queries: MigrationsQueryService,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('admin', 'operator')
  @ApiOperation({
    summary: 'Start a migration',
    description: "Migrate a profile's gateway to the other type (admin, operator); the target's activation token is in this answer only",
  })
  @Created(MigrationView, '/api/v1/tenants/{tenantId}/migrations/{id}')
  @ApiConflictResponse({ description: 'MIGRATION_IN_PROGRESS or NO_GATEWAY_TO_MIGRATE', ...problem })
  async start(@TenantScope() scope: Scope, @Body() body: StartMigrationDto): Promise<MigrationView> {
    const { migration, minted } = await this.workflow.start(scope, body.profileId, body.targetGatewayType, body.deadlineSeconds);
    return MigrationView.of(migration, { plaintext: minted.plaintext, expiresAt: minted.token.expiresAt });
  }

  @Get()
  @ApiOperation({ summary: 'List migrations', description: 'Migrations, newest first; filter by profile' })
  @ApiOkResponse({ type: MigrationPage })
  async list(@TenantScope() scope: Scope, @Query() query: ListMigrationsQueryDto): Promise<MigrationPage> {
    const { profileId, ...page } = query;
    return mapPage(await this.queries.list(scope, profileId, page), (migration) => MigrationView.of(migration));
  }

  @Get(':migrationId')
  @ApiParam({ name: 'migrationId', format: 'uuid' })
  @ApiOperation({ summary: 'Get a migration', description: 'One migration with each step’s time and outcome' })
  @ApiOkResponse({ type: MigrationView })
  async get(@TenantScope() scope: Scope, @Param('migrationId') migrationId: string): Promise<MigrationView> {
    return MigrationView.of(await this.workflow.find(scope, migrationId));
  }

  @Post(':migrationId/rollback')
  @HttpCode(201)
  @Roles('admin', 'operator')
  @ApiParam({ name: 'migrationId', format: 'uuid' })
  @ApiOperation({
    summary: 'Roll back a migration',
    description: 'Roll back a completed or failed migration (admin, operator): a new migration the other way, with its token',
  })
  @Created(MigrationView, '/api/v1/tenants/{tenantId}/migrations/{id}')
  @ApiConflictResponse({ description: 'MIGRATION_IN_PROGRESS or MIGRATION_ALREADY_ROLLED_BACK', ...problem })
  async rollback(
    @TenantScope() scope: Scope,
    @Param('migrationId') migrationId: string,
    @Body() body: RollbackMigrationDto,
  ): Promise<MigrationView> {
    const { migration, minted } = await this.workflow.rollback(scope, migrationId, body.deadlineSeconds);
    return MigrationView.of(migration, { plaintext: minted.plaintext, expiresAt: minted.token.expiresAt });
  }
}
