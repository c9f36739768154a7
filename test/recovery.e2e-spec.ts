import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewaySession } from '@gateway-control-plane/agent';
import { MIGRATIONS } from '../migrations/index.js';
import { RedisRecovery } from '../src/data-lifecycle/redis-recovery.service.js';
import { JobQueue } from '../src/platform/queues/job-queue.service.js';
import { JOB_CATALOG, QueueName } from '../src/platform/queues/job-catalog.js';
import { Api } from './support/api.js';
import { Fleet as GatewayFleet } from './support/fleet.js';
import { createDatabase, databaseUrl, dropDatabase } from './support/databases.js';
import { clearRedisPrefix, startTestApp, type TestApp } from './support/test-app.js';
import { sleep, waitFor } from './support/wait.js';

const run = promisify(execFile);

/**
 * Quick clocks: heartbeats every second, DISCONNECTED after 3 s of silence, an unacknowledged
 * command handed out again after 3 s.
 */
const ENV = { HEARTBEAT_INTERVAL_SECONDS: '1', HEARTBEAT_MISSED_LIMIT: '3', COMMAND_ACK_TIMEOUT_SECONDS: '3' };
const SILENCE_MS = 3_000;

/** A small fleet with commands in every state, arranged through the public APIs. */
interface Fleet {
  tenantId: string;
  admin: string;
  /** Keep heartbeating. */
  talkers: GatewaySession[];
  /** Stops heartbeating once the fleet is made. */
  silent: GatewaySession;
  /** Queued for talkers[0], never handed out. */
  queued: string;
  /** Handed out to talkers[1], not acknowledged. */
  delivered: string;
  /** Acknowledged and running on talkers[1], with a 4 s time limit. */
  running: string;
  /** SUCCEEDED on talkers[0]. */
  done: string;
}

async function makeFleet(t: TestApp, api: Api, name: string): Promise<Fleet> {
  const partner = await api.partner();
  const tenantId = await api.createClientTenant(partner.token, name);
  const admin = await api.clientToken(partner.token, tenantId, ['admin']);
  const gateways = await new GatewayFleet(api, tenantId, admin, t.url).gateways(4);
  const [a, b, c, silent] = gateways as [GatewaySession, GatewaySession, GatewaySession, GatewaySession];
  const queue = async (gw: GatewaySession, body: object = { type: 'PING' }) => {
    const response = await api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}/commands`, body);
    expect(response.status).toBe(201);
    return response.body.id as string;
  };
  const done = await queue(a);
  expect((await a.pollCommands(0)).body.commands.map((cmd) => cmd.commandId)).toEqual([done]);
  expect((await a.updateCommand(done, { state: 'SUCCEEDED', result: { ok: true } })).body).toEqual({ applied: true });
  const running = await queue(b, { type: 'PING', timeoutSeconds: 4 });
  const delivered = await queue(b);
  expect((await b.pollCommands(0)).body.commands.map((cmd) => cmd.commandId)).toEqual([running, delivered]);
  expect((await b.updateCommand(running, { state: 'RUNNING', progressPercent: 10 })).status).toBe(200);
  const queued = await queue(a);
  return { tenantId, admin, talkers: [a, b, c], silent, queued, delivered, running, done };
}

/** The same gateway manager, now talking to another service (the gateway keeps its id, secret and boot). */
function movedTo(url: string, gw: GatewaySession): GatewaySession {
  return Object.assign(new GatewaySession(url, { gatewayType: 'CLASSIC', instanceId: gw.instanceId }, gw.nodes), {
    gatewayId: gw.gatewayId,
    profileId: gw.profileId,
    gatewaySecret: gw.gatewaySecret,
    accessToken: gw.accessToken,
    bootId: gw.bootId,
    sequence: gw.sequence,
    configurationVersion: gw.configurationVersion,
  });
}

/** Every command id each gateway received, by heartbeat or by poll. */
class Receipts {
  private readonly byGateway = new Map<string, string[]>();
  add(gw: GatewaySession, commands: { commandId: string }[] | undefined): void {
    const list = this.byGateway.get(gw.gatewayId!) ?? [];
    list.push(...(commands ?? []).map((cmd) => cmd.commandId));
    this.byGateway.set(gw.gatewayId!, list);
  }
  of(gw: GatewaySession): string[] {
    return this.byGateway.get(gw.gatewayId!) ?? [];
  }
  times(gw: GatewaySession, commandId: string): number {
    return this.of(gw).filter((id) => id === commandId).length;
  }
  async poll(gw: GatewaySession): Promise<void> {
    const response = await gw.pollCommands(0);
    expect(response.status).toBe(200);
    this.add(gw, response.body.commands);
  }
}

/** Heartbeats every 300 ms from these gateways until stopped (the fleet at work), noting the commands they carry. */
function keepTalking(gateways: GatewaySession[], receipts = new Receipts()): { stop(): Promise<void>; failures: number[] } {
  let stopped = false;
  const failures: number[] = [];
  const loops = gateways.map(async (gw) => {
    while (!stopped) {
      const response = await gw.heartbeat().catch(() => ({ status: 0, body: { commands: [] } }));
      if (response.status !== 200) failures.push(response.status);
      else receipts.add(gw, response.body.commands);
      await sleep(300);
    }
  });
  return {
    failures,
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

/**
 * What must hold on a service that lost Redis (restored, or Redis flushed): gateways are let in
 * with their stored credentials, a command committed before is handed out exactly once, a finished
 * one is never handed out again and its late updates change nothing, deadlines still fire, and
 * liveness works again from Postgres.
 */
async function expectGuarantees(t: TestApp, api: Api, fleet: Fleet, url: string): Promise<void> {
  const [a, b, c] = fleet.talkers.map((gw) => movedTo(url, gw)) as [GatewaySession, GatewaySession, GatewaySession];
  const command = async (id: string) => (await api.get(fleet.admin, `/api/v1/tenants/${fleet.tenantId}/commands/${id}`)).body;
  const status = async (gw: GatewaySession) =>
    (await api.get(fleet.admin, `/api/v1/tenants/${fleet.tenantId}/gateways/${gw.gatewayId}`)).body.status;
  const deliveriesBefore = (await command(fleet.delivered)).deliveries as number;

  // Stored credentials: a new access token from the gateway's secret, and a heartbeat with it.
  const receipts = new Receipts();
  for (const gw of [a, b, c]) {
    expect((await gw.refreshToken()).status).toBe(200);
    const beat = await gw.heartbeat();
    expect(beat.status).toBe(200);
    receipts.add(gw, beat.body.commands);
  }
  const talking = keepTalking([a, b, c], receipts);
  try {
    // The command queued before is handed out once, and only once.
    await waitFor(
      async () => (await receipts.poll(a), receipts.times(a, fleet.queued)),
      (n) => n > 0,
      5_000,
      200,
    );
    expect((await a.updateCommand(fleet.queued, { state: 'ACKNOWLEDGED' })).body).toEqual({ applied: true });
    await receipts.poll(a);
    await sleep(1_000);
    expect(receipts.times(a, fleet.queued)).toBe(1);

    // The finished command is not handed out again, and its late updates are answered as the protocol says.
    expect(receipts.times(a, fleet.done)).toBe(0);
    const late = await a.updateCommand(fleet.done, { state: 'SUCCEEDED', result: { ok: true } });
    expect(late.status).toBe(200);
    expect(late.body).toEqual({ applied: false });
    expect((await a.updateCommand(fleet.done, { state: 'RUNNING' })).body.code).toBe('COMMAND_ALREADY_ENDED');
    expect(await command(fleet.done)).toMatchObject({ state: 'SUCCEEDED', result: { ok: true } });

    // Deadlines live on: the unacknowledged command is handed out again, the running one times out.
    await waitFor(
      async () => (await receipts.poll(b), receipts.times(b, fleet.delivered)),
      (n) => n > 0,
      10_000,
      250,
    );
    expect((await b.updateCommand(fleet.delivered, { state: 'ACKNOWLEDGED' })).body).toEqual({ applied: true });
    expect((await command(fleet.delivered)).deliveries).toBe(deliveriesBefore + 1);
    await waitFor(
      () => command(fleet.running),
      (cmd) => cmd.state === 'TIMED_OUT',
      10_000,
      250,
    );
    expect((await b.updateCommand(fleet.running, { state: 'SUCCEEDED' })).body.code).toBe('COMMAND_ALREADY_ENDED');

    // Liveness from Postgres: the silent gateway turns DISCONNECTED one silence limit later; the others stay CONNECTED.
    await waitFor(
      () => status(fleet.silent),
      (s) => s === 'DISCONNECTED',
      SILENCE_MS + 5_000,
      200,
    );
    for (const gw of [a, b, c]) expect(await status(gw)).toBe('CONNECTED');
    expect(talking.failures).toEqual([]);
  } finally {
    await talking.stop();
  }
  // From here the fleet talks to this service.
  fleet.talkers.splice(0, 3, a, b, c);
}

describe('Redis lost for good: the service rebuilds what it kept there from Postgres', () => {
  let t: TestApp;
  let api: Api;

  beforeAll(async () => {
    t = await startTestApp({ env: ENV });
    api = new Api(t);
  });
  afterAll(() => t?.close());

  it('while it runs: the state, queues, delayed jobs and flags come back, with the same guarantees', async () => {
    const fleet = await makeFleet(t, api, 'Flushed while running');
    // Redis loses everything this deployment had (its key prefix), and the service notices.
    await clearRedisPrefix(t.config);
    const recovery = t.app.get(RedisRecovery);
    expect(await recovery.check()).toBe(true);
    expect(await recovery.check()).toBe(false);
    // Every repeatable job of the catalog has its scheduler again.
    for (const queue of Object.values(QueueName)) {
      const expected = Object.entries(JOB_CATALOG)
        .filter(([, spec]) => spec.queue === queue && spec.everyMs)
        .map(([name]) => name)
        .sort();
      const schedulers = await t.app.get(JobQueue).queue(queue).getJobSchedulers();
      expect(schedulers.map((s) => s.key).sort()).toEqual(expected);
    }
    await expectGuarantees(t, api, fleet, t.url);
  }, 60_000);

  it('across a restart on an empty Redis', async () => {
    const fleet = await makeFleet(t, api, 'Flushed while stopped');
    await t.app.close();
    await clearRedisPrefix(t.config);
    const restarted = await startTestApp({ env: ENV, databaseName: t.databaseName });
    try {
      // The restarted app uses a new key prefix too: nothing of the old Redis state can help it.
      expect(restarted.config.redis.keyPrefix).not.toBe(t.config.redis.keyPrefix);
      await expectGuarantees(restarted, new Api(restarted), fleet, restarted.url);
    } finally {
      await restarted.close({ keepDatabase: true });
      await clearRedisPrefix(restarted.config);
      const databaseName = t.databaseName;
      t = { ...t, close: async () => dropDatabase(databaseName) };
    }
  }, 60_000);
});

describe('backup and restore (scripts/backup.sh, scripts/restore.sh)', () => {
  let t: TestApp;
  let api: Api;
  let dir: string;
  const restoredName = `gcp_t_restored_${Date.now().toString(36)}`;

  beforeAll(async () => {
    t = await startTestApp({ env: ENV });
    api = new Api(t);
    dir = await mkdtemp(join(tmpdir(), 'gcp-backup-'));
  });
  afterAll(async () => {
    await t?.close();
    await dropDatabase(restoredName);
    await rm(dir, { recursive: true, force: true });
  });

  it('a backup taken under a working fleet restores into a fresh database and an empty Redis, and the service carries on from it', async () => {
    const fleet = await makeFleet(t, api, 'Backed up');
    // Acknowledged before the backup and finished after it: what a restore loses.
    const c = fleet.talkers[2];
    const finishedAfter = (
      await api.post(fleet.admin, `/api/v1/tenants/${fleet.tenantId}/gateways/${c.gatewayId}/commands`, { type: 'PING' })
    ).body.id as string;
    expect((await c.pollCommands(0)).body.commands.map((cmd) => cmd.commandId)).toEqual([finishedAfter]);
    expect((await c.updateCommand(finishedAfter, { state: 'ACKNOWLEDGED' })).body).toEqual({ applied: true });
    // More gateways of the fleet heartbeat while the backup runs.
    const idle = await new GatewayFleet(api, fleet.tenantId, fleet.admin, t.url).gateways(5, { heartbeat: false });

    const talking = keepTalking(idle);
    const file = join(dir, 'gcp.dump');
    let backup: { stdout: string };
    try {
      await sleep(500);
      backup = await run('bash', ['scripts/backup.sh', file], { env: { ...process.env, DATABASE_URL: databaseUrl(t.databaseName) } });
      await sleep(500);
    } finally {
      await talking.stop();
    }
    expect(talking.failures).toEqual([]);
    const meta = JSON.parse(backup.stdout);
    // The schema the backup recorded is the newest this code has.
    expect(meta).toMatchObject({ file: 'gcp.dump', migration: MIGRATIONS.at(-1)!.name, migrations: MIGRATIONS.length });
    expect(JSON.parse(await readFile(`${file}.json`, 'utf8'))).toEqual(meta);
    expect((await c.updateCommand(finishedAfter, { state: 'SUCCEEDED' })).body).toEqual({ applied: true });

    // The old deployment is gone; a fresh database gets the backup.
    await t.app.close();
    await clearRedisPrefix(t.config);
    await createDatabase(restoredName);
    const restore = await run('bash', ['scripts/restore.sh', file], { env: { ...process.env, DATABASE_URL: databaseUrl(restoredName) } });
    expect(restore.stdout.trim()).toBe(meta.migration);
    // restoring over a database that has data is refused
    await expect(
      run('bash', ['scripts/restore.sh', file], { env: { ...process.env, DATABASE_URL: databaseUrl(restoredName) } }),
    ).rejects.toThrow(/not empty/);

    const restored = await startTestApp({ env: ENV, databaseName: restoredName });
    try {
      const restoredApi = new Api(restored);
      await expectGuarantees(restored, restoredApi, fleet, restored.url);
      // What the restore lost: the end reported after the backup. The command is ACKNOWLEDGED again,
      // and the gateway's repeated final update is applied.
      expect((await restoredApi.get(fleet.admin, `/api/v1/tenants/${fleet.tenantId}/commands/${finishedAfter}`)).body.state).toBe(
        'ACKNOWLEDGED',
      );
      expect((await fleet.talkers[2].updateCommand(finishedAfter, { state: 'SUCCEEDED' })).body).toEqual({ applied: true });
      // The idle gateways, registered before the backup, are let in with their stored secrets.
      for (const gw of idle.map((g) => movedTo(restored.url, g))) expect((await gw.refreshToken()).status).toBe(200);
      // The audit log came along: the backed-up tenant's history is there.
      expect((await restoredApi.auditActions(fleet.admin, fleet.tenantId)).length).toBeGreaterThan(5);
    } finally {
      await restored.close({ keepDatabase: true });
      await clearRedisPrefix(restored.config);
    }
    const databaseName = t.databaseName;
    t = { ...t, close: async () => dropDatabase(databaseName) };
  }, 120_000);
});
