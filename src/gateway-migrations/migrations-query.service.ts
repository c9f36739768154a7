import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '../platform/auth/tenant-scope.js';
import type { Page, PageRequest } from '../platform/pagination/cursor.js';
import type { GatewayMigrationEntity } from './gateway-migration.entity.js';
import { MigrationsStore } from './migrations.store.js';

@Injectable()
export class MigrationsQueryService {
  constructor(@Inject(MigrationsStore) private readonly store: MigrationsStore) {}

  /** The migrations of many profiles of one tenant, newest first (a GraphQL relation), in one query. */
  ofProfiles(tenantId: string, profileIds: readonly string[]): Promise<Map<string, GatewayMigrationEntity[]>> {
    return this.store.ofProfiles(tenantId, profileIds);
  }

  /** Migrations of one tenant by id, in one query. */
  getMany(tenantId: string, ids: readonly string[]): Promise<Map<string, GatewayMigrationEntity>> {
    return this.store.getMany(tenantId, ids);
  }

  list(scope: TenantScope, profileId: string | undefined, page: PageRequest): Promise<Page<GatewayMigrationEntity>> {
    return this.store.list(scope.tenantId, profileId, page);
  }
}
