import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { prepared, type Statements } from '../platform/database/sql.js';
import type { TenantEntity } from './tenant.entity.js';

/** What a request's tenant scope needs of the tenant it names. */
export type ScopedTenant = Pick<TenantEntity, 'id' | 'kind' | 'parentId' | 'status' | 'features'>;

/** The statements of the management requests' hot path on tenants and api_clients (the rest are still in the services). */
export const STATEMENTS = {
  /** Every management request reads the tenant it names: a named prepared statement (planned once per connection). */
  tenantForScope: prepared('tenant-for-scope', `SELECT id, kind, parent_id, status, features FROM tenants WHERE id = $1`),
  /** Every management request re-reads its API client and the client's tenant (revocation and suspension apply at once). */
  apiClientPrincipal: prepared(
    'api-client-principal',
    `SELECT c.id, c.tenant_id, c.roles, t.status FROM api_clients c JOIN tenants t ON t.id = c.tenant_id
       WHERE c.id = $1 AND c.revoked_at IS NULL`,
  ),
} satisfies Statements;

@Injectable()
export class TenantsStore {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async tenantForScope(tenantId: string): Promise<ScopedTenant | null> {
    const [row]: {
      id: string;
      kind: ScopedTenant['kind'];
      parent_id: string | null;
      status: ScopedTenant['status'];
      features: ScopedTenant['features'];
    }[] = await this.dataSource.query(STATEMENTS.tenantForScope, [tenantId]);
    return row ? { id: row.id, kind: row.kind, parentId: row.parent_id, status: row.status, features: row.features } : null;
  }

  apiClientPrincipal(apiClientId: string): Promise<{ id: string; tenant_id: string; roles: string[]; status: string }[]> {
    return this.dataSource.query(STATEMENTS.apiClientPrincipal, [apiClientId]);
  }
}
