import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewaySession } from '@gateway-control-plane/agent';
import { Api } from './support/api.js';
import { Fleet } from './support/fleet.js';
import { startServiceProcess } from './support/service-process.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { sleep, waitFor } from './support/wait.js';

const SETTINGS = {
  proxy: { url: 'http://proxy.dc1:3128', noProxy: ['10.0.0.0/8'] },
  discovery: { subnets: ['10.20.0.0/24'], intervalMinutes: 60 },
  monitoring: { pollSeconds: 60 },
};

/** A simulated gateway manager that runs what it is sent: APPLY_CONFIGURATION succeeds unless told to fail. */
async function runCommands(gw: GatewaySession, outcome: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED'): Promise<string[]> {
  const handled: string[] = [];
  for (const command of (await gw.pollCommands(0)).body.commands) {
    await gw.updateCommand(command.commandId, { state: 'ACKNOWLEDGED' });
    await gw.updateCommand(
      command.commandId,
      outcome === 'FAILED' ? { state: 'FAILED', errorCode: 'CONFIG_REJECTED', message: 'proxy unreachable' } : { state: 'SUCCEEDED' },
    );
    if (outcome === 'SUCCEEDED' && command.type === 'APPLY_CONFIGURATION') gw.configurationVersion = command.parameters.version as number;
    handled.push(command.type);
  }
  return handled;
}

describe('migrations, rollback and replacement', () => {
  let t: TestApp;
  let api: Api;
  let partner: { token: string; tenantId: string };
  let tenantId: string;
  let operator: string;
  let fleet: Fleet;

  const migrations = (tenant = tenantId) => `/api/v1/tenants/${tenant}/migrations`;
  const migration = async (id: string) => (await api.get(operator, `${migrations()}/${id}`)).body;
  const profile = async (id: string) => (await api.get(operator, `/api/v1/tenants/${tenantId}/management-profiles/${id}`)).body;
  const classicOnProfile = async () => {
    const { profileId, gw: classic } = await fleet.gateway({ profile: { configuration: SETTINGS } });
    return { profileId, classic };
  };
  const waitState = (id: string, state: string, timeoutMs = 15_000) =>
    waitFor(
      () => migration(id),
      (m) => m.state === state,
      timeoutMs,
      100,
    );

  beforeAll(async () => {
    t = await startTestApp();
    api = new Api(t);
    partner = await api.partner();
    tenantId = await api.createClientTenant(partner.token, 'Migrating client', { gatewayClustering: true });
    operator = await api.clientToken(partner.token, tenantId, ['operator']);
    fleet = new Fleet(api, tenantId, partner.token, t.url);
  });
  afterAll(() => t?.close());

  it('moves a classic gateway to a cluster: source de-registered, target registered with the migration token, configuration applied, byte for byte', async () => {
    const { profileId, classic } = await classicOnProfile();
    const before = await profile(profileId);
    const waiting = await api.post(operator, `/api/v1/tenants/${tenantId}/gateways/${classic.gatewayId}/commands`, { type: 'PING' });
    const started = await api.post(operator, migrations(), { profileId, targetGatewayType: 'CLUSTER' });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      profileId,
      direction: 'CLASSIC_TO_CLUSTER',
      targetGatewayType: 'CLUSTER',
      sourceGatewayId: classic.gatewayId,
      activationToken: { token: expect.stringMatching(/^gwat_/) },
    });
    expect(Date.parse(started.body.deadline) - Date.now()).toBeGreaterThan(86_000_000);
    await waitState(started.body.id, 'AWAITING_TARGET');
    expect((await profile(profileId)).status).toBe('MIGRATING');
    expect((await classic.heartbeat()).body.code).toBe('GATEWAY_DEREGISTERED');
    expect((await api.get(operator, `/api/v1/tenants/${tenantId}/commands/${waiting.body.id}`)).body.state).toBe('ABORTED');

    const cluster = fleet.session('CLUSTER');
    expect((await cluster.register(started.body.activationToken.token)).status).toBe(201);
    await waitFor(
      () => runCommands(cluster),
      (handled) => handled.includes('APPLY_CONFIGURATION'),
      10_000,
      200,
    );
    const done = await waitState(started.body.id, 'COMPLETED');
    expect(done.targetGatewayId).toBe(cluster.gatewayId);
    expect(done.steps.map((s: { step: string }) => s.step)).toEqual([
      'PENDING',
      'SOURCE_DEREGISTERED',
      'AWAITING_TARGET',
      'TARGET_REGISTERED',
      'TARGET_REGISTERED',
      'CONFIGURATION_APPLIED',
      'COMPLETED',
    ]);
    expect(done.steps.every((s: { at: string }) => !Number.isNaN(Date.parse(s.at)))).toBe(true);
    expect(done.activationToken).toBeNull();
    const after = await profile(profileId);
    expect(after).toMatchObject({ status: 'CONNECTED', gatewayType: 'CLUSTER', activeGatewayId: cluster.gatewayId });
    expect(JSON.stringify(after.configuration)).toBe(JSON.stringify(before.configuration));
    expect(cluster.configurationVersion).toBe(before.configuration.version);
    const audit = await api.auditActions(partner.token, tenantId);
    expect(audit.filter((a) => a === 'migration.completed')).toHaveLength(1);
  });

  it('refuses a second migration while one runs (409 MIGRATION_IN_PROGRESS), and other tokens meanwhile', async () => {
    const { profileId } = await classicOnProfile();
    const first = await api.post(operator, migrations(), { profileId, targetGatewayType: 'CLUSTER' });
    expect(first.status).toBe(201);
    const second = await api.post(operator, migrations(), { profileId, targetGatewayType: 'CLUSTER' });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('MIGRATION_IN_PROGRESS');
    const token = await api.post(partner.token, `/api/v1/tenants/${tenantId}/management-profiles/${profileId}/activation-tokens`, {});
    expect(token.status).toBe(409);
    expect(token.body.code).toBe('MIGRATION_IN_PROGRESS');
    await waitState(first.body.id, 'AWAITING_TARGET');
    const wrongType = await fleet.session('CLASSIC').register(first.body.activationToken.token);
    expect(wrongType.status).toBe(409);
    expect(wrongType.body.code).toBe('GATEWAY_TYPE_MISMATCH');
    const replace = await api.post(operator, `/api/v1/tenants/${tenantId}/gateways/${first.body.sourceGatewayId}/replace`, {});
    expect(replace.status).toBe(409);
  });

  it('checks its preconditions: a gateway of the other type, the clustering flag, a valid request', async () => {
    const { profileId } = await classicOnProfile();
    const sameType = await api.post(operator, migrations(), { profileId, targetGatewayType: 'CLASSIC' });
    expect(sameType.status).toBe(409);
    expect(sameType.body.code).toBe('NO_GATEWAY_TO_MIGRATE');
    const { profileId: empty } = await fleet.profile();
    expect((await api.post(operator, migrations(), { profileId: empty, targetGatewayType: 'CLUSTER' })).body.code).toBe(
      'NO_GATEWAY_TO_MIGRATE',
    );
    expect((await api.post(operator, migrations(), { profileId, targetGatewayType: 'MAINFRAME' })).status).toBe(400);
    expect((await api.post(operator, migrations(), { profileId, targetGatewayType: 'CLUSTER', deadlineSeconds: 1 })).status).toBe(400);
    const flagless = await api.createClientTenant(partner.token, 'No clustering');
    const { gw: classic } = await new Fleet(api, flagless, partner.token, t.url).gateway({ heartbeat: false });
    const refused = await api.post(partner.token, migrations(flagless), { profileId: classic.profileId, targetGatewayType: 'CLUSTER' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FEATURE_NOT_ENABLED');
    const viewer = await api.clientToken(partner.token, tenantId, ['viewer']);
    expect((await api.post(viewer, migrations(), { profileId, targetGatewayType: 'CLUSTER' })).status).toBe(403);
  });

  it('fails with the reason when the target never arrives before its deadline, and its token stops working; subscribers see each step', async () => {
    const { profileId } = await classicOnProfile();
    const updates: { migrationId: string; state: string; failureReason: string | null; updatedAt: string }[] = [];
    const client = createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${operator}` },
    });
    const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
    client.subscribe(
      { query: 'subscription { migrationUpdated { migrationId profileId tenantId state failureReason updatedAt } }' },
      {
        next: (message) => updates.push((message.data as { migrationUpdated: (typeof updates)[number] }).migrationUpdated),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    await connected;
    await sleep(200);
    const started = await api.post(operator, migrations(), { profileId, targetGatewayType: 'CLUSTER', deadlineSeconds: 5 });
    const failed = await waitState(started.body.id, 'FAILED', 20_000);
    expect(failed.failureReason).toMatch(/did not register before the deadline/);
    const ofThis = await waitFor(
      async () => updates.filter((u) => u.migrationId === started.body.id),
      (seen) => seen.some((u) => u.state === 'FAILED'),
      5_000,
      100,
    );
    await client.dispose();
    expect(ofThis.map((u) => u.state)).toEqual(expect.arrayContaining(['AWAITING_TARGET', 'FAILED']));
    expect(ofThis.at(-1)).toMatchObject({ state: 'FAILED', failureReason: failed.failureReason });
    const times = ofThis.map((u) => Date.parse(u.updatedAt));
    expect(times.every((time) => Math.abs(time - Date.now()) < 60_000)).toBe(true);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect((await profile(profileId)).status).toBe('NOT_REGISTERED');
    const late = await fleet.session('CLUSTER').register(started.body.activationToken.token);
    expect(late.status).toBe(401);
  });

  it('fails with the reason when APPLY_CONFIGURATION fails on the target', async () => {
    const { profileId } = await classicOnProfile();
    const started = await api.post(operator, migrations(), { profileId, targetGatewayType: 'CLUSTER' });
    const cluster = fleet.session('CLUSTER');
    await waitFor(
      () => cluster.register(started.body.activationToken.token),
      (r) => r.status === 201,
      10_000,
      200,
    );
    await waitFor(
      () => runCommands(cluster, 'FAILED'),
      (handled) => handled.includes('APPLY_CONFIGURATION'),
      10_000,
      200,
    );
    const failed = await waitState(started.body.id, 'FAILED');
    expect(failed.failureReason).toBe('APPLY_CONFIGURATION ended FAILED (CONFIG_REJECTED) on the target gateway');
  });

  it('rolls back a completed migration: the cluster leaves, a classic gateway comes back with the same configuration and history', async () => {
    const { profileId, classic } = await classicOnProfile();
    const before = await profile(profileId);
    const forward = await api.post(operator, migrations(), { profileId, targetGatewayType: 'CLUSTER' });
    const cluster = fleet.session('CLUSTER');
    await waitFor(
      () => cluster.register(forward.body.activationToken.token),
      (r) => r.status === 201,
      10_000,
      200,
    );
    await waitFor(
      () => runCommands(cluster),
      (h) => h.includes('APPLY_CONFIGURATION'),
      10_000,
      200,
    );
    await waitState(forward.body.id, 'COMPLETED');

    const rollback = await api.post(operator, `${migrations()}/${forward.body.id}/rollback`, {});
    expect(rollback.status).toBe(201);
    expect(rollback.body).toMatchObject({
      direction: 'CLUSTER_TO_CLASSIC',
      targetGatewayType: 'CLASSIC',
      rollbackOf: forward.body.id,
      sourceGatewayId: cluster.gatewayId,
    });
    expect((await migration(forward.body.id)).state).toBe('ROLLED_BACK');
    await waitState(rollback.body.id, 'AWAITING_TARGET');
    expect((await cluster.heartbeat()).body.code).toBe('GATEWAY_DEREGISTERED');
    const back = fleet.session('CLASSIC');
    await waitFor(
      () => back.register(rollback.body.activationToken.token),
      (r) => r.status === 201,
      10_000,
      200,
    );
    await waitFor(
      () => runCommands(back),
      (h) => h.includes('APPLY_CONFIGURATION'),
      10_000,
      200,
    );
    await waitState(rollback.body.id, 'COMPLETED');
    const after = await profile(profileId);
    expect(after).toMatchObject({ status: 'CONNECTED', gatewayType: 'CLASSIC', activeGatewayId: back.gatewayId });
    expect(JSON.stringify(after.configuration)).toBe(JSON.stringify(before.configuration));
    const history = await api.get(operator, `/api/v1/tenants/${tenantId}/gateways?profileId=${profileId}`);
    expect(history.body.items.map((g: { id: string; status: string }) => g.id).sort()).toEqual(
      [classic.gatewayId, cluster.gatewayId, back.gatewayId].sort(),
    );
    const again = await api.post(operator, `${migrations()}/${forward.body.id}/rollback`, {});
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('MIGRATION_ALREADY_ROLLED_BACK');
    const list = await api.get(operator, `${migrations()}?profileId=${profileId}`);
    expect(list.body.items.map((m: { id: string }) => m.id)).toEqual([rollback.body.id, forward.body.id]);
  });

  it('replaces a gateway for a firmware upgrade: the old one leaves when the new one registers on the same profile', async () => {
    const { profileId, classic } = await classicOnProfile();
    const replaced = await api.post(operator, `/api/v1/tenants/${tenantId}/gateways/${classic.gatewayId}/replace`, {});
    expect(replaced.status).toBe(201);
    expect(replaced.body).toMatchObject({
      gatewayId: classic.gatewayId,
      profileId,
      deregisteredNow: false,
      activationToken: { token: expect.stringMatching(/^gwat_/) },
    });
    expect((await classic.heartbeat()).status).toBe(200);
    const wrongType = await fleet.session('CLUSTER').register(replaced.body.activationToken.token);
    expect(wrongType.body.code).toBe('GATEWAY_TYPE_MISMATCH');
    const upgraded = fleet.session('CLASSIC');
    expect((await upgraded.register(replaced.body.activationToken.token)).status).toBe(201);
    expect((await classic.heartbeat()).body.code).toBe('GATEWAY_DEREGISTERED');
    expect(await profile(profileId)).toMatchObject({ status: 'CONNECTED', activeGatewayId: upgraded.gatewayId });
    const old = await api.get(operator, `/api/v1/tenants/${tenantId}/gateways/${classic.gatewayId}`);
    expect(old.body).toMatchObject({ status: 'DEREGISTERED', deregistrationReason: 'REPLACEMENT' });
  });

  it('replaces at once when asked: the old gateway leaves now', async () => {
    const { profileId, classic } = await classicOnProfile();
    const replaced = await api.post(operator, `/api/v1/tenants/${tenantId}/gateways/${classic.gatewayId}/replace`, { deregisterNow: true });
    expect(replaced.body.deregisteredNow).toBe(true);
    expect((await classic.heartbeat()).body.code).toBe('GATEWAY_DEREGISTERED');
    expect((await profile(profileId)).status).toBe('NOT_REGISTERED');
    const upgraded = fleet.session('CLASSIC');
    expect((await upgraded.register(replaced.body.activationToken.token)).status).toBe(201);
    expect((await profile(profileId)).activeGatewayId).toBe(upgraded.gatewayId);
  });

  it("another tenant's migrations are 404 on every route", async () => {
    const { profileId } = await classicOnProfile();
    const started = await api.post(operator, migrations(), { profileId, targetGatewayType: 'CLUSTER' });
    const other = await api.createClientTenant(partner.token, 'Migrations nosy', { gatewayClustering: true });
    const nosy = await api.clientToken(partner.token, other, ['admin']);
    for (const tenant of [other, tenantId]) {
      expect((await api.get(nosy, `${migrations(tenant)}/${started.body.id}`)).status).toBe(404);
      expect((await api.post(nosy, `${migrations(tenant)}/${started.body.id}/rollback`, {})).status).toBe(404);
      expect((await api.post(nosy, migrations(tenant), { profileId, targetGatewayType: 'CLUSTER' })).status).toBe(404);
    }
    expect((await api.get(nosy, migrations(other))).body.items).toEqual([]);
    const gql = await api.graphql(nosy, 'query($m: ID!) { migration(id: $m) { id } }', { m: started.body.id });
    expect(gql.body.errors[0].extensions.code).toBe('MIGRATION_NOT_FOUND');
  });
});

describe('a migration survives its worker being killed', () => {
  let t: TestApp;

  beforeAll(async () => {
    // This process serves HTTP only; the workflow's jobs run in a separate worker process.
    t = await startTestApp({ env: { ROLE: 'api' } });
  });
  afterAll(() => t?.close());

  it('finishes after a restart, each side effect done exactly once', async () => {
    const api = new Api(t);
    const partner = await api.partner();
    let worker = await startServiceProcess(t, { ROLE: 'worker' });
    try {
      const crashFleet = new Fleet(api, partner.tenantId, partner.token, t.url);
      const { profileId, gw: classic } = await crashFleet.gateway({ profile: { configuration: SETTINGS }, heartbeat: false });
      const started = await api.post(partner.token, `/api/v1/tenants/${partner.tenantId}/migrations`, {
        profileId,
        targetGatewayType: 'CLUSTER',
      });
      const get = async () => (await api.get(partner.token, `/api/v1/tenants/${partner.tenantId}/migrations/${started.body.id}`)).body;
      await waitFor(get, (m) => m.state === 'AWAITING_TARGET', 15_000, 100);

      worker.process.kill('SIGKILL');
      await new Promise((resolve) => worker.process.once('exit', resolve));
      // With no worker alive, the target registers (the API moves the workflow) but nothing else can happen.
      const cluster = crashFleet.session('CLUSTER');
      expect((await cluster.register(started.body.activationToken.token)).status).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect((await get()).state).toBe('TARGET_REGISTERED');
      expect((await cluster.pollCommands(0)).body.commands).toEqual([]);

      worker = await startServiceProcess(t, { ROLE: 'worker' });
      await waitFor(
        () => runCommands(cluster),
        (handled) => handled.includes('APPLY_CONFIGURATION'),
        60_000,
        300,
      );
      const done = await waitFor(get, (m) => m.state === 'COMPLETED', 15_000, 200);
      expect(done.targetGatewayId).toBe(cluster.gatewayId);
      const commands = await api.get(partner.token, `/api/v1/tenants/${partner.tenantId}/gateways/${cluster.gatewayId}/commands`);
      expect(commands.body.items.filter((c: { type: string }) => c.type === 'APPLY_CONFIGURATION')).toHaveLength(1);
      const audit = (await api.get(partner.token, `/api/v1/tenants/${partner.tenantId}/audit-events?limit=200`)).body.items;
      expect(
        audit.filter((e: { action: string; targetId: string }) => e.action === 'gateway.deregistered' && e.targetId === classic.gatewayId),
      ).toHaveLength(1);
      expect(
        audit
          .filter((e: { action: string; targetId: string }) => e.targetId === started.body.id)
          .map((e: { action: string }) => e.action)
          .reverse(),
      ).toEqual([
        'migration.started',
        'migration.source_deregistered',
        'migration.awaiting_target',
        'migration.target_registered',
        'migration.configuration_applied',
        'migration.completed',
      ]);
    } finally {
      await worker.stop();
    }
  }, 120_000);
});
