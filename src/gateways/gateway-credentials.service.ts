import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessTokens, type IssuedToken } from '../platform/auth/access-tokens.service.js';
import type { GatewayPrincipal } from '../platform/auth/principal.js';
import { SecretHasher } from '../platform/crypto/secrets.js';
import { isUuid } from '../platform/database/uuid.js';
import { CommonErrors } from '../platform/errors/domain-error.js';
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
  ) {}

  mintSecret() {
    return this.hasher.mint(GATEWAY_SECRET_PREFIX);
  }

  accessTokenFor(gateway: Pick<GatewayEntity, 'id' | 'tenantId' | 'profileId' | 'type'>): Promise<IssuedToken> {
    return this.accessTokens.forGateway(gateway);
  }

  /** Section 2: a fresh access token for the gateway's id and secret. */
  async exchangeSecret(gatewayId: string, secret: string): Promise<IssuedToken> {
    const gateway = isUuid(gatewayId) ? await this.dataSource.manager.findOneBy(GatewayEntity, { id: gatewayId }) : null;
    const matches = this.hasher.matches(secret, gateway?.secretHash ?? '0'.repeat(64));
    if (!gateway || !matches) throw GatewayErrors.credentialInvalid();
    if (gateway.status === 'DEREGISTERED') throw GatewayErrors.deregistered();
    return this.accessTokenFor(gateway);
  }

  /**
   * The check behind every authenticated protocol call: the token is valid (passport-jwt did that)
   * and the gateway is not de-registered, so a de-registered gateway's tokens stop working at once.
   */
  async principalFor(payload: Record<string, unknown>): Promise<GatewayPrincipal> {
    const principal = this.principalOfToken(payload);
    const status =
      (await this.live.status(principal.gatewayId)) ??
      (await this.dataSource.manager.findOne(GatewayEntity, { where: { id: principal.gatewayId }, select: { id: true, status: true } }))?.status;
    if (!status) throw GatewayErrors.credentialInvalid();
    if (status === 'DEREGISTERED') throw GatewayErrors.deregistered();
    return principal;
  }

  /** The principal a verified token names, for handlers that check the gateway's status themselves. */
  principalOfToken(payload: Record<string, unknown>): GatewayPrincipal {
    const { sub, tenantId, profileId, gatewayType } = payload;
    if (!isUuid(sub) || !isUuid(tenantId) || !isUuid(profileId) || (gatewayType !== 'CLASSIC' && gatewayType !== 'CLUSTER')) {
      throw CommonErrors.unauthenticated('a valid gateway access token is required');
    }
    return { kind: 'gateway', gatewayId: sub, tenantId, profileId, gatewayType };
  }
}
