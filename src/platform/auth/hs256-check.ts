import { createHmac, KeyObject, timingSafeEqual } from 'node:crypto';

/** What a token must carry to pass: the HS256 key, and the audience and issuer it was made for. */
export interface Hs256Expectations {
  key: KeyObject;
  audience: string;
  issuer: string;
}

type Payload = Record<string, unknown>;

/**
 * The first check of a token, for the common case only: an HS256 token whose signature, audience,
 * issuer and expiry are plainly right. It answers the payload, or null when the token is anything
 * else (then jsonwebtoken checks it and says what is wrong, as before, so every refusal and its
 * error stay jsonwebtoken's). Whatever passes here passes jsonwebtoken too: the same HMAC over the
 * same text, compared in constant time with the signature exactly as written, and claims checked at
 * least as strictly (an `nbf`, or an audience list, goes to jsonwebtoken).
 *
 * Why: after a restart every gateway's token is new to the process, and jsonwebtoken (options
 * checked on each call, jws's stream-based verifier, base64 in three steps) cost about 40 µs of a
 * reconnect storm's heartbeat in the trial profile, the HMAC itself a few.
 */
export function hs256Payload(token: string, expect: Hs256Expectations, nowMs: number = Date.now()): Payload | null {
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first <= 0 || second <= first + 1 || second === token.length - 1 || token.indexOf('.', second + 1) !== -1) return null;
  const header = parseObject(token.slice(0, first));
  if (header === null || header.alg !== 'HS256') return null;
  const expected = Buffer.from(createHmac('sha256', expect.key).update(token.slice(0, second)).digest('base64url'));
  const given = Buffer.from(token.slice(second + 1));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const payload = parseObject(token.slice(first + 1, second));
  if (payload === null) return null;
  const { exp, iat, aud, iss } = payload;
  if (typeof exp !== 'number' || !(Math.floor(nowMs / 1000) < exp)) return null;
  if (iat !== undefined && typeof iat !== 'number') return null;
  if ('nbf' in payload || aud !== expect.audience || iss !== expect.issuer) return null;
  return payload;
}

function parseObject(base64url: string): Payload | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(base64url, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Payload) : null;
  } catch {
    return null;
  }
}
