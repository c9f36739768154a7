import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TenantScope } from '../platform/auth/tenant-scope.js';
import { isUuid } from '../platform/database/uuid.js';
import { paginate, type Page, type PageRequest } from '../platform/pagination/cursor.js';
import { GatewayMigrationEntity } from './gateway-migration.entity.js';

@Injectable()
export class MigrationsQueryService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

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
