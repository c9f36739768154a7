import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner.js';
import { Api } from './support/api.js';
import { Fleet } from './support/fleet.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** The GraphQL contract a console builds on: node(id), lists, relations, one-input mutations, the scope that follows the object. */
describe('GraphQL contracts', () => {
  let t: TestApp;
  let api: Api;
  let partner: { token: string; tenantId: string };
  let clientId: string;
  let admin: string;
  let fleet: Fleet;
  let otherAdmin: string;

  beforeAll(async () => {
    t = await startTestApp();
    api = new Api(t);
    partner = await api.partner();
    clientId = await api.createClientTenant(partner.token, 'Contracts client', { gatewayClustering: true });
    admin = await api.clientToken(partner.token, clientId, ['admin']);
    fleet = new Fleet(api, clientId, admin, t.url);
    const other = await api.partner();
    const otherClient = await api.createClientTenant(other.token, 'Someone else');
    otherAdmin = await api.clientToken(other.token, otherClient, ['admin']);
  });
  afterAll(() => t?.close());
  afterEach(() => vi.restoreAllMocks());

  const gql = async (token: string, query: string, variables?: Record<string, unknown>) => {
    // supertest's body: each test reads the fields it asked for.
    return (await api.graphql(token, query, variables)).body;
  };
  const ok = async (token: string, query: string, variables?: Record<string, unknown>) => {
    const body = await gql(token, query, variables);
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data;
  };
  const queue = async (gatewayId: string) => {
    const queued = await api.post(admin, `/api/v1/tenants/${clientId}/gateways/${gatewayId}/commands`, { type: 'PING' });
    expect(queued.status).toBe(201);
    return queued.body.id as string;
  };

  it('the scope follows the object: a partner reads and changes its client’s objects by id alone; another tenant gets the object’s own not-found', async () => {
    const { gw, profileId } = await fleet.gateway();
    const commandId = await queue(gw.gatewayId!);
    const byId = `query($g: ID!, $p: ID!, $c: ID!) {
      gateway(id: $g) { id tenantId } profile(id: $p) { id tenantId } command(id: $c) { id gatewayId history { state } }
    }`;
    const read = await ok(partner.token, byId, { g: gw.gatewayId, p: profileId, c: commandId });
    expect(read.gateway).toEqual({ id: gw.gatewayId, tenantId: clientId });
    expect(read.profile).toEqual({ id: profileId, tenantId: clientId });
    expect(read.command).toMatchObject({ id: commandId, gatewayId: gw.gatewayId, history: [{ state: 'QUEUED' }] });

    // A mutation follows the object too: the partner cancels its client's command without naming the tenant.
    const cancelled = await ok(partner.token, 'mutation($c: ID!) { cancelCommand(input: { id: $c }) { command { id state } } }', {
      c: commandId,
    });
    expect(cancelled.cancelCommand.command).toEqual({ id: commandId, state: 'CANCELLED' });

    // Someone else's partner: the same ids are "not found", each with its own code, and nothing changes.
    const codes = async (query: string, variables: Record<string, unknown>) =>
      (await gql(otherAdmin, query, variables)).errors?.[0]?.extensions.code;
    expect(await codes('query($id: ID!) { gateway(id: $id) { id } }', { id: gw.gatewayId })).toBe('GATEWAY_NOT_FOUND');
    expect(await codes('query($id: ID!) { profile(id: $id) { id } }', { id: profileId })).toBe('PROFILE_NOT_FOUND');
    expect(await codes('query($id: ID!) { command(id: $id) { id } }', { id: commandId })).toBe('COMMAND_NOT_FOUND');
    expect(await codes('mutation($id: ID!) { deregisterGateway(input: { id: $id }) { gateway { id } } }', { id: gw.gatewayId })).toBe(
      'GATEWAY_NOT_FOUND',
    );
    expect(await codes('query($g: ID!) { commands(gatewayId: $g) { nodes { id } } }', { g: gw.gatewayId })).toBe('GATEWAY_NOT_FOUND');
    expect(await codes('query($t: ID) { gateways(tenantId: $t) { nodes { id } } }', { t: clientId })).toBe('TENANT_NOT_FOUND');
    // An id that is not a uuid is not found either (never a 500).
    expect(await codes('query($id: ID!) { gateway(id: $id) { id } }', { id: 'not-a-uuid' })).toBe('GATEWAY_NOT_FOUND');
    expect((await api.get(admin, `/api/v1/tenants/${clientId}/gateways/${gw.gatewayId}`)).body.status).toBe('CONNECTED');
  });

  it('node(id) finds every kind of object by its uuid, resolving its type; unknown, foreign or malformed ids are null', async () => {
    const { gw, profileId } = await fleet.gateway();
    const commandId = await queue(gw.gatewayId!);
    const bulk = await api.post(admin, `/api/v1/tenants/${clientId}/bulk-commands`, {
      type: 'PING',
      targets: { gatewayIds: [gw.gatewayId] },
    });
    expect(bulk.status).toBe(201);
    const query = `query($id: ID!) { node(id: $id) { __typename id
      ... on Gateway { name profile { id } } ... on ManagementProfile { name } ... on Command { type } ... on BulkCommand { targets } ... on Tenant { name } } }`;
    const node = async (token: string, id: string) => (await ok(token, query, { id })).node;
    expect(await node(partner.token, gw.gatewayId!)).toMatchObject({ __typename: 'Gateway', id: gw.gatewayId, profile: { id: profileId } });
    expect(await node(partner.token, profileId)).toMatchObject({ __typename: 'ManagementProfile', id: profileId });
    expect(await node(admin, commandId)).toMatchObject({ __typename: 'Command', id: commandId, type: 'PING' });
    expect(await node(admin, bulk.body.id)).toMatchObject({ __typename: 'BulkCommand', id: bulk.body.id, targets: 1 });
    expect(await node(partner.token, clientId)).toMatchObject({ __typename: 'Tenant', id: clientId, name: 'Contracts client' });
    expect(await node(otherAdmin, gw.gatewayId!)).toBeNull();
    expect(await node(otherAdmin, clientId)).toBeNull();
    expect(await node(admin, '00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await node(admin, 'nope')).toBeNull();
  });

  it('one input per mutation, a payload back; Role values are upper case; DateTime in and out', async () => {
    const created = await ok(
      partner.token,
      'mutation($input: CreateProfileInput!) { createProfile(input: $input) { profile { id name tenantId } } }',
      { input: { tenantId: clientId, name: 'one-input' } },
    );
    const profileId = created.createProfile.profile.id as string;
    expect(created.createProfile.profile).toEqual({ id: profileId, name: 'one-input', tenantId: clientId });
    const updated = await ok(
      partner.token,
      'mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { profile { name version } } }',
      {
        input: { id: profileId, name: 'renamed' },
      },
    );
    expect(updated.updateProfile.profile).toEqual({ name: 'renamed', version: 2 });
    const minted = await ok(
      partner.token,
      'mutation($p: ID!) { mintActivationToken(input: { profileId: $p, ttlSeconds: 3600 }) { token activationToken { id state expiresAt } } }',
      { p: profileId },
    );
    expect(minted.mintActivationToken.token).toMatch(/^gwat_/);
    expect(minted.mintActivationToken.activationToken.state).toBe('ACTIVE');
    const revoked = await ok(
      partner.token,
      'mutation($id: ID!) { revokeActivationToken(input: { id: $id }) { activationToken { id state } } }',
      {
        id: minted.mintActivationToken.activationToken.id,
      },
    );
    expect(revoked.revokeActivationToken.activationToken.state).toBe('REVOKED');

    const client = await ok(
      partner.token,
      'mutation($t: ID!) { createApiClient(input: { tenantId: $t, name: "ops", roles: [OPERATOR, VIEWER] }) { clientSecret apiClient { id roles tenantId } } }',
      { t: clientId },
    );
    expect(client.createApiClient.apiClient).toMatchObject({ roles: ['OPERATOR', 'VIEWER'], tenantId: clientId });
    expect(client.createApiClient.clientSecret).toEqual(expect.any(String));
    const rest = await api.get(partner.token, `/api/v1/tenants/${clientId}/api-clients?limit=100`);
    expect(rest.body.items.find((c: { id: string }) => c.id === client.createApiClient.apiClient.id).roles).toEqual(['operator', 'viewer']);
    expect((await ok(admin, '{ viewer { roles } }')).viewer.roles).toEqual(['ADMIN']);
    const lower = await gql(partner.token, 'mutation { createApiClient(input: { name: "x", roles: [admin] }) { clientSecret } }');
    expect(lower.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const deleted = await ok(partner.token, 'mutation($id: ID!) { deleteApiClient(input: { id: $id }) { deletedApiClientId } }', {
      id: client.createApiClient.apiClient.id,
    });
    expect(deleted.deleteApiClient.deletedApiClientId).toBe(client.createApiClient.apiClient.id);

    const { gw } = await fleet.gateway();
    const deliverBy = new Date(Date.now() + 2 * 3600_000);
    deliverBy.setMilliseconds(0);
    const queued = await ok(
      admin,
      'mutation($input: QueueCommandInput!) { queueCommand(input: $input) { command { id state deliverBy createdAt } } }',
      { input: { gatewayId: gw.gatewayId, type: 'PING', deliverBy: deliverBy.toISOString(), idempotencyKey: 'contracts-1' } },
    );
    expect(Date.parse(queued.queueCommand.command.deliverBy)).toBe(deliverBy.getTime());
    expect(queued.queueCommand.command.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const again = await ok(admin, 'mutation($input: QueueCommandInput!) { queueCommand(input: $input) { command { id } } }', {
      input: { gatewayId: gw.gatewayId, type: 'PING', deliverBy: deliverBy.toISOString(), idempotencyKey: 'contracts-1' },
    });
    expect(again.queueCommand.command.id).toBe(queued.queueCommand.command.id);
    const notADate = await gql(
      admin,
      'mutation($g: ID!) { queueCommand(input: { gatewayId: $g, type: PING, deliverBy: "tomorrow" }) { command { id } } }',
      {
        g: gw.gatewayId,
      },
    );
    expect(notADate.errors?.[0]?.extensions.code).toBe('INVALID_REQUEST');

    const deleteProfile = await ok(partner.token, 'mutation($id: ID!) { deleteProfile(input: { id: $id }) { deletedProfileId } }', {
      id: profileId,
    });
    expect(deleteProfile.deleteProfile.deletedProfileId).toBe(profileId);
  });

  /** The SQL statements one request sends that read these tables (background work is not counted). */
  const statementsOf = async (query: string, variables: Record<string, unknown>) => {
    const spy = vi.spyOn(PostgresQueryRunner.prototype, 'query');
    const data = await ok(partner.token, query, variables);
    const count = spy.mock.calls
      .map((call) => String(call[0]))
      .filter((sql) =>
        /\bFROM "?(tenants|management_profiles|gateways|gateway_nodes|commands|bulk_commands|bulk_command_targets|gateway_migrations|activation_tokens)"?/.test(
          sql,
        ),
      ).length;
    spy.mockRestore();
    return { data, count };
  };

  it('bulkCommands and migrations are connections; profile, gateway, tenant and bulk relations resolve in bounded statements', async () => {
    const query = `query($t: ID) {
      tenants { nodes { id clients { id } } }
      bulkCommands(tenantId: $t, first: 20) { edges { cursor node { id targets counts { key count } commands { id gateway { id tenant { id } } } } } pageInfo { hasNextPage startCursor endCursor } }
      migrations(tenantId: $t) { nodes { id profile { id } sourceGateway { id } } }
      profiles(tenantId: $t, first: 50) { nodes { id
        activationTokens(first: 1) { nodes { id state } pageInfo { hasNextPage } }
        migrations { id state }
        gateways { id tenant { name } }
      } }
    }`;
    const grown: string[] = [];
    const grow = async (size: number) => {
      const ids: string[] = [];
      for (let i = 0; i < size; i++) {
        const { gw } = await fleet.gateway();
        ids.push(gw.gatewayId!);
        // A profile waiting for its gateway, whose first token was superseded by a second.
        const { profileId } = await fleet.profile();
        grown.push(profileId);
        expect((await api.post(admin, `/api/v1/tenants/${clientId}/management-profiles/${profileId}/activation-tokens`, {})).status).toBe(
          201,
        );
      }
      const bulk = await api.post(admin, `/api/v1/tenants/${clientId}/bulk-commands`, { type: 'PING', targets: { gatewayIds: ids } });
      expect(bulk.status).toBe(201);
      return bulk.body.id as string;
    };
    const firstBulk = await grow(2);
    const withGateway = await ok(
      partner.token,
      'query($t: ID) { profiles(tenantId: $t, status: CONNECTED) { nodes { gateways { tenant { name } } } } }',
      {
        t: clientId,
      },
    );
    for (const profile of withGateway.profiles.nodes) expect(profile.gateways[0].tenant.name).toBe('Contracts client');
    const small = await statementsOf(query, { t: clientId });
    expect(small.data.tenants.nodes.find((tenant: { id: string }) => tenant.id === partner.tenantId).clients).toContainEqual({
      id: clientId,
    });
    const bulk = small.data.bulkCommands.edges.find((edge: { node: { id: string } }) => edge.node.id === firstBulk);
    expect(bulk.cursor).toEqual(expect.any(String));
    expect(bulk.node.targets).toBe(2);
    expect(bulk.node.counts.reduce((sum: number, c: { count: number }) => sum + c.count, 0)).toBe(2);
    expect(bulk.node.commands).toHaveLength(2);
    for (const command of bulk.node.commands) expect(command.gateway.tenant.id).toBe(clientId);
    const withTokens = small.data.profiles.nodes.filter((p: { id: string }) => grown.includes(p.id));
    expect(withTokens).toHaveLength(2);
    for (const profile of withTokens) {
      // Two tokens, the newest first: a page of one has another after it.
      expect(profile.activationTokens.nodes.map((token: { state: string }) => token.state)).toEqual(['ACTIVE']);
      expect(profile.activationTokens.pageInfo.hasNextPage).toBe(true);
    }

    await grow(4);
    const large = await statementsOf(query, { t: clientId });
    expect(large.data.bulkCommands.edges.length).toBeGreaterThan(small.data.bulkCommands.edges.length);
    // More profiles, gateways, tokens and bulk commands: the same statements, one per relation, never one per parent.
    expect(large.count).toBe(small.count);
    expect(large.count).toBeLessThanOrEqual(20);
  }, 120_000);

  it('a migration shows on its profile (ManagementProfile.migrations) and as a node', async () => {
    const { gw, profileId } = await fleet.gateway();
    const started = await ok(
      partner.token,
      'mutation($p: ID!) { startMigration(input: { profileId: $p, targetGatewayType: CLUSTER }) { migration { id state activationToken { token } } } }',
      { p: profileId },
    );
    const migration = started.startMigration.migration;
    expect(migration.activationToken.token).toMatch(/^gwat_/);
    const read = await ok(
      partner.token,
      'query($p: ID!, $m: ID!) { profile(id: $p) { migrations { id sourceGateway { id } } } node(id: $m) { __typename id } }',
      {
        p: profileId,
        m: migration.id,
      },
    );
    expect(read.profile.migrations).toEqual([{ id: migration.id, sourceGateway: { id: gw.gatewayId } }]);
    expect(read.node).toEqual({ __typename: 'Migration', id: migration.id });
  });
});
