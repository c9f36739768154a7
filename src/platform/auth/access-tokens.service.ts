import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { Audience, TOKEN_ISSUER, type Role } from './principal.js';

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
}

/** Signs the short-lived JWTs of both faces: users (audience management) and gateways (audience gateway). */
@Injectable()
export class AccessTokens {
  constructor(
    @Inject(JwtService) private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async forApiClient(apiClientId: string, tenantId: string, roles: Role[]): Promise<IssuedToken> {
    return this.sign(apiClientId, Audience.MANAGEMENT, { tenantId, roles });
  }

  /** Carries what every gateway call needs, so the hot path does not look it up. */
  async forGateway(gateway: {
    id: string;
    tenantId: string;
    profileId: string;
    type: string;
    credentialGeneration: number;
  }): Promise<IssuedToken> {
    return this.sign(gateway.id, Audience.GATEWAY, {
      tenantId: gateway.tenantId,
      profileId: gateway.profileId,
      gatewayType: gateway.type,
      gen: gateway.credentialGeneration,
    });
  }

  private async sign(subject: string, audience: string, claims: Record<string, unknown>): Promise<IssuedToken> {
    const expiresIn = this.config.auth.accessTokenTtlSeconds;
    const accessToken = await this.jwt.signAsync(claims, { subject, audience, issuer: TOKEN_ISSUER, expiresIn, algorithm: 'HS256' });
    return { accessToken, expiresIn };
  }
}
