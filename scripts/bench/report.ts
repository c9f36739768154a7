import type { Machine } from './bench-environment.js';
import { ALLOWED_DELAY_SECONDS, type DisconnectTiming } from './disconnect-timing.js';
import { P99_LIMIT_MS, type StepResult } from './open-loop-load.js';
import { round } from './stats.js';

/** Everything one run measured; written as JSON and rendered as the README's Markdown. */
export interface BenchResults {
  finishedAt: string;
  command: string;
  machine: Machine;
  gateways: number;
  nodesPerGateway: number;
  loadGenerator: string;
  registration: { seconds: number; gatewaysPerSecond: number; concurrency: number };
  service: { best: StepResult | null; steps: StepResult[] };
  naive: { best: StepResult | null; steps: StepResult[] };
  /** The service's best rate over the naive ceiling's (target ≥ 2). */
  serviceOverNaive: number | null;
  serviceMemoryMiB: { afterRegistration: number; afterLoad: number };
  disconnect: DisconnectTiming;
}

export const TARGET_RATIO = 2;

const count = (value: number) => Math.round(value).toLocaleString('en-US');
const verdict = (met: boolean) => (met ? 'met' : '**not met**');

function best(step: StepResult | null): string {
  if (step === null) return 'none: the first step already failed';
  return `**${count(step.achievedRate)}/s** (offered ${count(step.offeredRate)}/s; p50 ${step.p50Ms} ms, p99 ${step.p99Ms} ms, ${step.failed} failed)`;
}

function stepTable(steps: StepResult[]): string[] {
  return [
    '| offered /s | achieved /s | p50 ms | p99 ms | max ms | failed | send lag p99 ms | CPU % target | Postgres | Redis | generator | machine | target CPU ms per request | verdict |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...steps
      .map((s) =>
        [
          count(s.offeredRate),
          count(s.achievedRate),
          s.p50Ms,
          s.p99Ms,
          s.maxMs,
          s.failed,
          s.sendLagP99Ms,
          ...[s.cpu.target, s.cpu.postgres, s.cpu.redis, s.cpu.generator, s.cpu.machine].map((percent) => Math.round(percent)),
          round((10 * s.cpu.target) / s.achievedRate, 2),
          s.failure ?? 'sustained',
        ].join(' | '),
      )
      .map((row) => `| ${row} |`),
  ];
}

export function renderMarkdown(results: BenchResults): string {
  const { machine, disconnect } = results;
  const allowed = disconnect.silenceLimitSeconds + ALLOWED_DELAY_SECONDS;
  const ratio = results.serviceOverNaive;
  return [
    `### Heartbeat benchmark (${results.finishedAt.slice(0, 10)})`,
    '',
    `Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB; Node ${machine.node}; ` +
      `PostgreSQL ${machine.postgres} (default settings: fsync ${machine.postgresFsync}, synchronous_commit ${machine.postgresSynchronousCommit}); Redis ${machine.redis}. ` +
      'One service process (ROLE=all, DATABASE_POOL_SIZE=20); Postgres, Redis and the load generator on the same machine.',
    '',
    `Load generator: ${results.loadGenerator}`,
    '',
    '| Figure | Result | Target |',
    '| --- | --- | --- |',
    `| Sustained heartbeats/s at p99 ≤ ${P99_LIMIT_MS} ms, ${count(results.gateways)} cluster gateways × ${results.nodesPerGateway} nodes | ${best(results.service.best)} | ≥ ${TARGET_RATIO}× naive |`,
    `| Naive ceiling: bare node:http, one single-row Postgres UPDATE per request | ${best(results.naive.best)} | |`,
    `| Service ÷ naive | ${ratio === null ? 'n/a' : `**${ratio}×**`} | ≥ ${TARGET_RATIO}×: ${verdict(ratio !== null && ratio >= TARGET_RATIO)} |`,
    `| ${count(disconnect.gateways)} gateways fall silent together: last heartbeat → DISCONNECTED (limit ${disconnect.silenceLimitSeconds} s) | ` +
      `p50 ${disconnect.p50Seconds} s, p99 ${disconnect.p99Seconds} s, max ${disconnect.maxSeconds} s (min ${disconnect.minSeconds} s); ` +
      `${disconnect.overLimit} later than ${allowed} s${disconnect.neverDisconnected ? ` (${disconnect.neverDisconnected} never)` : ''} | ` +
      `all ≤ ${allowed} s: ${verdict(disconnect.overLimit === 0)} |`,
    `| Service resident memory (VmRSS) at ${count(results.gateways)} gateways | ${round(results.serviceMemoryMiB.afterRegistration, 0)} MiB after registration, ` +
      `${round(results.serviceMemoryMiB.afterLoad, 0)} MiB after the load steps | |`,
    `| Registering the fleet (profile, activation token, register, first heartbeat; ${results.registration.concurrency} at a time) | ` +
      `${round(results.registration.seconds, 0)} s (${round(results.registration.gatewaysPerSecond, 0)} gateways/s) | |`,
    '',
    `Reproduce: \`${results.command}\``,
    '',
    '#### Load steps: service',
    '',
    ...stepTable(results.service.steps),
    '',
    '#### Load steps: naive ceiling',
    '',
    ...stepTable(results.naive.steps),
    '',
    `CPU columns are percent of one core over the measured window (machine: all ${machine.cpus} cores, so at most ${machine.cpus * 100}); ` +
      'Postgres counts every process of the server, so other clients of it show up there too. ' +
      "CPU ms per request is the target's CPU time over the requests it answered (background work included). " +
      `The disconnect delays run from when each last heartbeat's answer arrived; the service received it up to one request latency earlier ` +
      `(the ${count(disconnect.gateways)} heartbeats took ${round(disconnect.burstMs / 1000)} s), which is why the minimum can be a little under the limit.`,
  ].join('\n');
}
