import { ExtractJwt, type StrategyOptionsWithoutRequest } from 'passport-jwt';
import type { AppConfig } from '../../config/app-config.js';
import { TOKEN_ISSUER } from './principal.js';

/** passport-jwt options shared by both strategies; only the audience differs. */
export const jwtStrategyOptions = (config: AppConfig, audience: string): StrategyOptionsWithoutRequest => ({
  jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
  secretOrKey: config.auth.jwtSecret,
  algorithms: ['HS256'],
  audience,
  issuer: TOKEN_ISSUER,
  ignoreExpiration: false,
});
