import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AppConfig, TenantQuotas as QuotaValues } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { TenantQuotasStore, type QuotaOverrides } from './tenant-quotas.store.js';
import { TenantErrors } from './tenants.errors.js';
import type { DomainError } from '../platform/errors/domain-error.js';
import { gatewayQuotaExceeded } from '../platform/database/postgres-errors.js';

export type QuotaName = keyof QuotaValues;
export const QUOTA_NAMES: readonly QuotaName[] = ['profiles', 'gateways', 'apiClients', 'webhooks'];

/**
 * Per-tenant quotas: the tenant's own value where its partner set one, else the configured
 * default. A create claims its quota inside its own transaction with the tenant's row locked, so
 * parallel creates of one tenant are counted one after another and never overshoot.
 */
@Injectable()
export class TenantQuotas {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TenantQuotasStore) private readonly store: TenantQuotasStore,
  ) {}

  effective(overrides: QuotaOverrides): QuotaValues {
    return Object.fromEntries(QUOTA_NAMES.map((name) => [name, overrides[name] ?? this.config.quotas[name]])) as unknown as QuotaValues;
  }

  /**
   * 409 QUOTA_EXCEEDED (naming the quota) unless the tenant holds fewer than its quota of `name`;
   * `countHeld` counts what it holds now, asked of the counted domain's store (which owns the table),
   * after the tenant's row is locked.
   */
  async claim(manager: EntityManager, tenantId: string, name: QuotaName, countHeld: () => Promise<number>): Promise<void> {
    const quota = this.effective(await this.store.lock(manager, tenantId))[name];
    const held = await countHeld();
    if (held >= quota) throw TenantErrors.quotaExceeded(name, quota);
  }

  /**
   * The tenant of a registration, with its gateways quota armed for a check at the registration's
   * commit (migration 1796190140000) instead of `claim`: the tenant's row lock made one tenant's
   * registrations run one after another; now they overlap and only their commits take turns on the
   * tenant's count. A commit past the quota fails: `refusalOf` turns that into QUOTA_EXCEEDED.
   */
  forRegistration(manager: EntityManager, tenantId: string) {
    return this.store.registrationTenant(manager, tenantId, this.config.quotas.gateways);
  }

  /** QUOTA_EXCEEDED for a commit the gateways quota check refused; null for any other error. */
  static refusalOf(error: unknown): DomainError | null {
    const quota = gatewayQuotaExceeded(error);
    return quota === null ? null : TenantErrors.quotaExceeded('gateways', quota);
  }

  /** The tenant's API clients now, for `claim` (the tenants domain owns api_clients). */
  countApiClients(manager: EntityManager, tenantId: string): Promise<number> {
    return this.store.countApiClients(manager, tenantId);
  }

  /** Each quota of the tenant with what it holds now. */
  async report(manager: EntityManager, tenantId: string): Promise<Record<QuotaName, { used: number; limit: number }>> {
    const quotas = this.effective(await this.store.overrides(manager, tenantId));
    const usage = await this.store.usage(manager, tenantId);
    return Object.fromEntries(QUOTA_NAMES.map((name) => [name, { used: usage[name], limit: quotas[name] }])) as Record<
      QuotaName,
      { used: number; limit: number }
    >;
  }

  async set(manager: EntityManager, tenantId: string, changes: QuotaOverrides): Promise<void> {
    const current = await this.store.lock(manager, tenantId);
    await this.store.set(manager, tenantId, { ...current, ...changes });
  }
}
