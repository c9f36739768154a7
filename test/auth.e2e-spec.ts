import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JwtService } from '@nestjs/jwt';
import { ClientCredentials } from 'simple-oauth2';
import { Api } from './support/api.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { TEST_ENV } from './support/test-env.js';
import { waitFor } from './support/wait.js';

describe('authentication and roles', () => {
  let t: TestApp;
  let api: Api;
  let partner: { token: string; tenantId: string };

  beforeAll(async () => {
    t = await startTestApp();
    api = new Api(t);
    partner = await api.partner();
  });
  afterAll(() => t?.close());

  it('issues a bearer token for good client credentials, as a form or as JSON', async () => {
    const form = await t.http().post('/api/v1/oauth/token').type('form').send({
      grant_type: 'client_credentials',
      client_id: TEST_ENV.BOOTSTRAP_CLIENT_ID,
      client_secret: TEST_ENV.BOOTSTRAP_CLIENT_SECRET,
    });
    expect(form.status).toBe(200);
    expect(form.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const claims = new JwtService().decode(form.body.access_token);
    expect(claims).toMatchObject({ aud: 'management', tenantId: partner.tenantId, roles: ['admin'] });

    const json = await t.http().post('/api/v1/oauth/token').send({
      grant_type: 'client_credentials',
      client_id: TEST_ENV.BOOTSTRAP_CLIENT_ID,
      client_secret: TEST_ENV.BOOTSTRAP_CLIENT_SECRET,
    });
    expect(json.status).toBe(200);
  });

  it('a standard OAuth 2.0 client library (simple-oauth2) gets tokens with client_secret_basic and client_secret_post, as a form or as JSON', async () => {
    for (const [authorizationMethod, bodyFormat] of [
      ['header', 'form'],
      ['body', 'form'],
      ['body', 'json'],
    ] as const) {
      const client = new ClientCredentials({
        client: { id: TEST_ENV.BOOTSTRAP_CLIENT_ID!, secret: TEST_ENV.BOOTSTRAP_CLIENT_SECRET! },
        auth: { tokenHost: t.url, tokenPath: '/api/v1/oauth/token' },
        options: { authorizationMethod, bodyFormat },
      });
      const accessToken = await client.getToken({});
      expect(accessToken.token).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
      expect(accessToken.expired()).toBe(false);
      expect((await api.get(String(accessToken.token.access_token), '/api/v1/tenants')).status).toBe(200);
    }
  });

  it('the token answer is not cached (Cache-Control: no-store)', async () => {
    const response = await t.http().post('/api/v1/oauth/token').type('form').send({
      grant_type: 'client_credentials',
      client_id: TEST_ENV.BOOTSTRAP_CLIENT_ID,
      client_secret: TEST_ENV.BOOTSTRAP_CLIENT_SECRET,
    });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('a wrong secret or an unknown client is 401 invalid_client with WWW-Authenticate, and the library reports it', async () => {
    for (const [clientId, secret] of [
      [TEST_ENV.BOOTSTRAP_CLIENT_ID!, 'wrong-secret-wrong-secret'],
      ['nobody', TEST_ENV.BOOTSTRAP_CLIENT_SECRET!],
    ]) {
      const response = await t
        .http()
        .post('/api/v1/oauth/token')
        .type('form')
        .send({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret });
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toContain('application/json');
      expect(response.headers['www-authenticate']).toMatch(/^Basic realm=/);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toEqual({ error: 'invalid_client', error_description: 'unknown client_id or wrong client_secret' });

      const client = new ClientCredentials({
        client: { id: clientId, secret },
        auth: { tokenHost: t.url, tokenPath: '/api/v1/oauth/token' },
      });
      const failure = await client.getToken({}).then(
        () => undefined,
        (error: { output?: { statusCode: number }; data?: { payload?: unknown } }) => error,
      );
      expect(failure?.output?.statusCode).toBe(401);
      expect(failure?.data?.payload).toMatchObject({ error: 'invalid_client' });
    }
  });

  it('RFC 6749 errors: invalid_request, unsupported_grant_type, invalid_scope, and both authentication methods at once', async () => {
    const post = (body: Record<string, string>, authorization?: string) => {
      const request = t.http().post('/api/v1/oauth/token').type('form');
      return (authorization ? request.set('authorization', authorization) : request).send(body);
    };
    const basic = `Basic ${Buffer.from(`${TEST_ENV.BOOTSTRAP_CLIENT_ID}:${TEST_ENV.BOOTSTRAP_CLIENT_SECRET}`).toString('base64')}`;
    const good = {
      grant_type: 'client_credentials',
      client_id: TEST_ENV.BOOTSTRAP_CLIENT_ID!,
      client_secret: TEST_ENV.BOOTSTRAP_CLIENT_SECRET!,
    };
    for (const [body, authorization, status, error] of [
      [{ client_id: 'a', client_secret: 'b' }, undefined, 400, 'invalid_request'],
      [{ ...good, grant_type: 'password' }, undefined, 400, 'unsupported_grant_type'],
      [{ ...good, scope: 'admin' }, undefined, 400, 'invalid_scope'],
      [good, basic, 400, 'invalid_request'],
      [{ grant_type: 'client_credentials' }, undefined, 401, 'invalid_client'],
      [{ grant_type: 'client_credentials' }, basic, 200, undefined],
    ] as const) {
      const response = await post(body, authorization);
      expect(response.status, JSON.stringify(response.body)).toBe(status);
      if (error) expect(response.body).toMatchObject({ error, error_description: expect.any(String) });
      else expect(response.body.access_token).toEqual(expect.any(String));
    }
  });

  it('a missing, forged or expired token is 401', async () => {
    const missing = await t.http().get('/api/v1/tenants');
    expect(missing.status).toBe(401);
    expect(missing.body.code).toBe('UNAUTHENTICATED');

    const forged = await api.get(
      new JwtService().sign(
        { sub: 'x', tenantId: partner.tenantId, roles: ['admin'] },
        { secret: 'not-the-server-secret-not-the-server-secret', audience: 'management', issuer: 'gateway-control-plane' },
      ),
      '/api/v1/tenants',
    );
    expect(forged.status).toBe(401);

    const claims = new JwtService().decode<{ sub: string }>(partner.token);
    const expired = new JwtService().sign(
      { tenantId: partner.tenantId, roles: ['admin'], exp: Math.floor(Date.now() / 1000) - 10 },
      { secret: TEST_ENV.JWT_SECRET, audience: 'management', issuer: 'gateway-control-plane', subject: claims.sub },
    );
    const expiredResponse = await api.get(expired, '/api/v1/tenants');
    expect(expiredResponse.status).toBe(401);
    expect(expiredResponse.body.code).toBe('ACCESS_TOKEN_EXPIRED');
  });

  it('a gateway token (audience gateway) is refused by the management API', async () => {
    const claims = new JwtService().decode<{ sub: string }>(partner.token);
    const gatewayToken = new JwtService().sign(
      { tenantId: partner.tenantId },
      { secret: TEST_ENV.JWT_SECRET, audience: 'gateway', issuer: 'gateway-control-plane', subject: claims.sub },
    );
    expect((await api.get(gatewayToken, '/api/v1/tenants')).status).toBe(401);
  });

  it('a viewer reads but cannot write (403); an operator cannot administer (403)', async () => {
    const viewer = await api.clientToken(partner.token, partner.tenantId, ['viewer']);
    expect((await api.get(viewer, `/api/v1/tenants/${partner.tenantId}`)).status).toBe(200);
    const write = await api.patch(viewer, `/api/v1/tenants/${partner.tenantId}`, { name: 'renamed' });
    expect(write.status).toBe(403);
    expect(write.body.code).toBe('FORBIDDEN');
    const operator = await api.clientToken(partner.token, partner.tenantId, ['operator']);
    const create = await api.post(operator, `/api/v1/tenants/${partner.tenantId}/api-clients`, { name: 'x', roles: ['admin'] });
    expect(create.status).toBe(403);
    const gql = await api.graphql(viewer, 'mutation { createTenant(input: { name: "x" }) { tenant { id } } }');
    expect(gql.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('a deleted API client loses access at once', async () => {
    const created = await api.post(partner.token, `/api/v1/tenants/${partner.tenantId}/api-clients`, {
      name: 'short-lived',
      roles: ['viewer'],
    });
    const token = await api.token(created.body.clientId, created.body.clientSecret);
    expect((await api.get(token, '/api/v1/tenants')).status).toBe(200);
    expect((await api.delete(partner.token, `/api/v1/tenants/${partner.tenantId}/api-clients/${created.body.id}`)).status).toBe(204);
    expect((await api.get(token, '/api/v1/tenants')).status).toBe(401);
    const again = await t
      .http()
      .post('/api/v1/oauth/token')
      .send({ grant_type: 'client_credentials', client_id: created.body.clientId, client_secret: created.body.clientSecret });
    expect(again.status).toBe(401);
  });

  it('another process of the deployment stops honouring a deleted API client and a suspended tenant within ACCESS_CACHE_MS', async () => {
    // Each process keeps the API client and tenant rows for ACCESS_CACHE_MS; the one that made the change forgets them at once.
    const cacheMs = 200;
    const other = await startTestApp({ shareWith: t, env: { ACCESS_CACHE_MS: String(cacheMs) } });
    try {
      const otherApi = new Api(other);
      const client = await api.createClientTenant(partner.token, 'Cached client');
      const created = await api.post(partner.token, `/api/v1/tenants/${client}/api-clients`, { name: 'cached', roles: ['admin'] });
      const spare = await api.clientToken(partner.token, client, ['viewer']);
      const token = await api.token(created.body.clientId, created.body.clientSecret);
      // Read through the other process, so that it holds both rows.
      expect((await otherApi.get(token, `/api/v1/tenants/${client}`)).status).toBe(200);
      expect((await otherApi.get(spare, `/api/v1/tenants/${client}`)).status).toBe(200);

      const deletedAt = Date.now();
      expect((await api.delete(partner.token, `/api/v1/tenants/${client}/api-clients/${created.body.id}`)).status).toBe(204);
      await waitFor(
        () => otherApi.get(token, `/api/v1/tenants/${client}`),
        (response) => response.status === 401,
        cacheMs + 2000,
        25,
      );
      expect(Date.now() - deletedAt).toBeLessThan(cacheMs + 700);

      const suspendedAt = Date.now();
      expect((await api.patch(partner.token, `/api/v1/tenants/${client}`, { status: 'SUSPENDED' })).status).toBe(200);
      const blocked = await waitFor(
        () => otherApi.get(spare, `/api/v1/tenants/${client}`),
        (response) => response.status === 403,
        cacheMs + 2000,
        25,
      );
      expect(Date.now() - suspendedAt).toBeLessThan(cacheMs + 700);
      expect(blocked.body.code).toBe('TENANT_SUSPENDED');
      // The process that suspended it refuses at once.
      expect((await api.get(spare, `/api/v1/tenants/${client}`)).status).toBe(403);
    } finally {
      await other.close();
    }
  });

  it('an API client secret is shown once and never listed', async () => {
    const created = await api.post(partner.token, `/api/v1/tenants/${partner.tenantId}/api-clients`, { name: 'listed', roles: ['viewer'] });
    expect(created.body.clientSecret).toMatch(/^gcs_/);
    const list = await api.get(partner.token, `/api/v1/tenants/${partner.tenantId}/api-clients`);
    expect(JSON.stringify(list.body)).not.toContain(created.body.clientSecret);
    expect(list.body.items.find((c: { id: string }) => c.id === created.body.id)).toMatchObject({ name: 'listed', roles: ['viewer'] });
    const audit = await api.get(partner.token, `/api/v1/tenants/${partner.tenantId}/audit-events?limit=200`);
    expect(JSON.stringify(audit.body)).not.toContain(created.body.clientSecret);
  });
});
