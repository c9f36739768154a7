import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../../config/app-config.js';
import { Audience, TOKEN_ISSUER } from '../auth/principal.js';
import { CommonErrorCode } from '../errors/domain-error.js';
import type { RedisClient } from '../redis/redis.module.js';

/**
 * A token bucket per key, atomic in Redis (one script: refill by elapsed time, take one token):
 * `capacity` tokens at most, `perMs` added each millisecond. Answers [allowed (1/0), tokens left].
 * The time is Redis's own, so every process of a deployment shares one clock and one bucket.
 */
const TOKEN_BUCKET = `
local capacity = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * per_ms)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / per_ms) + 1000)
return { allowed, tostring(tokens) }`;

const POLICY = 'client';
/** How many genuine tokens the limiter remembers (a management token is checked once, not on every request). */
const TOKENS_KEPT = 10_000;

/**
 * The API client a management token was issued to (its `sub`) and the token's expiry, when the token
 * is genuine and current; else null (the guard answers 401).
 */
function managementClaimsOf(authorization: string | undefined, secret: string, nowSeconds: number): { sub: string; exp: number } | null {
  const match = /^Bearer\s+([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/i.exec(authorization ?? '');
  if (!match) return null;
  const [, header, payload, signature] = match;
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const presented = Buffer.from(signature!, 'base64url');
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return null;
  try {
    const head = JSON.parse(Buffer.from(header!, 'base64url').toString('utf8')) as { alg?: string };
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as {
      sub?: unknown;
      aud?: unknown;
      iss?: unknown;
      exp?: unknown;
    };
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (head.alg !== 'HS256' || claims.iss !== TOKEN_ISSUER || !audiences.includes(Audience.MANAGEMENT)) return null;
    if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds || typeof claims.sub !== 'string') return null;
    return { sub: claims.sub, exp: claims.exp };
  } catch {
    return null;
  }
}

/** Whether a path is rate limited per API client: the management REST API and GraphQL (not the token endpoint, not the gateway protocol). */
export function isRateLimited(url: string): boolean {
  const path = url.split('?')[0]!;
  return (path.startsWith('/api/v1/') && path !== '/api/v1/oauth/token') || path === '/graphql';
}

/**
 * Per API client rate limits on /api/v1 and /graphql (RATE_LIMIT_BURST, refilled at
 * RATE_LIMIT_PER_SECOND): every such response carries `RateLimit-Policy` and `RateLimit`
 * (draft-ietf-httpapi-ratelimit-headers), and past the limit the answer is 429 TOO_MANY_REQUESTS
 * with `Retry-After`, before any work is done. Requests without a valid management token are left
 * to the access guard (401); if Redis cannot be reached the request goes through unlimited (it
 * answers 503 itself if it needs Redis).
 */
export function registerRateLimits(
  fastify: FastifyInstance,
  config: AppConfig,
  redis: RedisClient,
  keyOf: (client: string) => string,
): void {
  const { burst, perSecond } = config.rateLimit;
  const perMs = perSecond / 1000;
  const windowSeconds = Math.max(1, Math.ceil(burst / perSecond));
  const policy = `"${POLICY}";q=${burst};w=${windowSeconds}`;
  // EVALSHA of a script Redis keeps, instead of sending and hashing the script's text with every request.
  if (!('gcpTokenBucket' in redis)) redis.defineCommand('gcpTokenBucket', { numberOfKeys: 1, lua: TOKEN_BUCKET });
  const buckets = redis as unknown as { gcpTokenBucket(key: string, capacity: number, perMs: number): Promise<[number, string]> };
  // A genuine token's client, remembered until the token expires: its HMAC and claims are checked once, not on every request.
  const known = new Map<string, { client: string; exp: number }>();
  const clientOf = (authorization: string | undefined): string | null => {
    if (!authorization) return null;
    const nowSeconds = Date.now() / 1000;
    const hit = known.get(authorization);
    if (hit && hit.exp > nowSeconds) return hit.client;
    if (hit) known.delete(authorization);
    const claims = managementClaimsOf(authorization, config.auth.jwtSecret, nowSeconds);
    if (!claims) return null;
    if (known.size >= TOKENS_KEPT) known.delete(known.keys().next().value!);
    known.set(authorization, { client: claims.sub, exp: claims.exp });
    return claims.sub;
  };
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method === 'OPTIONS' || !isRateLimited(request.url)) return;
    const client = clientOf(request.headers.authorization);
    if (!client) return;
    // Redis down: no waiting in the client's offline queue (the request answers 503 itself if it needs Redis).
    if (redis.status !== 'ready') return;
    let outcome: [number, string];
    try {
      outcome = await buckets.gcpTokenBucket(keyOf(client), burst, perMs);
    } catch {
      return;
    }
    const tokens = Number(outcome[1]);
    const remaining = Math.floor(tokens);
    const untilFull = Math.ceil((burst - tokens) / perSecond);
    void reply.header('ratelimit-policy', policy).header('ratelimit', `"${POLICY}";r=${remaining};t=${untilFull}`);
    if (outcome[0] === 1) return;
    const retryAfter = Math.max(1, Math.ceil((1 - tokens) / perSecond));
    await reply
      .status(429)
      .headers({ 'retry-after': String(retryAfter), 'content-type': 'application/problem+json' })
      .send({
        type: 'https://docs.gateway-control-plane.dev/problems/too-many-requests',
        title: 'Too Many Requests',
        status: 429,
        detail: `the API client's rate limit (${burst} requests, ${perSecond} more each second) is used up; retry after ${retryAfter} s`,
        code: CommonErrorCode.TOO_MANY_REQUESTS,
      });
  });
}
