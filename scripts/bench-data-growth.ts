import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { databaseUrl, deleteRedisKeys, dropDatabase, positiveFromEnv, recreateDatabase } from './bench/bench-environment.js';
import { forEachConcurrently } from './bench/fleet.js';
import { startBenchService, stopAllProcesses } from './bench/processes.js';
import { round } from './bench/stats.js';
import { call } from '@gateway-control-plane/agent';
import { FleetSimulator } from './lib/fleet-simulator.js';

/**
 * `npm run bench:data-growth`: how fast each table grows, measured with the fleet simulator
 * (scripts/lib/fleet-simulator.ts) against one service process on a fresh database, in phases:
 *   1. onboarding: BENCH_GATEWAYS gateways (default 1,000, half 3-node clusters) registered;
 *   2. steady heartbeats for 60 s (the simulator heartbeats every 2 s here);
 *   3. commands: BENCH_COMMANDS_PER_GATEWAY (default 3) PINGs queued per gateway through the REST
 *      API, run and reported by the simulated gateways until all ended;
 *   4. status changes: one node of each cluster turns not ready (cluster DEGRADED) and a fifth of
 *      the gateways fall silent (DISCONNECTED).
 * Each phase's growth per table (bytes of table, indexes and TOAST, partitions summed; rows) gives
 * bytes per gateway, per heartbeat, per command and per status change. Scaled to 10,000 gateways
 * for a day with a stated workload (DAY_* below, overridable): a short measured run scaled, not a
 * day measured. Writes bench-results/data-growth.json and prints a Markdown table.
 * `BENCH_GATEWAYS=50 npm run bench:data-growth` is a quick trial (coarse: sizes grow by 8 kB pages).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RESULTS_FILE = join(ROOT, 'bench-results', 'data-growth.json');
const BENCH_DATABASE = 'gcp_bench_growth';
const GATEWAYS = positiveFromEnv('BENCH_GATEWAYS', 1_000);
const COMMANDS_PER_GATEWAY = positiveFromEnv('BENCH_COMMANDS_PER_GATEWAY', 3, { integer: false });
const HEARTBEAT_SECONDS = 2;
const STEADY_SECONDS = 60;
/** The day the figures are scaled to, per gateway: the production heartbeat interval (30 s), and assumed commands and status changes. */
const DAY = {
  heartbeats: 86_400 / 30,
  commands: positiveFromEnv('DAY_COMMANDS_PER_GATEWAY', 10, { integer: false }),
  statusChanges: positiveFromEnv('DAY_STATUS_CHANGES_PER_GATEWAY', 4, { integer: false }),
};
const PARTNER = { clientId: 'bench-partner', clientSecret: randomBytes(16).toString('hex') };
const TABLES = [
  'audit_events',
  'command_history',
  'commands',
  'outbox_events',
  'gateways',
  'gateway_nodes',
  'activation_tokens',
  'management_profiles',
  'bulk_commands',
  'bulk_command_targets',
  'gateway_migrations',
  'idempotency_keys',
] as const;
type Table = (typeof TABLES)[number];
type Snapshot = Record<Table, { bytes: number; rows: number; rowBytes: number }>;

const startedAt = performance.now();
const log = (message: string) => console.error(`[bench ${round((performance.now() - startedAt) / 1000, 0)}s] ${message}`);

async function snapshot(db: pg.Pool): Promise<Snapshot> {
  const result = {} as Snapshot;
  for (const table of TABLES) {
    // A partitioned table is the sum of its partitions (its own size is 0); a plain one its own size.
    const { rows } = await db.query(
      `SELECT greatest((SELECT coalesce(sum(pg_total_relation_size(relid)), 0) FROM pg_partition_tree($1::regclass)), pg_total_relation_size($1::regclass))::bigint AS bytes,
          (SELECT count(*) FROM ${table})::bigint AS rows,
          (SELECT coalesce(avg(pg_column_size(t.*)), 0) FROM ${table} t)::float8 AS row_bytes`,
      [table],
    );
    result[table] = { bytes: Number(rows[0].bytes), rows: Number(rows[0].rows), rowBytes: Number(rows[0].row_bytes) };
  }
  return result;
}

function growth(from: Snapshot, to: Snapshot, per: number): Record<Table, { bytes: number; rows: number }> {
  return Object.fromEntries(
    TABLES.map((table) => [
      table,
      { bytes: round((to[table].bytes - from[table].bytes) / per), rows: round((to[table].rows - from[table].rows) / per, 3) },
    ]),
  ) as Record<Table, { bytes: number; rows: number }>;
}

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!serverUrl || !redisUrl) throw new Error('DATABASE_URL and REDIS_URL are not set: run this with `npm run bench:data-growth`');
  const redisPrefix = `bench${randomBytes(4).toString('hex')}`;
  const benchUrl = databaseUrl(serverUrl, BENCH_DATABASE);
  await recreateDatabase(serverUrl, BENCH_DATABASE);
  const db = new pg.Pool({ connectionString: benchUrl, max: 2 });
  let simulator: FleetSimulator | null = null;
  try {
    const service = await startBenchService({
      databaseUrl: benchUrl,
      redisUrl,
      redisPrefix,
      partner: PARTNER,
      env: {
        HEARTBEAT_INTERVAL_SECONDS: String(HEARTBEAT_SECONDS),
        HEARTBEAT_MISSED_LIMIT: '3',
        SHUTDOWN_GRACE_SECONDS: '2',
      },
    });
    const before = await snapshot(db);

    log(`phase 1: registering ${GATEWAYS} gateways with the simulator`);
    simulator = new FleetSimulator({
      url: service.baseUrl,
      ...PARTNER,
      gateways: GATEWAYS,
      concurrency: 20,
      commandDurationMs: 500,
      silenceFraction: 0.2,
      log,
    });
    await simulator.start();
    await sleep(2 * HEARTBEAT_SECONDS * 1000);
    const onboarded = await snapshot(db);

    log(`phase 2: steady heartbeats for ${STEADY_SECONDS} s`);
    const heartbeatsBefore = simulator.stats().heartbeatsAnswered;
    await sleep(STEADY_SECONDS * 1000);
    const heartbeats = simulator.stats().heartbeatsAnswered - heartbeatsBefore;
    const steady = await snapshot(db);

    const commands = Math.round(GATEWAYS * COMMANDS_PER_GATEWAY);
    log(`phase 3: ${commands} commands through the REST API`);
    const token = (
      await call<{ access_token: string }>(service.baseUrl, 'POST', '/api/v1/oauth/token', {
        grant_type: 'client_credentials',
        client_id: PARTNER.clientId,
        client_secret: PARTNER.clientSecret,
      })
    ).body.access_token;
    const gateways: { id: string; tenant_id: string }[] = (
      await db.query(`SELECT id, tenant_id FROM gateways WHERE status <> 'DEREGISTERED'`)
    ).rows;
    await forEachConcurrently(commands, 20, async (i) => {
      const gateway = gateways[i % gateways.length];
      const response = await call(
        service.baseUrl,
        'POST',
        `/api/v1/tenants/${gateway.tenant_id}/gateways/${gateway.id}/commands`,
        { type: 'PING' },
        { authorization: `Bearer ${token}` },
      );
      if (response.status !== 201) throw new Error(`queue a command: HTTP ${response.status} ${JSON.stringify(response.body)}`);
    });
    await waitUntil(
      'every command to end',
      async () => Number((await db.query(`SELECT count(*) AS n FROM commands WHERE ended_at IS NULL`)).rows[0].n) === 0,
      10 * 60_000,
    );
    const commanded = await snapshot(db);

    log('phase 4: one node of each cluster fails, a fifth of the gateways fall silent');
    const changesBefore = Number((await db.query(`SELECT count(*) AS n FROM audit_events WHERE target_type = 'gateway'`)).rows[0].n);
    simulator['failOneNodePerCluster']();
    simulator['silenceSome']();
    await sleep((3 * HEARTBEAT_SECONDS + 6) * 1000);
    const changes =
      Number((await db.query(`SELECT count(*) AS n FROM audit_events WHERE target_type = 'gateway'`)).rows[0].n) - changesBefore;
    const changed = await snapshot(db);
    simulator.stop();
    await service.stop();

    const perGateway = growth(before, onboarded, GATEWAYS);
    const perHeartbeat = growth(onboarded, steady, Math.max(1, heartbeats));
    const perCommand = growth(steady, commanded, commands);
    const perChange = growth(commanded, changed, Math.max(1, changes));
    // Only phases that added rows count as growth: a phase that only updated rows in place (last-seen
    // times, statuses) leaves dead row versions that vacuum makes reusable, bounded, not growing by day.
    const grew = (g: { bytes: number; rows: number }) => (g.rows > 0 ? g.bytes : 0);
    const perDay10k = Object.fromEntries(
      TABLES.map((table) => [
        table,
        round(
          (10_000 *
            (DAY.heartbeats * grew(perHeartbeat[table]) +
              DAY.commands * grew(perCommand[table]) +
              DAY.statusChanges * grew(perChange[table]))) /
            1024 ** 2,
          1,
        ),
      ]),
    ) as Record<Table, number>;
    // The same day counted in rows, each at the table's average row size (heap only, no indexes): steadier on small runs.
    const rowsPerDay10k = Object.fromEntries(
      TABLES.map((table) => [
        table,
        Math.round(
          10_000 *
            (DAY.heartbeats * perHeartbeat[table].rows + DAY.commands * perCommand[table].rows + DAY.statusChanges * perChange[table].rows),
        ),
      ]),
    ) as Record<Table, number>;
    const rowMiBPerDay10k = Object.fromEntries(
      TABLES.map((table) => [table, round((rowsPerDay10k[table] * changed[table].rowBytes) / 1024 ** 2, 1)]),
    ) as Record<Table, number>;
    const results = {
      finishedAt: new Date().toISOString(),
      command: 'npm run bench:data-growth',
      gateways: GATEWAYS,
      measured: { heartbeats, commands, statusChanges: changes },
      assumedDayPerGateway: DAY,
      bytesAndRows: { perGateway, perHeartbeat, perCommand, perStatusChange: perChange },
      mebibytesPer10kGatewaysPerDay: perDay10k,
      rowsPer10kGatewaysPerDay: rowsPerDay10k,
      rowMebibytesPer10kGatewaysPerDay: rowMiBPerDay10k,
      averageRowBytes: Object.fromEntries(TABLES.map((table) => [table, round(changed[table].rowBytes)])),
    };
    await mkdir(join(ROOT, 'bench-results'), { recursive: true });
    await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    console.log(
      [
        `## Table growth (${results.finishedAt}): ${GATEWAYS} simulated gateways, ${heartbeats} heartbeats, ${commands} commands, ${changes} status changes measured`,
        '',
        `Scaled to 10,000 gateways for a day of ${DAY.heartbeats} heartbeats, ${DAY.commands} commands and ${DAY.statusChanges} status changes per gateway (a short measured run scaled, not a day measured).`,
        '',
        '| table | bytes per registered gateway | per heartbeat | per command | per status change | MiB per 10,000 gateways per day (measured growth, with indexes) | rows per 10,000 gateways per day | MiB of those rows (average row size, heap only) |',
        '| --- | --- | --- | --- | --- | --- | --- | --- |',
        ...TABLES.map(
          (t) =>
            `| ${t} | ${perGateway[t].bytes} | ${perHeartbeat[t].bytes} | ${perCommand[t].bytes} (${perCommand[t].rows} rows) | ${perChange[t].bytes} (${perChange[t].rows} rows) | ${perDay10k[t]} | ${rowsPerDay10k[t]} | ${rowMiBPerDay10k[t]} |`,
        ),
      ].join('\n'),
    );
    log(`written to ${RESULTS_FILE}`);
  } finally {
    simulator?.stop();
    await stopAllProcesses();
    await db.end();
    await dropDatabase(serverUrl, BENCH_DATABASE);
    await deleteRedisKeys(redisUrl, redisPrefix);
  }
}

main().catch((error: unknown) => {
  console.error('the benchmark failed:', error);
  process.exitCode = 1;
});
