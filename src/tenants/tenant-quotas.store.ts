import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { prepared, type Statements } from '../platform/database/sql.js';

/** The statements of per-tenant quotas: the tenant's overrides (tenants.quotas) and what it holds. */
export const STATEMENTS = {
  lockTenantQuotas: `SELECT quotas FROM tenants WHERE id = $1 FOR UPDATE`,
  tenantQuotas: `SELECT quotas FROM tenants WHERE id = $1`,
  setTenantQuotas: `UPDATE tenants SET quotas = $2::jsonb WHERE id = $1`,
  /**
   * The tenant a registration needs, and the gateways quota armed for this transaction: the
   * deferred trigger of migration 1796190140000 checks it at commit (the tenant's override, else
   * the configured default $2).
   */
  registrationTenant: prepared(
    'registration-tenant',
    `SELECT status, features, set_config('gcp.gateway_quota', coalesce(quotas->>'gateways', $2::text), true) AS gateway_quota
     FROM tenants WHERE id = $1`,
  ),
  countApiClients: `SELECT count(*)::int AS count FROM api_clients WHERE tenant_id = $1 AND revoked_at IS NULL`,
  /**
   * The tenant's usage in one statement. It counts other domains' tables on purpose (allow-listed in
   * sql-table-ownership.spec.ts): the tenants domain cannot ask those domains' services, which depend on it for quotas.
   */
  usage: `SELECT
       (SELECT count(*)::int FROM management_profiles WHERE tenant_id = $1 AND deleted_at IS NULL) AS profiles,
       (SELECT count(*)::int FROM gateways WHERE tenant_id = $1 AND status <> 'DEREGISTERED') AS gateways,
       (SELECT count(*)::int FROM api_clients WHERE tenant_id = $1 AND revoked_at IS NULL) AS "apiClients",
       (SELECT count(*)::int FROM webhook_endpoints WHERE tenant_id = $1 AND deleted_at IS NULL) AS webhooks`,
} satisfies Statements;

export type QuotaOverrides = Partial<Record<'profiles' | 'gateways' | 'apiClients' | 'webhooks', number>>;

@Injectable()
export class TenantQuotasStore {
  /** The tenant's overrides, its row locked until the transaction ends: creates that count against a quota queue here. */
  async lock(manager: EntityManager, tenantId: string): Promise<QuotaOverrides> {
    const [row] = await manager.query(STATEMENTS.lockTenantQuotas, [tenantId]);
    return ((row as { quotas?: QuotaOverrides } | undefined)?.quotas ?? {}) as QuotaOverrides;
  }

  async overrides(manager: EntityManager, tenantId: string): Promise<QuotaOverrides> {
    const [row] = await manager.query(STATEMENTS.tenantQuotas, [tenantId]);
    return ((row as { quotas?: QuotaOverrides } | undefined)?.quotas ?? {}) as QuotaOverrides;
  }

  async set(manager: EntityManager, tenantId: string, quotas: QuotaOverrides): Promise<void> {
    await manager.query(STATEMENTS.setTenantQuotas, [tenantId, JSON.stringify(quotas)]);
  }

  /** The tenant's status and features, with its gateways quota armed for a check at commit (see `registrationTenant`). */
  async registrationTenant(
    manager: EntityManager,
    tenantId: string,
    defaultGatewayQuota: number,
  ): Promise<{ status: string; features: { gatewayClustering?: boolean }; gatewayQuota: number } | null> {
    const [row] = (await manager.query(STATEMENTS.registrationTenant, [tenantId, String(defaultGatewayQuota)])) as {
      status: string;
      features: { gatewayClustering?: boolean } | null;
      gateway_quota: string;
    }[];
    return row ? { status: row.status, features: row.features ?? {}, gatewayQuota: Number(row.gateway_quota) } : null;
  }

  /** The tenant's API clients now (the tenants domain's own count; the others count in their own stores). */
  async countApiClients(manager: EntityManager, tenantId: string): Promise<number> {
    const [row] = await manager.query(STATEMENTS.countApiClients, [tenantId]);
    return (row as { count: number }).count;
  }

  async usage(manager: EntityManager, tenantId: string): Promise<Record<'profiles' | 'gateways' | 'apiClients' | 'webhooks', number>> {
    const [row] = await manager.query(STATEMENTS.usage, [tenantId]);
    return row as Record<'profiles' | 'gateways' | 'apiClients' | 'webhooks', number>;
  }
}
