import { randomUUID } from 'node:crypto';
import type { GatewaySession, ProtocolCommand, ProtocolResponse } from '@gateway-control-plane/agent';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/app-config.js';
import { migrationDataSource, runMigrations } from '../src/platform/database/data-source.js';
import { createHttpApp } from '../src/platform/http/create-app.js';
import { Api } from './support/api.js';
import { Fleet } from './support/fleet.js';
import { PrivateStack } from './support/private-stack.js';
import type { TestApp } from './support/test-app.js';
import { TEST_ENV } from './support/test-env.js';
import { sleep } from './support/wait.js';

type Dependency = 'postgres' | 'redis';

/** How long each outage lasts. */
const OUTAGE_MS = 4_000;
/**
 * Longer than an outage and its recovery on a loaded machine: a command is handed out again only
 * if a hand-out was really lost, which is what these tests must show never happens.
 */
const ACK_TIMEOUT_SECONDS = 30;

/** Every answer a 5xx other than 503, or a 503 without a positive Retry-After, seen by anyone. */
const badAnswers: string[] = [];

function note(label: string, status: number, retryAfter: string | null | undefined): void {
  if (status >= 500 && status !== 503) badAnswers.push(`${label}: ${status}`);
  if (status === 503 && !(Number(retryAfter) > 0)) badAnswers.push(`${label}: 503 without Retry-After`);
}

/**
 * A gateway manager of the simulated fleet: heartbeats every 500 ms and polls every 250 ms (unless
 * silent), runs every command it gets on either answer, as the reference agent does, and resends
 * an update until it is answered (a 503 or a refused connection: again; anything else: stop).
 */
class SimGateway {
  running = true;
  silent = false;
  readonly received = new Map<string, number>();
  readonly succeeded = new Set<string>();
  readonly refused: string[] = [];
  unavailable = 0;
  private lastBeat = 0;
  private loop: Promise<void> | null = null;

  constructor(readonly gw: GatewaySession) {}

  get id(): string {
    return this.gw.gatewayId!;
  }

  start(): void {
    this.loop = (async () => {
      while (this.running) {
        await this.step().catch(() => undefined); // a refused connection: try again
        await sleep(250);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private ok(label: string, response: ProtocolResponse<unknown>): boolean {
    note(`${label} ${this.id}`, response.status, response.headers.get('retry-after'));
    if (response.status === 503) this.unavailable += 1;
    return response.status === 200;
  }

  private async step(): Promise<void> {
    if (!this.silent && Date.now() - this.lastBeat >= 500) {
      this.lastBeat = Date.now();
      const beat = await this.gw.heartbeat();
      if (this.ok('heartbeat', beat)) await this.run(beat.body.commands ?? []);
    }
    const polled = await this.gw.pollCommands(0);
    if (this.ok('poll', polled)) await this.run(polled.body.commands);
  }

  private async run(commands: ProtocolCommand[]): Promise<void> {
    for (const command of commands) {
      this.received.set(command.commandId, (this.received.get(command.commandId) ?? 0) + 1);
      if (this.succeeded.has(command.commandId)) continue;
      while (this.running) {
        const update = await this.gw.updateCommand(command.commandId, { state: 'SUCCEEDED', result: { ok: true } }).catch(() => null);
        if (update && this.ok('update', update)) {
          this.succeeded.add(command.commandId);
          break;
        }
        if (update && update.status !== 503) {
          this.refused.push(`${command.commandId}: ${update.status} ${JSON.stringify(update.body)}`);
          break;
        }
        await sleep(250);
      }
    }
  }
}

async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    // A check that hangs (a request nobody answers) counts as not yet, and the deadline still holds.
    if (await Promise.race([check().catch(() => false), sleep(15_000).then(() => false)])) return;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Outages of a dependency under a small simulated fleet, on a Postgres and a Redis of this file's
 * own (the other test files share the suite's servers, which must never stop).
 */
describe('faults: Postgres or Redis stopped, then started, under a small fleet', () => {
  let stack: PrivateStack;
  let t: TestApp;
  let api: Api;
  let partnerToken: string;
  let databaseUrl: string;
  const sims: SimGateway[] = [];

  beforeAll(async () => {
    stack = await PrivateStack.start('fault');
    // A fresh database on the private server, migrated as a deployment is.
    const maintenance = new pg.Client({ connectionString: stack.databaseUrl });
    await maintenance.connect();
    await maintenance.query('DROP DATABASE IF EXISTS gcp_fault WITH (FORCE)');
    await maintenance.query('CREATE DATABASE gcp_fault');
    await maintenance.end();
    const url = new URL(stack.databaseUrl);
    url.pathname = '/gcp_fault';
    databaseUrl = url.toString();
    const env: Record<string, string> = {
      ...TEST_ENV,
      DATABASE_URL: databaseUrl,
      REDIS_URL: stack.redisUrl,
      REDIS_KEY_PREFIX: 'fault',
      HEARTBEAT_INTERVAL_SECONDS: '1',
      HEARTBEAT_MISSED_LIMIT: '3',
      OUTAGE_RETRY_AFTER_SECONDS: '2',
      DATABASE_POOL_SIZE: '5',
      COMMAND_ACK_TIMEOUT_SECONDS: String(ACK_TIMEOUT_SECONDS),
    };
    delete env.REDIS_CLUSTER_NODES;
    const config = loadConfig(env);
    const migrations = migrationDataSource(config);
    await migrations.initialize();
    await runMigrations(migrations);
    await migrations.destroy();
    const app = await createHttpApp(config, { quiet: true });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address();
    t = {
      app,
      config,
      url: typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '',
      databaseName: 'gcp_fault',
      http: () => request(app.getHttpServer()),
      close: async () => {
        await app.close();
      },
    };
    api = new Api(t);
    partnerToken = (await api.partner()).token;
  }, 120_000);

  afterAll(async () => {
    for (const sim of sims) sim.running = false;
    // The servers go down whatever happens to the app's close.
    const closed = t?.close().then(
      () => true,
      () => true,
    );
    if (!(await Promise.race([closed, sleep(30_000).then(() => false)]))) console.warn('faults: the app did not close within 30 s');
    await stack?.down().catch(() => undefined);
  }, 120_000);

  const commandOf = (admin: string, tenantId: string, id: string) => api.get(admin, `/api/v1/tenants/${tenantId}/commands/${id}`);

  it.each(['postgres', 'redis'] as const)(
    '%s stopped for 4 s: 503 with Retry-After on REST, GraphQL, the protocol and /readyz; then full recovery, every command run once and SUCCEEDED on its first delivery, each status transition audited once',
    async (dependency: Dependency) => {
      badAnswers.length = 0;
      const tenantId = await api.createClientTenant(partnerToken, `Fault client ${dependency}`);
      const admin = await api.clientToken(partnerToken, tenantId, ['admin']);
      const fleet = new Fleet(api, tenantId, admin, t.url);
      const fleetSims: SimGateway[] = [];
      for (let i = 0; i < 4; i++) fleetSims.push(new SimGateway((await fleet.gateway()).gw));
      sims.push(...fleetSims);
      const queued = new Map<SimGateway, string[]>(fleetSims.map((sim) => [sim, []]));
      const queue = async (sim: SimGateway, idempotencyKey?: string) => {
        const sent = api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${sim.id}/commands`, { type: 'PING' });
        return (idempotencyKey ? sent.set('idempotency-key', idempotencyKey) : sent).timeout(15_000);
      };
      const queueNow = async (sim: SimGateway) => {
        const response = await queue(sim);
        expect(response.status, JSON.stringify(response.body)).toBe(201);
        queued.get(sim)!.push(response.body.id as string);
      };
      for (const sim of fleetSims) sim.start();
      // Queued just before the outage: handed out around its start.
      for (const sim of fleetSims) await queueNow(sim);
      // One gateway falls silent: its silence limit (3 s) passes while the dependency is down.
      const quiet = fleetSims[3]!;
      quiet.silent = true;
      for (const sim of fleetSims) await queueNow(sim);

      if (dependency === 'postgres') await stack.stopPostgres();
      else await stack.stopRedis();
      const outageAnswers: { path: string; status: number; retryAfter?: string; code?: string }[] = [];
      const pending: Promise<unknown>[] = [];
      // Probes go out every 300 ms without waiting for each other: a slow answer does not thin them out.
      // An answer that takes over 10 s (the outage lasts 4) counts as none: status 0.
      const probe = (path: string, send: () => request.Test) =>
        pending.push(
          send()
            .timeout(10_000)
            .then(
              (response) => {
                const body = response.body as { code?: string; errors?: { extensions?: { code?: string } }[] };
                outageAnswers.push({
                  path,
                  status: response.status,
                  retryAfter: response.headers['retry-after'],
                  code: body?.code ?? body?.errors?.[0]?.extensions?.code,
                });
              },
              (error: Error) => outageAnswers.push({ path, status: 0, code: error.message }),
            ),
        );
      const target = fleetSims[0]!;
      // A script queues a command during the outage with an Idempotency-Key and retries until answered.
      const scriptKey = randomUUID();
      const script = (async (): Promise<string> => {
        for (;;) {
          const response = await queue(target, scriptKey);
          note('script queue', response.status, response.headers['retry-after']);
          if (response.status === 201) return response.body.id as string;
          expect(response.status, JSON.stringify(response.body)).toBe(503);
          await sleep(1_000 * Number(response.headers['retry-after']));
        }
      })();
      const outageEnds = Date.now() + OUTAGE_MS;
      while (Date.now() < outageEnds) {
        probe('readyz', () => t.http().get('/readyz'));
        if (dependency === 'postgres') {
          probe('rest', () => api.get(admin, `/api/v1/tenants/${tenantId}/management-profiles`));
          probe('graphql', () => api.graphql(admin, `{ tenant(id: "${tenantId}") { id name } }`));
          probe('protocol', () =>
            t.http().post('/gateway/v1/token').send({ gatewayId: target.id, gatewaySecret: target.gw.gatewaySecret }),
          );
        } else {
          probe('rest', () => api.get(admin, `/api/v1/tenants/${tenantId}/gateways/${target.id}`));
          probe('graphql', () => api.graphql(admin, `{ gateway(id: "${target.id}") { id status } }`));
          probe('protocol', () =>
            t.http().get('/gateway/v1/commands?waitSeconds=0').set('authorization', `Bearer ${target.gw.accessToken}`),
          );
        }
        await sleep(300);
      }
      await Promise.all(pending);
      await stack.start();

      // During: 503 with Retry-After (GraphQL: extensions.code SERVICE_UNAVAILABLE), never a 500.
      expect(outageAnswers.filter((a) => a.status === 0 || (a.status >= 500 && a.status !== 503))).toEqual([]);
      for (const path of ['readyz', 'rest', 'graphql', 'protocol']) {
        const answers = outageAnswers.filter((a) => a.path === path);
        expect(answers.length, path).toBeGreaterThan(3);
        // The first probe may have been answered before the service noticed.
        const unavailable = answers.filter((a) => (path === 'graphql' ? a.code === 'SERVICE_UNAVAILABLE' : a.status === 503));
        expect(unavailable.length, `${path}: ${JSON.stringify(answers)}`).toBeGreaterThanOrEqual(answers.length - 2);
        if (path !== 'graphql') for (const answer of unavailable) expect(Number(answer.retryAfter), path).toBeGreaterThan(0);
        if (path === 'rest' || path === 'protocol')
          expect(
            unavailable.every((a) => a.code === 'SERVICE_UNAVAILABLE'),
            path,
          ).toBe(true);
      }

      // After: everything answers again by itself.
      await until('/readyz 200', async () => (await t.http().get('/readyz')).status === 200);
      await until('REST 200', async () => (await api.get(admin, `/api/v1/tenants/${tenantId}/gateways/${target.id}`)).status === 200);
      const statusOf = async (sim: SimGateway) =>
        (await api.get(admin, `/api/v1/tenants/${tenantId}/gateways/${sim.id}`)).body.status as string;
      await until('the silent gateway DISCONNECTED', async () => (await statusOf(quiet)) === 'DISCONNECTED');
      quiet.silent = false;
      await until('the silent gateway CONNECTED again', async () => (await statusOf(quiet)) === 'CONNECTED');
      queued.get(target)!.push(await script);
      for (const sim of fleetSims) await queueNow(sim);

      // Nothing lost: every command SUCCEEDED, on its first delivery (no hand-out was used up unseen).
      const all = [...queued.values()].flat();
      let views: { id: string; state: string; deliveries: number; errorCode: string | null }[] = [];
      await until(
        `every command SUCCEEDED`,
        async () => {
          views = [];
          for (const id of all) views.push((await commandOf(admin, tenantId, id)).body);
          return views.every((view) => view.state === 'SUCCEEDED');
        },
        60_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}: ${JSON.stringify(views.filter((view) => view.state !== 'SUCCEEDED'))}`);
      });
      expect(views.map((view) => [view.id, view.deliveries])).toEqual(all.map((id) => [id, 1]));
      for (const sim of fleetSims) await sim.stop();
      // Nothing doubled: each gateway got exactly its own commands, each once, and its queue holds no others.
      for (const sim of fleetSims) {
        expect([...sim.received.keys()].sort(), sim.id).toEqual([...queued.get(sim)!].sort());
        expect(
          [...sim.received.values()].every((times) => times === 1),
          JSON.stringify([...sim.received]),
        ).toBe(true);
        const list = await api.get(admin, `/api/v1/tenants/${tenantId}/gateways/${sim.id}/commands?limit=100`);
        expect(list.status).toBe(200);
        expect(list.body.items.length, sim.id).toBe(queued.get(sim)!.length);
        expect(sim.refused).toEqual([]);
      }
      expect(badAnswers).toEqual([]);
      if (dependency === 'redis') expect(fleetSims.filter((sim) => sim.unavailable > 0).length).toBeGreaterThan(0);

      // Each status transition audited exactly once: never the same status twice in a row, and the
      // silent gateway's last two are its DISCONNECTED and CONNECTED. Every gateway ends CONNECTED.
      const audit = await api.get(admin, `/api/v1/tenants/${tenantId}/audit-events?limit=200`);
      expect(audit.status).toBe(200);
      for (const sim of fleetSims) {
        const changes = (audit.body.items as { action: string; targetId: string; after: { status?: string } }[])
          .filter((event) => event.targetId === sim.id && event.action === 'gateway.status_changed')
          .map((event) => event.after.status)
          .reverse();
        for (let i = 1; i < changes.length; i++) expect(changes[i], `${sim.id}: ${changes.join(' → ')}`).not.toBe(changes[i - 1]);
        expect(changes.at(-1), sim.id).toBe('CONNECTED');
        if (sim === quiet) expect(changes.slice(-2)).toEqual(['DISCONNECTED', 'CONNECTED']);
        expect(await statusOf(sim)).toBe('CONNECTED');
      }
    },
    180_000,
  );

  it('a hand-out that Postgres committed just before Redis went down still reaches the gateway, without using up a delivery', async () => {
    // The fleets above are stopped (even when their test failed): nothing else hands out meanwhile.
    await Promise.all(sims.map((sim) => sim.stop()));
    const tenantId = await api.createClientTenant(partnerToken, 'Fault client hand-out');
    const admin = await api.clientToken(partnerToken, tenantId, ['admin']);
    const { gw } = await new Fleet(api, tenantId, admin, t.url).gateway();
    const queued = await api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}/commands`, { type: 'PING' });
    expect(queued.status).toBe(201);
    const commandId = queued.body.id as string;

    // Hold the hand-out inside Postgres: its statement also writes the command's history, which
    // this lock makes wait. Then stop Redis, then let the hand-out commit.
    const blocker = new pg.Client({ connectionString: databaseUrl });
    const observer = new pg.Client({ connectionString: databaseUrl });
    await blocker.connect();
    await observer.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE command_history IN SHARE MODE');
      const poll = gw.pollCommands(0);
      await until(
        'the hand-out waiting for the lock',
        async () =>
          // Not the blocker's own: pg_stat_activity is read once per transaction.
          (
            await observer.query(
              `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'WITH claimed AS%'`,
            )
          ).rowCount === 1,
        15_000,
      );
      await stack.stopRedis();
      await blocker.query('COMMIT');
      // Answered while Redis is still down: the commands Postgres handed out go out in the answer.
      const answer = await poll;
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.commands.map((command) => command.commandId)).toEqual([commandId]);
    } finally {
      await blocker.end().catch(() => undefined);
      await observer.end().catch(() => undefined);
      await stack.start();
    }

    let update: ProtocolResponse<unknown> | null = null;
    await until('the SUCCEEDED update applied', async () => {
      update = await gw.updateCommand(commandId, { state: 'SUCCEEDED' });
      return update.status === 200;
    });
    const view = await api.get(admin, `/api/v1/tenants/${tenantId}/commands/${commandId}`);
    expect(view.body).toMatchObject({ state: 'SUCCEEDED', deliveries: 1 });
  }, 90_000);
});
