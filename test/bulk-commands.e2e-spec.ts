import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import type { GatewaySession } from '@gateway-control-plane/agent';
import { CommandDeadlinesProcessor } from '../src/commands/system-events/command-deadlines.processor.js';
import { Api } from './support/api.js';
import { Fleet } from './support/fleet.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

describe('bulk commands', () => {
  let t: TestApp;
  let api: Api;
  let partner: { token: string; tenantId: string };
  let tenantId: string;
  let operator: string;
  let gatewayFleet: Fleet;

  const fleet = (size: number) => gatewayFleet.gateways(size, { heartbeat: false });
  /** A bulk command over these gateways (in this order), created as `operator`. */
  const startBulk = (gateways: GatewaySession[], settings: Record<string, unknown>) =>
    api.post(operator, `/api/v1/tenants/${tenantId}/bulk-commands`, {
      type: 'PING',
      ...settings,
      targets: { gatewayIds: gateways.map((g) => g.gatewayId) },
    });
  const bulkView = async (id: string) => (await api.get(operator, `/api/v1/tenants/${tenantId}/bulk-commands/${id}`)).body;
  const counts = (view: { counts: { key: string; count: number }[] }) => Object.fromEntries(view.counts.map((c) => [c.key, c.count]));
  /** Each gateway takes what it was handed and reports the outcome `decide` picks. */
  const work = async (
    gateways: GatewaySession[],
    decide: (gw: GatewaySession) => 'SUCCEEDED' | 'FAILED',
    afterEach?: () => Promise<void>,
  ) => {
    let handled = 0;
    for (const gw of gateways) {
      for (const command of (await gw.pollCommands(0)).body.commands) {
        const outcome = decide(gw);
        await gw.updateCommand(
          command.commandId,
          outcome === 'FAILED' ? { state: 'FAILED', errorCode: 'SIMULATED' } : { state: 'SUCCEEDED' },
        );
        handled += 1;
        await afterEach?.();
      }
    }
    return handled;
  };

  beforeAll(async () => {
    t = await startTestApp();
    api = new Api(t);
    partner = await api.partner();
    tenantId = await api.createClientTenant(partner.token, 'Bulk client');
    operator = await api.clientToken(partner.token, tenantId, ['operator']);
    gatewayFleet = new Fleet(api, tenantId, partner.token, t.url);
  });
  afterAll(() => t?.close());

  it('runs at most maxConcurrency targets at once and completes when every target ended', async () => {
    const gateways = await fleet(6);
    const created = await startBulk(gateways, {
      type: 'RUN_DISCOVERY',
      parameters: { profile: 'dc1' },
      maxConcurrency: 2,
      maxErrors: '10%',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'RUNNING', targets: 6, maxConcurrency: 2, maxErrors: '10%', type: 'RUN_DISCOVERY' });
    expect(counts(created.body)).toEqual({ PENDING: 4, QUEUED: 2 });
    const active = (view: { counts: { key: string; count: number }[] }) =>
      view.counts.filter((c) => ['QUEUED', 'DELIVERED', 'ACKNOWLEDGED', 'RUNNING'].includes(c.key)).reduce((sum, c) => sum + c.count, 0);
    // After every single end, at most maxConcurrency targets are out.
    let peak = 0;
    const measure = async () => {
      peak = Math.max(peak, active(await bulkView(created.body.id)));
    };
    for (let round = 0; round < 10 && (await bulkView(created.body.id)).state === 'RUNNING'; round++)
      await work(gateways, () => 'SUCCEEDED', measure);
    expect(peak).toBe(2);
    const done = await bulkView(created.body.id);
    expect(done).toMatchObject({ state: 'COMPLETED', stopReason: null });
    expect(counts(done)).toEqual({ SUCCEEDED: 6 });
  });

  it('once failures pass maxErrors, the targets not yet started end CANCELLED and the bulk command says why', async () => {
    const gateways = await fleet(5);
    const created = await startBulk(gateways, { maxConcurrency: 1, maxErrors: '1' });
    for (let i = 0; i < 2; i++) await work(gateways, () => 'FAILED');
    const stopped = await waitFor(
      () => bulkView(created.body.id),
      (b) => b.state !== 'RUNNING',
      5_000,
      100,
    );
    expect(stopped.state).toBe('STOPPED');
    expect(stopped.stopReason).toMatch(/2 targets failed, more than maxErrors \(1\)/);
    expect(counts(stopped)).toEqual({ FAILED: 2, CANCELLED: 3 });
    expect(await work(gateways, () => 'SUCCEEDED')).toBe(0);
    const audit = await api.auditActions(partner.token, tenantId);
    expect(audit).toContain('bulk_command.stopped');
  });

  it('a percentage threshold counts against the number of targets', async () => {
    const gateways = await fleet(4);
    const created = await startBulk(gateways, { maxConcurrency: 4, maxErrors: '25%' });
    let failures = 0;
    await work(gateways, () => (failures++ < 1 ? 'FAILED' : 'SUCCEEDED'));
    const done = await bulkView(created.body.id);
    expect(done.state).toBe('COMPLETED');
    expect(counts(done)).toEqual({ FAILED: 1, SUCCEEDED: 3 });
  });

  it('ends reported in parallel are all counted: the last of them completes the bulk command', async () => {
    const gateways = await fleet(8);
    const created = await startBulk(gateways, { maxConcurrency: 4, maxErrors: '2' });
    const handOuts = async () =>
      (await Promise.all(gateways.map(async (gw) => ({ gw, commands: (await gw.pollCommands(0)).body.commands })))).filter(
        (h) => h.commands.length,
      );
    const endAll = (batch: { gw: GatewaySession; commands: { commandId: string }[] }[], state: 'SUCCEEDED' | 'FAILED') =>
      Promise.all(
        batch.map(({ gw, commands }) =>
          gw.updateCommand(commands[0].commandId, state === 'FAILED' ? { state, errorCode: 'SIMULATED' } : { state }),
        ),
      );
    const first = await handOuts();
    expect(first).toHaveLength(4);
    // Each answer comes once the bulk has counted that end, so the next four are out at once.
    await endAll(first.slice(0, 2), 'FAILED');
    await endAll(first.slice(2), 'SUCCEEDED');
    const second = await handOuts();
    expect(second).toHaveLength(4);
    await endAll(second, 'SUCCEEDED');
    const done = await bulkView(created.body.id);
    expect(done.state).toBe('COMPLETED');
    expect(counts(done)).toEqual({ FAILED: 2, SUCCEEDED: 6 });
  });

  it('a bulk command whose advance was lost with a process is advanced by the command sweep', async () => {
    const gateways = await fleet(2);
    const created = await startBulk(gateways, { maxConcurrency: 1 });
    const [handed] = (await gateways[0].pollCommands(0)).body.commands;
    const db = t.app.get(DataSource);
    // The end committed, then the process died before advancing the bulk command.
    await db.query(`UPDATE commands SET state = 'SUCCEEDED', ended_at = now() WHERE id = $1`, [handed.commandId]);
    await db.query(`UPDATE bulk_commands SET updated_at = now() - interval '1 minute' WHERE id = $1`, [created.body.id]);
    expect((await gateways[1].pollCommands(0)).body.commands).toHaveLength(0);
    await t.app.get(CommandDeadlinesProcessor).sweep();
    const [next] = (await gateways[1].pollCommands(0)).body.commands;
    expect(next).toMatchObject({ type: 'PING' });
    await gateways[1].updateCommand(next.commandId, { state: 'SUCCEEDED' });
    const done = await bulkView(created.body.id);
    expect(done.state).toBe('COMPLETED');
    expect(counts(done)).toEqual({ SUCCEEDED: 2 });
  });

  it('targets given as profiles are every active gateway of them, resolved when the bulk command is created', async () => {
    const gateways = await fleet(2);
    const profileIds = gateways.map((g) => g.profileId);
    const { profileId: emptyProfile } = await api.profileWithToken(partner.token, tenantId, 'bulk-empty-profile');
    const created = await api.post(operator, `/api/v1/tenants/${tenantId}/bulk-commands`, {
      type: 'PING',
      targets: { profileIds: [...profileIds, emptyProfile] },
      maxConcurrency: 10,
    });
    expect(created.status).toBe(201);
    expect(created.body.targets).toBe(2);
    const onlyEmpty = await api.post(operator, `/api/v1/tenants/${tenantId}/bulk-commands`, {
      type: 'PING',
      targets: { profileIds: [emptyProfile] },
    });
    expect(onlyEmpty.status).toBe(400);
    expect(onlyEmpty.body.errors[0].field).toBe('targets');
  });

  it("targets that are not the tenant's active gateways are 400 with the offending entries; bad settings are 400", async () => {
    const [gw] = await fleet(1);
    const other = await api.createClientTenant(partner.token, 'Bulk other');
    const { gw: foreign } = await new Fleet(api, other, partner.token, t.url).gateway({ heartbeat: false });
    const refused = await api.post(operator, `/api/v1/tenants/${tenantId}/bulk-commands`, {
      type: 'PING',
      targets: { gatewayIds: [gw.gatewayId, foreign.gatewayId] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ field: 'targets.gatewayIds[1]', message: expect.stringContaining(foreign.gatewayId!) }]);
    for (const body of [
      { type: 'PING', targets: {} },
      { type: 'PING', targets: { gatewayIds: ['nope'] } },
      { type: 'PING', targets: { gatewayIds: [gw.gatewayId] }, maxErrors: 'many' },
      { type: 'PING', targets: { gatewayIds: [gw.gatewayId] }, maxErrors: '101%' },
      { type: 'PING', targets: { gatewayIds: [gw.gatewayId] }, maxConcurrency: 0 },
      { type: 'RESTART_APP', parameters: {}, targets: { gatewayIds: [gw.gatewayId] } },
    ]) {
      expect((await api.post(operator, `/api/v1/tenants/${tenantId}/bulk-commands`, body)).status, JSON.stringify(body)).toBe(400);
    }
  });

  it('is idempotent with Idempotency-Key, needs admin or operator, and is 404 for another tenant', async () => {
    const gateways = await fleet(2);
    const body = { type: 'PING', targets: { gatewayIds: gateways.map((g) => g.gatewayId) } };
    const first = await api.post(operator, `/api/v1/tenants/${tenantId}/bulk-commands`, body).set('idempotency-key', 'bulk-ping-1');
    const again = await api.post(operator, `/api/v1/tenants/${tenantId}/bulk-commands`, body).set('idempotency-key', 'bulk-ping-1');
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const viewer = await api.clientToken(partner.token, tenantId, ['viewer']);
    expect((await api.post(viewer, `/api/v1/tenants/${tenantId}/bulk-commands`, body)).status).toBe(403);
    const other = await api.createClientTenant(partner.token, 'Bulk nosy');
    const nosy = await api.clientToken(partner.token, other, ['admin']);
    expect((await api.get(nosy, `/api/v1/tenants/${other}/bulk-commands/${first.body.id}`)).status).toBe(404);
    expect((await api.get(nosy, `/api/v1/tenants/${tenantId}/bulk-commands/${first.body.id}`)).status).toBe(404);
    const gql = await api.graphql(nosy, 'query($b: ID!) { bulkCommand(id: $b) { id } }', { b: first.body.id });
    expect(gql.body.errors[0].extensions.code).toBe('BULK_COMMAND_NOT_FOUND');
  });
});
