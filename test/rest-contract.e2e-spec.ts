import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthySession } from './support/fleet.js';
import { Api } from './support/api.js';
import { checkResponse } from './support/response-validator.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('REST contract: Location, ETag and If-Match, answers checked against openapi/openapi.yaml', () => {
  let t: TestApp;
  let api: Api;
  let partner: { token: string; tenantId: string };

  beforeAll(async () => {
    t = await startTestApp();
    api = new Api(t);
    partner = await api.partner();
  });
  afterAll(() => t?.close());

  it('the response check finds an answer that breaks the document: a missing field, a wrong media type, a bad problem', () => {
    const path = `/api/v1/tenants/${partner.tenantId}`;
    expect(checkResponse('GET', path, 418, { 'content-type': 'application/json' }, '{}')[0]).toMatch(
      /content type application\/json, documented application\/problem\+json/,
    );
    expect(checkResponse('GET', path, 404, { 'content-type': 'application/problem+json' }, '{"status":404}')[0]).toMatch(
      /must have required property/,
    );
    expect(checkResponse('GET', path, 200, { 'content-type': 'application/json' }, '{"id":"x"}')[0]).toMatch(/must have required property/);
    expect(checkResponse('GET', path, 404, { 'content-type': 'application/json' }, '{}')[0]).toMatch(/content type application\/json/);
    expect(checkResponse('GET', '/graphql', 200, {}, 'anything')).toEqual([]);
  });

  it('every 201 carries Location, and the URL it names answers with the object (or deletes it, where it has no GET)', async () => {
    const tenant = await api.post(partner.token, '/api/v1/tenants', { name: 'Location client', features: { gatewayClustering: true } });
    expect(tenant.status).toBe(201);
    expect(tenant.headers.location).toBe(`/api/v1/tenants/${tenant.body.id}`);
    expect((await api.get(partner.token, tenant.headers.location)).body.id).toBe(tenant.body.id);
    const tenantId = tenant.body.id as string;

    const client = await api.post(partner.token, `/api/v1/tenants/${tenantId}/api-clients`, { name: 'ops', roles: ['admin'] });
    expect(client.headers.location).toBe(`/api/v1/tenants/${tenantId}/api-clients/${client.body.id}`);
    const admin = await api.token(client.body.clientId, client.body.clientSecret);

    const profile = await api.post(admin, `/api/v1/tenants/${tenantId}/management-profiles`, { name: 'loc-1' });
    expect(profile.headers.location).toBe(`/api/v1/tenants/${tenantId}/management-profiles/${profile.body.id}`);
    expect((await api.get(admin, profile.headers.location)).body.name).toBe('loc-1');

    const minted = await api.post(admin, `${profile.headers.location}/activation-tokens`, {});
    expect(minted.headers.location).toBe(`${profile.headers.location}/activation-tokens/${minted.body.id}`);

    const gateway = healthySession(t.url, 'CLASSIC');
    const registered = await gateway.register(minted.body.token);
    expect(registered.status).toBe(201);
    expect(registered.headers.get('location')).toBe(`/api/v1/tenants/${tenantId}/gateways/${gateway.gatewayId!}`);
    expect((await api.get(admin, registered.headers.get('location')!)).body.id).toBe(gateway.gatewayId);

    const command = await api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${gateway.gatewayId}/commands`, { type: 'PING' });
    expect(command.headers.location).toBe(`/api/v1/tenants/${tenantId}/commands/${command.body.id}`);
    expect((await api.get(admin, command.headers.location)).body.history).toHaveLength(1);

    const bulk = await api.post(admin, `/api/v1/tenants/${tenantId}/bulk-commands`, {
      type: 'PING',
      targets: { gatewayIds: [gateway.gatewayId] },
    });
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(201);
    expect(bulk.headers.location).toBe(`/api/v1/tenants/${tenantId}/bulk-commands/${bulk.body.id}`);
    expect((await api.get(admin, bulk.headers.location)).body.id).toBe(bulk.body.id);

    const migration = await api.post(admin, `/api/v1/tenants/${tenantId}/migrations`, {
      profileId: profile.body.id,
      targetGatewayType: 'CLUSTER',
    });
    expect(migration.status, JSON.stringify(migration.body)).toBe(201);
    expect(migration.headers.location).toBe(`/api/v1/tenants/${tenantId}/migrations/${migration.body.id}`);
    const read = await api.get(admin, migration.headers.location);
    expect(read.body).toMatchObject({ id: migration.body.id, activationToken: null });

    const other = await api.profileWithToken(admin, tenantId, 'loc-2');
    const second = healthySession(t.url, 'CLASSIC');
    expect((await second.register(other.token)).status).toBe(201);
    const replacement = await api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${second.gatewayId!}/replace`, {});
    expect(replacement.status, JSON.stringify(replacement.body)).toBe(201);
    expect(replacement.headers.location).toBe(
      `/api/v1/tenants/${tenantId}/management-profiles/${other.profileId}/activation-tokens/${replacement.body.activationToken.id}`,
    );
    expect((await api.delete(admin, replacement.headers.location)).status).toBe(204);
  });

  it("a profile's GET sends its version as ETag; PATCH with that If-Match applies, with a stale one is 412 and changes nothing", async () => {
    const tenantId = await api.createClientTenant(partner.token, 'ETag client');
    const admin = await api.clientToken(partner.token, tenantId, ['admin']);
    const created = await api.post(admin, `/api/v1/tenants/${tenantId}/management-profiles`, { name: 'etag-1', configuration: { a: 1 } });
    const url = created.headers.location as string;

    const read = await api.get(admin, url);
    const etag = read.headers.etag as string;
    expect(etag).toBe(`"${read.body.version}"`);

    const first = await api.patch(admin, url, { configuration: { a: 2 } }).set('if-match', etag);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.headers.etag).not.toBe(etag);
    expect(first.headers.etag).toBe(`"${first.body.version}"`);

    // A second script still holding the first read.
    const stale = await api.patch(admin, url, { configuration: { a: 3 } }).set('if-match', etag);
    expect(stale.status).toBe(412);
    expect(stale.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(stale.body.code).toBe('PRECONDITION_FAILED');
    expect((await api.get(admin, url)).body.configuration.settings).toEqual({ a: 2 });

    expect((await api.patch(admin, url, { description: 'any version' }).set('if-match', '*')).status).toBe(200);
    expect((await api.patch(admin, url, { description: 'weak' }).set('if-match', `W/${first.headers.etag}`)).status).toBe(412);
    expect((await api.patch(admin, url, { description: 'no condition' })).status).toBe(200);
  });
});
