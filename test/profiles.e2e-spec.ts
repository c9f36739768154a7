import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActivationTokensService } from '../src/profiles/activation-tokens.service.js';
import { DataSource } from 'typeorm';
import { Api } from './support/api.js';
import { Fleet } from './support/fleet.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

describe('management profiles and activation tokens', () => {
  let t: TestApp;
  let api: Api;
  const logLines: string[] = [];
  let partner: { token: string; tenantId: string };
  let tenantId: string;
  let admin: string;
  let viewer: string;
  let otherAdmin: string;
  let otherTenantId: string;

  const profiles = (tenant = tenantId) => `/api/v1/tenants/${tenant}/management-profiles`;
  const createProfile = async (name: string, body: object = {}) => {
    const response = await api.post(admin, profiles(), { name, ...body });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body;
  };

  beforeAll(async () => {
    t = await startTestApp({ logLines, env: { LOG_LEVEL: 'debug' } });
    api = new Api(t);
    partner = await api.partner();
    tenantId = await api.createClientTenant(partner.token, 'Profiles client');
    admin = await api.clientToken(partner.token, tenantId, ['admin']);
    viewer = await api.clientToken(partner.token, tenantId, ['viewer']);
    otherTenantId = await api.createClientTenant(partner.token, 'Other client');
    otherAdmin = await api.clientToken(partner.token, otherTenantId, ['admin']);
  });
  afterAll(() => t?.close());

  describe('profiles', () => {
    it('a new profile is NOT_REGISTERED, has no gateway, and configuration version 1', async () => {
      const settings = { proxy: { url: 'http://proxy:3128' }, discovery: { subnets: ['10.0.0.0/24'] } };
      const profile = await createProfile('dc1', { description: 'hall 2', configuration: settings });
      expect(profile).toMatchObject({
        tenantId,
        name: 'dc1',
        description: 'hall 2',
        status: 'NOT_REGISTERED',
        gatewayType: null,
        activeGatewayId: null,
        configuration: { version: 1, settings },
      });
      expect((await api.get(admin, `${profiles()}/${profile.id}`)).body).toEqual(profile);
    });

    it('names are unique per tenant, case-insensitively (409 PROFILE_NAME_TAKEN), not across tenants', async () => {
      await createProfile('unique-name');
      const again = await api.post(admin, profiles(), { name: 'Unique-Name' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('PROFILE_NAME_TAKEN');
      expect((await api.post(otherAdmin, profiles(otherTenantId), { name: 'unique-name' })).status).toBe(201);
      const other = await createProfile('rename-me');
      const rename = await api.patch(admin, `${profiles()}/${other.id}`, { name: 'unique-name' });
      expect(rename.status).toBe(409);
      expect(rename.body.code).toBe('PROFILE_NAME_TAKEN');
    });

    it('the configuration version goes up by one on each change, and not on an unchanged document', async () => {
      const profile = await createProfile('versioned', { configuration: { a: 1 } });
      const first = await api.patch(admin, `${profiles()}/${profile.id}`, { configuration: { a: 2 } });
      expect(first.body.configuration).toEqual({ version: 2, settings: { a: 2 } });
      const second = await api.patch(admin, `${profiles()}/${profile.id}`, { configuration: { a: 3, b: { c: true } } });
      expect(second.body.configuration.version).toBe(3);
      const same = await api.patch(admin, `${profiles()}/${profile.id}`, { configuration: { b: { c: true }, a: 3 } });
      expect(same.body.configuration.version).toBe(3);
      const renamed = await api.patch(admin, `${profiles()}/${profile.id}`, { description: 'only the description' });
      expect(renamed.body).toMatchObject({ description: 'only the description', configuration: { version: 3 } });
    });

    it('a stale expectedVersion is 409 PROFILE_VERSION_CONFLICT and changes nothing', async () => {
      const profile = await createProfile('locked');
      const ok = await api.patch(admin, `${profiles()}/${profile.id}`, { description: 'first', expectedVersion: profile.version });
      expect(ok.status).toBe(200);
      const stale = await api.patch(admin, `${profiles()}/${profile.id}`, { description: 'second', expectedVersion: profile.version });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('PROFILE_VERSION_CONFLICT');
      expect((await api.get(admin, `${profiles()}/${profile.id}`)).body.description).toBe('first');
    });

    it('a configuration that is not an object, or is too large, is 400', async () => {
      expect((await api.post(admin, profiles(), { name: 'bad', configuration: [1, 2] })).status).toBe(400);
      expect((await api.post(admin, profiles(), { name: 'bad', configuration: 'x' })).status).toBe(400);
      const large = await api.post(admin, profiles(), { name: 'bad', configuration: { blob: 'x'.repeat(70_000) } });
      expect(large.status).toBe(400);
    });

    it('lists newest first with name search and status filter, in cursor pages', async () => {
      const tenant = await api.createClientTenant(partner.token, 'Listing client');
      const listAdmin = await api.clientToken(partner.token, tenant, ['admin']);
      for (const name of ['alpha-1', 'beta-1', 'alpha-2', 'alpha_%']) await api.post(listAdmin, profiles(tenant), { name });
      const all = await api.get(listAdmin, `${profiles(tenant)}?limit=2`);
      expect(all.body.items.map((p: { name: string }) => p.name)).toEqual(['alpha_%', 'alpha-2']);
      const next = await api.get(listAdmin, `${profiles(tenant)}?limit=2&cursor=${all.body.nextCursor}`);
      expect(next.body.items.map((p: { name: string }) => p.name)).toEqual(['beta-1', 'alpha-1']);
      expect(next.body.nextCursor).toBeNull();
      const search = await api.get(listAdmin, `${profiles(tenant)}?search=ALPHA`);
      expect(search.body.items).toHaveLength(3);
      const literal = await api.get(listAdmin, `${profiles(tenant)}?search=${encodeURIComponent('_%')}`);
      expect(literal.body.items.map((p: { name: string }) => p.name)).toEqual(['alpha_%']);
      expect((await api.get(listAdmin, `${profiles(tenant)}?status=CONNECTED`)).body.items).toEqual([]);
      expect((await api.get(listAdmin, `${profiles(tenant)}?status=NOT_REGISTERED`)).body.items).toHaveLength(4);
      expect((await api.get(listAdmin, `${profiles(tenant)}?status=SLEEPING`)).status).toBe(400);
    });

    it('every read of a profile shows the status, gateway type and active gateway its gateway and migration give it: first page, after a cursor, filtered, one by one, GraphQL', async () => {
      const tenant = await api.createClientTenant(partner.token, 'Linked profiles client', { gatewayClustering: true });
      const linkAdmin = await api.clientToken(partner.token, tenant, ['admin']);
      const fleet = new Fleet(api, tenant, linkAdmin, t.url);
      const none = (await api.post(linkAdmin, profiles(tenant), { name: 'no-gateway' })).body;
      const connected = await fleet.gateway();
      const disconnected = await fleet.gateway();
      await t.app.get(DataSource).query(`UPDATE gateways SET status = 'DISCONNECTED' WHERE id = $1`, [disconnected.gw.gatewayId]);
      const deregistered = await fleet.gateway();
      expect((await api.post(linkAdmin, `/api/v1/tenants/${tenant}/gateways/${deregistered.gw.gatewayId}/deregister`)).status).toBe(200);
      const migrating = await fleet.gateway();
      const started = await api.post(linkAdmin, `/api/v1/tenants/${tenant}/migrations`, {
        profileId: migrating.profileId,
        targetGatewayType: 'CLUSTER',
      });
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      await waitFor(
        async () => (await api.get(linkAdmin, `/api/v1/tenants/${tenant}/migrations/${started.body.id}`)).body.state,
        (state) => state === 'AWAITING_TARGET',
        15_000,
      );

      const expected = new Map<string, object>([
        [migrating.profileId, { status: 'MIGRATING', gatewayType: null, activeGatewayId: null }],
        [deregistered.profileId, { status: 'NOT_REGISTERED', gatewayType: null, activeGatewayId: null }],
        [disconnected.profileId, { status: 'DISCONNECTED', gatewayType: 'CLASSIC', activeGatewayId: disconnected.gw.gatewayId }],
        [connected.profileId, { status: 'CONNECTED', gatewayType: 'CLASSIC', activeGatewayId: connected.gw.gatewayId }],
        [none.id, { status: 'NOT_REGISTERED', gatewayType: null, activeGatewayId: null }],
      ]);
      type Item = { id: string; status: string; gatewayType: string | null; activeGatewayId: string | null };
      const linkOf = ({ status, gatewayType, activeGatewayId }: Item) => ({ status, gatewayType, activeGatewayId });
      const walk = async (query: string) => {
        const items: Item[] = [];
        let cursor: string | null = null;
        do {
          const response = await api.get(linkAdmin, `${profiles(tenant)}?limit=2${query}${cursor ? `&cursor=${cursor}` : ''}`);
          expect(response.status).toBe(200);
          items.push(...response.body.items);
          cursor = response.body.nextCursor;
        } while (cursor);
        return items;
      };

      const page = (await api.get(linkAdmin, profiles(tenant))).body.items as Item[];
      expect(page.map((item) => item.id)).toEqual([...expected.keys()]);
      expect(new Map(page.map((item) => [item.id, linkOf(item)]))).toEqual(expected);
      expect(await walk('')).toEqual(page);
      for (const item of page) expect((await api.get(linkAdmin, `${profiles(tenant)}/${item.id}`)).body).toEqual(item);
      for (const status of ['NOT_REGISTERED', 'CONNECTED', 'DISCONNECTED', 'MIGRATING'])
        expect(await walk(`&status=${status}`), status).toEqual(page.filter((item) => item.status === status));
      expect(await walk('&gatewayType=CLASSIC')).toEqual(page.filter((item) => item.gatewayType === 'CLASSIC'));

      const gql = await api.graphql(
        linkAdmin,
        'query($t: ID, $g: ID!) { profiles(tenantId: $t, first: 10) { nodes { id status gatewayType activeGatewayId } } gateway(id: $g) { profile { id status activeGatewayId } } }',
        { t: tenant, g: connected.gw.gatewayId },
      );
      expect(gql.body.data.profiles.nodes).toEqual(
        page.map(({ id, status, gatewayType, activeGatewayId }) => ({ id, status, gatewayType, activeGatewayId })),
      );
      expect(gql.body.data.gateway.profile).toEqual({
        id: connected.profileId,
        status: 'CONNECTED',
        activeGatewayId: connected.gw.gatewayId,
      });
      // Another tenant reads none of them.
      expect((await api.get(otherAdmin, profiles(tenant))).status).toBe(404);
      expect((await api.get(otherAdmin, `${profiles(otherTenantId)}/${connected.profileId}`)).status).toBe(404);
    });

    it('deleting a profile without a gateway removes it from the API and revokes its tokens', async () => {
      const profile = await createProfile('to-delete');
      const minted = await api.post(admin, `${profiles()}/${profile.id}/activation-tokens`, {});
      expect((await api.delete(admin, `${profiles()}/${profile.id}`)).status).toBe(204);
      expect((await api.get(admin, `${profiles()}/${profile.id}`)).status).toBe(404);
      await createProfile('to-delete'); // the name is free again
      const service = t.app.get(ActivationTokensService);
      await expect(t.app.get(DataSource).transaction((m) => service.consume(m, minted.body.token, 'instance'))).rejects.toMatchObject({
        code: 'ACTIVATION_TOKEN_REVOKED',
      });
    });

    it('GraphQL: create, read, update and list profiles', async () => {
      const created = await api.graphql(
        admin,
        'mutation($t: ID!) { createProfile(input: { tenantId: $t, name: "gql", configuration: { x: 1 } }) { profile { id status configuration { version settings } } } }',
        { t: tenantId },
      );
      const id = created.body.data.createProfile.profile.id;
      expect(created.body.data.createProfile.profile).toMatchObject({
        status: 'NOT_REGISTERED',
        configuration: { version: 1, settings: { x: 1 } },
      });
      const updated = await api.graphql(
        admin,
        'mutation($p: ID!) { updateProfile(input: { id: $p, configuration: { x: 2 } }) { profile { configuration { version } } } }',
        { p: id },
      );
      expect(updated.body.data.updateProfile.profile.configuration.version).toBe(2);
      const read = await api.graphql(
        admin,
        'query($t: ID, $p: ID!) { profile(id: $p) { name } profiles(tenantId: $t, search: "gql") { nodes { id } } }',
        { t: tenantId, p: id },
      );
      expect(read.body.data).toEqual({ profile: { name: 'gql' }, profiles: { nodes: [{ id }] } });
    });
  });

  describe('activation tokens', () => {
    it('is shown once with the gwat_ prefix and 256 random bits, then listed without its secret', async () => {
      const profile = await createProfile('token-once');
      const minted = await api.post(admin, `${profiles()}/${profile.id}/activation-tokens`, { ttlSeconds: 3600 });
      expect(minted.status).toBe(201);
      expect(minted.body.token).toMatch(/^gwat_[A-Za-z0-9_-]{43,}$/);
      expect(minted.body).toMatchObject({ state: 'ACTIVE', prefix: minted.body.token.slice(0, 9), purpose: 'REGISTRATION' });
      expect(Date.parse(minted.body.expiresAt) - Date.parse(minted.body.createdAt)).toBeGreaterThan(3_590_000);
      expect(Date.parse(minted.body.expiresAt) - Date.parse(minted.body.createdAt)).toBeLessThan(3_610_000);

      const list = await api.get(admin, `${profiles()}/${profile.id}/activation-tokens`);
      expect(list.body.items).toHaveLength(1);
      expect(list.body.items[0]).toMatchObject({ id: minted.body.id, prefix: minted.body.prefix, state: 'ACTIVE', usedAt: null });
      expect(list.body.items[0].createdBy).toMatch(/^api-client:/);
      expect(list.body.items[0].token).toBeUndefined();

      const secret = minted.body.token.slice(9);
      expect(JSON.stringify(list.body)).not.toContain(secret);
      const audit = await api.get(admin, `/api/v1/tenants/${tenantId}/audit-events?limit=200`);
      expect(JSON.stringify(audit.body)).not.toContain(secret);
      expect(logLines.length).toBeGreaterThan(0);
      expect(logLines.join('\n')).not.toContain(secret);
      const gql = await api.graphql(admin, 'query($p: ID!) { profile(id: $p) { activationTokens { nodes { id prefix state } } } }', {
        p: profile.id,
      });
      expect(gql.body.data.profile.activationTokens.nodes).toEqual([{ id: minted.body.id, prefix: minted.body.prefix, state: 'ACTIVE' }]);
      expect(JSON.stringify(gql.body)).not.toContain(secret);
    });

    it('defaults to 24 h; ttlSeconds outside 60 to 2,592,000 is 400', async () => {
      const profile = await createProfile('ttl');
      const minted = await api.post(admin, `${profiles()}/${profile.id}/activation-tokens`, {});
      expect(Date.parse(minted.body.expiresAt) - Date.parse(minted.body.createdAt)).toBeGreaterThan(86_390_000);
      for (const ttlSeconds of [59, 2_592_001, 1.5, '60']) {
        const response = await api.post(admin, `${profiles()}/${profile.id}/activation-tokens`, { ttlSeconds });
        expect(response.status, String(ttlSeconds)).toBe(400);
        expect(response.body.errors[0].field).toBe('ttlSeconds');
      }
    });

    it("minting revokes the profile's older active tokens", async () => {
      const profile = await createProfile('supersede');
      const first = await api.post(admin, `${profiles()}/${profile.id}/activation-tokens`, {});
      const second = await api.post(admin, `${profiles()}/${profile.id}/activation-tokens`, {});
      const list = await api.get(admin, `${profiles()}/${profile.id}/activation-tokens`);
      const states = Object.fromEntries(list.body.items.map((token: { id: string; state: string }) => [token.id, token.state]));
      expect(states).toEqual({ [first.body.id]: 'REVOKED', [second.body.id]: 'ACTIVE' });
      const audit = await api.get(admin, `/api/v1/tenants/${tenantId}/audit-events`);
      expect(audit.body.items[0]).toMatchObject({
        action: 'activation_token.minted',
        targetId: second.body.id,
        after: { supersededTokenIds: [first.body.id] },
      });
    });

    it('a revoked token is REVOKED; revoking again changes nothing', async () => {
      const profile = await createProfile('revoke');
      const minted = await api.post(admin, `${profiles()}/${profile.id}/activation-tokens`, {});
      expect((await api.delete(admin, `${profiles()}/${profile.id}/activation-tokens/${minted.body.id}`)).status).toBe(204);
      const audit = await api.auditActions(admin, tenantId);
      expect(audit[0]).toBe('activation_token.revoked');
      expect((await api.delete(admin, `${profiles()}/${profile.id}/activation-tokens/${minted.body.id}`)).status).toBe(204);
      expect((await api.auditActions(admin, tenantId))[0]).toBe('activation_token.revoked');
      expect(audit.length).toBe((await api.auditActions(admin, tenantId)).length);
      const list = await api.get(admin, `${profiles()}/${profile.id}/activation-tokens`);
      expect(list.body.items[0].state).toBe('REVOKED');
    });

    it('a token past its expiry is EXPIRED, in the list and when presented', async () => {
      const profile = await createProfile('expiry');
      const minted = await api.post(admin, `${profiles()}/${profile.id}/activation-tokens`, { ttlSeconds: 60 });
      const db = new pg.Client({ connectionString: t.config.database.url });
      await db.connect();
      await db.query(
        `UPDATE activation_tokens SET created_at = now() - interval '2 minutes', expires_at = now() - interval '1 second' WHERE id = $1`,
        [minted.body.id],
      );
      await db.end();
      const list = await api.get(admin, `${profiles()}/${profile.id}/activation-tokens`);
      expect(list.body.items[0].state).toBe('EXPIRED');
      const service = t.app.get(ActivationTokensService);
      await expect(t.app.get(DataSource).transaction((m) => service.consume(m, minted.body.token, 'i-1'))).rejects.toMatchObject({
        code: 'ACTIVATION_TOKEN_EXPIRED',
        status: 401,
      });
      const revoke = await api.delete(admin, `${profiles()}/${profile.id}/activation-tokens/${minted.body.id}`);
      expect(revoke.status).toBe(409);
      expect(revoke.body.code).toBe('ACTIVATION_TOKEN_NOT_ACTIVE');
    });

    it('the token check: unknown is INVALID, revoked is REVOKED, a second instance is USED, the same instance is a retry', async () => {
      const service = t.app.get(ActivationTokensService);
      const consume = (token: string, instance: string) => t.app.get(DataSource).transaction((m) => service.consume(m, token, instance));
      await expect(consume('gwat_unknown', 'i')).rejects.toMatchObject({ code: 'ACTIVATION_TOKEN_INVALID', status: 401 });
      await expect(consume('not-even-a-token', 'i')).rejects.toMatchObject({ code: 'ACTIVATION_TOKEN_INVALID' });
      const profile = await createProfile('check');
      const revoked = await api.post(admin, `${profiles()}/${profile.id}/activation-tokens`, {});
      const active = await api.post(admin, `${profiles()}/${profile.id}/activation-tokens`, {});
      await expect(consume(revoked.body.token, 'i')).rejects.toMatchObject({ code: 'ACTIVATION_TOKEN_REVOKED' });
      const first = await consume(active.body.token, 'instance-a');
      expect(first.retry).toBe(false);
      expect(first.token.profileId).toBe(profile.id);
      await expect(consume(active.body.token, 'instance-b')).rejects.toMatchObject({ code: 'ACTIVATION_TOKEN_USED' });
      expect((await consume(active.body.token, 'instance-a')).retry).toBe(true);
      const list = await api.get(admin, `${profiles()}/${profile.id}/activation-tokens`);
      expect(list.body.items[0]).toMatchObject({ state: 'USED', usedAt: expect.any(String) });
    });

    it('of 25 parallel uses of one token, exactly one wins', async () => {
      const profile = await createProfile('race');
      const minted = await api.post(admin, `${profiles()}/${profile.id}/activation-tokens`, {});
      const service = t.app.get(ActivationTokensService);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 25 }, (_, i) =>
          t.app.get(DataSource).transaction((m) => service.consume(m, minted.body.token, `instance-${i}`)),
        ),
      );
      const wins = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      expect(wins).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason.code).toBe('ACTIVATION_TOKEN_USED');
      }
    });

    it('a viewer reads tokens but cannot mint or revoke (403)', async () => {
      const profile = await createProfile('viewer-token');
      const minted = await api.post(admin, `${profiles()}/${profile.id}/activation-tokens`, {});
      expect((await api.get(viewer, `${profiles()}/${profile.id}/activation-tokens`)).status).toBe(200);
      expect((await api.post(viewer, `${profiles()}/${profile.id}/activation-tokens`, {})).status).toBe(403);
      expect((await api.delete(viewer, `${profiles()}/${profile.id}/activation-tokens/${minted.body.id}`)).status).toBe(403);
      const gql = await api.graphql(viewer, 'mutation($p: ID!) { mintActivationToken(input: { profileId: $p }) { token } }', {
        p: profile.id,
      });
      expect(gql.body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await api.post(viewer, profiles(), { name: 'by viewer' })).status).toBe(403);
    });
  });

  it("another tenant's profile or token is 404 on every route, REST and GraphQL", async () => {
    const profile = await createProfile('private');
    const minted = await api.post(admin, `${profiles()}/${profile.id}/activation-tokens`, {});
    const mine = `${profiles()}/${profile.id}`;
    // the other tenant's admin, through its own tenant's paths with our ids
    const viaOwnTenant = `${profiles(otherTenantId)}/${profile.id}`;
    const cases: [string, () => Promise<{ status: number; body: { code?: string } }>][] = [
      ['get', () => api.get(otherAdmin, viaOwnTenant)],
      ['patch', () => api.patch(otherAdmin, viaOwnTenant, { name: 'stolen' })],
      ['delete', () => api.delete(otherAdmin, viaOwnTenant)],
      ['mint', () => api.post(otherAdmin, `${viaOwnTenant}/activation-tokens`, {})],
      ['list tokens', () => api.get(otherAdmin, `${viaOwnTenant}/activation-tokens`)],
      ['revoke', () => api.delete(otherAdmin, `${viaOwnTenant}/activation-tokens/${minted.body.id}`)],
      ['get via our tenant', () => api.get(otherAdmin, mine)],
      ['list via our tenant', () => api.get(otherAdmin, profiles())],
      ['mint via our tenant', () => api.post(otherAdmin, `${mine}/activation-tokens`, {})],
    ];
    for (const [name, call] of cases) {
      const response = await call();
      expect(response.status, name).toBe(404);
    }
    const gql = await api.graphql(otherAdmin, 'query($p: ID!) { profile(id: $p) { name } }', { p: profile.id });
    expect(gql.body.errors[0].extensions.code).toBe('PROFILE_NOT_FOUND');
    const gqlMint = await api.graphql(otherAdmin, 'mutation($p: ID!) { mintActivationToken(input: { profileId: $p }) { token } }', {
      p: profile.id,
    });
    expect(gqlMint.body.errors[0].extensions.code).toBe('PROFILE_NOT_FOUND');
    // and nothing changed
    expect((await api.get(admin, mine)).body.name).toBe('private');
    expect((await api.get(admin, `${mine}/activation-tokens`)).body.items[0].state).toBe('ACTIVE');
  });

  it("the partner sees its client's profiles and tokens through GraphQL", async () => {
    const profile = await createProfile('partner-view');
    await api.post(admin, `${profiles()}/${profile.id}/activation-tokens`, {});
    const gql = await api.graphql(
      partner.token,
      'query($p: ID!) { profile(id: $p) { name activationTokens { nodes { state prefix } } } }',
      { p: profile.id },
    );
    expect(gql.body.data.profile.name).toBe('partner-view');
    expect(gql.body.data.profile.activationTokens.nodes).toEqual([{ state: 'ACTIVE', prefix: expect.stringMatching(/^gwat_/) }]);
  });
});
