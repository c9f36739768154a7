import { QUOTA_NAMES, TenantQuotas, type QuotaName } from './tenant-quotas.js';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ChangeRecorder } from '../platform/audit/change-recorder.js';
import { invalidRequest } from '../platform/errors/domain-error.js';
import { actorOf, type UserPrincipal } from '../platform/auth/principal.js';
import type { TenantScope } from '../platform/auth/tenant-scope.js';
import type { Page, PageRequest } from '../platform/pagination/cursor.js';
import type { CreateTenantDto, UpdateTenantDto } from './dto/tenant.dto.js';
import { AccessCache } from './access-cache.js';
import { TenantEntity } from './tenant.entity.js';
import { TenantSuspensions } from './tenant-suspensions.js';
import { TenantErrors } from './tenants.errors.js';
import { TenantsStore } from './tenants.store.js';

const auditShape = (tenant: TenantEntity) => ({
  name: tenant.name,
  kind: tenant.kind,
  parentId: tenant.parentId,
  status: tenant.status,
  features: tenant.features,
  auditRetentionDays: tenant.auditRetentionDays,
  quotas: tenant.quotas,
});

/** Tenants: a partner and its clients, their status and feature flags. */
@Injectable()
export class TenantsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
    @Inject(TenantSuspensions) private readonly suspensions: TenantSuspensions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TenantQuotas) private readonly quotas: TenantQuotas,
    @Inject(TenantsStore) private readonly store: TenantsStore,
    @Inject(AccessCache) private readonly access: AccessCache,
  ) {}

  /** The caller's tenant and, for a partner, its clients. */
  async listVisible(principal: UserPrincipal, page: PageRequest): Promise<Page<TenantEntity>> {
    return this.store.listVisible(principal.tenantId, page);
  }

  /** Tenants by id, in one query (GraphQL relation fields batch through this). */
  getMany(ids: readonly string[]): Promise<Map<string, TenantEntity>> {
    return this.store.getMany(ids);
  }

  /** The clients of many partner tenants, newest first, in one query (GraphQL relation fields batch through this). */
  clientsOf(parentIds: readonly string[]): Promise<Map<string, TenantEntity[]>> {
    return this.store.clientsOf(parentIds);
  }

  /** Each quota of the tenant with what it holds now (GET …/tenants/{id}). */
  quotaUsage(scope: TenantScope): Promise<Record<QuotaName, { used: number; limit: number }>> {
    return this.quotas.report(this.dataSource.manager, scope.tenantId);
  }

  async get(scope: TenantScope): Promise<TenantEntity> {
    const tenant = await this.tenants.findOneBy({ id: scope.tenantId });
    if (!tenant) throw TenantErrors.notFound();
    return tenant;
  }

  /** A partner creates a client under itself; a new client has clustering off unless given. */
  async createClient(principal: UserPrincipal, input: CreateTenantDto): Promise<TenantEntity> {
    return this.dataSource.transaction(async (manager) => {
      const partner = await manager.findOneBy(TenantEntity, { id: principal.tenantId });
      if (!partner || partner.kind !== 'PARTNER') throw TenantErrors.onlyPartnersCreateClients();
      const client = await manager.save(
        manager.create(TenantEntity, {
          name: input.name,
          kind: 'CLIENT',
          parentId: partner.id,
          status: 'ACTIVE',
          features: { gatewayClustering: input.features?.gatewayClustering ?? false },
        }),
      );
      await this.changes.record(manager, {
        tenantId: partner.id,
        actor: actorOf(principal),
        action: 'tenant.created',
        targetType: 'tenant',
        targetId: client.id,
        after: auditShape(client),
      });
      return client;
    });
  }

  /**
   * Anyone with access may rename a tenant; status and feature flags belong to its partner, so a
   * client can neither lift its own suspension nor switch on a limited-availability feature.
   */
  async update(scope: TenantScope, input: UpdateTenantDto): Promise<TenantEntity> {
    const updated = await this.updateWithin(scope, input);
    // After the commit: a suspension, resumption or flag change applies at once here (in other processes within ACCESS_CACHE_MS).
    this.access.clear();
    // After the commit: the gateway protocol reads the mark (every call of a suspended tenant's gateways is 403).
    await this.suspensions.mark([updated.id], updated.status === 'SUSPENDED');
    return updated;
  }

  private async updateWithin(scope: TenantScope, input: UpdateTenantDto): Promise<TenantEntity> {
    return this.dataSource.transaction(async (manager) => {
      const tenant = await manager.findOne(TenantEntity, { where: { id: scope.tenantId }, lock: { mode: 'pessimistic_write' } });
      if (!tenant) throw TenantErrors.notFound();
      const byParent = tenant.parentId !== null && tenant.parentId === scope.principal.tenantId;
      if (input.status !== undefined && input.status !== tenant.status && !byParent) throw TenantErrors.onlyParentMayChange('status');
      if (
        input.features?.gatewayClustering !== undefined &&
        input.features.gatewayClustering !== tenant.features.gatewayClustering &&
        !byParent
      ) {
        throw TenantErrors.onlyParentMayChange('feature flags');
      }
      if (input.quotas !== undefined && !byParent) throw TenantErrors.onlyParentMayChange('quotas');
      if (input.auditRetentionDays !== undefined && input.auditRetentionDays !== tenant.auditRetentionDays) {
        // A partner sets it, for its clients and for itself: a client cannot shorten its own audit trail.
        const byPartnerItself = tenant.kind === 'PARTNER' && tenant.id === scope.principal.tenantId;
        if (!byParent && !byPartnerItself) throw TenantErrors.onlyParentMayChange('audit retention');
        const { auditDays, auditMaxDays } = this.config.retention;
        if (input.auditRetentionDays !== null && (input.auditRetentionDays < auditDays || input.auditRetentionDays > auditMaxDays)) {
          const message = `auditRetentionDays must be between ${auditDays} (the default) and ${auditMaxDays} (the maximum), or null`;
          throw invalidRequest(message, [{ field: 'auditRetentionDays', message }]);
        }
      }
      const before = auditShape(tenant);
      if (input.name !== undefined) tenant.name = input.name;
      if (input.status !== undefined) tenant.status = input.status;
      if (input.features?.gatewayClustering !== undefined)
        tenant.features = { ...tenant.features, gatewayClustering: input.features.gatewayClustering };
      if (input.auditRetentionDays !== undefined) tenant.auditRetentionDays = input.auditRetentionDays;
      if (input.quotas !== undefined) {
        const quotas = { ...tenant.quotas };
        for (const name of QUOTA_NAMES) {
          const value = input.quotas[name];
          if (value === null) delete quotas[name];
          else if (value !== undefined) quotas[name] = value;
        }
        tenant.quotas = quotas;
      }
      const after = auditShape(tenant);
      if (JSON.stringify(before) === JSON.stringify(after)) return tenant;
      const saved = await manager.save(tenant);
      await this.changes.record(manager, {
        tenantId: tenant.id,
        actor: scope.actor,
        action: 'tenant.updated',
        targetType: 'tenant',
        targetId: tenant.id,
        before,
        after,
      });
      return saved;
    });
  }
}
