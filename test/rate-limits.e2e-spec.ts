import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from './support/api.js';
import { Fleet } from './support/fleet.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { sleep } from './support/wait.js';

describe('rate limits per API client', () => {
  let t: TestApp;
  let second: TestApp;
  let api: Api;
  let partner: { token: string; tenantId: string };

  beforeAll(async () => {
    // A bucket of 5 requests, refilled at 2 a second (the suite's other files set generous limits).
    const env = { RATE_LIMIT_BURST: '5', RATE_LIMIT_PER_SECOND: '2' };
    t = await startTestApp({ env });
    second = await startTestApp({ env, shareWith: t });
    api = new Api(t);
    partner = await api.partner();
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  /** A new API client of its own (its own bucket) and its token. */
  const freshClient = async () => {
    await sleep(3_000); // the partner's bucket refills between the tests
    return api.clientToken(partner.token, partner.tenantId, ['admin']);
  };

  it('every answer carries RateLimit-Policy and RateLimit; past the burst, 429 TOO_MANY_REQUESTS with Retry-After; GraphQL shares the bucket', async () => {
    const token = await freshClient();
    const remaining: string[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await api.get(token, '/api/v1/tenants');
      expect(response.status).toBe(200);
      expect(response.headers['ratelimit-policy']).toBe('"client";q=5;w=3');
      remaining.push(response.headers['ratelimit']);
    }
    expect(remaining[0]).toMatch(/^"client";r=4;t=1$/);
    expect(remaining[3]).toMatch(/^"client";r=[01];t=\d+$/);
    const graphql = await api.graphql(token, '{ tenants { nodes { id } } }');
    expect(graphql.status).toBe(200);
    const refused = await api.graphql(token, '{ tenants { nodes { id } } }');
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.headers['ratelimit']).toMatch(/^"client";r=0;t=\d+$/);
    expect((await api.get(token, '/api/v1/tenants')).status).toBe(429);
    // Another client has its own bucket.
    const other = await freshClient();
    expect((await api.get(other, '/api/v1/tenants')).status).toBe(200);
    // The bucket refills: after Retry-After, requests go through again.
    await sleep(Number(refused.headers['retry-after']) * 1000 + 100);
    expect((await api.get(token, '/api/v1/tenants')).status).toBe(200);
  });

  it('the bucket is shared by every process (atomic in Redis): parallel requests to two processes get 5 through, not 10', async () => {
    const token = await freshClient();
    const apps = [t, second];
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => apps[i % 2]!.http().get('/api/v1/tenants').set('authorization', `Bearer ${token}`)),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200).length).toBe(5);
    expect(statuses.filter((s) => s === 429).length).toBe(5);
  });

  it('the gateway protocol and the token endpoint are not limited per API client', async () => {
    const token = await freshClient();
    const fleet = new Fleet(api, partner.tenantId, token, t.url);
    const { gw } = await fleet.gateway();
    for (let i = 0; i < 12; i++) expect((await gw.heartbeat()).status).toBe(200);
    for (let i = 0; i < 3; i++) await api.partner();
  });
});
