import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { paginate, type Page, type PageRequest } from '../platform/pagination/cursor.js';
import { isUuid } from '../platform/database/uuid.js';
import { prepared, type Statements } from '../platform/database/sql.js';
import { tenantOwnerLookup } from '../platform/graphql/tenant-scope.decorator.js';
import { ApiClientEntity } from './api-client.entity.js';
import { TenantEntity } from './tenant.entity.js';

/** What a request's tenant scope needs of the tenant it names. */
export type ScopedTenant = Pick<TenantEntity, 'id' | 'kind' | 'parentId' | 'status' | 'features'>;

/** Statements on tenants and api_clients written as SQL (single-row reads and writes go through TypeORM's entities in the services). */
export const STATEMENTS = {
  /** The token endpoint: a live client by its client id, with its tenant's status. */
  apiClientForToken: `SELECT c.id, c.tenant_id AS "tenantId", c.roles, c.secret_hash AS "secretHash", t.status
       FROM api_clients c JOIN tenants t ON t.id = c.tenant_id WHERE c.client_id = $1 AND c.revoked_at IS NULL`,
  /** A tenant and, for a partner, its clients. */
  reachableTenantIds: `SELECT id FROM tenants WHERE id = $1 OR parent_id = $1`,
  /** Which of the given tenants owns the API client (GraphQL scopes follow an object to its tenant). */
  tenantOfApiClient: `SELECT tenant_id FROM api_clients WHERE id = $1 AND tenant_id = ANY($2::uuid[])`,
  /** Every management request reads the tenant it names: a named prepared statement (planned once per connection). */
  tenantForScope: prepared('tenant-for-scope', `SELECT id, kind, parent_id, status, features FROM tenants WHERE id = $1`),
  /** Every management request re-reads its API client and the client's tenant (revocation and suspension apply at once). */
  apiClientPrincipal: prepared(
    'api-client-principal',
    `SELECT c.id, c.tenant_id, c.roles, t.status FROM api_clients c JOIN tenants t ON t.id = c.tenant_id
       WHERE c.id = $1 AND c.revoked_at IS NULL`,
  ),
} satisfies Statements;

/** The tenants part's tables: tenants and api_clients. */
@Injectable()
export class TenantsStore {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Tenants by id, in one query. */
  async getMany(ids: readonly string[]): Promise<Map<string, TenantEntity>> {
    const wanted = ids.filter(isUuid);
    if (!wanted.length) return new Map();
    const rows = await this.dataSource.manager.find(TenantEntity, { where: { id: In(wanted) } });
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** The clients of many partner tenants, newest first, in one query. */
  async clientsOf(parentIds: readonly string[]): Promise<Map<string, TenantEntity[]>> {
    const byParent = new Map<string, TenantEntity[]>(parentIds.map((id) => [id, []]));
    const wanted = parentIds.filter(isUuid);
    if (!wanted.length) return byParent;
    const rows = await this.dataSource.manager.find(TenantEntity, {
      where: { parentId: In(wanted) },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
    for (const row of rows) if (row.parentId) byParent.get(row.parentId)?.push(row);
    return byParent;
  }

  /** The one of `tenantIds` that owns API client `id`, or null. */
  async tenantOfApiClient(id: string, tenantIds: readonly string[]): Promise<string | null> {
    const rows: { tenant_id: string }[] = await this.dataSource.query(STATEMENTS.tenantOfApiClient, [id, tenantIds]);
    return rows[0]?.tenant_id ?? null;
  }

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

  /** The caller's tenant and, for a partner, its clients: a page, newest first. */
  listVisible(tenantId: string, page: PageRequest): Promise<Page<TenantEntity>> {
    const query = this.dataSource.manager
      .createQueryBuilder(TenantEntity, 'tenant')
      .where('(tenant.id = :tenantId OR tenant.parent_id = :tenantId)', { tenantId });
    return paginate(query, page, { alias: 'tenant', column: 'created_at', property: 'createdAt' });
  }

  async reachableTenantIds(tenantId: string): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(STATEMENTS.reachableTenantIds, [tenantId]);
    return rows.map((row) => row.id);
  }

  /** A tenant's live API clients: a page, newest first. */
  listApiClients(tenantId: string, page: PageRequest): Promise<Page<ApiClientEntity>> {
    const query = this.dataSource.manager
      .createQueryBuilder(ApiClientEntity, 'client')
      .where('client.tenant_id = :tenantId AND client.revoked_at IS NULL', { tenantId });
    return paginate(query, page, { alias: 'client', column: 'created_at', property: 'createdAt' });
  }

  async apiClientForToken(
    clientId: string,
  ): Promise<(Pick<ApiClientEntity, 'id' | 'tenantId' | 'roles' | 'secretHash'> & { status: TenantEntity['status'] }) | null> {
    const [row] = await this.dataSource.query(STATEMENTS.apiClientForToken, [clientId]);
    return row ?? null;
  }

  apiClientPrincipal(apiClientId: string): Promise<{ id: string; tenant_id: string; roles: string[]; status: string }[]> {
    return this.dataSource.query(STATEMENTS.apiClientPrincipal, [apiClientId]);
  }
}

export const API_CLIENT_OWNER = tenantOwnerLookup(TenantsStore, (store, id, tenants) => store.tenantOfApiClient(id, tenants));
