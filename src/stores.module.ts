import { Global, Module } from '@nestjs/common';
import { CommandsStore } from './commands/commands.store.js';
import { MigrationsStore } from './gateway-migrations/migrations.store.js';
import { GatewaysStore } from './gateways/gateways.store.js';
import { ProfilesStore } from './profiles/profiles.store.js';
import { TenantsStore } from './tenants/tenants.store.js';
import { ValidationsStore } from './validations/validations.store.js';

/**
 * The stores (`*.store.ts`, one per part of the domain, each the only owner of its tables' SQL),
 * available everywhere: a part that needs another's rows asks that part's store, even when its
 * module sits below it (profiles show whether a gateway is active or a migration running). Stores
 * depend on the database only, so sharing them adds no cycle between the feature modules.
 */
@Global()
@Module({
  providers: [CommandsStore, GatewaysStore, ProfilesStore, MigrationsStore, TenantsStore, ValidationsStore],
  exports: [CommandsStore, GatewaysStore, ProfilesStore, MigrationsStore, TenantsStore, ValidationsStore],
})
export class StoresModule {}
