import { createSecretKey, type KeyObject } from 'node:crypto';
import { ExtractJwt, type StrategyOptionsWithoutRequest } from 'passport-jwt';
import type { AppConfig } from '../../config/app-config.js';
import { TOKEN_ISSUER } from './principal.js';

const keys = new WeakMap<AppConfig, KeyObject>();

/**
 * The HS256 key as a KeyObject, made once per configuration. Given a plain string, jsonwebtoken
 * first tries (and fails) to parse it as a public or private key on every sign and verify: that
 * thrown error cost a quarter of the CPU of a heartbeat.
 */
export function jwtKey(config: AppConfig): KeyObject {
  let key = keys.get(config);
  if (!key) {
    key = createSecretKey(Buffer.from(config.auth.jwtSecret, 'utf8'));
    keys.set(config, key);
  }
  return key;
}

/** passport-jwt options shared by both strategies; only the audience differs. */
export const jwtStrategyOptions = (config: AppConfig, audience: string): StrategyOptionsWithoutRequest => ({
  jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
  // passport-jwt's types say string | Buffer; it hands the key to jsonwebtoken, which takes a KeyObject.
  secretOrKey: jwtKey(config) as unknown as Buffer,
  algorithms: ['HS256'],
  audience,
  issuer: TOKEN_ISSUER,
  ignoreExpiration: false,
});
