/**
 * Mixed soak (`npm run bench:soak`): one service process under reads (REST and GraphQL),
 * heartbeats, commands (queued, long-polled, run, updated) and GraphQL subscriptions at once, for
 * SOAK_MINUTES (default 10). Every SOAK_SAMPLE_SECONDS it prints the service's resident memory and
 * the requests done, so a leak shows as RSS that keeps climbing instead of levelling off.
 *
 *   SOAK_MINUTES=1 SOAK_GATEWAYS=50 npm run bench:soak     a quick trial
 *
 * Take the 10-minute figures on a quiet machine: with other work on the cores, the request rate
 * (and so the garbage made per second) is not the one the figures claim.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { call, type GatewaySession } from '@gateway-control-plane/agent';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { databaseUrl, deleteRedisKeys, dropDatabase, recreateDatabase } from './bench/bench-environment.js';
import { registerFleet } from './bench/fleet.js';
import { residentMemoryMiB, startProcess, stopAllProcesses } from './bench/processes.js';
import { claimPort } from './lib/ports.js';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const GATEWAYS = Number(process.env.SOAK_GATEWAYS ?? 200);
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 10);
const SUBSCRIBERS = Number(process.env.SOAK_SUBSCRIBERS ?? 20);
const READERS = Number(process.env.SOAK_READERS ?? 8);
const ROOT = new URL('../..', import.meta.url).pathname;
const PARTNER = { clientId: 'soak-partner', clientSecret: `soak-${randomBytes(12).toString('hex')}` };

const log = (message: string) => process.stderr.write(`[soak] ${message}\n`);

interface Counters {
  reads: number;
  heartbeats: number;
  commands: number;
  updates: number;
  events: number;
  errors: number;
}

async function main(): Promise<void> {
  const serverDb = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!serverDb || !redisUrl) throw new Error('DATABASE_URL and REDIS_URL are required (scripts/bench.sh provisions them)');
  const database = 'gcp_soak';
  const prefix = `soak${randomBytes(3).toString('hex')}`;
  await recreateDatabase(serverDb, database);
  const port = await claimPort();
  const service = await startProcess({
    name: 'service',
    script: `${ROOT}dist/src/main.js`,
    cwd: ROOT,
    port,
    readyPath: '/readyz',
    readyTimeoutMs: 120_000,
    env: {
      ROLE: 'all',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl(serverDb, database),
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      JWT_SECRET: randomBytes(32).toString('hex'),
      BOOTSTRAP_CLIENT_ID: PARTNER.clientId,
      BOOTSTRAP_CLIENT_SECRET: PARTNER.clientSecret,
      LOG_LEVEL: 'warn',
      REGISTER_FAILURE_LIMIT: '100000',
      // The soak measures memory under a fixed mix, not the per-client rate limit (its 8 read loops would hit it).
      RATE_LIMIT_BURST: '10000000',
      RATE_LIMIT_PER_SECOND: '1000000',
      HEARTBEAT_INTERVAL_SECONDS: '5',
      SHUTDOWN_DRAIN_SECONDS: '0',
    },
  });
  const base = service.baseUrl;
  const counters: Counters = { reads: 0, heartbeats: 0, commands: 0, updates: 0, events: 0, errors: 0 };
  const clients: Client[] = [];
  let running = true;
  try {
    log(`registering ${GATEWAYS} gateways`);
    const fleet: GatewaySession[] = await registerFleet(base, PARTNER, {
      gateways: GATEWAYS,
      concurrency: 20,
      progressEvery: 50,
      onProgress: (n) => log(`${n} registered`),
      tenantName: 'Soak',
    });
    const token = (
      await call(base, 'POST', '/api/v1/oauth/token', {
        grant_type: 'client_credentials',
        ...{ client_id: PARTNER.clientId, client_secret: PARTNER.clientSecret },
      })
    ).body.access_token as string;
    const auth = { authorization: `Bearer ${token}` };
    const tenants = await call(base, 'GET', '/api/v1/tenants?limit=100', undefined, auth);
    const soakTenant = (tenants.body.items as { id: string; name: string }[]).find((tenant) => tenant.name === 'Soak')!.id;
    const gatewayIds = fleet.map((gw) => gw.gatewayId!);

    // Subscriptions: every event the soak causes reaches them.
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const client = createClient({
        url: `${base.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 1000,
      });
      clients.push(client);
      const query =
        i % 2
          ? `subscription { commandUpdated(tenantId: "${soakTenant}") { commandId state } }`
          : `subscription { gatewayStatusChanged(tenantId: "${soakTenant}") { gatewayId status } }`;
      client.subscribe(
        { query },
        { next: () => void (counters.events += 1), error: () => void (counters.errors += 1), complete: () => undefined },
      );
    }

    const loops: Promise<void>[] = [];
    const every = (ms: number, work: () => Promise<void>) =>
      loops.push(
        (async () => {
          while (running) {
            const started = Date.now();
            await work().catch(() => void (counters.errors += 1));
            await sleep(Math.max(0, ms - (Date.now() - started)));
          }
        })(),
      );

    // Reads: lists and single objects over REST and GraphQL, as fast as READERS loops go (the burst that raised RSS).
    for (let r = 0; r < READERS; r++) {
      every(0, async () => {
        const id = gatewayIds[Math.floor(Math.random() * gatewayIds.length)]!;
        const answers = await Promise.all([
          call(base, 'GET', `/api/v1/tenants/${soakTenant}/gateways?limit=50`, undefined, auth),
          call(base, 'GET', `/api/v1/tenants/${soakTenant}/gateways/${id}`, undefined, auth),
          call(base, 'GET', `/api/v1/tenants/${soakTenant}/management-profiles?limit=50`, undefined, auth),
          call(
            base,
            'POST',
            '/graphql',
            { query: `{ gateways(tenantId: "${soakTenant}", first: 50) { nodes { id status nodes { hostname } } } }` },
            auth,
          ),
        ]);
        counters.reads += answers.length;
        counters.errors += answers.filter((a) => a.status >= 400 || (a.body as { errors?: unknown }).errors).length;
      });
    }
    // A gateway runs each command it gets, on a heartbeat answer or a poll (as the reference agent does).
    const run = async (gw: GatewaySession, commands: { commandId: string }[]) => {
      for (const command of commands) {
        for (const state of ['RUNNING', 'SUCCEEDED'] as const) {
          const update = await gw.updateCommand(
            command.commandId,
            state === 'SUCCEEDED' ? { state, result: { pong: true } } : { state, progressPercent: 50 },
          );
          if (update.status === 200) counters.updates += 1;
          else counters.errors += 1;
        }
      }
    };
    // Heartbeats: each gateway every 5 s, spread out.
    every(1000, async () => {
      const slice = fleet.filter((_, index) => index % 5 === Math.floor(Date.now() / 1000) % 5);
      const answers = await Promise.all(slice.map((gw) => gw.heartbeat()));
      counters.heartbeats += answers.length;
      counters.errors += answers.filter((a) => a.status !== 200).length;
      await Promise.all(answers.map((answer, i) => run(slice[i]!, answer.status === 200 ? (answer.body.commands ?? []) : [])));
    });
    // Commands: two a second, each picked up by a long poll and run to SUCCEEDED.
    every(500, async () => {
      const gw = fleet[Math.floor(Math.random() * fleet.length)]!;
      const queued = await call(base, 'POST', `/api/v1/tenants/${soakTenant}/gateways/${gw.gatewayId}/commands`, { type: 'PING' }, auth);
      if (queued.status !== 201) throw new Error(`queue: ${queued.status}`);
      counters.commands += 1;
      // Its heartbeat may carry it first; then the poll waits (up to 1 s) and finds nothing.
      const polled = await gw.pollCommands(1);
      await run(gw, polled.body.commands ?? []);
    });

    const samples: { minute: number; rssMiB: number }[] = [];
    const started = Date.now();
    const end = started + MINUTES * 60_000;
    process.stdout.write(
      `| elapsed | RSS (MiB) | reads | heartbeats | commands | updates | events | errors |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n`,
    );
    // The first row is the baseline: the fleet registered, the load just started.
    process.stdout.write(`| 0.0 min | ${(await residentMemoryMiB(service.pid)).toFixed(0)} | 0 | 0 | 0 | 0 | 0 | 0 |\n`);
    while (Date.now() < end) {
      await sleep(Math.min(SAMPLE_SECONDS * 1000, Math.max(0, end - Date.now())));
      const rssMiB = await residentMemoryMiB(service.pid);
      const elapsed = (Date.now() - started) / 60_000;
      samples.push({ minute: elapsed, rssMiB });
      const c = counters;
      process.stdout.write(
        `| ${elapsed.toFixed(1)} min | ${rssMiB.toFixed(0)} | ${c.reads} | ${c.heartbeats} | ${c.commands} | ${c.updates} | ${c.events} | ${c.errors} |\n`,
      );
    }
    running = false;
    await Promise.all(loops);
    // Levels off: the last third of the run grew less than 10% over its first sample.
    const tail = samples.slice(Math.floor((samples.length * 2) / 3));
    if (tail.length >= 2) {
      const growth = (tail[tail.length - 1]!.rssMiB - tail[0]!.rssMiB) / tail[0]!.rssMiB;
      process.stdout.write(
        `\nRSS over the last third of the run: ${tail[0]!.rssMiB.toFixed(0)} → ${tail[tail.length - 1]!.rssMiB.toFixed(0)} MiB (${(growth * 100).toFixed(1)}%): ${growth < 0.1 ? 'levels off' : 'still climbing'}\n`,
      );
    }
  } finally {
    running = false;
    await Promise.all(clients.map(async (client) => client.dispose()));
    await service.stop();
    await dropDatabase(serverDb, database).catch(() => undefined);
    await deleteRedisKeys(redisUrl, prefix).catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    log(`failed: ${(error as Error).stack ?? String(error)}`);
    await stopAllProcesses();
    process.exit(1);
  },
);
