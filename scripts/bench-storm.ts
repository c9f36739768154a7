import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { GatewaySession } from '@gateway-control-plane/agent';
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
import { burst, describeBurst, type BurstResult } from './bench/closed-loop.js';
import { ALLOWED_DELAY_SECONDS, measureDisconnectTiming, type DisconnectTiming } from './bench/disconnect-timing.js';
import { heartbeatRequests, NODES_PER_GATEWAY, registerFleet } from './bench/fleet.js';
import { PostgresStatements, serverCpuMs, type StatementStat } from './bench/postgres-statements.js';
import { residentMemoryMiB, startBenchService, stopAllProcesses, type BenchProcess } from './bench/processes.js';
import { round } from './bench/stats.js';

/**
 * `npm run bench:storm` (issue 14): reconnect storms.
 *   1. Registers BENCH_GATEWAYS (default 10,000) 3-node cluster gateways through the real APIs and
 *      CONNECTs each; every gateway then heartbeats once, BENCH_STORM_CONCURRENCY (default 100) at
 *      a time (closed loop): the steady rate of these gateways.
 *   2. The falling-silent storm: the service restarts with a 10 s silence limit, every gateway
 *      heartbeats once and falls silent: how long after its last heartbeat each is recorded
 *      DISCONNECTED (target: within limit + 2 s).
 *   3. The reconnect storm: the service restarts with the long limit (a control-plane outage longer
 *      than the liveness limit) and every DISCONNECTED gateway heartbeats at once, as in 1. Checks:
 *      no failed heartbeat, every gateway CONNECTED in Postgres, exactly one audited
 *      DISCONNECTED → CONNECTED transition per gateway. Then the steady round again.
 *   4. The same after a site power cut: 2 and 3 again with every gateway on a new boot.
 * Prints the figures and writes bench-results/storm.json. Targets: storm rate ≥ 0.5× the steady
 * rate of the same run, storm p99 ≤ 250 ms.
 */

const COMMAND = 'npm run bench:storm';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RESULTS_FILE = join(ROOT, 'bench-results', 'storm.json');
const BENCH_DATABASE = 'gcp_bench_storm';
const GATEWAYS = positiveFromEnv('BENCH_GATEWAYS', 10_000);
const CONCURRENCY = positiveFromEnv('BENCH_STORM_CONCURRENCY', 100);
const REGISTRATION_CONCURRENCY = positiveFromEnv('BENCH_REGISTRATION_CONCURRENCY', 50);
/**
 * Gateways that never fall silent: after each restart their heartbeats warm the service (JIT,
 * connections) before a storm, so the storm is compared warm with warm.
 */
const WARM_GATEWAYS = positiveFromEnv('BENCH_WARM_GATEWAYS', 500);
const LONG = { HEARTBEAT_INTERVAL_SECONDS: '600', HEARTBEAT_MISSED_LIMIT: '3' };
const SILENCE = { intervalSeconds: 5, missedLimit: 2 };
const SHORT = { HEARTBEAT_INTERVAL_SECONDS: String(SILENCE.intervalSeconds), HEARTBEAT_MISSED_LIMIT: String(SILENCE.missedLimit) };
const PARTNER = { clientId: 'bench-partner', clientSecret: randomBytes(16).toString('hex') };
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 250;

const run = new BenchRun(COMMAND);
const log = run.log;

interface StormCheck {
  connectedInPostgres: number;
  /** Audited DISCONNECTED → CONNECTED transitions since the storm began, in all and of distinct gateways. */
  auditedTransitions: number;
  gatewaysWithTransition: number;
  /** Gateways whose Postgres row holds the boot of the storm's heartbeats. */
  onStormBoot: number;
  exactlyOnce: boolean;
}

/**
 * CPU per heartbeat of a round (ms): the service's, and this Postgres server's only (its postmaster
 * and backends; the `postgres` CPU % of a burst counts every Postgres process on the machine).
 */
interface RoundCost {
  serviceCpuMsPerHeartbeat: number;
  postgresCpuMsPerHeartbeat: number | null;
  /** With pg_stat_statements loaded (GCP_PG_STAT_STATEMENTS=1): the round's top statements. */
  statements?: StatementStat[];
}

interface StormResult {
  storm: BurstResult;
  stormCost: RoundCost;
  steadyAfter: BurstResult;
  steadyAfterCost: RoundCost;
  check: StormCheck;
  ratio: number;
  met: boolean;
}

function heartbeatCalls(fleet: GatewaySession[]): (index: number) => { method: 'POST'; path: string; authorization: string; body: string } {
  const next = heartbeatRequests(fleet);
  return () => ({ method: 'POST', path: '/gateway/v1/heartbeat', ...next() });
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
  const postgres = await PostgresStatements.open(database);
  if (postgres.statementsTracked) log("pg_stat_statements loaded: each round's top statements go to the results file");
  const port = await claimPort();
  const start = (timing: Record<string, string>): Promise<BenchProcess> =>
    startBenchService({
      port,
      databaseUrl: benchUrl,
      redisUrl,
      redisPrefix,
      partner: PARTNER,
      env: { DATABASE_POOL_SIZE: '20', SHUTDOWN_GRACE_SECONDS: '2', ...timing },
    });

  log(`database ${BENCH_DATABASE}, Redis prefix ${redisPrefix}; starting the service`);
  let service = await start(LONG);
  const machine = await describeMachine(database, redisUrl);
  log(`registering ${GATEWAYS} + ${WARM_GATEWAYS} cluster gateways of ${NODES_PER_GATEWAY} nodes, ${REGISTRATION_CONCURRENCY} at a time`);
  const registrationStartedAt = performance.now();
  const registered = await registerFleet(service.baseUrl, PARTNER, {
    gateways: GATEWAYS + WARM_GATEWAYS,
    concurrency: REGISTRATION_CONCURRENCY,
    progressEvery: Math.max(1, Math.round(GATEWAYS / 10)),
    tenantName: 'Storm benchmark',
    onProgress: (registered) =>
      log(`  ${registered} registered and CONNECTED (${round(registered / ((performance.now() - registrationStartedAt) / 1000), 0)}/s)`),
  });
  const registrationSeconds = (performance.now() - registrationStartedAt) / 1000;
  const fleet = registered.slice(0, GATEWAYS);
  const warm = registered.slice(GATEWAYS);
  const fleetIds = fleet.map((gateway) => gateway.gatewayId!);
  /** Three heartbeats of each warm-up gateway (they stay CONNECTED throughout: no transition). */
  const warmUp = async () => {
    const result = await burst({
      port: service.port,
      pid: service.pid,
      concurrency: CONCURRENCY,
      count: 3 * warm.length,
      next: heartbeatCalls(warm),
    });
    log(`  warm-up: ${describeBurst(result)}`);
  };

  const costs = new Map<BurstResult, RoundCost>();
  const round_ = (what: string) => async (): Promise<BurstResult> => {
    await postgres.reset();
    const postgresBefore = await postgres.serverTicks();
    const result = await burst({
      port: service.port,
      pid: service.pid,
      concurrency: CONCURRENCY,
      count: fleet.length,
      next: heartbeatCalls(fleet),
      onFailure: (status, text) => log(`  ${what}: failed heartbeat ${status} ${text}`),
    });
    const postgresMs = serverCpuMs(postgresBefore, await postgres.serverTicks());
    const cost: RoundCost = {
      serviceCpuMsPerHeartbeat: round((result.cpu.target * 10 * result.seconds) / result.requests, 3),
      postgresCpuMsPerHeartbeat: postgresMs === null ? null : round(postgresMs / result.requests, 3),
      ...(postgres.statementsTracked ? { statements: await postgres.statements(12) } : {}),
    };
    costs.set(result, cost);
    log(
      `  ${what}: ${describeBurst(result)}; CPU ms per heartbeat: service ${cost.serviceCpuMsPerHeartbeat}, ` +
        `this Postgres ${cost.postgresCpuMsPerHeartbeat ?? 'unknown'}`,
    );
    return result;
  };

  log('steady: every (connected) gateway heartbeats once, twice');
  await round_('steady warm-up')();
  const steadyBefore = await round_('steady')();

  const disconnectAll = async (what: string): Promise<DisconnectTiming> => {
    await service.stop();
    log(
      `${what}: restarting with a ${SILENCE.intervalSeconds * SILENCE.missedLimit} s silence limit; every gateway heartbeats once, then falls silent`,
    );
    service = await start(SHORT);
    const timing = await measureDisconnectTiming(database, fleet, SILENCE.intervalSeconds * SILENCE.missedLimit);
    log(
      `  DISCONNECTED after the last heartbeat: p50 ${timing.p50Seconds} s, p99 ${timing.p99Seconds} s, max ${timing.maxSeconds} s; ` +
        `${timing.overLimit} over limit + ${ALLOWED_DELAY_SECONDS} s (burst took ${timing.burstMs} ms)`,
    );
    const { rows } = await database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM gateways WHERE status = 'DISCONNECTED' AND id = ANY($1::uuid[])`,
      [fleetIds],
    );
    if (rows[0].n !== fleet.length) throw new Error(`${rows[0].n} of ${fleet.length} gateways DISCONNECTED in Postgres`);
    await service.stop();
    log('restarting with the long limit (the outage is over)');
    service = await start(LONG);
    await warmUp();
    return timing;
  };

  const storm = async (what: string): Promise<StormResult> => {
    const since = new Date();
    const result = await round_(what)();
    // Every transition was written before its heartbeat was answered; the audit rows are committed.
    const [connected, audited, boots] = await Promise.all([
      database.query<{ n: number }>(`SELECT count(*)::int AS n FROM gateways WHERE status = 'CONNECTED' AND id = ANY($1::uuid[])`, [
        fleetIds,
      ]),
      database.query<{ n: number; gateways: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT target_id)::int AS gateways FROM audit_events
         WHERE action = 'gateway.status_changed' AND before->>'status' = 'DISCONNECTED' AND after->>'status' = 'CONNECTED' AND created_at >= $1
           AND target_id = ANY($2::uuid[])`,
        [since, fleetIds],
      ),
      database.query<{ n: number }>(`SELECT count(*)::int AS n FROM gateways WHERE boot_id = ANY($1::text[])`, [
        fleet.map((g) => g.bootId),
      ]),
    ]);
    const check: StormCheck = {
      connectedInPostgres: connected.rows[0].n,
      auditedTransitions: audited.rows[0].n,
      gatewaysWithTransition: audited.rows[0].gateways,
      onStormBoot: boots.rows[0].n,
      exactlyOnce: audited.rows[0].n === fleet.length && audited.rows[0].gateways === fleet.length,
    };
    log(`  check: ${JSON.stringify(check)}`);
    const steadyAfter = await round_(`steady after ${what}`)();
    const ratio = round(result.ratePerSecond / steadyAfter.ratePerSecond, 2);
    return {
      storm: result,
      stormCost: costs.get(result)!,
      steadyAfter,
      steadyAfterCost: costs.get(steadyAfter)!,
      check,
      ratio,
      met:
        ratio >= TARGET_RATIO &&
        result.p99Ms <= TARGET_P99_MS &&
        result.failed === 0 &&
        check.exactlyOnce &&
        check.connectedInPostgres === fleet.length,
    };
  };

  const silence = await disconnectAll('falling-silent storm');
  log('reconnect storm: every DISCONNECTED gateway heartbeats at once');
  const reconnect = await storm('reconnect storm');

  const silenceAgain = await disconnectAll('falling-silent storm, again');
  log('reconnect storm after a power cut: every gateway on a new boot');
  for (const gateway of fleet) gateway.restart(0);
  const powerCut = await storm('reconnect storm, new boots');
  const rssMiB = round(await residentMemoryMiB(service.pid));
  await service.stop();

  const results = {
    finishedAt: new Date().toISOString(),
    command: COMMAND,
    machine,
    gateways: GATEWAYS,
    nodesPerGateway: NODES_PER_GATEWAY,
    concurrency: CONCURRENCY,
    warmUpGateways: WARM_GATEWAYS,
    registration: { seconds: round(registrationSeconds), gatewaysPerSecond: round((GATEWAYS + WARM_GATEWAYS) / registrationSeconds) },
    steadyBefore,
    steadyBeforeCost: costs.get(steadyBefore),
    reconnect,
    powerCut,
    fallingSilent: [silence, silenceAgain],
    serviceRssMiB: rssMiB,
    targets: {
      ratio: TARGET_RATIO,
      p99Ms: TARGET_P99_MS,
      disconnectWithinSeconds: SILENCE.intervalSeconds * SILENCE.missedLimit + ALLOWED_DELAY_SECONDS,
    },
  };
  await mkdir(join(ROOT, 'bench-results'), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  const row = (name: string, r: StormResult) =>
    `| ${name} | ${r.storm.ratePerSecond}/s, p50 ${r.storm.p50Ms} ms, p99 ${r.storm.p99Ms} ms, ${r.storm.failed} failed | ` +
    `${r.steadyAfter.ratePerSecond}/s, p99 ${r.steadyAfter.p99Ms} ms | ${r.ratio}× | ${r.check.auditedTransitions} audited for ${r.check.gatewaysWithTransition} gateways | ${r.met ? 'met' : '**not met**'} |`;
  console.log(
    [
      `**Reconnect storms** (\`${COMMAND}\`, ${GATEWAYS} gateways of ${NODES_PER_GATEWAY} nodes, ${CONCURRENCY} heartbeats in flight)`,
      '',
      '| storm | storm rate | steady rate, same gateways | ratio | transitions | target (≥ 0.5×, p99 ≤ 250 ms, exactly once) |',
      '| --- | --- | --- | --- | --- | --- |',
      row('DISCONNECTED → CONNECTED', reconnect),
      row('the same, every gateway on a new boot', powerCut),
      '',
      ...(
        [
          ['DISCONNECTED → CONNECTED', reconnect],
          ['new boots', powerCut],
        ] as const
      ).map(
        ([name, r]) =>
          `CPU ms per heartbeat, ${name}: storm service ${r.stormCost.serviceCpuMsPerHeartbeat}, ` +
          `Postgres ${r.stormCost.postgresCpuMsPerHeartbeat ?? 'unknown'}; the steady round after it service ` +
          `${r.steadyAfterCost.serviceCpuMsPerHeartbeat}, Postgres ${r.steadyAfterCost.postgresCpuMsPerHeartbeat ?? 'unknown'}.`,
      ),
      '',
      ...[silence, silenceAgain].map(
        (t, i) =>
          `Falling silent together (${i ? 'second' : 'first'} time, ${t.gateways} gateways, limit ${t.silenceLimitSeconds} s): p50 ${t.p50Seconds} s, ` +
          `p99 ${t.p99Seconds} s, max ${t.maxSeconds} s, ${t.overLimit} later than limit + ${ALLOWED_DELAY_SECONDS} s.`,
      ),
      '',
      `Registration: ${round((GATEWAYS + WARM_GATEWAYS) / registrationSeconds)} gateways/s (profile, token, register, first heartbeat; ${REGISTRATION_CONCURRENCY} at a time). Service RSS at the end: ${rssMiB} MiB.`,
    ].join('\n'),
  );
  log(`written to ${RESULTS_FILE}`);
});
