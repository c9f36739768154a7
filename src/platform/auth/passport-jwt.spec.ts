import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { ExtractJwt } from 'passport-jwt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JwtAuthenticator } from './passport-jwt.js';

const key = createSecretKey(Buffer.from('a-test-secret-that-is-long-enough-for-hs256', 'utf8'));
const options = {
  jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
  secretOrKey: key as unknown as Buffer,
  algorithms: ['HS256' as const],
  audience: 'gateway',
  issuer: 'test',
};
const sign = (claims: object, expiresInSeconds = 60) =>
  jwt.sign(claims, key, { algorithm: 'HS256', audience: 'gateway', issuer: 'test', expiresIn: expiresInSeconds });
const request = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe('JwtAuthenticator', () => {
  afterEach(() => vi.useRealTimers());

  it('checks the principal on every request, also for a token it has already verified', async () => {
    const verify = vi.fn(async (payload: Record<string, unknown>) => ({ id: payload.sub }));
    const authenticator = new JwtAuthenticator(options, verify);
    const token = sign({ sub: 'gw-1' });
    expect(await authenticator.authenticate(request(token))).toEqual({ user: { id: 'gw-1' } });
    expect(await authenticator.authenticate(request(token))).toEqual({ user: { id: 'gw-1' } });
    expect(verify).toHaveBeenCalledTimes(2);
    verify.mockRejectedValueOnce(new Error('credential revoked'));
    await expect(authenticator.authenticate(request(token))).rejects.toThrow('credential revoked');
  });

  it('refuses a remembered token once it has expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const authenticator = new JwtAuthenticator(options, async (payload) => payload.sub);
    const token = sign({ sub: 'gw-2' }, 30);
    expect(await authenticator.authenticate(request(token))).toEqual({ user: 'gw-2' });
    vi.setSystemTime(Date.now() + 31_000);
    const outcome = await authenticator.authenticate(request(token));
    expect(outcome).toMatchObject({ info: { name: 'TokenExpiredError' } });
  });

  it('does not take a tampered token for a remembered one', async () => {
    const authenticator = new JwtAuthenticator(options, async (payload) => payload.sub);
    const token = sign({ sub: 'gw-3' });
    expect(await authenticator.authenticate(request(token))).toEqual({ user: 'gw-3' });
    const [header, , signature] = token.split('.');
    const otherBody = Buffer.from(
      JSON.stringify({ sub: 'gw-4', aud: 'gateway', iss: 'test', exp: Math.floor(Date.now() / 1000) + 60 }),
    ).toString('base64url');
    const outcome = await authenticator.authenticate(request(`${header}.${otherBody}.${signature}`));
    expect(outcome).toMatchObject({ info: { name: 'JsonWebTokenError', message: 'invalid signature' } });
    expect(await authenticator.authenticate({ headers: {} })).toMatchObject({ info: expect.anything() });
  });

  it('remembers a principal made from the token alone, frozen, until the token expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const verify = vi.fn(async (payload: Record<string, unknown>) => ({ id: payload.sub }));
    const authenticator = new JwtAuthenticator(options, verify, { principalFromTokenOnly: true });
    const token = sign({ sub: 'gw-5' }, 30);
    const first = await authenticator.authenticate(request(token));
    const second = await authenticator.authenticate(request(token));
    expect(second).toEqual({ user: { id: 'gw-5' } });
    expect(verify).toHaveBeenCalledTimes(1);
    expect(Object.isFrozen((second as { user: object }).user)).toBe(true);
    expect((first as { user: object }).user).toBe((second as { user: object }).user);
    // Another token is verified and checked on its own.
    expect(await authenticator.authenticate(request(sign({ sub: 'gw-6' }, 30)))).toEqual({ user: { id: 'gw-6' } });
    expect(verify).toHaveBeenCalledTimes(2);
    vi.setSystemTime(Date.now() + 31_000);
    expect(await authenticator.authenticate(request(token))).toMatchObject({ info: { name: 'TokenExpiredError' } });
  });
});
