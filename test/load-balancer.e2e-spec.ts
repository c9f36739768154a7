import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import request from 'supertest';
import { DataSource } from 'typeorm';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewaySession, ProtocolCommand, ProtocolResponse } from '@gateway-control-plane/agent';
import { healthySession } from './support/fleet.js';
import { Api } from './support/api.js';
import { claimPort } from '../scripts/lib/ports.js';
import { startServiceProcess, type ServiceProcess } from './support/service-process.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { sleep, waitFor } from './support/wait.js';

/**
 * HAProxy (Debian's package; `npm test` installs it through scripts/lb-stack.sh) in front of two
 * ROLE=api processes, with one ROLE=worker process behind them, all on one Postgres and one
 * Redis: a simulated fleet goes through the load balancer while one api process is killed (-9)
 * and started again.
 */

const ENV = {
  // Heartbeats every second; ten seconds of silence before DISCONNECTED (the kill must cause none).
  HEARTBEAT_INTERVAL_SECONDS: '2',
  HEARTBEAT_MISSED_LIMIT: '5',
  // A hand-out lost with the killed process comes back after 3 s.
  COMMAND_ACK_TIMEOUT_SECONDS: '3',
  TRUST_PROXY_HOPS: '1',
};
const GATEWAYS = 10;

const haproxyBinary = () => ['/usr/sbin/haproxy', '/usr/bin/haproxy'].find((path) => existsSync(path)) ?? 'haproxy';

interface Delivery {
  commandId: string;
  at: number;
  servedBy: string | null;
}

/**
 * A gateway manager behind the load balancer. Every call follows the protocol's retry rule: a
 * 5xx or a failed connection is retried with capped exponential back-off and full jitter (base
 * 1 s in the field, 200 ms here to keep the test short). What it saw is counted.
 */
class FleetGateway {
  readonly servedBy: string[] = [];
  readonly deliveries: Delivery[] = [];
  readonly errors: string[] = [];
  private running = true;
  private readonly handled = new Set<string>();

  constructor(
    readonly client: GatewaySession,
    private readonly seen: { fiveXx: { path: string; status: number }[]; failures: number; retries: number },
  ) {}

  private async retrying<T>(label: string, call: () => Promise<ProtocolResponse<T>>): Promise<ProtocolResponse<T>> {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await call();
        if (response.status < 500) {
          this.servedBy.push(response.headers.get('x-served-by') ?? '?');
          return response;
        }
        this.seen.fiveXx.push({ path: label, status: response.status });
      } catch {
        this.seen.failures += 1; // the connection itself failed
      }
      if (attempt === 8) throw new Error(`${label}: still failing after ${attempt + 1} attempts`);
      this.seen.retries += 1;
      await sleep(Math.random() * Math.min(2_000, 200 * 2 ** attempt));
    }
  }

  /** Runs until stopped; a call that still fails after its retries is recorded and ends the gateway. */
  async start(): Promise<void> {
    await Promise.all([this.heartbeats(), this.polls()]).catch((error: Error) => {
      this.errors.push(error.message);
      this.running = false;
    });
  }

  stop(): void {
    this.running = false;
  }

  private async heartbeats(): Promise<void> {
    while (this.running) {
      const answer = await this.retrying('heartbeat', () => this.client.heartbeat());
      if (answer.status !== 200) this.errors.push(`heartbeat ${answer.status} ${answer.body.code}`);
      else await this.work(answer.body.commands, answer.headers.get('x-served-by'));
      await sleep(1_000);
    }
  }

  private async polls(): Promise<void> {
    while (this.running) {
      const answer = await this.retrying('poll', () => this.client.pollCommands(3));
      if (answer.status !== 200) this.errors.push(`poll ${answer.status} ${answer.body.code}`);
      else await this.work(answer.body.commands, answer.headers.get('x-served-by'));
    }
  }

  private async work(commands: ProtocolCommand[], servedBy: string | null): Promise<void> {
    for (const command of commands) {
      this.deliveries.push({ commandId: command.commandId, at: Date.now(), servedBy });
      if (this.handled.has(command.commandId)) continue;
      this.handled.add(command.commandId);
      for (const state of ['ACKNOWLEDGED', 'RUNNING', 'SUCCEEDED']) {
        const update = await this.retrying('update', () => this.client.updateCommand(command.commandId, { state }));
        // A retried update whose first attempt was applied answers applied: false; never an error.
        if (update.status !== 200) this.errors.push(`update ${state} ${update.status} ${update.body.code}`);
      }
    }
  }
}

describe('behind HAProxy: two api processes and a worker', () => {
  let worker: TestApp;
  let apis: ServiceProcess[] = [];
  let apiPorts: number[];
  let haproxy: ChildProcess | undefined;
  let lbUrl: string;
  let configDir: string;

  beforeAll(async () => {
    worker = await startTestApp({ env: { ...ENV, ROLE: 'worker' } });
    apiPorts = [await claimPort(), await claimPort()];
    apis = await Promise.all(apiPorts.map((port) => startServiceProcess(worker, { ...ENV, ROLE: 'api', PORT: String(port) })));
    const lbPort = await claimPort();
    lbUrl = `http://127.0.0.1:${lbPort}`;
    configDir = mkdtempSync(join(tmpdir(), 'gcp-haproxy-'));
    const config = execFileSync(
      'bash',
      ['scripts/lb-stack.sh', 'haproxy-config', String(lbPort), ...apiPorts.map((port) => `127.0.0.1:${port}`)],
      { encoding: 'utf8' },
    );
    writeFileSync(join(configDir, 'haproxy.cfg'), config);
    haproxy = spawn(haproxyBinary(), ['-f', join(configDir, 'haproxy.cfg'), '-db'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const killOnExit = () => haproxy?.kill('SIGKILL');
    process.once('exit', killOnExit);
    // Ready once both servers passed their health checks and answer through it.
    await waitFor(
      async () => {
        const served = new Set<string>();
        for (let i = 0; i < 6; i++) {
          const response = await fetch(`${lbUrl}/readyz`).catch(() => null);
          if (response?.status === 200) served.add(response.headers.get('x-served-by') ?? '');
        }
        return served.size;
      },
      (servers) => servers === 2,
      20_000,
      200,
    );
  }, 180_000);

  afterAll(async () => {
    haproxy?.kill('SIGTERM');
    await Promise.all(apis.map((api) => api.stop()));
    await worker?.close();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  it('a fleet through the load balancer: calls spread, polls woken across processes, events on the other process, one api killed and restarted without a lost command', async () => {
    const api = new Api({ ...worker, http: () => request(lbUrl) });
    const partner = await api.partner();
    const tenantId = await api.createClientTenant(partner.token, 'Load-balanced client');
    const admin = await api.clientToken(partner.token, tenantId, ['admin']);

    const seen = { fiveXx: [] as { path: string; status: number }[], failures: 0, retries: 0 };
    const fleet: FleetGateway[] = [];
    for (let i = 0; i < GATEWAYS; i++) {
      const { token } = await api.profileWithToken(admin, tenantId, `lb-${i}`);
      const client = healthySession(lbUrl, 'CLASSIC');
      expect((await client.register(token)).status).toBe(201);
      fleet.push(new FleetGateway(client, seen));
    }

    // A subscriber on api2 (the process that stays up) sees every command change, wherever made.
    const events: { commandId: string; state: string }[] = [];
    const subscriber = createClient({
      url: `${apis[1].url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${admin}` },
    });
    const subscribed = new Promise<void>((resolve) => subscriber.on('connected', () => resolve()));
    subscriber.subscribe(
      { query: 'subscription { commandUpdated { commandId state } }' },
      {
        next: (message) => events.push((message.data as { commandUpdated: (typeof events)[number] }).commandUpdated),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    await subscribed;

    const running = fleet.map((gateway) => gateway.start());
    await sleep(1_500); // every gateway's first long poll is waiting

    // Commands queued through the load balancer, one gateway after another, while api1 is killed
    // (-9) and started again. The operator's script retries a 5xx with the same Idempotency-Key.
    const queued: { id: string; gateway: FleetGateway; at: number; servedBy: string | null }[] = [];
    const queue = async (gateway: FleetGateway, n: number) => {
      for (let attempt = 0; ; attempt++) {
        const response = await api
          .post(admin, `/api/v1/tenants/${tenantId}/gateways/${gateway.client.gatewayId}/commands`, { type: 'PING' })
          .set('idempotency-key', `lb-${n}`)
          .catch(() => null);
        if (response?.status === 201)
          return queued.push({ id: response.body.id, gateway, at: Date.now(), servedBy: response.headers['x-served-by'] ?? null });
        if (attempt === 8) throw new Error(`queueing failed: ${response?.status} ${JSON.stringify(response?.body)}`);
        await sleep(200 * 2 ** attempt * Math.random());
      }
    };
    let killedAt = 0;
    let backAt = 0;
    let n = 0;
    const queueFor = async (ms: number, atLeast = 0) => {
      const until = Date.now() + ms;
      for (let count = 0; Date.now() < until || count < atLeast; count++) {
        await queue(fleet[n % GATEWAYS], n);
        n += 1;
        await sleep(200);
      }
    };
    await queueFor(2_000, 8);
    killedAt = Date.now();
    apis[0].process.kill('SIGKILL');
    const [restarting] = await Promise.all([
      startServiceProcess(worker, { ...ENV, ROLE: 'api', PORT: String(apiPorts[0]) }),
      queueFor(1_500),
    ]);
    apis[0] = restarting;
    backAt = Date.now();
    await sleep(1_200); // HAProxy's health check takes api1 back (rise 2, every 500 ms)
    await queueFor(2_000, 8);

    // Every command ends SUCCEEDED; the gateways then stop.
    const ids = queued.map((q) => q.id);
    const database = worker.app.get(DataSource);
    await waitFor(
      async () =>
        (await database.query(`SELECT count(*)::int AS n FROM commands WHERE id = ANY($1) AND state = 'SUCCEEDED'`, [ids]))[0].n as number,
      (done) => done === ids.length,
      30_000,
      250,
    );
    fleet.forEach((gateway) => gateway.stop());
    await Promise.all(running);

    const summary = {
      commands: queued.length,
      fiveXxSeenByGateways: seen.fiveXx.length,
      failedConnections: seen.failures,
      retries: seen.retries,
      gatewayCalls: fleet.reduce((sum, gateway) => sum + gateway.servedBy.length, 0),
    };
    console.log(`[load-balancer] ${JSON.stringify(summary)}`);
    // No lost command, no gateway error, nothing left failing after the protocol's retries.
    expect(fleet.flatMap((gateway) => gateway.errors)).toEqual([]);
    expect(
      seen.fiveXx.every(({ status }) => status === 502 || status === 503),
      JSON.stringify(seen.fiveXx),
    ).toBe(true);

    // The load balancer spread each gateway's calls over both api processes, api1 again after its restart.
    for (const gateway of fleet) expect(new Set(gateway.servedBy)).toEqual(new Set(['api1', 'api2']));
    // Long polls woke within a second of the queueing, whichever process queued and held the poll
    // (outside the seconds around the kill, when a poll may be on its way to the other process).
    const latencies = queued.map((q) => {
      const first = q.gateway.deliveries.find((d) => d.commandId === q.id)!;
      return { ...q, latency: first.at - q.at, deliveredBy: first.servedBy };
    });
    const calm = latencies.filter((l) => l.at < killedAt - 500 || l.at > backAt + 1_000);
    console.log(`[load-balancer] wake-up latencies outside the kill, ms: ${JSON.stringify(calm.map((l) => l.latency))}`);
    expect(calm.length).toBeGreaterThanOrEqual(14);
    expect(Math.max(...calm.map((l) => l.latency)), JSON.stringify(calm.map((l) => l.latency))).toBeLessThan(1_000);
    expect(calm.some((l) => l.servedBy && l.deliveredBy && l.servedBy !== l.deliveredBy)).toBe(true);
    expect(calm.some((l) => l.at > backAt && (l.servedBy === 'api1' || l.deliveredBy === 'api1'))).toBe(true);

    // Each command's end applied and audited once; its queueing too.
    const audit: { target_id: string; action: string; n: number }[] = await database.query(
      `SELECT target_id::text, action, count(*)::int AS n FROM audit_events WHERE target_id = ANY($1) GROUP BY 1, 2`,
      [ids],
    );
    for (const id of ids) {
      const of = Object.fromEntries(audit.filter((a) => a.target_id === id).map((a) => [a.action, a.n]));
      expect(of, id).toMatchObject({ 'command.queued': 1, 'command.succeeded': 1 });
    }
    const histories: { id: string; states: string[] }[] = await database.query(
      `SELECT c.id::text, array_agg(h.state ORDER BY h.id) AS states FROM commands c JOIN command_history h ON h.command_id = c.id WHERE c.id = ANY($1) GROUP BY c.id`,
      [ids],
    );
    for (const history of histories)
      expect(
        history.states.filter((state) => state === 'SUCCEEDED'),
        history.id,
      ).toHaveLength(1);
    // The subscriber on api2 saw every command succeed, including those queued and handed out on api1.
    await waitFor(
      async () => new Set(events.filter((e) => e.state === 'SUCCEEDED').map((e) => e.commandId)).size,
      (count) => count === ids.length,
      10_000,
      100,
    );
    expect(queued.some((q) => q.servedBy === 'api1')).toBe(true);
    await subscriber.dispose();

    // Each gateway turned CONNECTED once and never DISCONNECTED: its heartbeats went on through the kill.
    const transitions: { target_id: string; statuses: string[] }[] = await database.query(
      `SELECT target_id::text, array_agg(after->>'status' ORDER BY created_at) AS statuses FROM audit_events
       WHERE action = 'gateway.status_changed' AND target_id = ANY($1) GROUP BY 1`,
      [fleet.map((gateway) => gateway.client.gatewayId)],
    );
    expect(transitions).toHaveLength(GATEWAYS);
    for (const transition of transitions) expect(transition.statuses, transition.target_id).toEqual(['CONNECTED']);
  }, 180_000);
});
