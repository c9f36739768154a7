import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GcpClient, GcpError, type Schemas } from '@gateway-control-plane/sdk';
import { Api } from './support/api.js';
import { Fleet } from './support/fleet.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { TEST_ENV } from './support/test-env.js';

const run = promisify(execFile);

/** The SDK (sdk/, tested from its source) against the real service: what a partner's script does. */
describe('the SDK against the service', () => {
  let t: TestApp;
  let api: Api;
  let tenantId: string;
  let admin: string;
  let fleet: Fleet;
  /** Every request the SDK sent: method, path, and the headers it chose. */
  const sent: { method: string; path: string; idempotencyKey: string | null }[] = [];
  let gcp: GcpClient;

  beforeAll(async () => {
    t = await startTestApp();
    api = new Api(t);
    const partner = await api.partner();
    tenantId = await api.createClientTenant(partner.token, 'SDK client');
    admin = await api.clientToken(partner.token, tenantId, ['admin']);
    fleet = new Fleet(api, tenantId, admin, t.url);
    gcp = new GcpClient({
      baseUrl: t.url,
      credentials: { clientId: TEST_ENV.BOOTSTRAP_CLIENT_ID, clientSecret: TEST_ENV.BOOTSTRAP_CLIENT_SECRET },
      fetch: (request) => {
        sent.push({ method: request.method, path: new URL(request.url).pathname, idempotencyKey: request.headers.get('idempotency-key') });
        return fetch(request);
      },
    });
  });
  afterAll(() => t?.close());

  it('the committed types are what openapi/openapi.yaml generates (`npm run sdk:types` rewrites them)', async () => {
    await expect(run(process.execPath, ['sdk/scripts/write-types.mjs', '--check'])).resolves.toBeDefined();
  });

  it('logs in with client credentials once and keeps the token for the following calls', async () => {
    sent.length = 0;
    const tenants = await gcp.all('/api/v1/tenants', { query: {} });
    expect(tenants.map((tenant) => tenant.id)).toContain(tenantId);
    await gcp.ok(gcp.api.GET('/api/v1/tenants/{tenantId}', { params: { path: { tenantId } } }));
    expect(sent.filter((s) => s.path === '/api/v1/oauth/token')).toHaveLength(1);
    expect(sent.filter((s) => s.path !== '/api/v1/oauth/token').length).toBeGreaterThanOrEqual(2);
  });

  it('iterates a list across its pages', async () => {
    const names = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const profile = await gcp.ok(
        gcp.api.POST('/api/v1/tenants/{tenantId}/management-profiles', { params: { path: { tenantId } }, body: { name: `sdk-page-${i}` } }),
      );
      names.add(profile.name);
    }
    sent.length = 0;
    const seen: string[] = [];
    for await (const profile of gcp.pages('/api/v1/tenants/{tenantId}/management-profiles', { path: { tenantId }, query: { limit: 2 } })) {
      if (profile.name.startsWith('sdk-page-')) seen.push(profile.name);
    }
    expect(new Set(seen)).toEqual(names);
    expect(seen).toHaveLength(5);
    expect(sent.filter((s) => s.path.endsWith('/management-profiles')).length).toBeGreaterThanOrEqual(3);
  });

  it('sends an Idempotency-Key on a command and a bulk command, and the same key answers the first result', async () => {
    const { gw } = await fleet.gateway();
    sent.length = 0;
    const queued = await gcp.ok(
      gcp.api.POST('/api/v1/tenants/{tenantId}/gateways/{gatewayId}/commands', {
        params: { path: { tenantId, gatewayId: gw.gatewayId! } },
        body: { type: 'PING' },
      }),
    );
    const key = sent.find((s) => s.method === 'POST' && s.path.endsWith('/commands'))?.idempotencyKey;
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    // The same key again (a script's retry after a lost answer): the first command, not a second.
    const replay = await gcp.api.POST('/api/v1/tenants/{tenantId}/gateways/{gatewayId}/commands', {
      params: { path: { tenantId, gatewayId: gw.gatewayId! }, header: { 'Idempotency-Key': key! } },
      body: { type: 'PING' },
    });
    expect(replay.response.status).toBe(200);
    expect(replay.data?.id).toBe(queued.id);

    const bulk: Schemas['BulkCommand'] = await gcp.ok(
      gcp.api.POST('/api/v1/tenants/{tenantId}/bulk-commands', {
        params: { path: { tenantId } },
        body: { type: 'PING', targets: { gatewayIds: [gw.gatewayId!] } },
      }),
    );
    expect(bulk.targets).toBe(1);
    expect(sent.find((s) => s.path.endsWith('/bulk-commands'))?.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    // A create that takes no key gets none.
    await gcp.ok(
      gcp.api.POST('/api/v1/tenants/{tenantId}/management-profiles', { params: { path: { tenantId } }, body: { name: 'sdk-no-key' } }),
    );
    expect(sent.find((s) => s.path.endsWith('/management-profiles'))?.idempotencyKey).toBeNull();
  });

  it("throws GcpError with the service's code, status, detail and field errors", async () => {
    const taken = (await gcp
      .ok(gcp.api.POST('/api/v1/tenants/{tenantId}/management-profiles', { params: { path: { tenantId } }, body: { name: 'sdk-no-key' } }))
      .catch((e: unknown) => e)) as GcpError;
    expect(taken).toBeInstanceOf(GcpError);
    expect(taken).toMatchObject({ status: 409, code: 'PROFILE_NAME_TAKEN' });
    expect(taken.detail).toContain('sdk-no-key');

    const missing = (await gcp
      .ok(
        gcp.api.GET('/api/v1/tenants/{tenantId}/gateways/{gatewayId}', {
          params: { path: { tenantId, gatewayId: '00000000-0000-4000-8000-000000000000' } },
        }),
      )
      .catch((e: unknown) => e)) as GcpError;
    expect(missing).toMatchObject({ status: 404, code: 'GATEWAY_NOT_FOUND' });

    const invalid = (await gcp
      .ok(gcp.api.POST('/api/v1/tenants/{tenantId}/management-profiles', { params: { path: { tenantId } }, body: { name: '' } }))
      .catch((e: unknown) => e)) as GcpError;
    expect(invalid).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
    expect(invalid.errors.length).toBeGreaterThan(0);

    const stranger = new GcpClient({ baseUrl: t.url, credentials: { clientId: TEST_ENV.BOOTSTRAP_CLIENT_ID, clientSecret: 'wrong' } });
    const refused = (await stranger.accessToken().catch((e: unknown) => e)) as GcpError;
    expect(refused).toMatchObject({ status: 401, code: 'INVALID_CLIENT' });
  });
});
