import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from './support/api.js';
import { Fleet } from './support/fleet.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('per-tenant quotas', () => {
  let t: TestApp;
  let api: Api;
  let partner: { token: string; tenantId: string };
  let clientId: string;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { QUOTA_WEBHOOKS: '3', QUOTA_API_CLIENTS: '50' } });
    api = new Api(t);
    partner = await api.partner();
    clientId = await api.createClientTenant(partner.token, 'Quota client');
    admin = await api.clientToken(partner.token, clientId, ['admin']);
  });
  afterAll(() => t?.close());

  it('GET a tenant shows usage against quota, the defaults from configuration', async () => {
    const tenant = await api.get(admin, `/api/v1/tenants/${clientId}`);
    expect(tenant.status).toBe(200);
    expect(tenant.body.quotas).toEqual({
      profiles: { used: 0, limit: 100_000 },
      gateways: { used: 0, limit: 100_000 },
      apiClients: { used: 1, limit: 50 },
      webhooks: { used: 0, limit: 3 },
    });
  });

  it('only the partner sets its client quotas; a client cannot raise its own', async () => {
    const own = await api.patch(admin, `/api/v1/tenants/${clientId}`, { quotas: { profiles: 1_000_000 } });
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('ONLY_PARENT_MAY_CHANGE');
    const set = await api.patch(partner.token, `/api/v1/tenants/${clientId}`, { quotas: { profiles: 4, gateways: 1 } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.quotas.profiles).toEqual({ used: 0, limit: 4 });
    expect(set.body.quotas.gateways).toEqual({ used: 0, limit: 1 });
    const bad = await api.patch(partner.token, `/api/v1/tenants/${clientId}`, { quotas: { profiles: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('quotas.profiles');
  });

  it('parallel creates never overshoot a quota: the rest are 409 QUOTA_EXCEEDED naming it', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api.post(admin, `/api/v1/tenants/${clientId}/management-profiles`, { name: `quota-${i}` })),
    );
    expect(answers.filter((r) => r.status === 201).length).toBe(4);
    const refused = answers.filter((r) => r.status !== 201);
    expect(refused.length).toBe(6);
    for (const r of refused) {
      expect(r.status).toBe(409);
      expect(r.body.code).toBe('QUOTA_EXCEEDED');
      expect(r.body.errors[0].field).toBe('quotas.profiles');
    }
    const hooks = await Promise.all(
      Array.from({ length: 6 }, () =>
        api.post(admin, `/api/v1/tenants/${clientId}/webhooks`, { url: 'http://127.0.0.1:9/hook', events: ['command.ended'] }),
      ),
    );
    expect(hooks.filter((r) => r.status === 201).length).toBe(3);
    expect(hooks.filter((r) => r.status === 409 && r.body.errors[0].field === 'quotas.webhooks').length).toBe(3);
    const tenant = await api.get(admin, `/api/v1/tenants/${clientId}`);
    expect(tenant.body.quotas.profiles).toEqual({ used: 4, limit: 4 });
    expect(tenant.body.quotas.webhooks).toEqual({ used: 3, limit: 3 });
    // Null returns a quota to the default.
    const reset = await api.patch(partner.token, `/api/v1/tenants/${clientId}`, { quotas: { profiles: null } });
    expect(reset.body.quotas.profiles).toEqual({ used: 4, limit: 100_000 });
  });

  it('a registration past the gateways quota is refused with QUOTA_EXCEEDED', async () => {
    const fleet = new Fleet(api, clientId, admin, t.url);
    await fleet.gateway();
    const { token } = await fleet.profile();
    const refused = await fleet.session().register(token);
    expect(refused.status).toBe(409);
    expect((refused.body as unknown as { code: string }).code).toBe('QUOTA_EXCEEDED');
  });
});
