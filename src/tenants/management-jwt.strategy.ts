import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy as JwtStrategy } from 'passport-jwt';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { jwtStrategyOptions } from '../platform/auth/jwt-options.js';
import { Audience, Strategy, type UserPrincipal } from '../platform/auth/principal.js';
import { ApiClientPrincipals } from './api-client-principals.service.js';

/** passport-jwt for the management APIs: audience `management` only, so gateway tokens are refused. */
@Injectable()
export class ManagementJwtStrategy extends PassportStrategy(JwtStrategy, Strategy.MANAGEMENT) {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(ApiClientPrincipals) private readonly principals: ApiClientPrincipals,
  ) {
    super(jwtStrategyOptions(config, Audience.MANAGEMENT));
  }

  async validate(payload: { sub?: string }): Promise<UserPrincipal> {
    return this.principals.load(payload.sub);
  }
}
