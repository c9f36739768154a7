import { Inject, Module, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { BulkCommandsService } from './commands/bulk/bulk-commands.service.js';
import { BulkCommandView, CommandView } from './commands/command.view.js';
import { BULK_COMMAND_OWNER, COMMAND_OWNER } from './commands/commands.store.js';
import { CommandsQueryService } from './commands/issuing/commands-query.service.js';
import { MigrationWorkflow } from './gateway-migrations/migration-workflow.service.js';
import { MigrationView } from './gateway-migrations/migration.view.js';
import { MIGRATION_OWNER } from './gateway-migrations/migrations.store.js';
import { GatewayView } from './gateways/gateway.view.js';
import { GATEWAY_OWNER } from './gateways/gateways.store.js';
import { GatewaysQueryService } from './gateways/gateways-query.service.js';
import { CurrentUser } from './platform/auth/auth.decorators.js';
import type { UserPrincipal } from './platform/auth/principal.js';
import { TENANT_ACCESS, type TenantAccess, type TenantScope } from './platform/auth/tenant-scope.js';
import { isUuid } from './platform/database/uuid.js';
import { NodeInterface } from './platform/graphql/node.interface.js';
import type { TenantOwnerLookup } from './platform/graphql/tenant-scope.decorator.js';
import { ProfileView } from './profiles/profile.view.js';
import { PROFILE_OWNER } from './profiles/profiles.store.js';
import { ProfilesService } from './profiles/profiles.service.js';
import { TenantView } from './tenants/tenant.view.js';
import { TenantsService } from './tenants/tenants.service.js';
import { ValidationView } from './validations/validation.view.js';
import { VALIDATION_OWNER } from './validations/validations.store.js';
import { ValidationsService } from './validations/validations.service.js';

type Get = <T>(type: Type<T>) => T;

/** Every type that implements Node: how to find which reachable tenant owns an id, and how to read it there. */
const NODE_TYPES: { owner: TenantOwnerLookup; read: (get: Get, scope: TenantScope, id: string) => Promise<NodeInterface> }[] = [
  {
    owner: PROFILE_OWNER,
    read: async (get, scope, id) => {
      const { profile, link } = await get(ProfilesService).get(scope, id);
      return ProfileView.of(profile, link);
    },
  },
  {
    owner: GATEWAY_OWNER,
    read: async (get, scope, id) => {
      const record = await get(GatewaysQueryService).get(scope, id);
      return GatewayView.of(record.gateway, record.live);
    },
  },
  {
    owner: COMMAND_OWNER,
    read: async (get, scope, id) => {
      const { command, history } = await get(CommandsQueryService).getWithHistory(scope, id);
      return CommandView.of(command, history);
    },
  },
  {
    owner: BULK_COMMAND_OWNER,
    read: async (get, scope, id) => {
      const record = await get(BulkCommandsService).get(scope, id);
      return BulkCommandView.of(record.bulk, record.counts);
    },
  },
  { owner: MIGRATION_OWNER, read: async (get, scope, id) => MigrationView.of(await get(MigrationWorkflow).find(scope, id)) },
  { owner: VALIDATION_OWNER, read: async (get, scope, id) => ValidationView.of(await get(ValidationsService).find(scope, id)) },
];

/**
 * `node(id)`: any object by its id alone, in any tenant the caller may reach; null for an id it
 * may not see or that does not exist (Relay's convention). Ids are plain uuids, so the type is
 * found by asking each type's store whether a reachable tenant owns the id: one indexed statement
 * per type, sent together. A client that knows the type asks `gateway(id)`, … and saves them.
 */
@Resolver(() => NodeInterface)
export class NodeResolver {
  constructor(
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
    @Inject(TENANT_ACCESS) private readonly tenancy: TenantAccess,
  ) {}

  @Query(() => NodeInterface, { nullable: true, description: 'Any object by its id, in any tenant you may reach (null if none)' })
  async node(@CurrentUser() user: UserPrincipal, @Args('id', { type: () => ID }) id: string): Promise<NodeInterface | null> {
    if (!isUuid(id)) return null;
    const get: Get = (type) => this.moduleRef.get(type, { strict: false });
    const tenants = await this.tenancy.reachableTenantIds(user);
    if (tenants.includes(id)) return TenantView.of(await get(TenantsService).get(await this.tenancy.scope(user, id)));
    const owners = await Promise.all(NODE_TYPES.map(({ owner }) => owner.tenantOf(get(owner.store), id, tenants)));
    const index = owners.findIndex((tenantId) => tenantId !== null);
    if (index < 0) return null;
    return NODE_TYPES[index]!.read(get, await this.tenancy.scope(user, owners[index]!), id);
  }
}

@Module({ providers: [NodeResolver] })
export class NodeModule {}
