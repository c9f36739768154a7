import { DataSource } from 'typeorm';
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
    // Registrations in flight from one address count against REGISTER_FAILURE_LIMIT: the races below send 70 at once.
    t = await startTestApp({ env: { QUOTA_WEBHOOKS: '3', QUOTA_API_CLIENTS: '50', REGISTER_FAILURE_LIMIT: '200' } });
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

  it('registrations racing for the last gateways of a quota never pass it: checked at commit, exactly, and a de-registration frees a place', async () => {
    // Own tenant, quota 5 with 2 gateways already registered: 3 places for 12 racing registrations.
    const tenantId = await api.createClientTenant(partner.token, 'Quota race');
    const token = await api.clientToken(partner.token, tenantId, ['admin']);
    expect((await api.patch(partner.token, `/api/v1/tenants/${tenantId}`, { quotas: { gateways: 5 } })).status).toBe(200);
    const fleet = new Fleet(api, tenantId, token, t.url);
    const first = await fleet.gateway();
    await fleet.gateway({ heartbeat: false });
    const profiles = await Promise.all(Array.from({ length: 12 }, () => fleet.profile()));
    const sessions = profiles.map(() => fleet.session());
    const answers = await Promise.all(sessions.map((session, i) => session.register(profiles[i].token)));
    const codes = answers.map((answer) => (answer.status === 201 ? 201 : (answer.body as unknown as { code: string }).code));
    expect(codes.filter((code) => code === 201)).toHaveLength(3);
    expect(codes.filter((code) => code === 'QUOTA_EXCEEDED')).toHaveLength(9);
    const refused = answers.find((answer) => answer.status === 409)!;
    expect(refused.body as unknown as { errors: { field: string }[] }).toMatchObject({ errors: [{ field: 'quotas.gateways' }] });
    const active = async () =>
      Number(
        (
          await t.app
            .get(DataSource)
            .query(`SELECT count(*) AS n FROM gateways WHERE tenant_id = $1 AND status <> 'DEREGISTERED'`, [tenantId])
        )[0].n,
      );
    expect(await active()).toBe(5);
    // A refused registration used nothing: its token is still good, and the tenant's view agrees.
    expect((await api.get(token, `/api/v1/tenants/${tenantId}`)).body.quotas.gateways).toEqual({ used: 5, limit: 5 });
    const waiting = profiles.findIndex((_, i) => answers[i].status === 409);
    expect((await first.gw.deregister()).status).toBe(200);
    const retried = await sessions[waiting].register(profiles[waiting].token);
    expect(retried.status, JSON.stringify(retried.body)).toBe(201);
    expect(await active()).toBe(5);
    const another = profiles.findIndex((_, i) => i !== waiting && answers[i].status === 409);
    const past = await sessions[another].register(profiles[another].token);
    expect((past.body as unknown as { code: string }).code).toBe('QUOTA_EXCEEDED');
    expect(await active()).toBe(5);
  });

  const activeOf = async (tenantId: string) =>
    Number(
      (
        await t.app
          .get(DataSource)
          .query(`SELECT count(*) AS n FROM gateways WHERE tenant_id = $1 AND status <> 'DEREGISTERED'`, [tenantId])
      )[0].n,
    );
  /** What the registrations' quota checks took from the budgets cut at the tenant's last exact check. */
  const budgetUsed = async (tenantId: string) =>
    Number((await t.app.get(DataSource).query(`SELECT sum(used) AS n FROM gateway_quota_stripes WHERE tenant_id = $1`, [tenantId]))[0].n);

  it('with room under the quota a registration takes a unit of a budget, not the exact count (no commit waits for another tenant-wide)', async () => {
    const tenantId = await api.createClientTenant(partner.token, 'Quota budgets');
    const token = await api.clientToken(partner.token, tenantId, ['admin']);
    expect((await api.patch(partner.token, `/api/v1/tenants/${tenantId}`, { quotas: { gateways: 1_000 } })).status).toBe(200);
    const fleet = new Fleet(api, tenantId, token, t.url);
    // The first counts exactly and cuts the other 999 places into budgets; the next four each take one unit.
    for (let i = 0; i < 5; i++) await fleet.gateway({ heartbeat: false });
    expect(await budgetUsed(tenantId)).toBe(4);
    expect(await activeOf(tenantId)).toBe(5);
    expect((await api.get(token, `/api/v1/tenants/${tenantId}`)).body.quotas.gateways).toEqual({ used: 5, limit: 1_000 });
  });

  it('registrations racing on budgets and exact checks together never pass the quota, and a changed quota holds at once', async () => {
    // Quota 70 with 2 registered: 68 places for 80 racing registrations. The budgets (about 2 per
    // stripe) run out under the race, so budget units and exact checks interleave.
    const tenantId = await api.createClientTenant(partner.token, 'Quota budget race');
    const token = await api.clientToken(partner.token, tenantId, ['admin']);
    expect((await api.patch(partner.token, `/api/v1/tenants/${tenantId}`, { quotas: { gateways: 70 } })).status).toBe(200);
    const fleet = new Fleet(api, tenantId, token, t.url);
    await fleet.gateway({ heartbeat: false });
    await fleet.gateway({ heartbeat: false });
    const profiles = await Promise.all(Array.from({ length: 80 }, () => fleet.profile()));
    const answers = await Promise.all(profiles.map((profile) => fleet.session().register(profile.token)));
    const codes = answers.map((answer) => (answer.status === 201 ? 201 : (answer.body as unknown as { code: string }).code));
    expect(codes.filter((code) => code === 201)).toHaveLength(68);
    expect(codes.filter((code) => code === 'QUOTA_EXCEEDED')).toHaveLength(12);
    expect(await activeOf(tenantId)).toBe(70);
    // A raised quota gives exactly its new places (the budgets were cut for the old one).
    expect((await api.patch(partner.token, `/api/v1/tenants/${tenantId}`, { quotas: { gateways: 71 } })).status).toBe(200);
    const refused = profiles.map((profile, i) => ({ profile, answer: answers[i] })).filter(({ answer }) => answer.status === 409);
    expect((await fleet.session().register(refused[0].profile.token)).status).toBe(201);
    const past = await fleet.session().register(refused[1].profile.token);
    expect((past.body as unknown as { code: string }).code).toBe('QUOTA_EXCEEDED');
    expect(await activeOf(tenantId)).toBe(71);
  });
});
