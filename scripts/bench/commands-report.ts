import type { Machine } from './bench-environment.js';
import type { BulkResult } from './bulk-fanout.js';
import type { LatencyResult } from './command-latency.js';
import type { PollingCounters } from './polling-fleet.js';
import type { RouteTiming } from './route-timing.js';
import { round } from './stats.js';

/** A quiet stretch with the polls held and no command queued. */
export interface IdleWindow {
  pollsHeld: number;
  seconds: number;
  /** Polls ended (after their 25 s) and sent again, per second. */
  pollsPerSecond: number;
  cpu: LatencyResult['cpu'];
}

/** Everything one run of the command benchmark measured; written as JSON and rendered as the README's Markdown. */
export interface CommandBenchResults {
  finishedAt: string;
  command: string;
  machine: Machine;
  gateways: number;
  nodesPerGateway: number;
  registration: { seconds: number; gatewaysPerSecond: number; concurrency: number };
  /** How the simulated gateways behave. */
  fleet: { pollWaitSeconds: number; commandDurationMs: number; heartbeatIntervalSeconds: number };
  /** One step per offered rate; the README's headline is the step at `headlineRate`. */
  latency: { headlineRate: number; steps: LatencyResult[] };
  bulk: BulkResult;
  serviceMemoryMiB: { afterRegistration: number; latencyPollsHeld: number; allPollsHeld: number; bulkPeak: number; afterBulk: number };
  /** Before the latency part (its polls held) and before the bulk part (every poll held). */
  idle: { latencyPolls: IdleWindow; allPolls: IdleWindow };
  /** The tenant's commands by state once each part had drained. */
  commandsByState: { afterLatency: Record<string, number>; afterBulk: Record<string, number> };
  /** The service's own request timings (its /metrics histogram) over each part, drain included. */
  serverRoutes: { latency: RouteTiming[]; bulk: RouteTiming[] };
  /** What the gateways saw over the whole run. */
  gatewaySide: PollingCounters;
}

export const LATENCY_P99_TARGET_MS = 100;
export const BULK_TARGET_SECONDS = 30;

const count = (value: number) => Math.round(value).toLocaleString('en-US');
const verdict = (met: boolean) => (met ? 'met' : '**not met**');
const listed = (counts: Record<string, number>) =>
  Object.keys(counts).length
    ? Object.entries(counts)
        .map(([key, value]) => `${key} ${count(value)}`)
        .join(', ')
    : 'none';
const cpu = (c: LatencyResult['cpu']) =>
  `service ${Math.round(c.target)}%, Postgres ${Math.round(c.postgres)}%, Redis ${Math.round(c.redis)}%, benchmark ${Math.round(c.generator)}%, machine ${Math.round(c.machine)}%`;

const stepMet = (step: LatencyResult) =>
  step.lost === 0 && step.received > 0 && step.received === step.queued && step.p99Ms <= LATENCY_P99_TARGET_MS;

function latencyTable(steps: LatencyResult[]): string[] {
  return [
    '| offered /s | queued | received | lost | p50 ms | p90 ms | p99 ms | max ms | POST p50 ms | POST p99 ms | failed POSTs | send lag p99 ms | CPU % service | Postgres | Redis | benchmark | machine | service CPU ms per command | p99 ≤ 100 ms |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...steps
      .map((s) =>
        [
          s.ratePerSecond,
          count(s.queued),
          count(s.received),
          s.lost,
          s.p50Ms,
          s.p90Ms,
          s.p99Ms,
          s.maxMs,
          s.queueAnswer.p50Ms,
          s.queueAnswer.p99Ms,
          listed(s.queueFailures),
          s.sendLagP99Ms,
          ...[s.cpu.target, s.cpu.postgres, s.cpu.redis, s.cpu.generator, s.cpu.machine].map((percent) => Math.round(percent)),
          s.queued ? round((10 * s.cpu.target * s.seconds) / s.queued, 1) : 'n/a',
          stepMet(s) ? 'yes' : '**no**',
        ].join(' | '),
      )
      .map((row) => `| ${row} |`),
  ];
}

function routeTable(routes: RouteTiming[]): string[] {
  return [
    '| request (method, route, status) | requests | mean ms | p99 ≤ ms |',
    '| --- | ---: | ---: | ---: |',
    ...routes.map((r) => `| \`${r.route}\` | ${count(r.count)} | ${r.meanMs} | ${r.p99AtMostMs ?? '> 30,000'} |`),
  ];
}

export function renderCommandsMarkdown(results: CommandBenchResults): string {
  const { machine, bulk, serviceMemoryMiB: memory } = results;
  const steps = results.latency.steps;
  const latency = steps.find((step) => step.ratePerSecond === results.latency.headlineRate) ?? steps[0];
  const latencyMet = stepMet(latency);
  const sustained = steps.filter(stepMet).map((step) => step.ratePerSecond);
  const bulkMet = bulk.seconds !== null && bulk.seconds <= BULK_TARGET_SECONDS && bulk.finalState === 'COMPLETED';
  const bulkResult =
    bulk.seconds === null
      ? `**not finished** within the time limit: ${listed(bulk.counts)}`
      : `**${bulk.seconds} s** end to end, ${count(bulk.commandsPerSecond ?? 0)} commands/s; ${bulk.finalState}: ${listed(bulk.counts)}`;
  return [
    `### Command benchmark (${results.finishedAt.slice(0, 10)})`,
    '',
    `Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB; Node ${machine.node}; ` +
      `PostgreSQL ${machine.postgres} (default settings: fsync ${machine.postgresFsync}, synchronous_commit ${machine.postgresSynchronousCommit}); Redis ${machine.redis}. ` +
      'One service process (ROLE=all, DATABASE_POOL_SIZE=20); Postgres, Redis and the benchmark (every simulated gateway, one Node process) on the same machine.',
    '',
    `Fleet: ${count(results.gateways)} cluster gateways of ${results.nodesPerGateway} nodes registered through the real APIs, each holding ` +
      `\`GET /gateway/v1/commands?waitSeconds=${results.fleet.pollWaitSeconds}\` (first polls spread over ${results.fleet.pollWaitSeconds} s) and polling again as soon as an answer arrives; ` +
      `each command received is run like the fleet simulator does: ACKNOWLEDGED, RUNNING 50%, ${results.fleet.commandDurationMs} ms, SUCCEEDED. ` +
      `No heartbeats during the run (interval ${results.fleet.heartbeatIntervalSeconds} s).`,
    '',
    '| Figure | Result | Target |',
    '| --- | --- | --- |',
    `| Queue → receipt by a gateway holding a long poll, ${count(latency.gateways)} gateways polling, ${latency.ratePerSecond} commands/s for ${latency.seconds} s | ` +
      `p50 **${latency.p50Ms} ms**, p99 **${latency.p99Ms} ms**, max ${latency.maxMs} ms (${count(latency.received)} received of ${count(latency.queued)} queued, ${latency.lost} lost) | ` +
      `p99 ≤ ${LATENCY_P99_TARGET_MS} ms: ${verdict(latencyMet)} |`,
    `| Offered rates (of ${steps.map((step) => step.ratePerSecond).join(', ')} commands/s) at which p99 ≤ ${LATENCY_P99_TARGET_MS} ms with nothing lost | ` +
      `${sustained.length ? sustained.map((rate) => `${rate}/s`).join(', ') : '**none**'} | |`,
    `| Bulk command to ${count(bulk.targets)} gateways, maxConcurrency ${count(bulk.maxConcurrency)}: POST → every target ended | ${bulkResult} | ` +
      `≤ ${BULK_TARGET_SECONDS} s: ${verdict(bulkMet)} |`,
    `| Service resident memory (VmRSS) | ${round(memory.allPollsHeld, 0)} MiB with ${count(results.gateways)} long polls held ` +
      `(${round(memory.afterRegistration, 0)} MiB after registration, ${round(memory.latencyPollsHeld, 0)} MiB with ${count(latency.gateways)} polls, ` +
      `peak ${round(memory.bulkPeak, 0)} MiB during the bulk command) | |`,
    ...[results.idle.latencyPolls, results.idle.allPolls].map(
      (idle) =>
        `| Holding ${count(idle.pollsHeld)} long polls with no command (${idle.pollsPerSecond} polls/s renewed), ${idle.seconds} s | CPU ${cpu(idle.cpu)} | |`,
    ),
    `| Registering the fleet (profile, activation token, register, first heartbeat; ${results.registration.concurrency} at a time) | ` +
      `${round(results.registration.seconds, 0)} s (${round(results.registration.gatewaysPerSecond, 0)} gateways/s) | |`,
    '',
    `Reproduce: \`${results.command}\` (\`BENCH_GATEWAYS=200 ${results.command}\` for a quick trial).`,
    '',
    '#### Details',
    '',
    `- Latency: each command goes to a gateway whose poll has been open at least 200 ms and has more than 2 s to run, with no command of its own in progress. ` +
      `The time runs from just before the POST is written to the arrival of the poll answer carrying the command (same process, performance.now()); ` +
      `it includes the POST's own time (shown apart below). Send lag: how late the benchmark sent POSTs behind their schedule.`,
    `- Bulk: \`maxErrors\` ${bulk.maxErrors}. The POST (targets stored, the first ${count(Math.min(bulk.maxConcurrency, bulk.targets))} commands queued) answered in ${bulk.createSeconds} s; ` +
      `the first gateway had its command ${bulk.firstReceiptSeconds ?? 'n/a'} s after the POST. ` +
      `The bulk view was read every 250 ms (${bulk.views} reads); at most ${count(bulk.peakActive)} targets were seen running at once. ` +
      `CPU over the run: ${cpu(bulk.cpu)}` +
      (bulk.seconds ? `; service CPU ${round((10 * bulk.cpu.target * bulk.seconds) / bulk.targets, 1)} ms per command.` : '.') +
      ` The gateways had the last SUCCEEDED answered ${bulk.lastSucceededSeconds ?? 'n/a'} s after the POST (a lower bound of the end to end time; the figure above is read from the bulk view, ` +
      'so it is late by at most one read of the view).',
    `- Commands by state afterwards: latency part ${listed(results.commandsByState.afterLatency)}; after the bulk command ${listed(results.commandsByState.afterBulk)}.`,
    `- Gateway side over the whole run: ${count(results.gatewaySide.pollsSent)} polls, ${count(results.gatewaySide.commandsReceived)} commands received, ` +
      `${results.gatewaySide.redelivered} handed out again, ${count(results.gatewaySide.commandsSucceeded)} SUCCEEDED, ${results.gatewaySide.commandsAbandoned} given up; ` +
      `failed requests: ${listed(results.gatewaySide.errors)}.`,
    '',
    '#### Latency steps',
    '',
    ...latencyTable(steps),
    '',
    '#### Requests as the service timed them (its /metrics histogram; p99 is the histogram bucket it falls in)',
    '',
    'Latency part (all steps, sending and draining):',
    '',
    ...routeTable(results.serverRoutes.latency),
    '',
    'Bulk part:',
    '',
    ...routeTable(results.serverRoutes.bulk),
    '',
    `CPU figures are percent of one core (machine: all its cores, so at most ${machine.cpus * 100}); Postgres counts every process of the server, so other clients of it show up there too. ` +
      "Service CPU ms per command: the service's CPU time over a step (or the bulk run) divided by the commands queued in it, polls and background work included.",
  ].join('\n');
}
