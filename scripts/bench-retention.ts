import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config.js';
import { RetentionService, type RetentionRun } from '../src/data-lifecycle/retention.service.js';
import { RetentionStore } from '../src/data-lifecycle/retention.store.js';
import { dataSourceOptions } from '../src/platform/database/data-source.js';
import {
  databaseUrl,
  deleteRedisKeys,
  describeMachine,
  dropDatabase,
  positiveFromEnv,
  recreateDatabase,
  type Machine,
} from './bench/bench-environment.js';
import { heartbeatRequests, registerFleet } from './bench/fleet.js';
import { measureFixedRate, type LoadTarget, type StepResult } from './bench/open-loop-load.js';
import { startBenchService, stopAllProcesses } from './bench/processes.js';
import { quantile, round } from './bench/stats.js';

/**
 * `npm run bench:retention`: does the retention job slow the hot path? On the servers of
 * DATABASE_URL and REDIS_URL it
 *   1. starts one service process on a fresh database, registers a fleet (BENCH_GATEWAYS, default
 *      10,000) through the real APIs;
 *   2. fills the database with data past its retention: BENCH_EXPIRED_COMMANDS ended commands
 *      (default 200,000) of those gateways, 100 days old, with 4 history entries each, and
 *      BENCH_EXPIRED_AUDIT audit events (default 500,000) in months older than 400 days;
 *   3. measures heartbeats at a fixed rate (BENCH_RATE, default 2,000/s) for 10 s without retention,
 *      then again while one retention run (the job's own code, RetentionService) deletes all of it
 *      in its batches and drops the old months;
 *   4. prints each batch's time (p50, p99, longest) and the heartbeat p50/p99 of both steps, and
 *      writes bench-results/retention.json.
 * Figures are only worth something on a quiet machine: other work on the same cores moves both.
 * `BENCH_GATEWAYS=200 BENCH_RATE=200 BENCH_EXPIRED_COMMANDS=5000 BENCH_EXPIRED_AUDIT=20000 npm run bench:retention` is a quick trial.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RESULTS_FILE = join(ROOT, 'bench-results', 'retention.json');
const BENCH_DATABASE = 'gcp_bench_retention';
const GATEWAYS = positiveFromEnv('BENCH_GATEWAYS', 10_000);
const RATE = positiveFromEnv('BENCH_RATE', 2_000);
const EXPIRED_COMMANDS = positiveFromEnv('BENCH_EXPIRED_COMMANDS', 200_000);
const EXPIRED_AUDIT = positiveFromEnv('BENCH_EXPIRED_AUDIT', 500_000);
const PARTNER = { clientId: 'bench-partner', clientSecret: randomBytes(16).toString('hex') };

const startedAt = performance.now();
const log = (message: string) => console.error(`[bench ${round((performance.now() - startedAt) / 1000, 0)}s] ${message}`);

interface Results {
  finishedAt: string;
  command: string;
  machine: Machine;
  gateways: number;
  expired: { commands: number; historyEntries: number; auditEvents: number };
  heartbeatRate: number;
  withoutRetention: StepResult;
  duringRetention: StepResult[];
  retention: Omit<RetentionRun, 'batchMs'> & { seconds: number; batchP50Ms: number; batchP99Ms: number };
}

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!serverUrl || !redisUrl) throw new Error('DATABASE_URL and REDIS_URL are not set: run this with `npm run bench:retention`');
  const redisPrefix = `bench${randomBytes(4).toString('hex')}`;
  const benchUrl = databaseUrl(serverUrl, BENCH_DATABASE);
  await recreateDatabase(serverUrl, BENCH_DATABASE);
  const database = new pg.Pool({ connectionString: benchUrl, max: 2 });
  let dataSource: DataSource | null = null;
  try {
    log(`starting the service on ${BENCH_DATABASE}`);
    const service = await startBenchService({
      databaseUrl: benchUrl,
      redisUrl,
      redisPrefix,
      partner: PARTNER,
      env: {
        // nothing goes silent during the benchmark
        HEARTBEAT_INTERVAL_SECONDS: '600',
        SHUTDOWN_GRACE_SECONDS: '2',
      },
    });
    const machine = await describeMachine(database, redisUrl);
    log(`registering ${GATEWAYS} gateways`);
    const fleet = await registerFleet(service.baseUrl, PARTNER, {
      gateways: GATEWAYS,
      concurrency: 50,
      progressEvery: Math.max(1, Math.round(GATEWAYS / 5)),
      onProgress: (n) => log(`  ${n} registered`),
    });

    // The retention job's own code, on its own connections (as in a worker process).
    const config = loadConfig({ DATABASE_URL: benchUrl, REDIS_URL: redisUrl, JWT_SECRET: 'x'.repeat(32), DATABASE_POOL_SIZE: '2' });
    dataSource = new DataSource({ ...dataSourceOptions(config), entities: [] });
    await dataSource.initialize();
    const store = new RetentionStore(dataSource);
    const retention = new RetentionService(config, store);

    log(
      `filling in ${EXPIRED_COMMANDS} expired commands with 4 history entries each, and ${EXPIRED_AUDIT} audit events older than 400 days`,
    );
    const oldMonth = new Date(Date.now() - 430 * 86_400_000);
    await store.ensurePartitions('audit_events', 'created_at', new Date(Date.now() - 460 * 86_400_000), oldMonth);
    await database.query(
      `WITH g AS (SELECT id, tenant_id, row_number() OVER (ORDER BY id) AS i, count(*) OVER () AS n FROM gateways),
        s AS (SELECT n AS k FROM generate_series(1, $1::int) n),
        c AS (
          INSERT INTO commands (tenant_id, gateway_id, sequence, type, parameters, state, deliver_by, timeout_seconds, created_by, created_at, delivered_at, acknowledged_at, ended_at, updated_at)
          SELECT g.tenant_id, g.id, 1000000 + s.k, 'PING', '{}', 'SUCCEEDED', now() - interval '100 days', 600, 'bench',
                 now() - interval '100 days', now() - interval '100 days', now() - interval '100 days', now() - interval '100 days', now() - interval '100 days'
          FROM s JOIN g ON g.i = 1 + (s.k % g.n)
          RETURNING id, tenant_id)
       INSERT INTO command_history (tenant_id, command_id, at, source, state)
       SELECT c.tenant_id, c.id, now() - interval '100 days', 'gateway', st FROM c, unnest(ARRAY['QUEUED', 'DELIVERED', 'ACKNOWLEDGED', 'SUCCEEDED']) st`,
      [EXPIRED_COMMANDS],
    );
    await database.query(
      `INSERT INTO audit_events (tenant_id, actor_type, action, target_type, target_id, after, created_at)
       SELECT t.id, 'gateway', 'command.updated', 'command', gen_random_uuid(), '{"state": "SUCCEEDED"}', $2::timestamptz - (n % 1000 || ' seconds')::interval
       FROM (SELECT id FROM tenants LIMIT 1) t, generate_series(1, $1::int) n`,
      [EXPIRED_AUDIT, oldMonth],
    );
    await database.query('VACUUM ANALYZE');
    const historyEntries = Number((await database.query(`SELECT count(*) AS n FROM command_history`)).rows[0].n);

    const target: LoadTarget = { port: service.port, pid: service.pid };
    const requests = heartbeatRequests(fleet);
    log(`heartbeats at ${RATE}/s without retention`);
    const withoutRetention = await measureFixedRate(target, RATE, requests);
    log(`  p50 ${withoutRetention.p50Ms} ms, p99 ${withoutRetention.p99Ms} ms, ${withoutRetention.failed} failed`);

    log('heartbeats at the same rate while the retention run deletes');
    const runStarted = performance.now();
    let run: RetentionRun | null = null;
    const retentionDone = retention.run().then((result) => (run = result));
    const duringRetention: StepResult[] = [];
    do {
      const step = await measureFixedRate(target, RATE, requests);
      duringRetention.push(step);
      log(`  p50 ${step.p50Ms} ms, p99 ${step.p99Ms} ms, ${step.failed} failed${run ? '' : ' (retention still running)'}`);
    } while (!run);
    await retentionDone;
    const finished = run as unknown as RetentionRun;
    const seconds = round((performance.now() - runStarted) / 1000);
    const sorted = Float64Array.from(finished.batchMs).sort();
    const { batchMs: _batchMs, ...summary } = finished;
    const results: Results = {
      finishedAt: new Date().toISOString(),
      command: 'npm run bench:retention',
      machine,
      gateways: GATEWAYS,
      expired: { commands: EXPIRED_COMMANDS, historyEntries, auditEvents: EXPIRED_AUDIT },
      heartbeatRate: RATE,
      withoutRetention,
      duringRetention,
      retention: {
        ...summary,
        longestBatchMs: round(finished.longestBatchMs),
        seconds,
        batchP50Ms: round(quantile(sorted, 0.5)),
        batchP99Ms: round(quantile(sorted, 0.99)),
      },
    };
    await service.stop();
    await mkdir(join(ROOT, 'bench-results'), { recursive: true });
    await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    const worst = duringRetention.reduce((a, b) => (b.p99Ms > a.p99Ms ? b : a));
    console.log(
      [
        `## Retention under heartbeat load (${results.finishedAt}, ${machine.cpus} cores)`,
        '',
        `${GATEWAYS} gateways; ${EXPIRED_COMMANDS} expired commands (${historyEntries} history entries), ${EXPIRED_AUDIT} expired audit events; heartbeats at ${RATE}/s.`,
        '',
        '| figure | result |',
        '| --- | --- |',
        `| heartbeat p50 / p99 without retention | ${withoutRetention.p50Ms} / ${withoutRetention.p99Ms} ms (${withoutRetention.failed} failed) |`,
        `| heartbeat p50 / p99 while retention runs (worst 10 s step of ${duringRetention.length}) | ${worst.p50Ms} / ${worst.p99Ms} ms (${duringRetention.reduce((n, s) => n + s.failed, 0)} failed) |`,
        `| retention run | ${seconds} s, ${finished.batches} batches, rows deleted ${JSON.stringify(finished.deleted)}, partitions dropped ${finished.droppedPartitions.length} |`,
        `| batch time p50 / p99 / longest | ${results.retention.batchP50Ms} / ${results.retention.batchP99Ms} / ${results.retention.longestBatchMs} ms |`,
      ].join('\n'),
    );
    log(`written to ${RESULTS_FILE}`);
  } finally {
    await dataSource?.destroy().catch(() => undefined);
    await stopAllProcesses();
    await database.end();
    await dropDatabase(serverUrl, BENCH_DATABASE);
    await deleteRedisKeys(redisUrl, redisPrefix);
  }
}

main().catch((error: unknown) => {
  console.error('the benchmark failed:', error);
  process.exitCode = 1;
});
