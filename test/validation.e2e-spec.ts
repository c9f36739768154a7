import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from './support/api.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const expectProblem = (
  response: { status: number; headers: Record<string, string>; body: Record<string, unknown> },
  status: number,
  code: string,
) => {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.body).toMatchObject({ status, code, title: expect.any(String), detail: expect.any(String), type: expect.any(String) });
};

describe('input validation: a client mistake is a 4xx problem, never a 500', () => {
  let t: TestApp;
  let api: Api;
  let partner: { token: string; tenantId: string };

  beforeAll(async () => {
    t = await startTestApp({ env: { BODY_LIMIT_BYTES: '4096' } });
    api = new Api(t);
    partner = await api.partner();
  });
  afterAll(() => t?.close());

  it('malformed JSON is 400 INVALID_REQUEST', async () => {
    const response = await t
      .http()
      .post('/api/v1/tenants')
      .set('authorization', `Bearer ${partner.token}`)
      .set('content-type', 'application/json')
      .send('{"name": ');
    expectProblem(response, 400, 'INVALID_REQUEST');
  });

  it('a wrong type is 400 with the field named', async () => {
    const response = await api.post(partner.token, '/api/v1/tenants', { name: 42 });
    expectProblem(response, 400, 'INVALID_REQUEST');
    expect(response.body.errors).toContainEqual({ field: 'name', message: expect.stringContaining('string') });
    const nested = await api.post(partner.token, '/api/v1/tenants', { name: 'x', features: { gatewayClustering: 'yes' } });
    expect(nested.body.errors).toContainEqual({ field: 'features.gatewayClustering', message: expect.any(String) });
  });

  it('an unknown field is 400 on the management API', async () => {
    const response = await api.post(partner.token, '/api/v1/tenants', { name: 'x', kind: 'PARTNER' });
    expectProblem(response, 400, 'INVALID_REQUEST');
    expect(response.body.errors).toContainEqual({ field: 'kind', message: expect.stringContaining('should not exist') });
  });

  it('a missing required field, a too-long string and an unknown enum value are 400', async () => {
    expectProblem(await api.post(partner.token, '/api/v1/tenants', {}), 400, 'INVALID_REQUEST');
    expectProblem(await api.post(partner.token, '/api/v1/tenants', { name: 'x'.repeat(201) }), 400, 'INVALID_REQUEST');
    expectProblem(
      await api.post(partner.token, `/api/v1/tenants/${partner.tenantId}/api-clients`, { name: 'x', roles: ['root'] }),
      400,
      'INVALID_REQUEST',
    );
    expectProblem(
      await api.post(partner.token, `/api/v1/tenants/${partner.tenantId}/api-clients`, { name: 'x', roles: [] }),
      400,
      'INVALID_REQUEST',
    );
  });

  it('a JSON array or scalar body where an object is expected is 400', async () => {
    const response = await t
      .http()
      .post('/api/v1/tenants')
      .set('authorization', `Bearer ${partner.token}`)
      .set('content-type', 'application/json')
      .send('[1,2]');
    expect(response.status).toBe(400);
    const scalar = await t
      .http()
      .post('/api/v1/tenants')
      .set('authorization', `Bearer ${partner.token}`)
      .set('content-type', 'application/json')
      .send('"x"');
    expect(scalar.status).toBe(400);
  });

  it('a body past the documented limit is 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await api.post(partner.token, '/api/v1/tenants', { name: 'x'.repeat(5000) });
    expectProblem(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('an unsupported content type is 415', async () => {
    const response = await t
      .http()
      .post('/api/v1/tenants')
      .set('authorization', `Bearer ${partner.token}`)
      .set('content-type', 'text/csv')
      .send('a,b');
    expectProblem(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('query parameters are validated: bad limit, bad cursor, unknown parameter', async () => {
    expectProblem(await api.get(partner.token, '/api/v1/tenants?limit=0'), 400, 'INVALID_REQUEST');
    expectProblem(await api.get(partner.token, '/api/v1/tenants?limit=abc'), 400, 'INVALID_REQUEST');
    expectProblem(await api.get(partner.token, '/api/v1/tenants?cursor=not-a-cursor'), 400, 'INVALID_REQUEST');
    expectProblem(await api.get(partner.token, '/api/v1/tenants?colour=red'), 400, 'INVALID_REQUEST');
  });

  it('an id that is not a UUID is 404, and an unknown route is a 404 problem', async () => {
    expectProblem(await api.get(partner.token, '/api/v1/tenants/not-a-uuid'), 404, 'TENANT_NOT_FOUND');
    expectProblem(
      await api.delete(partner.token, `/api/v1/tenants/${partner.tenantId}/api-clients/not-a-uuid`),
      404,
      'API_CLIENT_NOT_FOUND',
    );
    expectProblem(await api.get(partner.token, '/api/v1/nothing-here'), 404, 'NOT_FOUND');
  });

  it('cursor pages walk the whole list once, newest first', async () => {
    for (let i = 0; i < 5; i++) await api.createClientTenant(partner.token, `paged ${i}`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { name: string }[]; nextCursor: string | null } } = await api.get(
        partner.token,
        `/api/v1/tenants?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.items.map((tenant) => tenant.name));
      cursor = page.body.nextCursor;
    } while (cursor);
    const paged = seen.filter((name) => name.startsWith('paged'));
    expect(paged).toEqual(['paged 4', 'paged 3', 'paged 2', 'paged 1', 'paged 0']);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('GraphQL: a malformed query, an unknown field and a wrong type are client errors with a code', async () => {
    const syntax = await api.graphql(partner.token, '{ viewer { ');
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors[0].extensions.code).toBeDefined();
    const unknown = await api.graphql(partner.token, '{ viewer { password } }');
    expect(unknown.status).toBe(400);
    const wrongType = await api.graphql(partner.token, 'mutation { createTenant(input: { name: 42 }) { tenant { id } } }');
    expect(wrongType.status).toBe(400);
    const invalid = await api.graphql(partner.token, `mutation { createTenant(input: { name: "${'x'.repeat(201)}" }) { tenant { id } } }`);
    expect(invalid.body.errors[0].extensions).toMatchObject({ code: 'INVALID_REQUEST', status: 400 });
  });

  it('GraphQL: a query nested past the depth limit is refused', async () => {
    const deep = '{ auditEvents { edges { node { id } } pageInfo { hasNextPage } nodes { id } } }';
    expect((await api.graphql(partner.token, deep)).body.errors).toBeUndefined();
    const tooDeep = `{ a: auditEvents { edges { node { id } } } ${Array.from({ length: 30 }, (_, i) => `b${i}: viewer { roles }`).join(' ')} }`;
    const refused = await api.graphql(partner.token, tooDeep);
    expect(refused.body.errors?.length).toBeGreaterThan(0);
  });
});
