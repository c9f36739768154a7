import { JwtService } from '@nestjs/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '@gateway-control-plane/agent';
import { healthyNode, healthySession } from './support/fleet.js';
import { Api } from './support/api.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const NUL = 'bad\u0000name';
const LONE_SURROGATE = 'bad\ud800name';
const HOSTILE = [NUL, LONE_SURROGATE, 'bad\udc00name'];

const expectProblem = (
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  response: { status: number; headers: Record<string, string> | Headers; body: any },
  status: number,
  code: string,
) => {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  const type = response.headers instanceof Headers ? response.headers.get('content-type') : response.headers['content-type'];
  expect(type).toContain('application/problem+json');
  expect(response.body).toMatchObject({ status, code, detail: expect.any(String) });
};

/** `[[[…]]]` or `{"a":{"a":…}}`, `depth` levels, as raw JSON text (JSON.stringify would recurse). */
const deepJson = (depth: number, kind: 'array' | 'object') =>
  kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('hardening: hostile input is a 4xx naming the field, never a 500', () => {
  let t: TestApp;
  let api: Api;
  let partner: { token: string; tenantId: string };
  let tenantId: string;
  let admin: string;
  let gw: ReturnType<typeof healthySession>;
  let commandId: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { REGISTER_FAILURE_LIMIT: '1000' } });
    api = new Api(t);
    partner = await api.partner();
    tenantId = await api.createClientTenant(partner.token, 'Hardening client');
    admin = await api.clientToken(partner.token, tenantId, ['admin']);
    const { token } = await api.profileWithToken(admin, tenantId, 'hardening-1');
    gw = healthySession(t.url, 'CLASSIC');
    expect((await gw.register(token)).status).toBe(201);
    expect((await gw.heartbeat()).status).toBe(200);
    const queued = await api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}/commands`, { type: 'PING' });
    expect(queued.status).toBe(201);
    commandId = queued.body.id;
    const polled = await gw.pollCommands();
    expect(polled.body.commands.map((c) => c.commandId)).toContain(commandId);
  });
  afterAll(() => t?.close());

  it('a NUL or an unpaired surrogate in any stored management field is 400 INVALID_CHARACTERS naming the field', async () => {
    const profilePath = `/api/v1/tenants/${tenantId}/management-profiles`;
    const { profileId } = await api.profileWithToken(admin, tenantId, 'hardening-2');
    for (const bad of HOSTILE) {
      const cases: [PromiseLike<{ status: number; headers: Record<string, string>; body: Record<string, unknown> }>, string][] = [
        [api.post(partner.token, '/api/v1/tenants', { name: bad }), 'name'],
        [api.patch(partner.token, `/api/v1/tenants/${tenantId}`, { name: bad }), 'name'],
        [api.post(admin, `/api/v1/tenants/${tenantId}/api-clients`, { name: bad, roles: ['viewer'] }), 'name'],
        [api.post(admin, profilePath, { name: bad }), 'name'],
        [api.post(admin, profilePath, { name: 'ok', description: bad }), 'description'],
        [api.post(admin, profilePath, { name: 'ok', configuration: { proxy: { url: bad } } }), 'configuration.proxy.url'],
        [api.post(admin, profilePath, { name: 'ok', configuration: { [bad]: 1 } }), `configuration.${bad}`],
        [api.patch(admin, `${profilePath}/${profileId}`, { description: bad }), 'description'],
        [
          api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}/commands`, {
            type: 'RESTART_APP',
            parameters: { app: bad },
          }),
          'parameters.app',
        ],
      ];
      for (const [pending, field] of cases) {
        const response = await pending;
        expectProblem(response, 400, 'INVALID_CHARACTERS');
        expect(response.body.errors).toContainEqual({ field, message: expect.stringContaining('NUL') });
      }
    }
  });

  it('the same on the unauthenticated token endpoints, as a form and as JSON', async () => {
    const form = await t
      .http()
      .post('/api/v1/oauth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: NUL, client_secret: 'x' });
    expectProblem(form, 400, 'INVALID_CHARACTERS');
    expect(form.body.errors).toContainEqual({ field: 'client_id', message: expect.any(String) });
    const json = await t
      .http()
      .post('/api/v1/oauth/token')
      .send({ grant_type: 'client_credentials', client_id: LONE_SURROGATE, client_secret: 'x' });
    expectProblem(json, 400, 'INVALID_CHARACTERS');
    const gatewayToken = await call(t.url, 'POST', '/gateway/v1/token', { gatewayId: gw.gatewayId, gatewaySecret: NUL });
    expectProblem(gatewayToken, 400, 'INVALID_CHARACTERS');
    expect(gatewayToken.body.errors).toContainEqual({ field: 'gatewaySecret', message: expect.any(String) });
  });

  it('the same in the gateway protocol: register, heartbeat, command updates', async () => {
    const { token } = await api.profileWithToken(admin, tenantId, 'hardening-3');
    const fresh = healthySession(t.url, 'CLASSIC', undefined, { name: NUL });
    const register = await fresh.register(token);
    expectProblem(register, 400, 'INVALID_CHARACTERS');
    expect(register.body.errors).toContainEqual({ field: 'name', message: expect.any(String) });
    for (const [overrides, field] of [
      [{ bootId: LONE_SURROGATE }, 'bootId'],
      [{ nodes: [healthyNode(1, { hostname: NUL })] }, 'nodes[0].hostname'],
      [{ nodes: [healthyNode(1, { apps: [{ name: NUL, status: 'RUNNING', restarts: 0 }] })] }, 'nodes[0].apps[0].name'],
      [{ nodes: [healthyNode(1, { apps: [{ name: 'a', status: LONE_SURROGATE, restarts: 0 }] })] }, 'nodes[0].apps[0].status'],
    ] as const) {
      const response = await gw.heartbeat(overrides as Record<string, unknown>);
      expectProblem(response, 400, 'INVALID_CHARACTERS');
      expect(response.body.errors).toContainEqual({ field, message: expect.any(String) });
    }
    for (const [update, field] of [
      [{ state: 'RUNNING', message: NUL }, 'message'],
      [{ state: 'FAILED', errorCode: LONE_SURROGATE }, 'errorCode'],
      [{ state: 'SUCCEEDED', result: { out: NUL } }, 'result.out'],
    ] as const) {
      const response = await gw.updateCommand(commandId, update);
      expectProblem(response, 400, 'INVALID_CHARACTERS');
      expect(response.body.errors).toContainEqual({ field, message: expect.any(String) });
    }
    // Nothing reached the database: the gateway still works and the command is still running.
    expect((await gw.heartbeat()).status).toBe(200);
    expect((await gw.updateCommand(commandId, { state: 'SUCCEEDED', result: { ok: true } })).status).toBe(200);
  });

  it('the same through GraphQL, as a variable or written into the query', async () => {
    const viaVariable = await api.graphql(
      partner.token,
      'mutation($input: CreateTenantInput!) { createTenant(input: $input) { tenant { id } } }',
      {
        input: { name: NUL },
      },
    );
    expect(viaVariable.body.errors[0].extensions).toMatchObject({ code: 'INVALID_CHARACTERS', status: 400 });
    expect(viaVariable.body.errors[0].extensions.errors).toContainEqual({ field: 'variables.input.name', message: expect.any(String) });
    const inline = await api.graphql(partner.token, 'mutation { createTenant(input: { name: "bad\\u0000name" }) { tenant { id } } }');
    expect(inline.body.errors[0].extensions).toMatchObject({ code: 'INVALID_CHARACTERS', status: 400 });
    expect(inline.body.errors[0].extensions.errors).toContainEqual({ field: 'input.name', message: expect.any(String) });
    const surrogate = await api.graphql(partner.token, 'mutation { createTenant(input: { name: "bad\\ud800name" }) { tenant { id } } }');
    // GraphQL's own parser refuses an unpaired surrogate escape: a syntax error, still a 400.
    expect(surrogate.body.errors[0].extensions).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED', status: 400 });
    const tenants = await api.get(partner.token, '/api/v1/tenants?limit=100');
    expect(tenants.body.items.map((tenant: { name: string }) => tenant.name)).not.toContain(NUL);
  });

  it(`bodies nested deeper than the documented limit are 400 BODY_TOO_DEEP before any validation, on every face`, async () => {
    const routes: [string, string, Record<string, string>][] = [
      ['POST', '/api/v1/oauth/token', {}],
      ['POST', '/gateway/v1/token', {}],
      ['POST', '/gateway/v1/register', {}],
      ['POST', '/api/v1/tenants', { authorization: `Bearer ${partner.token}` }],
      ['POST', `/api/v1/tenants/${tenantId}/management-profiles`, { authorization: `Bearer ${admin}` }],
      ['POST', '/gateway/v1/heartbeat', { authorization: `Bearer ${gw.accessToken}` }],
      ['POST', `/gateway/v1/commands/${commandId}/updates`, { authorization: `Bearer ${gw.accessToken}` }],
    ];
    for (const [method, path, headers] of routes) {
      for (const kind of ['array', 'object'] as const) {
        const response = await fetch(`${t.url}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...headers },
          body: deepJson(5000, kind),
        });
        expectProblem(
          { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> },
          400,
          'BODY_TOO_DEEP',
        );
      }
    }
    // At the limit a body is still read (and then validated as usual).
    const atLimit = await api.post(admin, `/api/v1/tenants/${tenantId}/management-profiles`, {
      name: 'deep-ok',
      configuration: { a: { b: { c: 1 } } },
    });
    expect(atLimit.status).toBe(201);
  });

  it('a deep GraphQL configuration is a GraphQL validation error, as a variable or inline', async () => {
    const mutation = `mutation($input: CreateProfileInput!) { createProfile(input: $input) { profile { id } } }`;
    const body = `{"query": ${JSON.stringify(mutation)}, "variables": {"input": {"tenantId": "${tenantId}", "name": "deep", "configuration": ${deepJson(3000, 'object')}}}}`;
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body,
    });
    const answer = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(answer.errors[0]!.extensions.code).toBe('BODY_TOO_DEEP');
    const inline = `mutation { createProfile(input: { tenantId: "${tenantId}", name: "deep", configuration: ${'{a:'.repeat(3000)}1${'}'.repeat(3000)} }) { profile { id } } }`;
    const inlineAnswer = await api.graphql(admin, inline);
    expect(inlineAnswer.body.errors[0].extensions.code).not.toBe('INTERNAL');
    expect(['BODY_TOO_DEEP', 'INVALID_REQUEST', 'GRAPHQL_PARSE_FAILED']).toContain(inlineAnswer.body.errors[0].extensions.code);
    // 17 levels: within the body limit, past the configuration's own (16): the usual INVALID_REQUEST.
    const seventeen = await api.graphql(admin, mutation, {
      input: { tenantId, name: 'deep', configuration: JSON.parse(deepJson(17, 'object')) },
    });
    expect(seventeen.body.errors[0].extensions.code).toBe('INVALID_REQUEST');
  });

  it('PATCH with an explicit null: 400 on a required field, clears an optional one', async () => {
    const tenantPatch = await api.patch(partner.token, `/api/v1/tenants/${tenantId}`, { name: null });
    expectProblem(tenantPatch, 400, 'INVALID_REQUEST');
    expect(tenantPatch.body.errors).toContainEqual({ field: 'name', message: expect.any(String) });
    expectProblem(await api.patch(partner.token, `/api/v1/tenants/${tenantId}`, { status: null }), 400, 'INVALID_REQUEST');
    expectProblem(
      await api.patch(partner.token, `/api/v1/tenants/${tenantId}`, { features: { gatewayClustering: null } }),
      400,
      'INVALID_REQUEST',
    );
    const created = await api.post(admin, `/api/v1/tenants/${tenantId}/management-profiles`, {
      name: 'nulls',
      description: 'something',
      configuration: { a: 1 },
    });
    const path = `/api/v1/tenants/${tenantId}/management-profiles/${created.body.id}`;
    const profilePatch = await api.patch(admin, path, { name: null });
    expectProblem(profilePatch, 400, 'INVALID_REQUEST');
    expect(profilePatch.body.errors).toContainEqual({ field: 'name', message: expect.any(String) });
    const cleared = await api.patch(admin, path, { description: null, configuration: null });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
    expect(cleared.body).toMatchObject({ name: 'nulls', description: '', configuration: { version: 2, settings: {} } });
    const viaGraphql = await api.graphql(
      partner.token,
      `mutation { updateTenant(input: { id: "${tenantId}", name: null }) { tenant { id } } }`,
    );
    expect(viaGraphql.body.errors[0].extensions.code).toBe('INVALID_REQUEST');
  });

  it('a GraphQL body past the body limit (2.3 MB) is 413, not a reset connection', async () => {
    const query = `{ __typename ${' '.repeat(2_300_000)} }`;
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ query }),
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { errors?: { extensions: { code: string } }[]; code?: string };
    expect(body.code ?? body.errors?.[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('security headers on every answer, and no-store on answers that carry a token or a secret', async () => {
    for (const response of [
      await t.http().get('/healthz'),
      await api.get(admin, `/api/v1/tenants/${tenantId}`),
      await t
        .http()
        .post('/api/v1/oauth/token')
        .type('form')
        .send({ grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'x' }),
    ]) {
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['strict-transport-security']).toBeUndefined(); // not configured here
    }
    const { token } = await api.profileWithToken(admin, tenantId, 'hardening-no-store');
    const carriers = [
      await t
        .http()
        .post('/api/v1/oauth/token')
        .type('form')
        .send({ grant_type: 'client_credentials', client_id: 'test-partner-admin', client_secret: 'test-partner-admin-secret' }),
      await api.post(admin, `/api/v1/tenants/${tenantId}/api-clients`, { name: 'secret carrier', roles: ['viewer'] }),
      await api.post(
        admin,
        `/api/v1/tenants/${tenantId}/management-profiles/${(await api.post(admin, `/api/v1/tenants/${tenantId}/management-profiles`, { name: 'mint-carrier' })).body.id}/activation-tokens`,
        {},
      ),
      await api.graphql(admin, '{ __typename }'),
    ];
    for (const response of carriers) expect(response.headers['cache-control']).toBe('no-store');
    const registered = healthySession(t.url, 'CLASSIC');
    const register = await registered.register(token);
    expect(register.headers.get('cache-control')).toBe('no-store');
    expect((await registered.refreshToken()).headers.get('cache-control')).toBe('no-store');
  });
});

describe('hardening: HSTS and introspection in production', () => {
  let t: TestApp;
  let api: Api;

  beforeAll(async () => {
    t = await startTestApp({ env: { NODE_ENV: 'production', HSTS_MAX_AGE_SECONDS: '31536000' } });
    api = new Api(t);
  });
  afterAll(() => t?.close());

  it('HSTS is sent when configured', async () => {
    const response = await t.http().get('/healthz');
    expect(response.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('introspection answers only an authenticated caller in production; __typename is not introspection', async () => {
    const anonymous = await t.http().post('/graphql').send({ query: '{ __schema { queryType { name } } }' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.data ?? null).toBeNull();
    expect(anonymous.body.errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    const typeQuery = await t.http().post('/graphql').send({ query: '{ __type(name: "Tenant") { name } }' });
    expect(typeQuery.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const { token } = await api.partner();
    const authenticated = await api.graphql(token, '{ __schema { queryType { name } } }');
    expect(authenticated.body.data.__schema.queryType.name).toBe('Query');
  });
});

describe('hardening: limits and access of gateways', () => {
  let t: TestApp;
  let api: Api;
  let partner: { token: string; tenantId: string };
  let tenantId: string;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { REGISTER_FAILURE_LIMIT: '10', REGISTER_FAILURE_WINDOW_SECONDS: '600', TRUST_PROXY_HOPS: '1' } });
    api = new Api(t);
    partner = await api.partner();
    tenantId = await api.createClientTenant(partner.token, 'Limits client');
    admin = await api.clientToken(partner.token, tenantId, ['admin']);
  });
  afterAll(() => t?.close());

  it('200 parallel bad activation tokens from one address get no more checks than the limit (10)', async () => {
    const attempt = () =>
      call(
        t.url,
        'POST',
        '/gateway/v1/register',
        {
          activationToken: 'gwat_wrong',
          gatewayType: 'CLASSIC',
          instanceId: 'x',
          name: 'x',
          softwareVersion: '1',
          nodes: [healthyNode(1)],
        },
        { 'x-forwarded-for': '203.0.113.50' },
      );
    const answers = await Promise.all(Array.from({ length: 200 }, attempt));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(190);
    // Successes give their charge back: one address may register more gateways than the limit.
    for (let i = 0; i < 12; i++) {
      const { token } = await api.profileWithToken(admin, tenantId, `limit-ok-${i}`);
      const ok = await call(
        t.url,
        'POST',
        '/gateway/v1/register',
        { activationToken: token, gatewayType: 'CLASSIC', instanceId: `i-${i}`, name: 'x', softwareVersion: '1', nodes: [healthyNode(1)] },
        { 'x-forwarded-for': '198.51.100.9' },
      );
      expect(ok.status).toBe(201);
    }
  }, 120_000);

  it("a suspended tenant's gateways get 403 TENANT_SUSPENDED on every protocol call, minting is refused, and resuming lets them back", async () => {
    const suspendable = await api.createClientTenant(partner.token, 'Suspendable client');
    const suspendableAdmin = await api.clientToken(partner.token, suspendable, ['admin']);
    const { profileId, token } = await api.profileWithToken(suspendableAdmin, suspendable, 'to-suspend');
    const { token: spareToken } = await api.profileWithToken(suspendableAdmin, suspendable, 'spare');
    const gw = healthySession(t.url, 'CLASSIC');
    expect((await gw.register(token)).status).toBe(201);
    expect((await gw.heartbeat()).status).toBe(200);

    expect((await api.patch(partner.token, `/api/v1/tenants/${suspendable}`, { status: 'SUSPENDED' })).status).toBe(200);
    expectProblem(await gw.heartbeat(), 403, 'TENANT_SUSPENDED');
    expectProblem(await gw.pollCommands(), 403, 'TENANT_SUSPENDED');
    expectProblem(await gw.refreshToken(), 403, 'TENANT_SUSPENDED');
    expectProblem(await gw.updateCommand('00000000-0000-4000-8000-000000000000', { state: 'RUNNING' }), 403, 'TENANT_SUSPENDED');
    expectProblem(await gw.deregister(), 403, 'TENANT_SUSPENDED');
    expectProblem(await healthySession(t.url, 'CLASSIC').register(spareToken), 403, 'TENANT_SUSPENDED');
    const mint = await api.post(partner.token, `/api/v1/tenants/${suspendable}/management-profiles/${profileId}/activation-tokens`, {});
    expectProblem(mint, 403, 'TENANT_SUSPENDED');

    expect((await api.patch(partner.token, `/api/v1/tenants/${suspendable}`, { status: 'ACTIVE' })).status).toBe(200);
    expect((await gw.heartbeat()).status).toBe(200);
    expect((await gw.refreshToken()).status).toBe(200);
    expect((await gw.pollCommands()).status).toBe(200);
  });

  it('a retried registration rotates the secret and a new credential generation: older access tokens are 401', async () => {
    const { token } = await api.profileWithToken(admin, tenantId, 'rotation');
    const gw = healthySession(t.url, 'CLASSIC');
    expect((await gw.register(token)).status).toBe(201);
    const firstToken = gw.accessToken!;
    expect(new JwtService().decode(firstToken)).toMatchObject({ gen: 1 });
    expect((await gw.heartbeat()).status).toBe(200);
    expect((await gw.register(token)).status).toBe(200); // the same instance retries: a fresh secret
    expect(new JwtService().decode(gw.accessToken!)).toMatchObject({ gen: 2 });
    expect((await gw.heartbeat()).status).toBe(200);
    const stale = healthySession(t.url, 'CLASSIC');
    stale.accessToken = firstToken;
    expectProblem(await stale.heartbeat(), 401, 'ACCESS_TOKEN_REVOKED');
    expectProblem(await stale.pollCommands(), 401, 'ACCESS_TOKEN_REVOKED');
    // The new secret's tokens carry the new generation.
    expect((await gw.refreshToken()).status).toBe(200);
    expect(new JwtService().decode(gw.accessToken!)).toMatchObject({ gen: 2 });
    expect((await gw.pollCommands()).status).toBe(200);
  });
});
