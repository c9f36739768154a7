import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessTokens, type IssuedToken } from '../platform/auth/access-tokens.service.js';
import type { GatewayPrincipal } from '../platform/auth/principal.js';
import { SecretHasher } from '../platform/crypto/secrets.js';
import { isUuid } from '../platform/database/uuid.js';
import { CommonErrors } from '../platform/errors/domain-error.js';
import { TenantSuspensions } from '../tenants/tenant-suspensions.js';
import { TenantErrors } from '../tenants/tenants.errors.js';
import { GatewayLiveState } from './gateway-live-state.js';
import { GatewayEntity } from './gateway.entity.js';
import { GatewayErrors } from './gateways.errors.js';

export const GATEWAY_SECRET_PREFIX = 'gws_';

/** Gateway credentials: the long-lived secret (hashed), the short-lived access tokens, their checks. */
@Injectable()
export class GatewayCredentials {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SecretHasher) private readonly hasher: SecretHasher,
    @Inject(AccessTokens) private readonly accessTokens: AccessTokens,
    @Inject(GatewayLiveState) private readonly live: GatewayLiveState,
    @Inject(TenantSuspensions) private readonly suspensions: TenantSuspensions,
  ) {}

  mintSecret() {
    return this.hasher.mint(GATEWAY_SECRET_PREFIX);
  }

  accessTokenFor(gateway: Pick<GatewayEntity, 'id' | 'tenantId' | 'profileId' | 'type' | 'credentialGeneration'>): Promise<IssuedToken> {
    return this.accessTokens.forGateway(gateway);
  }

  /** Section 2: a fresh access token for the gateway's id and secret. */
  async exchangeSecret(gatewayId: string, secret: string): Promise<IssuedToken> {
    const gateway = isUuid(gatewayId) ? await this.dataSource.manager.findOneBy(GatewayEntity, { id: gatewayId }) : null;
    const matches = this.hasher.matches(secret, gateway?.secretHash ?? '0'.repeat(64));
    if (!gateway || !matches) throw GatewayErrors.credentialInvalid();
    if (gateway.status === 'DEREGISTERED') throw GatewayErrors.deregistered();
    if (await this.suspensions.isSuspended(gateway.tenantId)) throw TenantErrors.suspended();
    return this.accessTokenFor(gateway);
  }

  /**
   * The check behind every authenticated protocol call: the token is valid (passport-jwt did that),
   * the gateway is not de-registered (its tokens stop working at once), the token's credential
   * generation is the current one (tokens from before a secret rotation are 401) and its tenant is
   * not suspended (403 TENANT_SUSPENDED; the credential is kept, so resuming the tenant lets it back).
   * One Redis round trip; Postgres only when Redis has no state for the gateway.
   */
  async principalFor(payload: Record<string, unknown>): Promise<GatewayPrincipal> {
    const principal = this.principalOfToken(payload);
    const live = await this.live.credentialState(principal.gatewayId, principal.tenantId);
    let { status, credentialGeneration } = live;
    if (!status) {
      const row = await this.dataSource.manager.findOne(GatewayEntity, {
        where: { id: principal.gatewayId },
        select: { id: true, status: true, credentialGeneration: true },
      });
      status = row?.status ?? null;
      credentialGeneration = row?.credentialGeneration ?? null;
    }
    if (!status) throw GatewayErrors.credentialInvalid();
    if (status === 'DEREGISTERED') throw GatewayErrors.deregistered();
    if (credentialGeneration !== null && credentialGeneration !== principal.credentialGeneration) throw GatewayErrors.credentialRevoked();
    if (live.tenantSuspended) throw TenantErrors.suspended();
    return principal;
  }

  /** The principal a verified token names, for handlers that check the gateway's status themselves. */
  principalOfToken(payload: Record<string, unknown>): GatewayPrincipal {
    const { sub, tenantId, profileId, gatewayType, gen } = payload;
    if (!isUuid(sub) || !isUuid(tenantId) || !isUuid(profileId) || (gatewayType !== 'CLASSIC' && gatewayType !== 'CLUSTER')) {
      throw CommonErrors.unauthenticated('a valid gateway access token is required');
    }
    // Tokens issued before generations existed were all of the first one.
    const credentialGeneration = typeof gen === 'number' && Number.isInteger(gen) ? gen : 1;
    return { kind: 'gateway', gatewayId: sub, tenantId, profileId, gatewayType, credentialGeneration };
  }
}
