import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChangeRecorder } from '../platform/audit/change-recorder.js';
import type { TenantScope } from '../platform/auth/tenant-scope.js';
import { transactionWithEffects } from '../platform/database/after-commit.js';
import { isUuid } from '../platform/database/uuid.js';
import { ProfileErrors } from '../profiles/profiles.errors.js';
import { TOKEN_TTL } from '../profiles/activation-token-state.js';
import { ActivationTokensService, type MintedToken } from '../profiles/activation-tokens.service.js';
import { ProfileLinksReader } from '../profiles/profile-links.reader.js';
import { DeregistrationService } from './deregistration.service.js';
import { GatewayLiveState } from './gateway-live-state.js';
import { GatewayEntity } from './gateway.entity.js';
import { GatewayErrors } from './gateways.errors.js';
import { TenantErrors } from '../tenants/tenants.errors.js';

export interface Replacement {
  gateway: GatewayEntity;
  minted: MintedToken;
  deregisteredNow: boolean;
}

/**
 * A firmware upgrade swaps the VM: a token for a new gateway of the same type on the same profile.
 * The old gateway is de-registered when the new one registers, or at once if asked.
 */
@Injectable()
export class ReplacementService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ActivationTokensService) private readonly tokens: ActivationTokensService,
    @Inject(DeregistrationService) private readonly deregistration: DeregistrationService,
    @Inject(GatewayLiveState) private readonly live: GatewayLiveState,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
    @Inject(ProfileLinksReader) private readonly links: ProfileLinksReader,
  ) {}

  async start(scope: TenantScope, gatewayId: string, options: { ttlSeconds?: number; deregisterNow?: boolean }): Promise<Replacement> {
    if (scope.suspended) throw TenantErrors.suspended();
    return transactionWithEffects(this.dataSource, async (manager, after) => {
      const gateway = isUuid(gatewayId)
        ? await manager.findOne(GatewayEntity, { where: { id: gatewayId, tenantId: scope.tenantId }, lock: { mode: 'pessimistic_write' } })
        : null;
      if (!gateway) throw GatewayErrors.notFound();
      if (gateway.status === 'DEREGISTERED')
        throw GatewayErrors.notActive('a de-registered gateway cannot be replaced: mint a registration token for its profile instead');
      // Its token would revoke the running migration's.
      if ((await this.links.forProfiles([gateway.profileId], manager)).get(gateway.profileId)!.migrationRunning) {
        throw ProfileErrors.migrationInProgress();
      }
      const minted = await this.tokens.mintWithin(manager, {
        tenantId: scope.tenantId,
        profileId: gateway.profileId,
        ttlSeconds: options.ttlSeconds ?? TOKEN_TTL.DEFAULT_SECONDS,
        purpose: 'REPLACEMENT',
        actor: scope.actor,
        replacesGatewayId: gateway.id,
      });
      await this.changes.record(manager, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: 'gateway.replacement_started',
        targetType: 'gateway',
        targetId: gateway.id,
        after: { activationTokenId: minted.token.id, deregisterNow: options.deregisterNow === true },
      });
      if (options.deregisterNow) {
        await this.deregistration.deregisterWithin(manager, scope.tenantId, gateway.id, scope.actor, 'REPLACEMENT');
        after.add(() => this.live.markDeregistered(gateway.id));
      }
      return { gateway, minted, deregisteredNow: options.deregisterNow === true };
    });
  }
}
