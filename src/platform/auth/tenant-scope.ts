import type { Actor, UserPrincipal } from './principal.js';

export interface TenantFeatures {
  gatewayClustering: boolean;
}

/**
 * The tenant a request acts on, after the tenancy rules allowed it: the caller's own tenant, or a
 * client of the caller's partner. Services take the tenant id from here, never from input.
 */
export interface TenantScope {
  tenantId: string;
  tenantKind: 'PARTNER' | 'CLIENT';
  features: TenantFeatures;
  /** Its partner may still act on a suspended client (to resume it), but some actions refuse. */
  suspended: boolean;
  principal: UserPrincipal;
  actor: Actor;
}

/** Resolves and checks a tenant for a principal; provided by the tenants module. */
export interface TenantAccess {
  /** 404 for a tenant the principal may not see, 403 TENANT_SUSPENDED where suspended. */
  scope(principal: UserPrincipal, tenantId: string): Promise<TenantScope>;
  /** Every tenant the principal may act on: its own and, for a partner, its clients. */
  reachableTenantIds(principal: UserPrincipal): Promise<string[]>;
}

export const TENANT_ACCESS = Symbol('TENANT_ACCESS');
