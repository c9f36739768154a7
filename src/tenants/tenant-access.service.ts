import { Inject, Injectable } from '@nestjs/common';
import { actorOf, type UserPrincipal } from '../platform/auth/principal.js';
import type { TenantAccess, TenantScope } from '../platform/auth/tenant-scope.js';
import { isUuid } from '../platform/database/uuid.js';
import { AccessCache } from './access-cache.js';
import type { TenantEntity } from './tenant.entity.js';
import { TenantErrors } from './tenants.errors.js';
import { TenantsStore } from './tenants.store.js';

/**
 * The tenancy rules: a principal acts on its own tenant and, if that is a partner, on the
 * partner's clients. Any other id answers 404, exactly like one that does not exist.
 */
@Injectable()
export class TenantAccessService implements TenantAccess {
  constructor(
    @Inject(TenantsStore) private readonly store: TenantsStore,
    @Inject(AccessCache) private readonly cache: AccessCache,
  ) {}

  async scope(principal: UserPrincipal, tenantId: string): Promise<TenantScope> {
    // Every management request needs it: one named prepared statement, and its row kept for ACCESS_CACHE_MS (access-cache.ts).
    const tenant = isUuid(tenantId) ? await this.cache.get(`tenant:${tenantId}`, () => this.store.tenantForScope(tenantId)) : null;
    if (!tenant || !this.canReach(principal, tenant)) throw TenantErrors.notFound();
    // The principal's own tenant being active was checked when its token was verified.
    return {
      tenantId: tenant.id,
      tenantKind: tenant.kind,
      features: tenant.features,
      suspended: tenant.status !== 'ACTIVE',
      principal,
      actor: actorOf(principal),
    };
  }

  async reachableTenantIds(principal: UserPrincipal): Promise<string[]> {
    return this.store.reachableTenantIds(principal.tenantId);
  }

  canReach(principal: UserPrincipal, tenant: Pick<TenantEntity, 'id' | 'parentId'>): boolean {
    return tenant.id === principal.tenantId || tenant.parentId === principal.tenantId;
  }
}
