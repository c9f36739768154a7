import { JwtService } from '@nestjs/jwt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '@gateway-control-plane/agent';
import { Api } from './support/api.js';
import { Fleet, healthyNode } from './support/fleet.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { TEST_ENV } from './support/test-env.js';

describe('gateway protocol: registration, credentials, de-registration', () => {
  let t: TestApp;
  let api: Api;
  let partner: { token: string; tenantId: string };
  let tenantId: string;
  let admin: string;
  let noClusterTenant: string;
  let noClusterAdmin: string;

  let fleet: Fleet;
  const gateway = (type: 'CLASSIC' | 'CLUSTER' = 'CLASSIC', instanceId?: string) => fleet.session(type, undefined, { instanceId });
  const profilePath = (profileId: string, tenant = tenantId) => `/api/v1/tenants/${tenant}/management-profiles/${profileId}`;

  beforeAll(async () => {
    t = await startTestApp({ env: { REGISTER_FAILURE_LIMIT: '1000' } });
    api = new Api(t);
    partner = await api.partner();
    tenantId = await api.createClientTenant(partner.token, 'Gateway client', { gatewayClustering: true });
    admin = await api.clientToken(partner.token, tenantId, ['admin']);
    fleet = new Fleet(api, tenantId, admin, t.url);
    noClusterTenant = await api.createClientTenant(partner.token, 'Classic-only client');
    noClusterAdmin = await api.clientToken(partner.token, noClusterTenant, ['admin']);
  });
  afterAll(() => t?.close());

  it('a classic gateway registers: 201 with its credential, and the profile turns CONNECTED', async () => {
    const settings = { proxy: { url: 'http://proxy:3128' } };
    const { profileId, token } = await api.profileWithToken(admin, tenantId, 'classic-1', { configuration: settings });
    const gw = gateway();
    const response = await gw.register(token);
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      gatewayId: expect.any(String),
      profileId,
      tenantId,
      gatewaySecret: expect.stringMatching(/^gws_/),
      accessToken: expect.any(String),
      accessTokenExpiresIn: 3600,
      heartbeatIntervalSeconds: 30,
      configuration: { version: 1, settings },
      egressEndpoints: ['registry-1.docker.io:443', 'quay.io:443'],
    });
    const claims = new JwtService().decode(response.body.accessToken);
    expect(claims).toMatchObject({ aud: 'gateway', sub: gw.gatewayId, tenantId });
    const profile = await api.get(admin, profilePath(profileId));
    expect(profile.body).toMatchObject({ status: 'CONNECTED', gatewayType: 'CLASSIC', activeGatewayId: gw.gatewayId });
    const view = await api.get(admin, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}`);
    expect(view.body).toMatchObject({
      status: 'REGISTERED',
      type: 'CLASSIC',
      softwareVersion: '0.9.6',
      lastHeartbeatAt: null,
      health: 'HEALTHY',
    });
    expect(view.body.nodes).toHaveLength(1);
    expect(JSON.stringify(view.body)).not.toContain(gw.gatewaySecret!.slice(4));
    expect(await api.auditActions(admin, tenantId)).toContain('gateway.registered');
  });

  it('unknown fields in a protocol request are ignored, not rejected', async () => {
    const { token } = await api.profileWithToken(admin, tenantId, 'lenient');
    const response = await gateway().register(token, { futureField: { anything: true }, nodes: [{ ...healthyNode(1), gpuCount: 2 }] });
    expect(response.status).toBe(201);
  });

  it('a malformed registration is 400 INVALID_REQUEST with the offending fields', async () => {
    const { token } = await api.profileWithToken(admin, tenantId, 'malformed');
    const classicWithTwo = await gateway().register(token, { nodes: [healthyNode(1), healthyNode(2)] });
    expect(classicWithTwo.status).toBe(400);
    expect(classicWithTwo.body).toMatchObject({ code: 'INVALID_REQUEST', errors: [{ field: 'nodes', message: expect.any(String) }] });
    const badNode = await gateway('CLUSTER').register(token, { nodes: [healthyNode(1), { ...healthyNode(2), cpuCores: 'four' }] });
    expect(badNode.status).toBe(400);
    expect(badNode.body.errors).toContainEqual({ field: 'nodes[1].cpuCores', message: expect.any(String) });
    const badType = await call(t.url, 'POST', '/gateway/v1/register', {
      activationToken: token,
      gatewayType: 'MAINFRAME',
      instanceId: 'x',
      name: 'x',
      softwareVersion: '1',
      nodes: [healthyNode(1)],
    });
    expect(badType.body.errors).toContainEqual({ field: 'gatewayType', message: expect.any(String) });
    // the token was not consumed by the failed attempts
    expect((await gateway().register(token)).status).toBe(201);
  });

  it('each activation-token failure answers its own 401 code', async () => {
    expect((await gateway().register('gwat_not-a-real-token')).body.code).toBe('ACTIVATION_TOKEN_INVALID');
    const { profileId, token: revoked, tokenId } = await api.profileWithToken(admin, tenantId, 'token-codes');
    await api.delete(admin, `${profilePath(profileId)}/activation-tokens/${tokenId}`);
    const revokedAnswer = await gateway().register(revoked);
    expect(revokedAnswer.status).toBe(401);
    expect(revokedAnswer.body.code).toBe('ACTIVATION_TOKEN_REVOKED');

    const { token: expiring, tokenId: expiringId } = await api.mintToken(admin, tenantId, profileId, 60);
    const db = new pg.Client({ connectionString: t.config.database.url });
    await db.connect();
    await db.query(
      `UPDATE activation_tokens SET created_at = now() - interval '2 minutes', expires_at = now() - interval '1 second' WHERE id = $1`,
      [expiringId],
    );
    await db.end();
    expect((await gateway().register(expiring)).body.code).toBe('ACTIVATION_TOKEN_EXPIRED');

    const { token } = await api.mintToken(admin, tenantId, profileId);
    expect((await gateway().register(token)).status).toBe(201);
    const second = await gateway().register(token);
    expect(second.status).toBe(401);
    expect(second.body.code).toBe('ACTIVATION_TOKEN_USED');
  });

  it('a retry with the same token and instance answers 200 with the same gateway and a fresh secret; the old secret stops working', async () => {
    const { token } = await api.profileWithToken(admin, tenantId, 'retry');
    const first = gateway('CLASSIC', 'instance-retry');
    expect((await first.register(token)).status).toBe(201);
    const oldSecret = first.gatewaySecret;
    const again = gateway('CLASSIC', 'instance-retry');
    const retry = await again.register(token);
    expect(retry.status).toBe(200);
    expect(retry.body.gatewayId).toBe(first.gatewayId);
    expect(retry.body.gatewaySecret).not.toBe(oldSecret);
    expect((await again.refreshToken()).status).toBe(200);
    const stale = await call(t.url, 'POST', '/gateway/v1/token', { gatewayId: first.gatewayId, gatewaySecret: oldSecret });
    expect(stale.status).toBe(401);
    expect(stale.body.code).toBe('GATEWAY_CREDENTIAL_INVALID');
  });

  it('a cluster on a tenant without gateway clustering is 403 FEATURE_NOT_ENABLED; a classic gateway still works', async () => {
    const { token } = await api.profileWithToken(noClusterAdmin, noClusterTenant, 'no-cluster');
    const refused = await gateway('CLUSTER').register(token);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FEATURE_NOT_ENABLED');
    expect((await gateway('CLASSIC').register(token)).status).toBe(201);
  });

  it('a profile with an active gateway refuses another: 409 PROFILE_HAS_ACTIVE_GATEWAY, and cannot be deleted', async () => {
    const { profileId, token } = await api.profileWithToken(admin, tenantId, 'one-active');
    expect((await gateway().register(token)).status).toBe(201);
    const { token: second } = await api.mintToken(admin, tenantId, profileId);
    const refused = await gateway().register(second);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('PROFILE_HAS_ACTIVE_GATEWAY');
    const remove = await api.delete(admin, profilePath(profileId));
    expect(remove.status).toBe(409);
    expect(remove.body.code).toBe('PROFILE_HAS_ACTIVE_GATEWAY');
  });

  it('of 20 parallel registrations with one token from different instances exactly one wins, and the profile has one gateway', async () => {
    const { profileId, token } = await api.profileWithToken(admin, tenantId, 'parallel');
    const answers = await Promise.all(Array.from({ length: 20 }, () => gateway().register(token)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 401).every((a) => a.body.code === 'ACTIVATION_TOKEN_USED')).toBe(true);
    const list = await api.get(admin, `/api/v1/tenants/${tenantId}/gateways?profileId=${profileId}`);
    expect(list.body.items).toHaveLength(1);
  });

  it('parallel registrations on one profile with two valid tokens still leave one active gateway', async () => {
    const { profileId } = await api.profileWithToken(admin, tenantId, 'two-tokens');
    // Two live tokens exist only when the rule "minting revokes older tokens" is bypassed; make them directly.
    const tokens = await Promise.all([api.mintToken(admin, tenantId, profileId), api.mintToken(admin, tenantId, profileId)]);
    const db = new pg.Client({ connectionString: t.config.database.url });
    await db.connect();
    await db.query(`UPDATE activation_tokens SET revoked_at = NULL, revoked_reason = NULL WHERE profile_id = $1`, [profileId]);
    await db.end();
    const answers = await Promise.all(tokens.map(({ token }) => gateway().register(token)));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
  });

  it('the token endpoint: a fresh token for the secret; a wrong secret is GATEWAY_CREDENTIAL_INVALID', async () => {
    const { token } = await api.profileWithToken(admin, tenantId, 'token-endpoint');
    const gw = gateway();
    await gw.register(token);
    const fresh = await gw.refreshToken();
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ accessToken: expect.any(String), accessTokenExpiresIn: 3600 });
    for (const body of [
      { gatewayId: gw.gatewayId, gatewaySecret: 'gws_wrong' },
      { gatewayId: '00000000-0000-4000-8000-000000000000', gatewaySecret: gw.gatewaySecret },
      { gatewayId: 'not-a-uuid', gatewaySecret: gw.gatewaySecret },
    ]) {
      const wrong = await call(t.url, 'POST', '/gateway/v1/token', body);
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe('GATEWAY_CREDENTIAL_INVALID');
    }
  });

  it('an expired gateway token is 401 ACCESS_TOKEN_EXPIRED; a user token is refused by the protocol, a gateway token by the management API', async () => {
    const { token } = await api.profileWithToken(admin, tenantId, 'expired-token');
    const gw = gateway();
    await gw.register(token);
    const claims = new JwtService().decode<Record<string, unknown>>(gw.accessToken!);
    const expired = new JwtService().sign(
      { tenantId, profileId: claims.profileId, gatewayType: 'CLASSIC', exp: Math.floor(Date.now() / 1000) - 5 },
      { secret: TEST_ENV.JWT_SECRET, audience: 'gateway', issuer: 'gateway-control-plane', subject: gw.gatewayId! },
    );
    const withExpired = await call(
      t.url,
      'POST',
      '/gateway/v1/heartbeat',
      { bootId: 'b', sequence: 1, sentAt: new Date().toISOString(), softwareVersion: '1', nodes: [healthyNode(1)] },
      { authorization: `Bearer ${expired}` },
    );
    expect(withExpired.status).toBe(401);
    expect(withExpired.body.code).toBe('ACCESS_TOKEN_EXPIRED');
    gw.accessToken = admin;
    expect((await gw.heartbeat()).status).toBe(401);
    await gw.refreshToken();
    expect((await api.get(gw.accessToken, '/api/v1/tenants')).status).toBe(401);
    expect((await call(t.url, 'POST', '/gateway/v1/heartbeat', {})).status).toBe(401);
  });

  it('de-registration by a user: the credential stops at once, the profile is NOT_REGISTERED with its configuration, the gateway stays for history', async () => {
    const settings = { discovery: { subnets: ['10.1.0.0/16'] } };
    const { profileId, token } = await api.profileWithToken(admin, tenantId, 'dereg-user', { configuration: settings });
    const gw = gateway();
    await gw.register(token);
    expect((await gw.heartbeat()).status).toBe(200);
    const response = await api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}/deregister`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'DEREGISTERED', deregistrationReason: 'BY_USER', deregisteredAt: expect.any(String) });
    const heartbeat = await gw.heartbeat();
    expect(heartbeat.status).toBe(401);
    expect(heartbeat.body.code).toBe('GATEWAY_DEREGISTERED');
    expect((await gw.refreshToken()).body.code).toBe('GATEWAY_DEREGISTERED');
    const profile = await api.get(admin, profilePath(profileId));
    expect(profile.body).toMatchObject({ status: 'NOT_REGISTERED', activeGatewayId: null, configuration: { version: 1, settings } });
    const history = await api.get(admin, `/api/v1/tenants/${tenantId}/gateways?profileId=${profileId}&status=DEREGISTERED`);
    expect(history.body.items.map((g: { id: string }) => g.id)).toEqual([gw.gatewayId]);
    // a second de-registration changes nothing and writes no audit event
    const before = await api.auditActions(admin, tenantId);
    expect((await api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}/deregister`)).status).toBe(200);
    expect(await api.auditActions(admin, tenantId)).toEqual(before);
    // the profile takes a new gateway
    const { token: next } = await api.mintToken(admin, tenantId, profileId);
    expect((await gateway().register(next)).status).toBe(201);
  });

  it('de-registration by the gateway itself', async () => {
    const { profileId, token } = await api.profileWithToken(admin, tenantId, 'dereg-self');
    const gw = gateway();
    await gw.register(token);
    const response = await gw.deregister();
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ gatewayId: gw.gatewayId, status: 'DEREGISTERED' });
    expect((await gw.heartbeat()).body.code).toBe('GATEWAY_DEREGISTERED');
    expect((await gw.deregister()).body.code).toBe('GATEWAY_DEREGISTERED');
    expect((await api.get(admin, profilePath(profileId))).body.status).toBe('NOT_REGISTERED');
    const view = await api.get(admin, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}`);
    expect(view.body).toMatchObject({ status: 'DEREGISTERED', deregistrationReason: 'BY_GATEWAY' });
  });

  it('GraphQL: deregisterGateway mutation (admin only)', async () => {
    const { token } = await api.profileWithToken(admin, tenantId, 'dereg-gql');
    const gw = gateway();
    await gw.register(token);
    const viewer = await api.clientToken(partner.token, tenantId, ['viewer']);
    const mutation = 'mutation($g: ID!) { deregisterGateway(input: { id: $g }) { gateway { status } } }';
    expect((await api.graphql(viewer, mutation, { g: gw.gatewayId })).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await api.post(viewer, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}/deregister`)).status).toBe(403);
    const done = await api.graphql(admin, mutation, { g: gw.gatewayId });
    expect(done.body.data.deregisterGateway.gateway.status).toBe('DEREGISTERED');
    expect((await gw.heartbeat()).body.code).toBe('GATEWAY_DEREGISTERED');
  });
});

describe('gateway protocol: failed registrations per address', () => {
  let t: TestApp;
  let api: Api;

  beforeAll(async () => {
    t = await startTestApp({ env: { REGISTER_FAILURE_LIMIT: '5', REGISTER_FAILURE_WINDOW_SECONDS: '60', TRUST_PROXY_HOPS: '1' } });
    api = new Api(t);
  });
  afterAll(() => t?.close());

  it('repeated failed tokens from one address answer 429 TOO_MANY_ATTEMPTS with Retry-After; other addresses are not affected', async () => {
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    const attempt = (ip: string, token = 'gwat_wrong') =>
      call(
        t.url,
        'POST',
        '/gateway/v1/register',
        { activationToken: token, gatewayType: 'CLASSIC', instanceId: 'x', name: 'x', softwareVersion: '1', nodes: [healthyNode(1)] },
        from(ip),
      );
    for (let i = 0; i < 5; i++) expect((await attempt('203.0.113.7')).status).toBe(401);
    const limited = await attempt('203.0.113.7');
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const partner = await api.partner();
    const { token } = await api.profileWithToken(partner.token, partner.tenantId, 'limited');
    expect((await attempt('203.0.113.7', token)).status).toBe(429);
    expect((await attempt('198.51.100.1')).status).toBe(401);
  });
});
