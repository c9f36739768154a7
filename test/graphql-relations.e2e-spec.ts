import { afterEach, beforeAll, afterAll, describe, expect, it, vi } from 'vitest';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner.js';
import { Api } from './support/api.js';
import { Fleet } from './support/fleet.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** What a console's fleet page asks, in one request. */
const FLEET_OVERVIEW = `query FleetOverview($tenantId: ID) {
  profiles(tenantId: $tenantId, first: 50) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges {
      cursor
      node {
        id name status
        activeGateway {
          id status type health
          nodes { hostname ready apps { name status restarts } }
          assessment { health checks { check passed } }
          commands(first: 5) { pageInfo { hasNextPage endCursor } edges { cursor node { id type state createdAt } } }
        }
      }
    }
  }
}`;

describe('GraphQL relation fields, batched', () => {
  let t: TestApp;
  let api: Api;
  let tenantId: string;
  let admin: string;
  let fleet: Fleet;

  beforeAll(async () => {
    t = await startTestApp();
    api = new Api(t);
    const partner = await api.partner();
    tenantId = await api.createClientTenant(partner.token, 'Relations client');
    admin = await api.clientToken(partner.token, tenantId, ['admin']);
    fleet = new Fleet(api, tenantId, admin, t.url);
  });
  afterAll(() => t?.close());
  afterEach(() => vi.restoreAllMocks());

  /**
   * The SQL statements one GraphQL request sends to Postgres that read the domain's tables (the
   * process's background work, such as the outbox relay, runs meanwhile and is not counted).
   */
  const statementsOf = async (query: string, variables: Record<string, unknown>) => {
    const spy = vi.spyOn(PostgresQueryRunner.prototype, 'query');
    const response = await api.graphql(admin, query, variables);
    const reads = spy.mock.calls
      .map((call) => String(call[0]))
      .filter((sql) => /\bFROM "?(management_profiles|gateways|gateway_nodes|commands|gateway_migrations|activation_tokens)"?/.test(sql));
    const count = reads.length;
    spy.mockRestore();
    expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
    return { data: response.body.data, count };
  };

  const addGateways = async (size: number, commandsEach: number) => {
    for (let i = 0; i < size; i++) {
      const { gw } = await fleet.gateway();
      for (let c = 0; c < commandsEach; c++) {
        const queued = await api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId!}/commands`, { type: 'PING' });
        expect(queued.status).toBe(201);
      }
    }
  };

  it('the fleet overview (profiles, active gateway with nodes, apps, assessment, its last five commands) is one request, its SQL bounded whatever the fleet size', async () => {
    await addGateways(2, 7);
    await fleet.profile(); // a profile without a gateway
    const small = await statementsOf(FLEET_OVERVIEW, { tenantId });
    const profiles = small.data.profiles.edges.map((edge: { node: unknown }) => edge.node);
    expect(profiles).toHaveLength(3);
    const registered = profiles.filter((profile: { activeGateway: unknown }) => profile.activeGateway);
    expect(registered).toHaveLength(2);
    for (const profile of registered) {
      expect(profile.status).toBe('CONNECTED');
      expect(profile.activeGateway.nodes[0].apps.length).toBeGreaterThan(0);
      expect(profile.activeGateway.assessment.health).toEqual(expect.any(String));
      const commands = profile.activeGateway.commands;
      expect(commands.edges).toHaveLength(5);
      expect(commands.pageInfo.hasNextPage).toBe(true);
      expect(commands.pageInfo.endCursor).toBe(commands.edges[4].cursor);
      const times = commands.edges.map((edge: { node: { createdAt: string } }) => Date.parse(edge.node.createdAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    }
    expect(profiles.find((profile: { activeGateway: unknown }) => !profile.activeGateway).status).toBe('NOT_REGISTERED');
    for (const edge of small.data.profiles.edges) expect(edge.cursor).toEqual(expect.any(String));
    expect(small.data.profiles.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    expect(small.data.profiles.pageInfo.startCursor).toBe(small.data.profiles.edges[0].cursor);

    await addGateways(4, 6);
    const large = await statementsOf(FLEET_OVERVIEW, { tenantId });
    expect(large.data.profiles.edges).toHaveLength(7);
    // Three times the gateways, the same statements: one per relation, never one per parent.
    expect(large.count).toBe(small.count);
    expect(large.count).toBeLessThanOrEqual(8);
  }, 120_000);

  it("the next page of a gateway's commands continues after the cursor; Command.gateway and Gateway.profile resolve in the same batches", async () => {
    const { gw, profileId } = await fleet.gateway();
    for (let c = 0; c < 4; c++) await api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId!}/commands`, { type: 'PING' });
    const query = `query($tenantId: ID, $after: String) {
      gateways(tenantId: $tenantId, first: 50) {
        nodes { id profile { id name } commands(first: 3, after: $after) {
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          nodes { id gateway { id profile { id } } }
        } }
      }
    }`;
    const first = await statementsOf(query, { tenantId });
    const mine = first.data.gateways.nodes.find((gateway: { id: string }) => gateway.id === gw.gatewayId);
    expect(mine.profile.id).toBe(profileId);
    expect(mine.commands.nodes).toHaveLength(3);
    expect(mine.commands.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    for (const command of mine.commands.nodes) expect(command.gateway).toEqual({ id: gw.gatewayId, profile: { id: profileId } });
    expect(first.count).toBeLessThanOrEqual(8);

    const next = await api.graphql(admin, query, { tenantId, after: mine.commands.pageInfo.endCursor });
    const rest = next.body.data.gateways.nodes.find((gateway: { id: string }) => gateway.id === gw.gatewayId).commands;
    expect(rest.nodes).toHaveLength(1);
    expect(rest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(new Set([...mine.commands.nodes, ...rest.nodes].map((command: { id: string }) => command.id)).size).toBe(4);
  });

  it('a migration resolves its profile and gateways; a profile lists every gateway it has had', async () => {
    const partner = await api.partner();
    const clustering = await api.createClientTenant(partner.token, 'Relations clustering', { gatewayClustering: true });
    const clusterAdmin = await api.clientToken(partner.token, clustering, ['admin']);
    const clusterFleet = new Fleet(api, clustering, clusterAdmin, t.url);
    const { gw, profileId } = await clusterFleet.gateway();
    const started = await api.post(clusterAdmin, `/api/v1/tenants/${clustering}/migrations`, { profileId, targetGatewayType: 'CLUSTER' });
    expect(started.status).toBe(201);
    const response = await api.graphql(
      clusterAdmin,
      `query($tenantId: ID) { migrations(tenantId: $tenantId) { nodes { id profile { id } sourceGateway { id } targetGateway { id } } } }`,
      { tenantId: clustering },
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.migrations.nodes[0]).toEqual({
      id: started.body.id,
      profile: { id: profileId },
      sourceGateway: { id: gw.gatewayId },
      targetGateway: null,
    });
    const history = await api.graphql(
      clusterAdmin,
      `query($tenantId: ID) { profiles(tenantId: $tenantId) { nodes { id activeGateway { id } gateways { id status } } } }`,
      { tenantId: clustering },
    );
    expect(history.body.data.profiles.nodes[0].gateways.map((gateway: { id: string }) => gateway.id)).toEqual([gw.gatewayId]);
  });
});
