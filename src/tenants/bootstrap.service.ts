import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ChangeRecorder } from '../platform/audit/change-recorder.js';
import { SYSTEM_ACTOR } from '../platform/auth/principal.js';
import { SecretHasher } from '../platform/crypto/secrets.js';
import { uniqueViolation } from '../platform/database/postgres-errors.js';
import { ApiClientEntity } from './api-client.entity.js';
import { TenantEntity } from './tenant.entity.js';

/**
 * With BOOTSTRAP_CLIENT_ID and BOOTSTRAP_CLIENT_SECRET set, makes sure a partner with gateway
 * clustering and an admin API client with those credentials exist. Idempotent, also when several
 * processes start at once; a changed secret in the environment replaces the stored one.
 */
@Injectable()
export class BootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SecretHasher) private readonly hasher: SecretHasher,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const bootstrap = this.config.bootstrap;
    if (!bootstrap) return;
    try {
      await this.ensure(bootstrap);
    } catch (error) {
      if (uniqueViolation(error) === null) throw error;
      await this.ensure(bootstrap); // another process created it first: now it is there
    }
  }

  private async ensure(bootstrap: NonNullable<AppConfig['bootstrap']>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const existing = await manager.findOneBy(ApiClientEntity, { clientId: bootstrap.clientId });
      if (existing) {
        if (!this.hasher.matches(bootstrap.clientSecret, existing.secretHash) || existing.revokedAt) {
          await manager.update(
            ApiClientEntity,
            { id: existing.id },
            { secretHash: this.hasher.hash(bootstrap.clientSecret), revokedAt: null },
          );
          await this.changes.record(manager, {
            tenantId: existing.tenantId,
            actor: SYSTEM_ACTOR,
            action: 'api_client.secret_replaced',
            targetType: 'apiClient',
            targetId: existing.id,
            after: { clientId: existing.clientId, reason: 'BOOTSTRAP_CLIENT_SECRET changed' },
          });
          this.logger.log(`bootstrap client ${bootstrap.clientId}: secret replaced from the environment`);
        }
        return;
      }
      const partner = await manager.save(
        manager.create(TenantEntity, {
          name: bootstrap.tenantName,
          kind: 'PARTNER',
          parentId: null,
          status: 'ACTIVE',
          features: { gatewayClustering: true },
        }),
      );
      const client = await manager.save(
        manager.create(ApiClientEntity, {
          tenantId: partner.id,
          clientId: bootstrap.clientId,
          name: 'bootstrap admin',
          roles: ['admin'],
          secretHash: this.hasher.hash(bootstrap.clientSecret),
          secretPrefix: bootstrap.clientSecret.slice(0, 4),
        }),
      );
      await this.changes.record(manager, {
        tenantId: partner.id,
        actor: SYSTEM_ACTOR,
        action: 'tenant.bootstrapped',
        targetType: 'tenant',
        targetId: partner.id,
        after: { name: partner.name, kind: partner.kind, apiClientId: client.id, clientId: client.clientId },
      });
      this.logger.log(`bootstrap partner "${partner.name}" (${partner.id}) with admin client ${bootstrap.clientId} created`);
    });
  }
}
