import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  databaseUrl,
  deleteRedisKeys,
  describeMachine,
  dropDatabase,
  positiveFromEnv,
  recreateDatabase,
} from './bench/bench-environment.js';
import { claimPort } from './lib/ports.js';
import { BenchRun } from './bench/bench-run.js';
import { burst, describeBurst, type BurstResult, type HttpCall } from './bench/closed-loop.js';
import { clientTenantAdmin, NODES_PER_GATEWAY, registerFleet } from './bench/fleet.js';
import { FleetSeedStore } from './bench/fleet-seed.store.js';
import { NAIVE_READS } from './bench/naive-reads.store.js';
import { startBenchService, startProcess, stopAllProcesses } from './bench/processes.js';
import { round } from './bench/stats.js';
import { STATEMENTS as COMMAND_STATEMENTS } from '../src/commands/commands.store.js';
import { STATEMENTS as GATEWAY_READS } from '../src/gateways/gateway-reads.store.js';

/**
 * `npm run bench:reads` (issue 14): the read paths of a console or a partner script at fleet scale.
 *   1. One service process on a fresh database; one tenant; one gateway registered through the API
 *      (the template), then BENCH_GATEWAYS (default 100,000) 3-node gateways with their profiles,
 *      BENCH_COMMANDS (default 1,000,000) commands and BENCH_AUDIT (default 1,000,000) audit events
 *      seeded in bulk SQL (scripts/bench/fleet-seed.store.ts).
 *   2. For each read (gateways page of 50 with nodes over REST and over GraphQL, profiles page of
 *      20, a gateway's commands page of 50, audit page of 50, fleet status), first pages and a page
 *      deep in the list (keyset cursor half-way): BENCH_READERS (default 20) readers in a closed
 *      loop for BENCH_READ_SECONDS (default 10) against the service, then against a naive
 *      node:http server running the same page query (scripts/bench/naive-read-server.ts).
 *   3. EXPLAIN (ANALYZE, BUFFERS) of each page query, written beside the results.
 * BENCH_ONLY runs only the reads whose name contains it (to profile one read with BENCH_NODE_ARGS=--cpu-prof).
 * Targets: service ≥ 0.5× naive and p99 ≤ 50 ms for each. Writes bench-results/reads.json and
 * bench-results/reads-plans.txt.
 */

const COMMAND = 'npm run bench:reads';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NAIVE_SCRIPT = fileURLToPath(new URL('./bench/naive-read-server.js', import.meta.url));
const RESULTS_FILE = join(ROOT, 'bench-results', 'reads.json');
const PLANS_FILE = join(ROOT, 'bench-results', 'reads-plans.txt');
const BENCH_DATABASE = 'gcp_bench_reads';
const GATEWAYS = positiveFromEnv('BENCH_GATEWAYS', 100_000);
const COMMANDS = positiveFromEnv('BENCH_COMMANDS', 1_000_000);
const AUDIT = positiveFromEnv('BENCH_AUDIT', 1_000_000);
const READERS = positiveFromEnv('BENCH_READERS', 20);
const SECONDS = positiveFromEnv('BENCH_READ_SECONDS', 10);
const WARM_UP_SECONDS = Math.min(3, SECONDS);
/** Run only the reads whose name, with its page, contains this (say `GraphQL) (first` or `profiles`): to profile one read. */
const ONLY = process.env.BENCH_ONLY ?? '';
const PARTNER = { clientId: 'bench-partner', clientSecret: randomBytes(16).toString('hex') };
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 50;
/** Gateways whose commands are read, round-robin. */
const COMMAND_GATEWAYS = 1_000;

const GATEWAYS_QUERY = `query Gateways($tenantId: ID, $after: String) {
  gateways(tenantId: $tenantId, first: 50, after: $after) {
    nodes { id name type status health softwareVersion lastHeartbeatAt nodes { hostname ipAddress ready state kubernetesVersion } }
    pageInfo { endCursor hasNextPage }
  }
}`;

const run = new BenchRun(COMMAND);
const log = run.log;

const cursorOf = (row: { created_at: Date; id: string } | undefined): string | null =>
  row ? Buffer.from(JSON.stringify({ at: row.created_at.toISOString(), id: row.id })).toString('base64url') : null;

interface ReadResult {
  read: string;
  page: 'first' | 'deep';
  service: BurstResult;
  naive: BurstResult;
  ratio: number;
  met: boolean;
}

run.run(async () => {
  const serverUrl = run.requiredEnv('DATABASE_URL');
  const redisUrl = run.requiredEnv('REDIS_URL');
  const redisPrefix = `bench${randomBytes(4).toString('hex')}`;
  const benchUrl = databaseUrl(serverUrl, BENCH_DATABASE);
  await recreateDatabase(serverUrl, BENCH_DATABASE);
  run.onTeardown(async () => {
    await dropDatabase(serverUrl, BENCH_DATABASE);
    await deleteRedisKeys(redisUrl, redisPrefix);
  });
  run.onTeardown(stopAllProcesses);
  const database = new pg.Pool({ connectionString: benchUrl, max: 2 });
  run.onTeardown(() => database.end());

  log(`database ${BENCH_DATABASE}, Redis prefix ${redisPrefix}; starting the service`);
  const service = await startBenchService({
    databaseUrl: benchUrl,
    redisUrl,
    redisPrefix,
    partner: PARTNER,
    env: {
      DATABASE_POOL_SIZE: '20',
      SHUTDOWN_GRACE_SECONDS: '2',
      HEARTBEAT_INTERVAL_SECONDS: '600',
      HEARTBEAT_MISSED_LIMIT: '3',
      // As the image runs it (Dockerfile): graphql-js checks its types more slowly outside production.
      NODE_ENV: 'production',
    },
  });
  const machine = await describeMachine(database, redisUrl);
  const admin = await clientTenantAdmin(service.baseUrl, PARTNER, 'Reads benchmark');
  const [template] = await registerFleet(service.baseUrl, PARTNER, {
    gateways: 1,
    concurrency: 1,
    progressEvery: 1,
    onProgress: () => {},
    admin,
  });

  const commandsEach = Math.max(1, Math.round(COMMANDS / GATEWAYS));
  log(`seeding ${GATEWAYS} gateways of ${NODES_PER_GATEWAY} nodes, ${commandsEach * GATEWAYS} commands, ${AUDIT} audit events`);
  const seedStartedAt = performance.now();
  let lastLogged = 0;
  await new FleetSeedStore(database).seed({
    tenantId: admin.tenantId,
    templateGatewayId: template.gatewayId!,
    prefix: 'seed-',
    count: GATEWAYS,
    status: 'CONNECTED',
    commandsEach,
    auditEvents: AUDIT,
    onProgress: (what, done, of) => {
      if (done === of || performance.now() - lastLogged > 5_000) {
        lastLogged = performance.now();
        log(`  ${what}: ${done} of ${of}`);
      }
    },
  });
  const seedSeconds = (performance.now() - seedStartedAt) / 1000;
  log(`seeded in ${round(seedSeconds)} s`);

  const naivePort = await claimPort();
  const naive = await startProcess({
    name: 'naive',
    script: NAIVE_SCRIPT,
    cwd: ROOT,
    port: naivePort,
    readyPath: '/',
    readyTimeoutMs: 10_000,
    env: { DATABASE_URL: benchUrl, PORT: String(naivePort) },
  });

  // Cursors half-way down each list, as a script paging through it would send.
  const half = Math.floor(GATEWAYS / 2);
  const middle = async (sql: string) =>
    cursorOf((await database.query<{ created_at: Date; id: string }>(sql, [admin.tenantId, half])).rows[0]);
  const deep = {
    gateways: await middle(`SELECT created_at, id FROM gateways WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`),
    profiles: await middle(
      `SELECT created_at, id FROM management_profiles WHERE tenant_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`,
    ),
    audit: await middle(`SELECT created_at, id FROM audit_events WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`),
  };
  const commandGateways = (
    await database.query<{ id: string }>(`SELECT id FROM gateways WHERE tenant_id = $1 AND name LIKE 'seed-%' ORDER BY name LIMIT $2`, [
      admin.tenantId,
      COMMAND_GATEWAYS,
    ])
  ).rows.map((row) => row.id);

  const tenantPath = `/api/v1/tenants/${admin.tenantId}`;
  const auth = `Bearer ${admin.token}`;
  const withCursor = (path: string, cursor: string | null) => (cursor ? `${path}&cursor=${cursor}` : path);
  const naivePath = (path: string, cursor: string | null, extra = '') =>
    `${path}?tenant=${admin.tenantId}${extra}${cursor ? `&cursor=${cursor}` : ''}`;
  const reads: { read: string; page: 'first' | 'deep'; service: (i: number) => HttpCall; naive: (i: number) => HttpCall }[] = [];
  for (const page of ['first', 'deep'] as const) {
    const at = (cursor: string | null) => (page === 'deep' ? cursor : null);
    reads.push(
      {
        read: 'gateways, 50 with nodes (REST)',
        page,
        service: () => ({ method: 'GET', path: withCursor(`${tenantPath}/gateways?limit=50`, at(deep.gateways)), authorization: auth }),
        naive: () => ({ method: 'GET', path: naivePath('/gateways', at(deep.gateways), '&limit=50') }),
      },
      {
        read: 'gateways, 50 with nodes (GraphQL)',
        page,
        service: () => ({
          method: 'POST',
          path: '/graphql',
          authorization: auth,
          body: JSON.stringify({ query: GATEWAYS_QUERY, variables: { tenantId: admin.tenantId, after: at(deep.gateways) } }),
        }),
        naive: () => ({ method: 'GET', path: naivePath('/gateways', at(deep.gateways), '&limit=50') }),
      },
      {
        read: 'profiles, 20',
        page,
        service: () => ({
          method: 'GET',
          path: withCursor(`${tenantPath}/management-profiles?limit=20`, at(deep.profiles)),
          authorization: auth,
        }),
        naive: () => ({ method: 'GET', path: naivePath('/profiles', at(deep.profiles), '&limit=20') }),
      },
      {
        read: 'audit events, 50',
        page,
        service: () => ({ method: 'GET', path: withCursor(`${tenantPath}/audit-events?limit=50`, at(deep.audit)), authorization: auth }),
        naive: () => ({ method: 'GET', path: naivePath('/audit', at(deep.audit), '&limit=50') }),
      },
    );
  }
  reads.push(
    {
      read: "a gateway's commands, 50",
      page: 'first',
      service: (i) => ({
        method: 'GET',
        path: `${tenantPath}/gateways/${commandGateways[i % commandGateways.length]}/commands?limit=50`,
        authorization: auth,
      }),
      naive: (i) => ({
        method: 'GET',
        path: naivePath('/commands', null, `&limit=50&gateway=${commandGateways[i % commandGateways.length]}`),
      }),
    },
    {
      read: 'fleet status',
      page: 'first',
      service: () => ({ method: 'GET', path: `${tenantPath}/status`, authorization: auth }),
      naive: () => ({ method: 'GET', path: naivePath('/status', null) }),
    },
  );

  const results: ReadResult[] = [];
  for (const read of reads.filter((r) => !ONLY || `${r.read} (${r.page})`.includes(ONLY))) {
    const measure = (target: { port: number; pid: number }, next: (i: number) => HttpCall, what: string, seconds = SECONDS) =>
      burst({
        port: target.port,
        pid: target.pid,
        concurrency: READERS,
        durationMs: seconds * 1000,
        next,
        onFailure: (status, text) => log(`  ${what}: failed ${status} ${text}`),
      });
    // A short warm-up of each (plans, caches, JIT: 3 s), then the measured run.
    await measure(service, read.service, 'warm-up', WARM_UP_SECONDS);
    const serviceResult = await measure(service, read.service, `${read.read} (${read.page}), service`);
    await measure(naive, read.naive, 'warm-up', WARM_UP_SECONDS);
    const naiveResult = await measure(naive, read.naive, `${read.read} (${read.page}), naive`);
    const ratio = round(serviceResult.ratePerSecond / naiveResult.ratePerSecond, 2);
    const met = ratio >= TARGET_RATIO && serviceResult.p99Ms <= TARGET_P99_MS && serviceResult.failed === 0;
    log(`${read.read} (${read.page} page): service ${describeBurst(serviceResult)}`);
    log(`${read.read} (${read.page} page): naive ${describeBurst(naiveResult)} → ${ratio}× ${met ? 'met' : 'NOT MET'}`);
    results.push({ read: read.read, page: read.page, service: serviceResult, naive: naiveResult, ratio, met });
  }
  await naive.stop();

  // The plans of the page queries (the naive server's text: the service's lists run the same keyset shape on the same indexes).
  const explain = async (name: string, sql: string, parameters: unknown[]) => {
    const { rows } = await database.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, parameters);
    return `-- ${name}\n${sql.trim()}\n\n${rows.map((row) => row['QUERY PLAN']).join('\n')}\n`;
  };
  const position = (cursor: string | null) => {
    const parsed = cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { at: string; id: string }) : null;
    return [parsed?.at ?? null, parsed?.id ?? null];
  };
  /**
   * The plan the service runs for a named prepared statement once Postgres plans it generically
   * (after five executions, when that costs no more): PREPARE under plan_cache_mode =
   * force_generic_plan, then EXPLAIN EXECUTE.
   */
  const explainGeneric = async (name: string, statement: string, parameters: (string | number | null | readonly string[])[]) => {
    const client = await database.connect();
    try {
      const text = String(statement);
      await client.query(`SET plan_cache_mode = force_generic_plan`);
      await client.query(`PREPARE bench_plan AS ${text}`);
      const literals = parameters.map((value) =>
        value === null ? 'NULL' : client.escapeLiteral(Array.isArray(value) ? `{${value.join(',')}}` : String(value)),
      );
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_plan(${literals.join(', ')})`,
      );
      return `-- ${name} (the service's statement, generic plan)\n${text.trim()}\n\n${rows.map((row) => row['QUERY PLAN']).join('\n')}\n`;
    } finally {
      await client.query('DEALLOCATE ALL').catch(() => undefined);
      await client.query('RESET plan_cache_mode').catch(() => undefined);
      client.release();
    }
  };
  const firstIds = (await database.query<{ id: string }>(NAIVE_READS.gateways, [admin.tenantId, null, null, 50])).rows.map((row) => row.id);
  const plans = [
    await explain('gateways, first page', NAIVE_READS.gateways, [admin.tenantId, null, null, 51]),
    await explain('gateways, deep page', NAIVE_READS.gateways, [admin.tenantId, ...position(deep.gateways), 51]),
    await explain('nodes of a page of gateways', NAIVE_READS.nodes, [admin.tenantId, firstIds]),
    await explain('profiles, deep page', NAIVE_READS.profiles, [admin.tenantId, ...position(deep.profiles), 21]),
    await explain("a gateway's commands", NAIVE_READS.commands, [admin.tenantId, commandGateways[0], null, null, 51]),
    await explain('audit events, deep page', NAIVE_READS.audit, [admin.tenantId, ...position(deep.audit), 51]),
    await explain('fleet status (maintained counts)', NAIVE_READS.status, [admin.tenantId]),
    await explainGeneric('gateways, first page', GATEWAY_READS.firstPage, [admin.tenantId, 51]),
    await explainGeneric('gateways, deep page', GATEWAY_READS.pageAfter, [admin.tenantId, ...position(deep.gateways), 51]),
    await explainGeneric('gateways, deep page without assessments (GraphQL)', GATEWAY_READS.pageAfterWithoutAssessment, [
      admin.tenantId,
      ...position(deep.gateways),
      51,
    ]),
    await explainGeneric('nodes of a page of gateways', GATEWAY_READS.nodesOf, [admin.tenantId, firstIds]),
    await explainGeneric("a gateway's commands", COMMAND_STATEMENTS.commandsOfGatewayFirst, [admin.tenantId, commandGateways[0], null, 51]),
  ];

  const summary = {
    finishedAt: new Date().toISOString(),
    command: COMMAND,
    machine,
    gateways: GATEWAYS + 1,
    nodesPerGateway: NODES_PER_GATEWAY,
    commands: commandsEach * GATEWAYS,
    auditEvents: AUDIT,
    readers: READERS,
    secondsPerRun: SECONDS,
    seedSeconds: round(seedSeconds),
    targets: { ratio: TARGET_RATIO, p99Ms: TARGET_P99_MS },
    results,
  };
  await mkdir(join(ROOT, 'bench-results'), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(summary, null, 2)}\n`);
  await writeFile(PLANS_FILE, plans.join('\n'));
  console.log(
    [
      `**Reads** (\`${COMMAND}\`, ${GATEWAYS + 1} gateways of ${NODES_PER_GATEWAY} nodes, ${commandsEach * GATEWAYS} commands, ${AUDIT} audit events; ${READERS} readers, closed loop, ${SECONDS} s each)`,
      '',
      '| read | page | service | naive (same query, node:http) | ratio | target (≥ 0.5×, p99 ≤ 50 ms) |',
      '| --- | --- | --- | --- | --- | --- |',
      ...results.map(
        (r) =>
          `| ${r.read} | ${r.page} | ${r.service.ratePerSecond}/s, p50 ${r.service.p50Ms} ms, p99 ${r.service.p99Ms} ms${r.service.failed ? `, ${r.service.failed} failed` : ''} | ` +
          `${r.naive.ratePerSecond}/s, p99 ${r.naive.p99Ms} ms | ${r.ratio}× | ${r.met ? 'met' : '**not met**'} |`,
      ),
      '',
      `Seeding took ${round(seedSeconds)} s. Plans: bench-results/reads-plans.txt.`,
    ].join('\n'),
  );
  log(`written to ${RESULTS_FILE} and ${PLANS_FILE}`);
});
