import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { databaseUrl, deleteRedisKeys, describeMachine, dropDatabase, recreateDatabase } from './bench/bench-environment.js';
import { measureDisconnectTiming } from './bench/disconnect-timing.js';
import { heartbeatRequests, NODES_PER_GATEWAY, registerFleet } from './bench/fleet.js';
import {
  findSustainedRate,
  LOAD_GENERATOR_DESCRIPTION,
  measureFixedRate,
  type LoadRequest,
  type LoadTarget,
  type StepResult,
} from './bench/open-loop-load.js';
import { residentMemoryMiB, startBenchService, startProcess, stopAllProcesses, type BenchProcess } from './bench/processes.js';
import { claimPort } from './lib/ports.js';
import { renderMarkdown, type BenchResults } from './bench/report.js';
import { round } from './bench/stats.js';

/**
 * `npm run bench:heartbeat`: the heartbeat benchmark of the README. On the servers of DATABASE_URL
 * and REDIS_URL (scripts/stack.sh provides them) it
 *   1. starts one service process on a fresh database and Redis prefix, registers 10,000 cluster
 *      gateways of 3 nodes through the real APIs and CONNECTs each with one heartbeat;
 *   2. finds the highest rate of (unchanged) heartbeats it sustains at p99 ≤ 50 ms, with an
 *      open-loop generator, and its resident memory;
 *   3. does the same against a bare node:http server doing one Postgres UPDATE per request (the
 *      naive ceiling), with the same generator and the same requests;
 *   4. restarts the service with a 10 s silence limit and measures how long after their last
 *      heartbeat 1,000 gateways that fall silent together are recorded DISCONNECTED.
 * It prints a Markdown summary for the README and writes it as JSON to bench-results/heartbeat.json.
 * BENCH_GATEWAYS overrides the fleet size for a quick trial run.
 *
 * BENCH_RATE=<heartbeats/s> runs a trial instead of 2.–4.: BENCH_STEPS (default 3) steps at that
 * fixed rate against the service only, printing each step's service CPU ms per heartbeat, and
 * writes no results file. For comparing the service's CPU per heartbeat before and after a change
 * (back to back, at the same rate), and for a CPU profile of steady heartbeats with
 * BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=…" (docs/performance.md, "Steady heartbeat CPU").
 */

const COMMAND = 'npm run bench:heartbeat';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NAIVE_SCRIPT = fileURLToPath(new URL('./bench/naive-server.js', import.meta.url));
const RESULTS_FILE = join(ROOT, 'bench-results', 'heartbeat.json');

const BENCH_DATABASE = 'gcp_bench';
const GATEWAYS = Number(process.env.BENCH_GATEWAYS ?? 10_000);
if (!Number.isInteger(GATEWAYS) || GATEWAYS < 1) throw new Error('BENCH_GATEWAYS must be a positive integer');
const FIXED_RATE = process.env.BENCH_RATE === undefined ? null : Number(process.env.BENCH_RATE);
if (FIXED_RATE !== null && !(FIXED_RATE > 0)) throw new Error('BENCH_RATE must be a positive number of heartbeats per second');
const FIXED_STEPS = Number(process.env.BENCH_STEPS ?? 3);
if (!Number.isInteger(FIXED_STEPS) || FIXED_STEPS < 1) throw new Error('BENCH_STEPS must be a positive integer');
const REGISTRATION_CONCURRENCY = 50;
const SILENT_GATEWAYS = Math.min(1_000, GATEWAYS);
/** During registration and load nothing may go silent long enough to disconnect. */
const LOAD_TIMING = { intervalSeconds: 600, missedLimit: 3 };
/** Silence limit 10 s for the disconnect measurement. */
const DISCONNECT_TIMING = { intervalSeconds: 5, missedLimit: 2 };
const PARTNER = { clientId: 'bench-partner', clientSecret: randomBytes(16).toString('hex') };
/** What each load request is, for the report (how the generator measures comes from open-loop-load.ts). */
const REQUESTS =
  'Each request is a real heartbeat of the next gateway round-robin: its own access token, the next sequence of its boot, a fresh sentAt, an unchanged node report.';

const startedAt = performance.now();
const log = (message: string) => console.error(`[bench ${round((performance.now() - startedAt) / 1000, 0)}s] ${message}`);

/** Undone last-in first-out, on success, errors and signals alike. */
const teardown: (() => Promise<unknown>)[] = [];
let teardownDone: Promise<void> | null = null;
/** Runs once, however many paths (a signal and main's own ending) ask for it. */
function runTeardown(): Promise<void> {
  teardownDone ??= (async () => {
    for (let step = teardown.pop(); step; step = teardown.pop()) {
      await step().catch((error: unknown) => console.error('cleanup failed:', error));
    }
  })();
  return teardownDone;
}
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`${signal}: stopping and cleaning up`);
    void runTeardown().finally(() => process.exit(128 + constants.signals[signal]));
  });
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this with \`${COMMAND}\` (it provisions Postgres and Redis with scripts/stack.sh)`);
  return value;
}

function printStep(target: string, step: StepResult): void {
  const cpu = step.cpu;
  log(
    `  ${target} ${step.offeredRate}/s offered: ${step.achievedRate}/s achieved, p50 ${step.p50Ms} ms, p99 ${step.p99Ms} ms, max ${step.maxMs} ms, ` +
      `${step.failed} failed, send lag p99 ${step.sendLagP99Ms} ms; CPU % target ${Math.round(cpu.target)}, Postgres ${Math.round(cpu.postgres)}, ` +
      `Redis ${Math.round(cpu.redis)}, generator ${Math.round(cpu.generator)}, machine ${Math.round(cpu.machine)} → ${step.failure ?? 'sustained'}`,
  );
}

/** BENCH_RATE: steps at one fixed rate, each with the service's CPU ms per heartbeat (all of its CPU over the heartbeats answered). */
async function fixedRateTrial(target: LoadTarget, rate: number, requests: () => LoadRequest): Promise<void> {
  log(`${FIXED_STEPS} steps of heartbeats at ${rate}/s against the service (trial: no results file)`);
  const perHeartbeat: number[] = [];
  for (let step = 1; step <= FIXED_STEPS; step += 1) {
    const result = await measureFixedRate(target, rate, requests);
    printStep('service', result);
    const cpuMs = (10 * result.cpu.target) / result.achievedRate;
    perHeartbeat.push(cpuMs);
    log(`  step ${step}: service CPU ${round(cpuMs, 3)} ms per heartbeat`);
  }
  const sorted = [...perHeartbeat].sort((a, b) => a - b);
  console.log(
    `service CPU ms per heartbeat at ${rate}/s: ${perHeartbeat.map((ms) => round(ms, 3)).join(', ')} (median ${round(sorted[Math.floor(sorted.length / 2)], 3)})`,
  );
}

async function main(): Promise<void> {
  const serverUrl = requiredEnv('DATABASE_URL');
  const redisUrl = requiredEnv('REDIS_URL');
  const redisPrefix = `bench${randomBytes(4).toString('hex')}`;
  const benchUrl = databaseUrl(serverUrl, BENCH_DATABASE);

  await recreateDatabase(serverUrl, BENCH_DATABASE);
  teardown.push(async () => {
    await dropDatabase(serverUrl, BENCH_DATABASE);
    await deleteRedisKeys(redisUrl, redisPrefix);
  });
  teardown.push(stopAllProcesses);
  const database = new pg.Pool({ connectionString: benchUrl, max: 2 });
  teardown.push(() => database.end());

  // One port for both starts: the fleet's sessions keep their base URL (and startBenchService one signing secret).
  const servicePort = await claimPort();
  const startService = (timing: typeof LOAD_TIMING): Promise<BenchProcess> =>
    startBenchService({
      port: servicePort,
      databaseUrl: benchUrl,
      redisUrl,
      redisPrefix,
      partner: PARTNER,
      env: {
        DATABASE_POOL_SIZE: '20',
        HEARTBEAT_INTERVAL_SECONDS: String(timing.intervalSeconds),
        HEARTBEAT_MISSED_LIMIT: String(timing.missedLimit),
        SHUTDOWN_GRACE_SECONDS: '2',
      },
    });

  log(`database ${BENCH_DATABASE}, Redis prefix ${redisPrefix}; starting the service`);
  let service = await startService(LOAD_TIMING);
  const machine = await describeMachine(database, redisUrl);

  log(`registering ${GATEWAYS} cluster gateways of ${NODES_PER_GATEWAY} nodes, ${REGISTRATION_CONCURRENCY} at a time`);
  const registrationStartedAt = performance.now();
  const elapsedSeconds = () => (performance.now() - registrationStartedAt) / 1000;
  const fleet = await registerFleet(service.baseUrl, PARTNER, {
    gateways: GATEWAYS,
    concurrency: REGISTRATION_CONCURRENCY,
    progressEvery: Math.max(1, Math.round(GATEWAYS / 10)),
    onProgress: (registered) => log(`  ${registered} registered and CONNECTED (${round(registered / elapsedSeconds(), 0)}/s)`),
  });
  const registrationSeconds = elapsedSeconds();
  log(`registration took ${round(registrationSeconds)} s`);
  const afterRegistrationMiB = await residentMemoryMiB(service.pid);

  if (FIXED_RATE !== null) {
    await fixedRateTrial({ port: service.port, pid: service.pid }, FIXED_RATE, heartbeatRequests(fleet));
    await service.stop();
    return;
  }

  log('load steps against the service');
  const serviceTarget: LoadTarget = { port: service.port, pid: service.pid };
  const serviceLoad = await findSustainedRate(serviceTarget, heartbeatRequests(fleet), (step) => printStep('service', step));
  const afterLoadMiB = await residentMemoryMiB(service.pid);
  await service.stop();

  log('load steps against the naive server');
  await database.query('CREATE TABLE naive_gateways (id uuid PRIMARY KEY, last_seen timestamptz, seq bigint)');
  await database.query('INSERT INTO naive_gateways (id) SELECT unnest($1::uuid[])', [fleet.map((gateway) => gateway.gatewayId)]);
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
  const naiveTarget: LoadTarget = { port: naive.port, pid: naive.pid };
  const naiveLoad = await findSustainedRate(naiveTarget, heartbeatRequests(fleet), (step) => printStep('naive', step));
  await naive.stop();

  // Same database and Redis prefix: the fleet stays registered and CONNECTED. The others keep the
  // deadlines their last heartbeat set under the long interval, so only the chosen ones go silent.
  log(`restarting the service with a ${DISCONNECT_TIMING.intervalSeconds * DISCONNECT_TIMING.missedLimit} s silence limit`);
  service = await startService(DISCONNECT_TIMING);
  const stride = Math.floor(GATEWAYS / SILENT_GATEWAYS);
  const silent = fleet.filter((_, index) => index % stride === 0).slice(0, SILENT_GATEWAYS);
  log(`${silent.length} gateways send one heartbeat each, then fall silent`);
  const disconnect = await measureDisconnectTiming(database, silent, DISCONNECT_TIMING.intervalSeconds * DISCONNECT_TIMING.missedLimit);
  await service.stop();

  const results: BenchResults = {
    finishedAt: new Date().toISOString(),
    command: COMMAND,
    machine,
    gateways: GATEWAYS,
    nodesPerGateway: NODES_PER_GATEWAY,
    loadGenerator: `${LOAD_GENERATOR_DESCRIPTION} ${REQUESTS}`,
    registration: {
      seconds: round(registrationSeconds),
      gatewaysPerSecond: round(GATEWAYS / registrationSeconds),
      concurrency: REGISTRATION_CONCURRENCY,
    },
    service: serviceLoad,
    naive: naiveLoad,
    serviceOverNaive: serviceLoad.best && naiveLoad.best ? round(serviceLoad.best.achievedRate / naiveLoad.best.achievedRate, 2) : null,
    serviceMemoryMiB: { afterRegistration: round(afterRegistrationMiB), afterLoad: round(afterLoadMiB) },
    disconnect,
  };
  await mkdir(join(ROOT, 'bench-results'), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  console.log(renderMarkdown(results));
  log(`written to ${RESULTS_FILE}`);
}

main()
  .catch((error: unknown) => {
    // After a signal, main fails only because its servers were stopped under it.
    if (!interrupted) console.error('the benchmark failed:', error);
    process.exitCode = 1;
  })
  .finally(runTeardown);
