import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from './support/api.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('audit log', () => {
  let t: TestApp;
  let api: Api;
  let partner: { token: string; tenantId: string };

  beforeAll(async () => {
    t = await startTestApp();
    api = new Api(t);
    partner = await api.partner();
  });
  afterAll(() => t?.close());

  const count = async (tenantId: string) => (await api.auditActions(partner.token, tenantId)).length;

  it('every mutation writes exactly one audit event, with who, what, before and after', async () => {
    let before = await count(partner.tenantId);
    const clientId = await api.createClientTenant(partner.token, 'Audited');
    expect(await count(partner.tenantId)).toBe(before + 1);

    before = await count(clientId);
    await api.patch(partner.token, `/api/v1/tenants/${clientId}`, { name: 'Audited renamed' });
    const created = await api.post(partner.token, `/api/v1/tenants/${clientId}/api-clients`, { name: 'audited client', roles: ['viewer'] });
    await api.delete(partner.token, `/api/v1/tenants/${clientId}/api-clients/${created.body.id}`);
    const events = (await api.get(partner.token, `/api/v1/tenants/${clientId}/audit-events`)).body.items;
    expect(events.length).toBe(before + 3);
    expect(events.map((e: { action: string }) => e.action).slice(0, 3)).toEqual([
      'api_client.deleted',
      'api_client.created',
      'tenant.updated',
    ]);
    const rename = events.find((e: { action: string }) => e.action === 'tenant.updated');
    expect(rename).toMatchObject({
      tenantId: clientId,
      actorType: 'api-client',
      targetType: 'tenant',
      targetId: clientId,
      before: { name: 'Audited' },
      after: { name: 'Audited renamed' },
    });
    expect(rename.actorId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('the audit log pages newest first through its cursor, the same over REST and GraphQL, one tenant apart from another', async () => {
    const clientId = await api.createClientTenant(partner.token, 'Paged audit');
    for (const name of ['one', 'two', 'three', 'four', 'five']) await api.patch(partner.token, `/api/v1/tenants/${clientId}`, { name });
    const all = (await api.get(partner.token, `/api/v1/tenants/${clientId}/audit-events?limit=200`)).body;
    expect(all.nextCursor).toBeNull();
    expect(all.items.slice(0, 5).map((e: { after: { name: string } }) => e.after.name)).toEqual(['five', 'four', 'three', 'two', 'one']);
    const times = all.items.map((e: { createdAt: string }) => Date.parse(e.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const walked: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page = await api.get(partner.token, `/api/v1/tenants/${clientId}/audit-events?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      walked.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(walked).toEqual(all.items);
    const gql = await api.graphql(
      partner.token,
      'query($t: ID) { auditEvents(tenantId: $t, first: 200) { nodes { id action createdAt } } }',
      {
        t: clientId,
      },
    );
    expect(gql.body.data.auditEvents.nodes).toEqual(
      all.items.map(({ id, action, createdAt }: { id: string; action: string; createdAt: string }) => ({ id, action, createdAt })),
    );
    const other = (await api.get(partner.token, `/api/v1/tenants/${partner.tenantId}/audit-events?limit=200`)).body.items;
    expect(other.some((e: { tenantId: string }) => e.tenantId === clientId)).toBe(false);
    expect((await api.get(partner.token, `/api/v1/tenants/${clientId}/audit-events?cursor=not-a-cursor`)).status).toBe(400);
  });

  it('a mutation that fails writes none', async () => {
    const clientId = await api.createClientTenant(partner.token, 'Failing');
    const before = await count(clientId);
    const clientToken = await api.clientToken(partner.token, clientId, ['admin']);
    const afterSetup = await count(clientId);
    expect(afterSetup).toBe(before + 1);
    expect((await api.patch(clientToken, `/api/v1/tenants/${clientId}`, { status: 'SUSPENDED' })).status).toBe(403);
    expect((await api.post(partner.token, `/api/v1/tenants/${clientId}/api-clients`, { name: 'x', roles: ['nope'] })).status).toBe(400);
    expect((await api.delete(partner.token, `/api/v1/tenants/${clientId}/api-clients/00000000-0000-4000-8000-000000000000`)).status).toBe(
      404,
    );
    expect(await count(clientId)).toBe(afterSetup);
  });

  it('a change that changes nothing writes nothing', async () => {
    const clientId = await api.createClientTenant(partner.token, 'Same');
    const before = await count(clientId);
    await api.patch(partner.token, `/api/v1/tenants/${clientId}`, { name: 'Same' });
    expect(await count(clientId)).toBe(before);
  });

  it('the audit log is append-only in the database itself', async () => {
    const client = new pg.Client({ connectionString: t.config.database.url });
    await client.connect();
    try {
      await expect(client.query('UPDATE audit_events SET action = $1', ['tampered'])).rejects.toThrow(/append-only/);
      await expect(client.query('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });
});
