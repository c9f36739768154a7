import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { call } from '@gateway-control-plane/agent';
import pg from 'pg';
import { healthySession } from './lib/nodes.js';
import {
  databaseUrl,
  deleteRedisKeys,
  describeMachine,
  dropDatabase,
  positiveFromEnv,
  recreateDatabase,
} from './bench/bench-environment.js';
import { BenchRun } from './bench/bench-run.js';
import { cpuPercentages, snapshotCpu, type CpuPercentages } from './bench/cpu-usage.js';
import { PostgresStatements, serverCpuMs, type FunctionStat, type StatementStat } from './bench/postgres-statements.js';
import { clientTenantAdmin, forEachConcurrently, NODES_PER_GATEWAY, nodesOf } from './bench/fleet.js';
import { residentMemoryMiB, startBenchService, stopAllProcesses } from './bench/processes.js';
import { quantile, round } from './bench/stats.js';

/**
 * `npm run bench:register` (issue 14, target ≥ 300 gateways/s): a site onboarding. One service
 * process; for each concurrency of BENCH_REGISTER_CONCURRENCY (default 10,50,100), BENCH_GATEWAYS
 * (default 2,000) profiles and activation tokens are made first (not timed), then that many 3-node
 * cluster gateways of one tenant register at once through POST /gateway/v1/register, that many in
 * flight (closed loop): gateways/s, latency, and the service's CPU per registration. The tenant is
 * the same for every step, so its quota check (at commit) sees every registration before it.
 * Writes bench-results/register.json.
 */

const COMMAND = 'npm run bench:register';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RESULTS_FILE = join(ROOT, 'bench-results', 'register.json');
const BENCH_DATABASE = 'gcp_bench_register';
const GATEWAYS = positiveFromEnv('BENCH_GATEWAYS', 2_000);
const CONCURRENCIES = (process.env.BENCH_REGISTER_CONCURRENCY ?? '10,50,100').split(',').map((value) => {
  const concurrency = Number(value);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('BENCH_REGISTER_CONCURRENCY: positive integers, comma-separated');
  return concurrency;
});
const PROVISIONING_CONCURRENCY = 50;
const PARTNER = { clientId: 'bench-partner', clientSecret: randomBytes(16).toString('hex') };

interface Step {
  concurrency: number;
  gateways: number;
  seconds: number;
  gatewaysPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Service CPU (user + system) per registration. */
  serviceCpuMs: number;
  /** CPU of the benchmark's Postgres server (its processes only) per registration; null when unknown. */
  postgresCpuMs: number | null;
  cpu: CpuPercentages;
  serviceRssMiB: number;
  /** With pg_stat_statements loaded (GCP_PG_STAT_STATEMENTS=1): the step's statements and trigger functions. */
  statements?: StatementStat[];
  functions?: FunctionStat[];
}

const run = new BenchRun(COMMAND);
const log = run.log;

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
  const database = new pg.Pool({ connectionString: benchUrl, max: 1 });
  run.onTeardown(() => database.end());

  log(`database ${BENCH_DATABASE}, Redis prefix ${redisPrefix}; starting the service`);
  const service = await startBenchService({
    databaseUrl: benchUrl,
    redisUrl,
    redisPrefix,
    partner: PARTNER,
    env: { DATABASE_POOL_SIZE: '20', SHUTDOWN_GRACE_SECONDS: '2' },
  });
  const machine = await describeMachine(database, redisUrl);
  const postgres = await PostgresStatements.open(database);
  if (postgres.statementsTracked) log('pg_stat_statements loaded: per-statement figures for each step in the results file');
  const admin = await clientTenantAdmin(service.baseUrl, PARTNER, 'Registration benchmark');
  const auth = { authorization: `Bearer ${admin.token}` };
  const profiles = `/api/v1/tenants/${admin.tenantId}/management-profiles`;
  const steps: Step[] = [];
  let offset = 0;

  for (const concurrency of CONCURRENCIES) {
    log(`${GATEWAYS} profiles and activation tokens (not timed)`);
    const tokens: string[] = new Array(GATEWAYS);
    await forEachConcurrently(GATEWAYS, PROVISIONING_CONCURRENCY, async (index) => {
      const profile = await call(service.baseUrl, 'POST', profiles, { name: `site-gateway-${offset + index}` }, auth);
      if (profile.status !== 201) throw new Error(`create profile: HTTP ${profile.status} ${JSON.stringify(profile.body)}`);
      const minted = await call(service.baseUrl, 'POST', `${profiles}/${profile.body.id as string}/activation-tokens`, {}, auth);
      if (minted.status !== 201) throw new Error(`mint token: HTTP ${minted.status} ${JSON.stringify(minted.body)}`);
      tokens[index] = minted.body.token as string;
    });
    log(`${GATEWAYS} registrations, ${concurrency} in flight`);
    const latencies: number[] = [];
    await postgres.reset();
    const postgresBefore = await postgres.serverTicks();
    const cpuBefore = await snapshotCpu(service.pid);
    const startedAt = performance.now();
    await forEachConcurrently(GATEWAYS, concurrency, async (index) => {
      const gateway = healthySession(service.baseUrl, 'CLUSTER', nodesOf(offset + index), { name: `site-gateway-${offset + index}` });
      const sentAt = performance.now();
      const answer = await gateway.register(tokens[index]);
      latencies.push(performance.now() - sentAt);
      if (answer.status !== 201) throw new Error(`register: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
    });
    const seconds = (performance.now() - startedAt) / 1000;
    const cpu = cpuPercentages(cpuBefore, await snapshotCpu(service.pid));
    const postgresMs = serverCpuMs(postgresBefore, await postgres.serverTicks());
    latencies.sort((a, b) => a - b);
    const step: Step = {
      concurrency,
      gateways: GATEWAYS,
      seconds: round(seconds, 2),
      gatewaysPerSecond: round(GATEWAYS / seconds),
      p50Ms: round(quantile(latencies, 0.5)),
      p99Ms: round(quantile(latencies, 0.99)),
      serviceCpuMs: round(((cpu.target / 100) * seconds * 1000) / GATEWAYS, 2),
      postgresCpuMs: postgresMs === null ? null : round(postgresMs / GATEWAYS, 2),
      cpu,
      serviceRssMiB: round(await residentMemoryMiB(service.pid)),
      ...(postgres.statementsTracked ? { statements: await postgres.statements(), functions: await postgres.functions() } : {}),
    };
    log(
      `  ${step.gatewaysPerSecond} gateways/s (${concurrency} in flight): p50 ${step.p50Ms} ms, p99 ${step.p99Ms} ms; ` +
        `service CPU ${step.serviceCpuMs} ms per registration, Postgres CPU ${step.postgresCpuMs ?? '?'} ms; CPU % service ${Math.round(cpu.target)}, Postgres ${Math.round(cpu.postgres)}, ` +
        `Redis ${Math.round(cpu.redis)}, benchmark ${Math.round(cpu.generator)}, machine ${Math.round(cpu.machine)}`,
    );
    steps.push(step);
    offset += GATEWAYS;
  }
  await service.stop();

  const results = {
    finishedAt: new Date().toISOString(),
    command: COMMAND,
    machine,
    nodesPerGateway: NODES_PER_GATEWAY,
    steps,
    target: { gatewaysPerSecond: 300 },
  };
  await mkdir(join(ROOT, 'bench-results'), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  console.log(
    [
      `**Registration** (\`${COMMAND}\`: ${GATEWAYS} 3-node cluster gateways of one tenant per step, closed loop; target ≥ 300/s)`,
      '',
      '| in flight | gateways/s | p50 | p99 | service CPU per registration | Postgres CPU per registration | CPU % service / Postgres / Redis / machine |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...steps.map(
        (s) =>
          `| ${s.concurrency} | ${s.gatewaysPerSecond} | ${s.p50Ms} ms | ${s.p99Ms} ms | ${s.serviceCpuMs} ms | ${s.postgresCpuMs ?? '?'} ms | ` +
          `${Math.round(s.cpu.target)} / ${Math.round(s.cpu.postgres)} / ${Math.round(s.cpu.redis)} / ${Math.round(s.cpu.machine)} |`,
      ),
    ].join('\n'),
  );
  log(`written to ${RESULTS_FILE}`);
});
