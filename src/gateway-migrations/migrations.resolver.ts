import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { CurrentUser, Roles } from '../platform/auth/auth.decorators.js';
import type { UserPrincipal } from '../platform/auth/principal.js';
import type { TenantScope } from '../platform/auth/tenant-scope.js';
import { GqlTenantScope } from '../platform/graphql/tenant-scope.decorator.js';
import { PROFILE_OWNER } from '../profiles/profiles.store.js';
import { TenantEventStream } from '../platform/events/tenant-event-stream.js';
import { EventTopic, payloadWithDates } from '../platform/events/topics.js';
import { Connection, toConnection } from '../platform/pagination/page.dto.js';
import { StrictValidation } from '../platform/validation/validation.js';
import { ListMigrationsArgs, RollbackMigrationInput, StartMigrationDto } from './dto/migration.dto.js';
import { RollbackMigrationPayload, StartMigrationPayload } from './migration-payloads.view.js';
import { MIGRATION_OWNER } from './migrations.store.js';
import { MigrationWorkflow } from './migration-workflow.service.js';
import { MigrationUpdateView, MigrationView } from './migration.view.js';
import { MigrationsQueryService } from './migrations-query.service.js';

const MigrationConnection = Connection(MigrationView, 'Migration');

const followProfile = (arg: string) => ({ follow: { arg, owner: PROFILE_OWNER } });

@StrictValidation()
@Resolver(() => MigrationView)
export class MigrationsResolver {
  constructor(
    @Inject(MigrationWorkflow) private readonly workflow: MigrationWorkflow,
    @Inject(MigrationsQueryService) private readonly queries: MigrationsQueryService,
    @Inject(TenantEventStream) private readonly events: TenantEventStream,
  ) {}

  @Query(() => MigrationConnection, { description: 'Migrations, newest first (of one profile when given)' })
  async migrations(@GqlTenantScope(followProfile('profileId')) scope: TenantScope, @Args() args: ListMigrationsArgs) {
    return toConnection(
      await this.queries.list(scope, args.profileId, { limit: args.first, cursor: args.after }),
      (m) => MigrationView.of(m),
      args.after,
    );
  }

  @Query(() => MigrationView, { description: 'A migration, in any tenant you may reach' })
  async migration(
    @GqlTenantScope({ follow: { arg: 'id', owner: MIGRATION_OWNER } }) scope: TenantScope,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<MigrationView> {
    return MigrationView.of(await this.workflow.find(scope, id));
  }

  @Roles('admin', 'operator')
  @Mutation(() => StartMigrationPayload, {
    description: "Migrate a profile's gateway to the other type (admin, operator); the token is in this answer only",
  })
  async startMigration(
    @GqlTenantScope(followProfile('input.profileId')) scope: TenantScope,
    @Args('input') input: StartMigrationDto,
  ): Promise<StartMigrationPayload> {
    const { migration, minted } = await this.workflow.start(scope, input.profileId, input.targetGatewayType, input.deadlineSeconds);
    return { migration: MigrationView.of(migration, { plaintext: minted.plaintext, expiresAt: minted.token.expiresAt }) };
  }

  @Roles('admin', 'operator')
  @Mutation(() => RollbackMigrationPayload, { description: 'Roll back a completed or failed migration (admin, operator)' })
  async rollbackMigration(
    @GqlTenantScope({ follow: { arg: 'input.id', owner: MIGRATION_OWNER } }) scope: TenantScope,
    @Args('input') input: RollbackMigrationInput,
  ): Promise<RollbackMigrationPayload> {
    const { migration, minted } = await this.workflow.rollback(scope, input.id, input.deadlineSeconds);
    return { migration: MigrationView.of(migration, { plaintext: minted.plaintext, expiresAt: minted.token.expiresAt }) };
  }

  @Subscription(() => MigrationUpdateView, {
    description: 'A migration changed (your tenants, or the one given)',
    resolve: payloadWithDates('updatedAt'),
  })
  async migrationUpdated(@CurrentUser() user: UserPrincipal, @Args('tenantId', { type: () => ID, nullable: true }) tenantId?: string) {
    return this.events.open(user, EventTopic.MigrationUpdated, tenantId);
  }
}
