import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { CurrentUser, Roles } from '../platform/auth/auth.decorators.js';
import type { UserPrincipal } from '../platform/auth/principal.js';
import { TENANT_ACCESS, type TenantAccess } from '../platform/auth/tenant-scope.js';
import { TenantEventStream } from '../platform/events/tenant-event-stream.js';
import { EventTopic, payloadWithDates } from '../platform/events/topics.js';
import { Connection, toConnection } from '../platform/pagination/page.dto.js';
import { StrictValidation } from '../platform/validation/validation.js';
import { ListMigrationsArgs, RollbackMigrationDto, StartMigrationDto } from './dto/migration.dto.js';
import { MigrationWorkflow } from './migration-workflow.service.js';
import { MigrationUpdateView, MigrationView } from './migration.view.js';
import { MigrationsQueryService } from './migrations-query.service.js';

const MigrationConnection = Connection(MigrationView, 'Migration');

@StrictValidation()
@Resolver(() => MigrationView)
export class MigrationsResolver {
  constructor(
    @Inject(MigrationWorkflow) private readonly workflow: MigrationWorkflow,
    @Inject(MigrationsQueryService) private readonly queries: MigrationsQueryService,
    @Inject(TENANT_ACCESS) private readonly tenancy: TenantAccess,
    @Inject(TenantEventStream) private readonly events: TenantEventStream,
  ) {}

  @Query(() => MigrationConnection, { description: 'Migrations, newest first' })
  async migrations(@CurrentUser() user: UserPrincipal, @Args() args: ListMigrationsArgs) {
    const scope = await this.tenancy.scope(user, args.tenantId ?? user.tenantId);
    return toConnection(
      await this.queries.list(scope, args.profileId, { limit: args.first, cursor: args.after }),
      (m) => MigrationView.of(m),
      args.after,
    );
  }

  @Query(() => MigrationView)
  async migration(
    @CurrentUser() user: UserPrincipal,
    @Args('migrationId', { type: () => ID }) migrationId: string,
    @Args('tenantId', { type: () => ID, nullable: true }) tenantId?: string,
  ): Promise<MigrationView> {
    return MigrationView.of(await this.workflow.find(await this.tenancy.scope(user, tenantId ?? user.tenantId), migrationId));
  }

  @Roles('admin', 'operator')
  @Mutation(() => MigrationView, {
    description: "Migrate a profile's gateway to the other type (admin, operator); the token is in this answer only",
  })
  async startMigration(
    @CurrentUser() user: UserPrincipal,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('input') input: StartMigrationDto,
  ): Promise<MigrationView> {
    const { migration, minted } = await this.workflow.start(
      await this.tenancy.scope(user, tenantId),
      input.profileId,
      input.targetGatewayType,
      input.deadlineSeconds,
    );
    return MigrationView.of(migration, { plaintext: minted.plaintext, expiresAt: minted.token.expiresAt });
  }

  @Roles('admin', 'operator')
  @Mutation(() => MigrationView, { description: 'Roll back a completed or failed migration (admin, operator)' })
  async rollbackMigration(
    @CurrentUser() user: UserPrincipal,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('migrationId', { type: () => ID }) migrationId: string,
    @Args('input', { nullable: true }) input?: RollbackMigrationDto,
  ): Promise<MigrationView> {
    const { migration, minted } = await this.workflow.rollback(
      await this.tenancy.scope(user, tenantId),
      migrationId,
      input?.deadlineSeconds,
    );
    return MigrationView.of(migration, { plaintext: minted.plaintext, expiresAt: minted.token.expiresAt });
  }

  @Subscription(() => MigrationUpdateView, {
    description: 'A migration changed (your tenants, or the one given)',
    resolve: payloadWithDates('updatedAt'),
  })
  async migrationUpdated(@CurrentUser() user: UserPrincipal, @Args('tenantId', { type: () => ID, nullable: true }) tenantId?: string) {
    return this.events.open(user, EventTopic.MigrationUpdated, tenantId);
  }
}
