import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from './support/api.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('tenancy', () => {
  let t: TestApp;
  let api: Api;
  let partner: { token: string; tenantId: string };
  let clientA: string;
  let clientB: string;
  let adminA: string;
  let adminB: string;

  beforeAll(async () => {
    t = await startTestApp();
    api = new Api(t);
    partner = await api.partner();
    clientA = await api.createClientTenant(partner.token, 'Client A');
    clientB = await api.createClientTenant(partner.token, 'Client B', { gatewayClustering: true });
    adminA = await api.clientToken(partner.token, clientA, ['admin']);
    adminB = await api.clientToken(partner.token, clientB, ['admin']);
  });
  afterAll(() => t?.close());

  it('a new client has gateway clustering off unless given, and belongs to the partner', async () => {
    const a = await api.get(partner.token, `/api/v1/tenants/${clientA}`);
    expect(a.body).toMatchObject({ kind: 'CLIENT', parentId: partner.tenantId, status: 'ACTIVE', features: { gatewayClustering: false } });
    const b = await api.get(partner.token, `/api/v1/tenants/${clientB}`);
    expect(b.body.features.gatewayClustering).toBe(true);
  });

  it('a partner lists itself and its clients; a client only itself', async () => {
    const all = await api.get(partner.token, '/api/v1/tenants');
    expect(all.body.items.map((tenant: { id: string }) => tenant.id).sort()).toEqual([partner.tenantId, clientA, clientB].sort());
    const own = await api.get(adminA, '/api/v1/tenants');
    expect(own.body.items.map((tenant: { id: string }) => tenant.id)).toEqual([clientA]);
  });

  it('a partner acts on its client: creates an API client there, and reads its audit log', async () => {
    const created = await api.post(partner.token, `/api/v1/tenants/${clientA}/api-clients`, { name: 'by partner', roles: ['viewer'] });
    expect(created.status).toBe(201);
    expect(created.body.tenantId).toBe(clientA);
    const audit = await api.auditActions(partner.token, clientA);
    expect(audit).toContain('api_client.created');
  });

  it('client A cannot see or change client B, or the partner, over REST (404, as if absent)', async () => {
    for (const path of [
      `/api/v1/tenants/${clientB}`,
      `/api/v1/tenants/${clientB}/api-clients`,
      `/api/v1/tenants/${clientB}/audit-events`,
      `/api/v1/tenants/${partner.tenantId}`,
    ]) {
      const response = await api.get(adminA, path);
      expect(response.status, path).toBe(404);
      expect(response.body.code).toBe('TENANT_NOT_FOUND');
    }
    expect((await api.patch(adminA, `/api/v1/tenants/${clientB}`, { name: 'hijacked' })).status).toBe(404);
    expect((await api.post(adminA, `/api/v1/tenants/${clientB}/api-clients`, { name: 'x', roles: ['admin'] })).status).toBe(404);
    const unknown = await api.get(adminA, '/api/v1/tenants/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('TENANT_NOT_FOUND');
    expect((await api.get(partner.token, `/api/v1/tenants/${clientB}`)).body.name).toBe('Client B');
  });

  it('client A cannot see or change client B over GraphQL (404)', async () => {
    const read = await api.graphql(adminA, 'query($id: ID!) { tenant(id: $id) { name } }', { id: clientB });
    expect(read.body.errors[0].extensions).toMatchObject({ code: 'TENANT_NOT_FOUND', status: 404 });
    const list = await api.graphql(adminA, 'query($id: ID) { apiClients(tenantId: $id) { nodes { id } } }', { id: clientB });
    expect(list.body.errors[0].extensions.code).toBe('TENANT_NOT_FOUND');
    const write = await api.graphql(
      adminA,
      'mutation($id: ID!) { updateTenant(input: { id: $id, name: "hijacked" }) { tenant { name } } }',
      {
        id: clientB,
      },
    );
    expect(write.body.errors[0].extensions.code).toBe('TENANT_NOT_FOUND');
    const own = await api.graphql(adminB, '{ viewer { tenant { name } } tenants { nodes { id } } }');
    expect(own.body.data.viewer.tenant.name).toBe('Client B');
    expect(own.body.data.tenants.nodes).toEqual([{ id: clientB }]);
  });

  it("only a partner creates clients, and only it changes a client's status or feature flags", async () => {
    const byClient = await api.post(adminA, '/api/v1/tenants', { name: 'grandchild' });
    expect(byClient.status).toBe(403);
    expect(byClient.body.code).toBe('ONLY_PARTNERS_CREATE_CLIENTS');
    const ownFlag = await api.patch(adminA, `/api/v1/tenants/${clientA}`, { features: { gatewayClustering: true } });
    expect(ownFlag.status).toBe(403);
    expect(ownFlag.body.code).toBe('ONLY_PARENT_MAY_CHANGE');
    const rename = await api.patch(adminA, `/api/v1/tenants/${clientA}`, { name: 'Client A renamed' });
    expect(rename.status).toBe(200);
    expect(rename.body.name).toBe('Client A renamed');
    const byPartner = await api.patch(partner.token, `/api/v1/tenants/${clientA}`, { features: { gatewayClustering: true } });
    expect(byPartner.body.features.gatewayClustering).toBe(true);
  });

  it("a suspended tenant's principals get 403 TENANT_SUSPENDED; its partner still manages it", async () => {
    const clientC = await api.createClientTenant(partner.token, 'Client C');
    const adminC = await api.clientToken(partner.token, clientC, ['admin']);
    const created = await api.post(adminC, `/api/v1/tenants/${clientC}/api-clients`, { name: 'c2', roles: ['viewer'] });
    expect((await api.patch(partner.token, `/api/v1/tenants/${clientC}`, { status: 'SUSPENDED' })).body.status).toBe('SUSPENDED');

    const blocked = await api.get(adminC, `/api/v1/tenants/${clientC}`);
    expect(blocked.status).toBe(403);
    expect(blocked.body.code).toBe('TENANT_SUSPENDED');
    const token = await t
      .http()
      .post('/api/v1/oauth/token')
      .send({ grant_type: 'client_credentials', client_id: created.body.clientId, client_secret: created.body.clientSecret });
    expect(token.status).toBe(400);
    expect(token.body).toEqual({ error: 'unauthorized_client', error_description: 'the tenant is suspended' });
    const gql = await api.graphql(adminC, '{ viewer { roles } }');
    expect(gql.body.errors[0].extensions.code).toBe('TENANT_SUSPENDED');

    const unsuspendSelf = await api.patch(adminC, `/api/v1/tenants/${clientC}`, { status: 'ACTIVE' });
    expect(unsuspendSelf.status).toBe(403);
    expect((await api.patch(partner.token, `/api/v1/tenants/${clientC}`, { status: 'ACTIVE' })).body.status).toBe('ACTIVE');
    expect((await api.get(adminC, `/api/v1/tenants/${clientC}`)).status).toBe(200);
  });
});
