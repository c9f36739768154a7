import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
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
import { clientTenantAdmin, heartbeatRequests, NODES_PER_GATEWAY, onboardFleet, type OnboardingTimes } from './bench/fleet.js';
import { FleetSeedStore } from './bench/fleet-seed.store.js';
import { measureFixedRate, type StepResult } from './bench/open-loop-load.js';
import { BENCH_METRICS_TOKEN, residentMemoryMiB, startBenchService, stopAllProcesses, type BenchProcess } from './bench/processes.js';
import { round } from './bench/stats.js';
import { machineSpeedMs } from './bench/machine-speed.js';
import { watchBackgroundWork, type BackgroundWork } from './bench/postgres-background.js';
import { PostgresStatements, type StatementWork } from './bench/postgres-statements.js';
import { STATEMENTS as GATEWAY_STATEMENTS } from '../src/gateways/gateways.store.js';

/**
 * `npm run bench:scale` (issue 14): does a heartbeat cost more in a larger fleet?
 *   1. One service process; BENCH_ACTIVE (default 10,000) 3-node gateways onboarded through the
 *      API phase by phase (profiles and tokens, then registrations: the registration rate, then
 *      first heartbeats).
 *   2. The service restarted, the database vacuumed and checkpointed (BENCH_SETTLE=0 skips it),
 *      then heartbeats of those gateways at BENCH_RATE/s (default 2,000, open loop): one warm-up
 *      step, then BENCH_STEPS (default 3) steps of 10 s: service CPU per heartbeat, latency, the
 *      liveness sweep's and the last-seen flush's cost per second (gcp_job_duration_seconds),
 *      service RSS, Redis and Postgres memory, Redis's time per command, Postgres's background
 *      work (autovacuum, checkpoints), a fixed piece of CPU work timed before and after (the
 *      machine's speed) and, with pg_stat_statements loaded (GCP_PG_STAT_STATEMENTS=1 when the
 *      stack starts), the flush's statement inside Postgres: time, blocks and WAL per row.
 *   3. BENCH_GATEWAYS − BENCH_ACTIVE more gateways (default 90,000: 100,000 in all, 300,000 nodes)
 *      and BENCH_COMMANDS (default 1,000,000) commands seeded in bulk SQL, the service restarted
 *      (its reconcile job loads the new gateways' live state into Redis), and 2 again with the
 *      same 10,000 gateways.
 * Targets: CPU per heartbeat at 100,000 within 10% of 10,000; sweep and flush cost per second flat;
 * RSS ≤ 512 MB; registration ≥ 300/s. Writes bench-results/scale.json.
 */

const COMMAND = 'npm run bench:scale';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RESULTS_FILE = join(ROOT, 'bench-results', 'scale.json');
const BENCH_DATABASE = 'gcp_bench_scale';
const ACTIVE = positiveFromEnv('BENCH_ACTIVE', 10_000);
const GATEWAYS = positiveFromEnv('BENCH_GATEWAYS', 100_000);
const COMMANDS = positiveFromEnv('BENCH_COMMANDS', 1_000_000);
const RATE = positiveFromEnv('BENCH_RATE', 2_000);
const STEPS = positiveFromEnv('BENCH_STEPS', 3);
const REGISTRATION_CONCURRENCY = positiveFromEnv('BENCH_REGISTRATION_CONCURRENCY', 50);
/** BENCH_SETTLE=0 measures right after the bulk writes, with autovacuum and checkpoints still catching up. */
const SETTLE = process.env.BENCH_SETTLE !== '0';
if (GATEWAYS < ACTIVE) throw new Error('BENCH_GATEWAYS must be at least BENCH_ACTIVE');
const PARTNER = { clientId: 'bench-partner', clientSecret: randomBytes(16).toString('hex') };
const TIMING = { HEARTBEAT_INTERVAL_SECONDS: '30', HEARTBEAT_MISSED_LIMIT: '20' };

const run = new BenchRun(COMMAND);
const log = run.log;

interface FleetFigures {
  gateways: number;
  steps: StepResult[];
  heartbeatsPerSecond: number;
  p99Ms: number;
  serviceCpuMsPerHeartbeat: number;
  /** Seconds of job per second of wall time, per job type. */
  jobCostPerSecond: Record<string, number>;
  serviceRssMiB: number;
  redisUsedMemoryMiB: number;
  postgresRssMiB: number;
  databaseSizeMiB: number;
  /** Autovacuum and checkpoints over the steps: Postgres work the service's figures compete with. */
  postgresBackground: BackgroundWork;
  /** Redis's own time per command over the steps (INFO commandstats), the commands that took most. */
  redisCommands: RedisCommandStat[];
  /** CPU ms of a fixed piece of work (machine-speed.ts) before and after the steps, with no load running. */
  machineSpeedMs: { before: number; after: number };
  /** The last-seen flush's UPDATE inside Postgres (with GCP_PG_STAT_STATEMENTS=1), per second and per row written. */
  flushStatement: FlushWork | null;
}

interface RedisCommandStat {
  command: string;
  calls: number;
  microsecondsPerCall: number;
  /** Redis's time in this command per second of the steps, in ms. */
  msPerSecond: number;
}

/** The commands Redis spent most time in since the last CONFIG RESETSTAT (the whole server: the benchmark uses its own). */
async function redisCommandStats(redis: Redis, wallSeconds: number): Promise<RedisCommandStat[]> {
  const stats: RedisCommandStat[] = [];
  for (const match of (await redis.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+),usec_per_call=([0-9.]+)/gm)) {
    stats.push({
      command: match[1],
      calls: Number(match[2]),
      microsecondsPerCall: Number(match[4]),
      msPerSecond: round(Number(match[3]) / 1000 / wallSeconds, 1),
    });
  }
  return stats.sort((a, b) => b.msPerSecond - a.msPerSecond).slice(0, 8);
}

/** Work figures of the flush that do not move with the machine's noise as wall-clock time does. */
interface FlushWork extends StatementWork {
  executionMsPerSecond: number;
  blocksPerRow: number;
  dirtiedPerRow: number;
  walBytesPerRow: number;
}

function flushWork(work: StatementWork | null, wallSeconds: number): FlushWork | null {
  if (!work || work.rows === 0) return null;
  return {
    ...work,
    executionMsPerSecond: round(work.totalMs / wallSeconds, 2),
    blocksPerRow: round((work.sharedBlocksHit + work.sharedBlocksRead) / work.rows, 2),
    dirtiedPerRow: round(work.sharedBlocksDirtied / work.rows, 3),
    walBytesPerRow: round(work.walBytes / work.rows, 0),
  };
}

/** Sum and count of gcp_job_duration_seconds per job, from the Prometheus text. */
async function jobSeconds(service: BenchProcess): Promise<Map<string, number>> {
  const response = await fetch(`${service.baseUrl}/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } });
  const text = await response.text();
  const sums = new Map<string, number>();
  for (const match of text.matchAll(/^gcp_job_duration_seconds_sum\{[^}]*job="([^"]+)"[^}]*\} ([0-9.e+-]+)$/gm)) {
    sums.set(match[1], (sums.get(match[1]) ?? 0) + Number(match[2]));
  }
  return sums;
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
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  run.onTeardown(async () => redis.disconnect());
  const port = await claimPort();
  const start = () =>
    startBenchService({
      port,
      databaseUrl: benchUrl,
      redisUrl,
      redisPrefix,
      partner: PARTNER,
      env: { DATABASE_POOL_SIZE: '20', SHUTDOWN_GRACE_SECONDS: '2', ...TIMING },
    });

  log(`database ${BENCH_DATABASE}, Redis prefix ${redisPrefix}; starting the service`);
  let service = await start();
  const machine = await describeMachine(database, redisUrl);
  const admin = await clientTenantAdmin(service.baseUrl, PARTNER, 'Scale benchmark');
  log(`onboarding ${ACTIVE} gateways of ${NODES_PER_GATEWAY} nodes through the API, ${REGISTRATION_CONCURRENCY} at a time`);
  const { fleet, times } = await onboardFleet(service.baseUrl, admin, { gateways: ACTIVE, concurrency: REGISTRATION_CONCURRENCY, log });
  const requests = heartbeatRequests(fleet);

  const postgres = await PostgresStatements.open(database);
  if (postgres.statementsTracked) log('pg_stat_statements loaded: the last-seen flush is also measured inside Postgres');

  const measure = async (gateways: number): Promise<FleetFigures> => {
    const steps: StepResult[] = [];
    const speedBefore = machineSpeedMs();
    // One step whose figures are not kept, at both fleet sizes: after the seed and the restart the
    // service's code is not optimized yet, and the active gateways' pages have left Postgres's
    // buffers and are clean, so their first updates read them back and log whole pages.
    const warmUp = await measureFixedRate({ port: service.port, pid: service.pid }, RATE, requests);
    log(`  warm-up: ${warmUp.achievedRate}/s, p99 ${warmUp.p99Ms} ms (not counted)`);
    await postgres.reset();
    await redis.config('RESETSTAT');
    const stopWatching = await watchBackgroundWork(database);
    const jobsBefore = await jobSeconds(service);
    const startedAt = performance.now();
    for (let step = 0; step < STEPS; step++) {
      const result = await measureFixedRate({ port: service.port, pid: service.pid }, RATE, requests);
      log(
        `  ${gateways} gateways, ${RATE}/s offered: ${result.achievedRate}/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${result.failed} failed; ` +
          `CPU % service ${Math.round(result.cpu.target)}, Postgres ${Math.round(result.cpu.postgres)}, Redis ${Math.round(result.cpu.redis)}`,
      );
      steps.push(result);
    }
    const wallSeconds = (performance.now() - startedAt) / 1000;
    const jobsAfter = await jobSeconds(service);
    const redisCommands = await redisCommandStats(redis, wallSeconds);
    log(`  Redis: ${redisCommands.map((c) => `${c.command} ${c.calls} calls, ${c.microsecondsPerCall} µs each`).join('; ')}`);
    const machineSpeed = { before: round(speedBefore, 1), after: round(machineSpeedMs(), 1) };
    log(`  machine speed: the fixed work took ${machineSpeed.before} ms of CPU before the steps, ${machineSpeed.after} ms after`);
    const postgresBackground = await stopWatching();
    const flushStatement = flushWork(await postgres.statementWork(GATEWAY_STATEMENTS.writeLastSeen), wallSeconds);
    log(
      `  Postgres in the background: autovacuum ${postgresBackground.autovacuumWorkerSeconds} worker-s ${JSON.stringify(postgresBackground.autovacuumRuns)}, ` +
        `${postgresBackground.checkpoints} checkpoints writing ${postgresBackground.buffersWrittenByCheckpoints} buffers` +
        (flushStatement
          ? `; flush UPDATE ${flushStatement.executionMsPerSecond} ms/s, ${flushStatement.blocksPerRow} blocks, ${flushStatement.dirtiedPerRow} dirtied, ` +
            `${flushStatement.walBytesPerRow} WAL bytes per row (${flushStatement.rows} rows)`
          : ''),
    );
    const jobCostPerSecond = Object.fromEntries(
      [...jobsAfter].map(([job, seconds]) => [job, round((seconds - (jobsBefore.get(job) ?? 0)) / wallSeconds, 4)]),
    );
    const mean = (pick: (step: StepResult) => number) => steps.reduce((sum, step) => sum + pick(step), 0) / steps.length;
    const memory = /^used_memory:(\d+)/m.exec(await redis.info('memory'))?.[1];
    const size = await database.query<{ bytes: string }>('SELECT pg_database_size(current_database())::text AS bytes');
    return {
      gateways,
      steps,
      heartbeatsPerSecond: round(
        mean((s) => s.achievedRate),
        0,
      ),
      p99Ms: round(mean((s) => s.p99Ms)),
      // Percent of a core over the step, per heartbeat: (cpu / 100) s per s ÷ heartbeats per s, in ms.
      serviceCpuMsPerHeartbeat: round(
        mean((s) => (s.cpu.target / 100 / s.achievedRate) * 1000),
        3,
      ),
      jobCostPerSecond,
      serviceRssMiB: round(await residentMemoryMiB(service.pid)),
      redisUsedMemoryMiB: round(Number(memory ?? 0) / 2 ** 20),
      postgresRssMiB: round(await postgres.serverRssMiB()),
      databaseSizeMiB: round(Number(size.rows[0].bytes) / 2 ** 20),
      postgresBackground,
      machineSpeedMs: machineSpeed,
      redisCommands,
      flushStatement,
    };
  };

  const seedStore = new FleetSeedStore(database);
  const settle = async () => {
    if (!SETTLE) return;
    const settleStartedAt = performance.now();
    await seedStore.settle();
    log(`  vacuumed and checkpointed in ${round((performance.now() - settleStartedAt) / 1000)} s`);
  };
  // Both fleet sizes are measured on a process started just before: the one that onboarded the
  // fleet still holds what the registrations left in its heap, and in two of four runs the fresh
  // process at 100,000 took 0.71-0.83x the CPU per heartbeat of that one at 10,000.
  log('restarting the service, as before the larger fleet');
  await service.stop();
  service = await start();
  await settle();
  log(`heartbeats at ${RATE}/s from ${ACTIVE} gateways, fleet of ${ACTIVE}`);
  const small = await measure(ACTIVE);

  const extra = GATEWAYS - ACTIVE;
  const commandsEach = extra > 0 ? Math.max(1, Math.round(COMMANDS / extra)) : 0;
  let seedSeconds = 0;
  if (extra > 0) {
    log(`seeding ${extra} more gateways (${extra * NODES_PER_GATEWAY} nodes) and ${extra * commandsEach} commands in bulk SQL`);
    const seedStartedAt = performance.now();
    let lastLogged = 0;
    await seedStore.seed({
      tenantId: admin.tenantId,
      templateGatewayId: fleet[0].gatewayId!,
      prefix: 'seed-',
      count: extra,
      status: 'CONNECTED',
      commandsEach,
      auditEvents: 0,
      onProgress: (what, done, of) => {
        if (done === of || performance.now() - lastLogged > 5_000) {
          lastLogged = performance.now();
          log(`  ${what}: ${done} of ${of}`);
        }
      },
    });
    seedSeconds = (performance.now() - seedStartedAt) / 1000;
    log(`seeded in ${round(seedSeconds)} s; restarting the service (its reconcile job loads the new gateways into Redis)`);
    await service.stop();
    await settle();
    const restartedAt = performance.now();
    service = await start();
    log(`  ready after ${round((performance.now() - restartedAt) / 1000)} s`);
  }
  log(`heartbeats at ${RATE}/s from the same ${ACTIVE} gateways, fleet of ${GATEWAYS}`);
  const large = await measure(GATEWAYS);
  await service.stop();

  const cpuRatio = round(large.serviceCpuMsPerHeartbeat / small.serviceCpuMsPerHeartbeat, 2);
  const speedOf = (f: FleetFigures) => (f.machineSpeedMs.before + f.machineSpeedMs.after) / 2;
  /** How much longer the fixed work took in the larger fleet's phase: the machine's own drift. */
  const machineSlowdown = round(speedOf(large) / speedOf(small), 2);
  const cpuRatioAtEqualSpeed = round(cpuRatio / machineSlowdown, 2);
  const registrationRate = round(ACTIVE / times.registrationSeconds);
  const results = {
    finishedAt: new Date().toISOString(),
    command: COMMAND,
    machine,
    active: ACTIVE,
    gateways: GATEWAYS,
    commands: extra * commandsEach,
    rate: RATE,
    settled: SETTLE,
    onboarding: { ...times, registrationsPerSecond: registrationRate } satisfies OnboardingTimes & { registrationsPerSecond: number },
    seedSeconds: round(seedSeconds),
    small,
    large,
    cpuRatio,
    machineSlowdown,
    cpuRatioAtEqualSpeed,
    targets: { cpuRatio: 1.1, rssMiB: 512, registrationsPerSecond: 300 },
  };
  await mkdir(join(ROOT, 'bench-results'), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  const jobs = (f: FleetFigures) =>
    ['liveness.sweep', 'liveness.flush-last-seen']
      .map((job) => `${job} ${round((f.jobCostPerSecond[job] ?? 0) * 1000, 1)} ms/s`)
      .join(', ');
  const flush = (f: FleetFigures) =>
    f.flushStatement
      ? `${f.flushStatement.executionMsPerSecond} ms/s; ${f.flushStatement.blocksPerRow} blocks, ${f.flushStatement.walBytesPerRow} WAL bytes per row`
      : 'not measured (GCP_PG_STAT_STATEMENTS=1)';
  const row = (f: FleetFigures) =>
    `| ${f.gateways} | ${f.heartbeatsPerSecond}/s, p99 ${f.p99Ms} ms | ${f.serviceCpuMsPerHeartbeat} ms | ${jobs(f)} | ${flush(f)} | ${f.serviceRssMiB} MiB | ` +
    `${f.redisUsedMemoryMiB} MiB | ${f.postgresRssMiB} MiB (database ${f.databaseSizeMiB} MiB) |`;
  console.log(
    [
      `**Scale** (\`${COMMAND}\`: ${ACTIVE} gateways heartbeating at ${RATE}/s in fleets of ${ACTIVE} and ${GATEWAYS}; ${extra * commandsEach} commands seeded)`,
      '',
      "| fleet | heartbeats | service CPU per heartbeat | job time per second (wall) | the flush's UPDATE inside Postgres | service RSS | Redis used memory (whole server) | Postgres RSS (its server) |",
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      row(small),
      row(large),
      '',
      `CPU per heartbeat ${GATEWAYS} ÷ ${ACTIVE}: ${cpuRatio}× (target ≤ 1.10×); the same fixed work took ${machineSlowdown}× as long ` +
        `in the larger fleet's phase, so ${cpuRatioAtEqualSpeed}× at equal machine speed. Registration: ${registrationRate}/s (POST /gateway/v1/register alone, ` +
        `${REGISTRATION_CONCURRENCY} at a time; target ≥ 300/s); profiles and tokens ${round(ACTIVE / times.provisioningSeconds)}/s, first heartbeats ` +
        `${round(ACTIVE / times.firstHeartbeatSeconds)}/s. Seeding took ${round(seedSeconds)} s.`,
    ].join('\n'),
  );
  log(`written to ${RESULTS_FILE}`);
});
