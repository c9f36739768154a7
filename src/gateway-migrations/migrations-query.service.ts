import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TenantScope } from '../platform/auth/tenant-scope.js';
import { isUuid } from '../platform/database/uuid.js';
import { paginate, type Page, type PageRequest } from '../platform/pagination/cursor.js';
import { GatewayMigrationEntity } from './gateway-migration.entity.js';
import { MigrationsStore } from './migrations.store.js';

@Injectable()
export class MigrationsQueryService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(MigrationsStore) private readonly store: MigrationsStore,
  ) {}

  /** The migrations of many profiles of one tenant, newest first (a GraphQL relation), in one query. */
  ofProfiles(tenantId: string, profileIds: readonly string[]): Promise<Map<string, GatewayMigrationEntity[]>> {
    return this.store.ofProfiles(tenantId, profileIds);
  }

  /** Migrations of one tenant by id, in one query. */
  getMany(tenantId: string, ids: readonly string[]): Promise<Map<string, GatewayMigrationEntity>> {
    return this.store.getMany(tenantId, ids);
  }

  async list(scope: TenantScope, profileId: string | undefined, page: PageRequest): Promise<Page<GatewayMigrationEntity>> {
    const query = this.dataSource.manager
      .createQueryBuilder(GatewayMigrationEntity, 'm')
      .where('m.tenant_id = :tenantId', { tenantId: scope.tenantId });
    if (profileId) {
      if (!isUuid(profileId)) return { items: [], nextCursor: null };
      query.andWhere('m.profile_id = :profileId', { profileId });
    }
    return paginate(query, page, { alias: 'm', column: 'created_at', property: 'createdAt' });
  }
}
