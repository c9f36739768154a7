import { setTimeout as sleep } from 'node:timers/promises';
import { countsOf, type BulkView, type CommandApi } from './command-api.js';
import { cpuPercentages, snapshotCpu, type CpuPercentages } from './cpu-usage.js';
import type { PollingFleet } from './polling-fleet.js';
import { residentMemoryMiB } from './processes.js';
import { round } from './stats.js';

/**
 * Bulk fan-out: one bulk command to every gateway of the fleet (all holding long polls and running
 * what they receive), timed from just before its POST is written to the arrival of the first
 * `GET …/bulk-commands/{id}` answer, polled every 250 ms, that shows every target ended.
 */

export interface BulkSpec {
  gatewayIds: string[];
  maxConcurrency: number;
  maxErrors: string;
  command: { type: string; parameters?: Record<string, unknown> };
  viewIntervalMs: number;
  timeoutMs: number;
  log: (message: string) => void;
}

export interface BulkResult {
  targets: number;
  maxConcurrency: number;
  maxErrors: string;
  /** From the POST to the bulk view showing every target ended; null when it did not within the time limit. */
  seconds: number | null;
  /** Targets ended per second over `seconds`. */
  commandsPerSecond: number | null;
  /** How long the POST (which stores the targets and starts the first maxConcurrency) took to answer. */
  createSeconds: number;
  /**
   * From the POST to the last SUCCEEDED update answered at the gateways: a lower bound of the end
   * to end time, where `seconds` (read from the bulk view) is an upper bound, late by at most
   * one read of the view.
   */
  lastSucceededSeconds: number | null;
  /** From the POST to the first command received by a gateway. */
  firstReceiptSeconds: number | null;
  finalState: BulkView['state'];
  stopReason: string | null;
  /** Targets by state in the last bulk view. */
  counts: Record<string, number>;
  /** The most targets seen running at once (QUEUED to RUNNING) in the bulk views: at most maxConcurrency. */
  peakActive: number;
  /** Bulk views read while it ran. */
  views: number;
  serviceMemoryPeakMiB: number;
  cpu: CpuPercentages;
}

const ENDED = new Set(['SUCCEEDED', 'FAILED', 'EXPIRED', 'TIMED_OUT', 'CANCELLED', 'ABORTED']);
const ACTIVE = new Set(['QUEUED', 'DELIVERED', 'ACKNOWLEDGED', 'RUNNING']);

const sum = (counts: Record<string, number>, states: Set<string>) =>
  Object.entries(counts).reduce((total, [state, count]) => total + (states.has(state) ? count : 0), 0);

export async function measureBulkFanout(fleet: PollingFleet, api: CommandApi, servicePid: number, spec: BulkSpec): Promise<BulkResult> {
  let firstReceiptAtMs: number | null = null;
  fleet.onReceipt = ({ atMs }) => {
    firstReceiptAtMs ??= atMs;
  };
  const succeededBefore = fleet.lastSucceededAtMs;
  const cpuBefore = await snapshotCpu(servicePid);
  let memoryPeak = await residentMemoryMiB(servicePid);
  const startedAt = performance.now();
  const created = await api.createBulk({
    ...spec.command,
    targets: { gatewayIds: spec.gatewayIds },
    maxConcurrency: spec.maxConcurrency,
    maxErrors: spec.maxErrors,
  });
  const createSeconds = (created.atMs - startedAt) / 1000;
  if (created.status !== 201)
    throw new Error(`create the bulk command: HTTP ${created.status} ${JSON.stringify(created.body).slice(0, 500)}`);
  spec.log(`  bulk command ${created.body.id} created in ${round(createSeconds, 2)} s: ${JSON.stringify(countsOf(created.body.counts))}`);

  let view = created.body;
  let viewAtMs = created.atMs;
  let endedAtMs: number | null = null;
  let peakActive = 0;
  let views = 0;
  let lastLogAt = startedAt;
  const deadline = startedAt + spec.timeoutMs;
  while (performance.now() < deadline) {
    const counts = countsOf(view.counts);
    peakActive = Math.max(peakActive, sum(counts, ACTIVE));
    // Done when the bulk command itself has ended (COMPLETED, or STOPPED past maxErrors), not merely
    // its targets: once they all ended, the view is read more often until the bulk says so.
    const allEnded = sum(counts, ENDED) === view.targets;
    if (view.state !== 'RUNNING') {
      endedAtMs = viewAtMs;
      break;
    }
    await sleep(allEnded ? 20 : spec.viewIntervalMs);
    memoryPeak = Math.max(memoryPeak, await residentMemoryMiB(servicePid));
    const answer = await api.bulk(view.id);
    if (answer.status !== 200) throw new Error(`read the bulk command: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
    view = answer.body;
    viewAtMs = answer.atMs;
    views += 1;
    if (answer.atMs - lastLogAt >= 5_000) {
      lastLogAt = answer.atMs;
      const ended = sum(countsOf(view.counts), ENDED);
      spec.log(
        `  ${round((answer.atMs - startedAt) / 1000, 0)} s: ${ended} of ${view.targets} ended (${round(ended / ((answer.atMs - startedAt) / 1000), 0)}/s) ${JSON.stringify(countsOf(view.counts))}`,
      );
    }
  }
  const cpuAfter = await snapshotCpu(servicePid);
  fleet.onReceipt = null;
  // The gateways' last SUCCEEDED answers may still be on their way back.
  for (let waited = 0; fleet.commandsInFlight() > 0 && waited < 10_000; waited += 50) await sleep(50);
  const lastSucceededAtMs = fleet.lastSucceededAtMs;
  const seconds = endedAtMs === null ? null : (endedAtMs - startedAt) / 1000;
  return {
    targets: view.targets,
    maxConcurrency: spec.maxConcurrency,
    maxErrors: spec.maxErrors,
    seconds: seconds === null ? null : round(seconds, 2),
    commandsPerSecond: seconds === null ? null : round(view.targets / seconds, 0),
    createSeconds: round(createSeconds, 2),
    lastSucceededSeconds:
      lastSucceededAtMs === null || lastSucceededAtMs === succeededBefore ? null : round((lastSucceededAtMs - startedAt) / 1000, 2),
    firstReceiptSeconds: firstReceiptAtMs === null ? null : round(((firstReceiptAtMs as number) - startedAt) / 1000, 2),
    finalState: view.state,
    stopReason: view.stopReason,
    counts: countsOf(view.counts),
    peakActive,
    views,
    serviceMemoryPeakMiB: round(memoryPeak),
    cpu: cpuPercentages(cpuBefore, cpuAfter),
  };
}
