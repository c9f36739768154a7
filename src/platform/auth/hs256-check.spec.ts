import { createHmac, createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { hs256Payload } from './hs256-check.js';

const key = createSecretKey(Buffer.from('a-test-secret-that-is-long-enough-for-hs256', 'utf8'));
const otherKey = createSecretKey(Buffer.from('another-secret-that-is-long-enough-for-hs256', 'utf8'));
const expectations = { key, audience: 'gateway', issuer: 'test' };
// One instant for the whole file, given to both checks: a test that crosses a second must not turn
// "expires in 1 s" into "expired" between building a token and judging it.
const nowMs = Date.now();
const now = () => Math.floor(nowMs / 1000);
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
/** A token from its parts as given (any header, any payload), signed with HS256 over exactly that text. */
const handMade = (header: unknown, payload: unknown, signWith = key) => {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', signWith).update(input).digest('base64url')}`;
};
const claims = (extra: object = {}) => ({ sub: 'gw-1', aud: 'gateway', iss: 'test', iat: now(), exp: now() + 60, ...extra });

/** jsonwebtoken's verdict with the options passport-jwt gives it: the payload, or the error's name and message. */
function jsonwebtokenVerdict(token: string): { payload: unknown } | { error: string } {
  try {
    return {
      payload: jwt.verify(token, key, {
        algorithms: ['HS256'],
        audience: 'gateway',
        issuer: 'test',
        ignoreExpiration: false,
        clockTimestamp: now(),
      }),
    };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

describe('hs256Payload (the fast first check of a token)', () => {
  it('answers the payload of a plainly valid token, as jsonwebtoken does', () => {
    const token = jwt.sign({ sub: 'gw-1', tenantId: 't' }, key, { algorithm: 'HS256', audience: 'gateway', issuer: 'test', expiresIn: 60 });
    expect(hs256Payload(token, expectations, nowMs)).toEqual(
      jwt.verify(token, key, { audience: 'gateway', issuer: 'test', clockTimestamp: now() }),
    );
  });

  it.each([
    ['expired', () => handMade({ alg: 'HS256', typ: 'JWT' }, claims({ exp: now() - 1 }))],
    ['expiring this second', () => handMade({ alg: 'HS256', typ: 'JWT' }, claims({ exp: now() }))],
    ['without an expiry', () => handMade({ alg: 'HS256', typ: 'JWT' }, { sub: 'gw-1', aud: 'gateway', iss: 'test' })],
    ['an expiry that is not a number', () => handMade({ alg: 'HS256' }, claims({ exp: String(now() + 60) }))],
    ['another audience', () => handMade({ alg: 'HS256' }, claims({ aud: 'management' }))],
    ['an audience list', () => handMade({ alg: 'HS256' }, claims({ aud: ['gateway', 'management'] }))],
    ['another issuer', () => handMade({ alg: 'HS256' }, claims({ iss: 'someone' }))],
    ['a not-before', () => handMade({ alg: 'HS256' }, claims({ nbf: now() - 10 }))],
    ['an issued-at that is not a number', () => handMade({ alg: 'HS256' }, claims({ iat: 'now' }))],
    ['signed with another key', () => handMade({ alg: 'HS256' }, claims(), otherKey)],
    ['alg none', () => `${b64({ alg: 'none' })}.${b64(claims())}.`],
    ['alg HS512 (signed as HS256)', () => handMade({ alg: 'HS512' }, claims())],
    ['a payload that is not an object', () => handMade({ alg: 'HS256' }, '"just text"')],
    ['a payload that is a list', () => handMade({ alg: 'HS256' }, [claims()])],
    ['a header that is not JSON', () => handMade('not json', claims())],
    ['the signature padded', () => `${handMade({ alg: 'HS256' }, claims())}=`],
    ['a fourth part', () => `${handMade({ alg: 'HS256' }, claims())}.x`],
    ['no signature', () => handMade({ alg: 'HS256' }, claims()).replace(/\.[^.]*$/, '.')],
    ['two parts', () => `${b64({ alg: 'HS256' })}.${b64(claims())}`],
  ])('leaves a token %s to jsonwebtoken', (_, make) => {
    expect(hs256Payload(make(), expectations, nowMs)).toBeNull();
  });

  it('never accepts what jsonwebtoken refuses: 3,000 tokens near every rule, altered byte by byte', () => {
    const headers = [{ alg: 'HS256', typ: 'JWT' }, { alg: 'HS256' }, { alg: 'HS384' }, { alg: 'none' }, { typ: 'JWT' }];
    const variants = [
      claims(),
      claims({ exp: now() - 1 }),
      claims({ exp: now() + 1 }),
      claims({ aud: 'gatewaY' }),
      claims({ iss: undefined }),
      claims({ nbf: now() + 100 }),
      claims({ aud: ['gateway'] }),
      claims({ exp: null }),
    ];
    // The same alterations every run (a failure can be replayed): a small linear congruential sequence.
    let seed = 20261201;
    const nextRandom = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16;
    let accepted = 0;
    for (let i = 0; i < 3_000; i++) {
      let token = handMade(headers[i % headers.length], variants[i % variants.length], i % 7 === 0 ? otherKey : key);
      if (i % 3 === 1) {
        // One character changed somewhere: in the header, the payload or the signature.
        const at = nextRandom() % token.length;
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=';
        token = token.slice(0, at) + alphabet[nextRandom() % alphabet.length] + token.slice(at + 1);
      }
      const fast = hs256Payload(token, expectations, nowMs);
      const verdict = jsonwebtokenVerdict(token);
      if (fast !== null) {
        accepted++;
        expect(verdict, `accepted by the fast check: ${token}`).toEqual({ payload: fast });
      }
    }
    // The fast check did take the common case (else this test would prove nothing).
    expect(accepted).toBeGreaterThan(100);
  });
});
