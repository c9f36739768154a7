import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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
import { measureBulkFanout } from './bench/bulk-fanout.js';
import { CommandApi, tenantOf } from './bench/command-api.js';
import { measureDeliveryLatency, type LatencyResult } from './bench/command-latency.js';
import { renderCommandsMarkdown, type CommandBenchResults, type IdleWindow } from './bench/commands-report.js';
import { cpuPercentages, snapshotCpu } from './bench/cpu-usage.js';
import { NODES_PER_GATEWAY, registerFleet } from './bench/fleet.js';
import { POLL_WAIT_SECONDS, PollingFleet } from './bench/polling-fleet.js';
import { residentMemoryMiB, startBenchService, stopAllProcesses } from './bench/processes.js';
import { claimPort } from './lib/ports.js';
import { routeTimingsBetween, scrapeMetrics } from './bench/route-timing.js';
import { round } from './bench/stats.js';

/**
 * `npm run bench:commands`: the command benchmark of the README. On the servers of DATABASE_URL
 * and REDIS_URL (scripts/stack.sh provides them) it
 *   1. starts one service process on a fresh database and Redis prefix and registers 10,000
 *      cluster gateways of 3 nodes through the real APIs (no heartbeats after the first: the
 *      interval is an hour, so they do not blur the figures);
 *   2. has 1,000 of them hold long polls and queues commands through the REST API at 10, 20 and
 *      40 commands/s (20 s each), each to a gateway holding a poll, and measures from the POST to
 *      the arrival of the poll answer carrying the command (p50, p99; target p99 ≤ 100 ms; the
 *      headline is the 20/s step);
 *   3. has all 10,000 hold long polls (the service's resident memory then), creates one bulk
 *      command to all of them with maxConcurrency 1,000, and measures from the POST until the
 *      bulk command shows every target ended (target ≤ 30 s), the gateways running each command
 *      as the fleet simulator does (ACKNOWLEDGED, RUNNING, SUCCEEDED).
 * It prints a Markdown summary for the README and writes it as JSON to bench-results/commands.json.
 * BENCH_GATEWAYS overrides the fleet size for a quick trial run (the latency part then uses at
 * most that many gateways).
 */

const COMMAND = 'npm run bench:commands';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RESULTS_FILE = join(ROOT, 'bench-results', 'commands.json');

const BENCH_DATABASE = 'gcp_bench_commands';
const GATEWAYS = Number(process.env.BENCH_GATEWAYS ?? 10_000);
if (!Number.isInteger(GATEWAYS) || GATEWAYS < 1) throw new Error('BENCH_GATEWAYS must be a positive integer');
const LATENCY_GATEWAYS = Math.min(1_000, GATEWAYS);
const REGISTRATION_CONCURRENCY = 50;
/** Long enough that no gateway heartbeats, or goes DISCONNECTED, during the run. */
const HEARTBEAT_INTERVAL_SECONDS = 3_600;
/** How long a simulated gateway "runs" each command, between RUNNING and SUCCEEDED. */
const COMMAND_DURATION_MS = 50;
/**
 * The latency part offers these rates in turn, 20 s each: the service's whole command path costs
 * enough CPU that the rate decides the queueing. The headline figure is the modest rate.
 */
const LATENCY_RATES = [10, 20, 40];
const HEADLINE_RATE = 20;
const LATENCY = {
  /** BENCH_LATENCY_SECONDS shortens each rate's step for a quick trial of the other parts. */
  seconds: positiveFromEnv('BENCH_LATENCY_SECONDS', 20),
  minPollAgeMs: 200,
  pollEndMarginMs: 2_000,
  drainMs: 10_000,
  command: { type: 'RESTART_APP', parameters: { app: 'vprobe' } },
};
const BULK = {
  maxConcurrency: 1_000,
  /** Runs to the end whatever fails, so that the figure covers every target; failures are counted. */
  maxErrors: '100%',
  command: { type: 'RUN_DISCOVERY', parameters: { profile: 'datacenter-1' } },
  viewIntervalMs: 250,
  timeoutMs: 20 * 60_000,
};
const PARTNER = { clientId: 'bench-partner', clientSecret: randomBytes(16).toString('hex') };

const startedAt = performance.now();
const log = (message: string) => console.error(`[bench ${round((performance.now() - startedAt) / 1000, 0)}s] ${message}`);

/** Undone last-in first-out, on success, errors and signals alike. */
const teardown: (() => unknown)[] = [];
let teardownDone: Promise<void> | null = null;
/** Runs once, however many paths (a signal and main's own ending) ask for it. */
function runTeardown(): Promise<void> {
  teardownDone ??= (async () => {
    for (let step = teardown.pop(); step; step = teardown.pop()) {
      await Promise.resolve()
        .then(step)
        .catch((error: unknown) => console.error('cleanup failed:', error));
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

/** Waits until the gateways have no command in progress (the parts must not overlap). */
async function drain(fleet: PollingFleet, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (fleet.commandsInFlight() > 0 && performance.now() < deadline) await sleep(100);
  if (fleet.commandsInFlight() > 0) log(`  ${fleet.commandsInFlight()} commands still in progress after ${timeoutMs / 1000} s`);
}

const IDLE_WINDOW_MS = 10_000;

/** What holding the polls alone costs: no command queued for IDLE_WINDOW_MS (each poll still ends and is renewed every 25 s). */
async function idleWindow(fleet: PollingFleet, servicePid: number): Promise<IdleWindow> {
  const polls = fleet.counters.pollsSent;
  const before = await snapshotCpu(servicePid);
  await sleep(IDLE_WINDOW_MS);
  const after = await snapshotCpu(servicePid);
  const seconds = (after.atMs - before.atMs) / 1000;
  return {
    pollsHeld: fleet.holding(),
    seconds: round(seconds),
    pollsPerSecond: round((fleet.counters.pollsSent - polls) / seconds),
    cpu: cpuPercentages(before, after),
  };
}

const describeIdle = (idle: IdleWindow) =>
  `${idle.pollsHeld} polls held, ${idle.pollsPerSecond} polls/s renewed: CPU % service ${Math.round(idle.cpu.target)}, Postgres ${Math.round(idle.cpu.postgres)}, ` +
  `Redis ${Math.round(idle.cpu.redis)}, benchmark ${Math.round(idle.cpu.generator)}, machine ${Math.round(idle.cpu.machine)}`;

/**
 * Every gateway's poll is a socket here and one in the service (which inherits this limit), and
 * command updates need more while polls are held: fail at once rather than after registration.
 */
async function checkOpenFileLimit(): Promise<void> {
  const limits = await readFile('/proc/self/limits', 'utf8').catch(() => '');
  const soft = /^Max open files\s+(\d+|unlimited)/m.exec(limits)?.[1];
  const needed = GATEWAYS + 3_000;
  if (soft !== undefined && soft !== 'unlimited' && Number(soft) < needed) {
    throw new Error(
      `${GATEWAYS} gateways need about ${needed} open files per process, the limit is ${soft}: raise it (ulimit -n ${needed}) or lower BENCH_GATEWAYS`,
    );
  }
}

async function main(): Promise<void> {
  await checkOpenFileLimit();
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
  const database = new pg.Pool({ connectionString: benchUrl, max: 1 });
  teardown.push(() => database.end());

  const port = await claimPort();
  log(`database ${BENCH_DATABASE}, Redis prefix ${redisPrefix}; starting the service`);
  const service = await startBenchService({
    port,
    databaseUrl: benchUrl,
    redisUrl,
    redisPrefix,
    partner: PARTNER,
    env: {
      DATABASE_POOL_SIZE: '20',
      HEARTBEAT_INTERVAL_SECONDS: String(HEARTBEAT_INTERVAL_SECONDS),
      HEARTBEAT_MISSED_LIMIT: '3',
      SHUTDOWN_GRACE_SECONDS: '2',
    },
  });
  const machine = await describeMachine(database, redisUrl);

  log(`registering ${GATEWAYS} cluster gateways of ${NODES_PER_GATEWAY} nodes, ${REGISTRATION_CONCURRENCY} at a time`);
  const registrationStartedAt = performance.now();
  const elapsedSeconds = () => (performance.now() - registrationStartedAt) / 1000;
  const clients = await registerFleet(service.baseUrl, PARTNER, {
    gateways: GATEWAYS,
    concurrency: REGISTRATION_CONCURRENCY,
    progressEvery: Math.max(1, Math.round(GATEWAYS / 10)),
    onProgress: (registered) => log(`  ${registered} registered (${round(registered / elapsedSeconds(), 0)}/s)`),
    tenantName: 'Command benchmark',
  });
  const registrationSeconds = elapsedSeconds();
  log(`registration took ${round(registrationSeconds)} s`);
  const afterRegistrationMiB = await residentMemoryMiB(service.pid);

  const api = await CommandApi.connect(service.baseUrl, port, PARTNER, tenantOf(clients[0]));
  teardown.push(() => api.close());
  const fleet = new PollingFleet(port, clients, COMMAND_DURATION_MS);
  teardown.push(() => fleet.stop());
  const spreadMs = POLL_WAIT_SECONDS * 1000;

  log(`${LATENCY_GATEWAYS} gateways start long polls, spread over ${POLL_WAIT_SECONDS} s`);
  fleet.start(0, LATENCY_GATEWAYS, spreadMs);
  await fleet.waitUntilHolding(0, LATENCY_GATEWAYS, spreadMs + 30_000);
  const latencyPollsMiB = await residentMemoryMiB(service.pid);
  const latencyIdle = await idleWindow(fleet, service.pid);
  log(`  idle: ${describeIdle(latencyIdle)}`);
  const metricsBeforeLatency = await scrapeMetrics(service.baseUrl);
  const latencySteps: LatencyResult[] = [];
  for (const ratePerSecond of LATENCY_RATES) {
    log(`latency: ${ratePerSecond} commands/s for ${LATENCY.seconds} s to the ${LATENCY_GATEWAYS} polling gateways`);
    const step = await measureDeliveryLatency(fleet, api, service.pid, {
      gateways: fleet.gateways.slice(0, LATENCY_GATEWAYS),
      ratePerSecond,
      ...LATENCY,
    });
    log(
      `  ${step.received} of ${step.queued} received (${step.lost} lost): p50 ${step.p50Ms} ms, p99 ${step.p99Ms} ms, max ${step.maxMs} ms; ` +
        `POST p50 ${step.queueAnswer.p50Ms} ms, p99 ${step.queueAnswer.p99Ms} ms; failed POSTs ${JSON.stringify(step.queueFailures)}; ` +
        `CPU % service ${Math.round(step.cpu.target)}, Postgres ${Math.round(step.cpu.postgres)}, machine ${Math.round(step.cpu.machine)}`,
    );
    latencySteps.push(step);
    await drain(fleet, 30_000);
    await sleep(2_000);
  }
  const latencyRoutes = routeTimingsBetween(metricsBeforeLatency, await scrapeMetrics(service.baseUrl));
  const afterLatency = await api.commandsByState();
  log(`  commands by state: ${JSON.stringify(afterLatency)}`);

  if (GATEWAYS > LATENCY_GATEWAYS) {
    log(`${GATEWAYS - LATENCY_GATEWAYS} more gateways start long polls, spread over ${POLL_WAIT_SECONDS} s`);
    fleet.start(LATENCY_GATEWAYS, GATEWAYS, spreadMs);
  }
  await fleet.waitUntilHolding(0, GATEWAYS, spreadMs + 60_000);
  await sleep(2_000);
  const allPollsMiB = await residentMemoryMiB(service.pid);
  log(`${fleet.holding()} long polls held; service VmRSS ${round(allPollsMiB, 0)} MiB`);
  const allIdle = await idleWindow(fleet, service.pid);
  log(`  idle: ${describeIdle(allIdle)}`);

  log(`bulk command to ${GATEWAYS} gateways, maxConcurrency ${BULK.maxConcurrency}`);
  const metricsBeforeBulk = await scrapeMetrics(service.baseUrl);
  const bulk = await measureBulkFanout(fleet, api, service.pid, {
    gatewayIds: fleet.gateways.map((gateway) => gateway.id),
    ...BULK,
    log,
  });
  log(
    `  ${bulk.finalState} after ${bulk.seconds ?? 'n/a'} s (${bulk.commandsPerSecond ?? 'n/a'} commands/s): ${JSON.stringify(bulk.counts)}`,
  );
  await drain(fleet, 30_000);
  const bulkRoutes = routeTimingsBetween(metricsBeforeBulk, await scrapeMetrics(service.baseUrl));
  const afterBulk = await api.commandsByState();
  const afterBulkMiB = await residentMemoryMiB(service.pid);
  fleet.stop();
  log(`  commands by state: ${JSON.stringify(afterBulk)}; gateway side: ${JSON.stringify(fleet.counters)}`);
  await service.stop();

  const results: CommandBenchResults = {
    finishedAt: new Date().toISOString(),
    command: COMMAND,
    machine,
    gateways: GATEWAYS,
    nodesPerGateway: NODES_PER_GATEWAY,
    registration: {
      seconds: round(registrationSeconds),
      gatewaysPerSecond: round(GATEWAYS / registrationSeconds),
      concurrency: REGISTRATION_CONCURRENCY,
    },
    fleet: {
      pollWaitSeconds: POLL_WAIT_SECONDS,
      commandDurationMs: COMMAND_DURATION_MS,
      heartbeatIntervalSeconds: HEARTBEAT_INTERVAL_SECONDS,
    },
    latency: { headlineRate: HEADLINE_RATE, steps: latencySteps },
    bulk,
    serviceMemoryMiB: {
      afterRegistration: round(afterRegistrationMiB),
      latencyPollsHeld: round(latencyPollsMiB),
      allPollsHeld: round(allPollsMiB),
      bulkPeak: bulk.serviceMemoryPeakMiB,
      afterBulk: round(afterBulkMiB),
    },
    idle: { latencyPolls: latencyIdle, allPolls: allIdle },
    commandsByState: { afterLatency, afterBulk },
    serverRoutes: { latency: latencyRoutes, bulk: bulkRoutes },
    gatewaySide: fleet.counters,
  };
  await mkdir(join(ROOT, 'bench-results'), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  console.log(renderCommandsMarkdown(results));
  log(`written to ${RESULTS_FILE}`);
}

main()
  .catch((error: unknown) => {
    // After a signal, main fails only because its servers were stopped under it.
    if (!interrupted) console.error('the benchmark failed:', error);
    process.exitCode = 1;
  })
  .finally(runTeardown);
