import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandApi } from './command-api.js';
import { cpuPercentages, snapshotCpu, type CpuPercentages } from './cpu-usage.js';
import { networkErrorCode } from './http-client.js';
import { POLL_WAIT_SECONDS, type PolledGateway, type PollingFleet } from './polling-fleet.js';
import { quantile, round } from './stats.js';

/**
 * Long-poll delivery latency: commands are queued through the REST API on a fixed schedule, each
 * to a gateway that holds a poll and has nothing else in progress, one at a time per gateway;
 * each latency runs from just before its POST is written to the moment the poll answer carrying
 * it has arrived at the gateway (one process, one clock: performance.now()). The gateways run
 * each command to SUCCEEDED and poll again at once, as in the field.
 */

export interface LatencySpec {
  /** The gateways commands go to (they must be polling). */
  gateways: PolledGateway[];
  ratePerSecond: number;
  seconds: number;
  /** A gateway counts as holding a poll once its poll has been open this long (the service has registered it)… */
  minPollAgeMs: number;
  /** …and until the poll is this close to its end (the answer might already be on its way). */
  pollEndMarginMs: number;
  /** After the last POST, how long to wait for receipts before the rest count as lost. */
  drainMs: number;
  command: { type: string; parameters?: Record<string, unknown> };
}

export interface LatencyResult {
  gateways: number;
  ratePerSecond: number;
  seconds: number;
  /** Commands queued (POST answered 201). */
  queued: number;
  received: number;
  /** Queued but never received within the drain time. */
  lost: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  minMs: number;
  /** How long the queueing POST took to answer (part of the latency above, shown apart). */
  queueAnswer: { p50Ms: number; p99Ms: number; maxMs: number };
  /** POSTs that did not answer 201, by status and code. */
  queueFailures: Record<string, number>;
  /** How late the benchmark sent its POSTs behind the schedule (p99): large values mean the benchmark process itself fell behind. */
  sendLagP99Ms: number;
  /** Times no gateway was free to take a command when one was due (it was skipped). */
  skipped: number;
  cpu: CpuPercentages;
}

interface Pending {
  sentAtMs: number;
  commandId: string | null;
}

export async function measureDeliveryLatency(
  fleet: PollingFleet,
  api: CommandApi,
  servicePid: number,
  spec: LatencySpec,
): Promise<LatencyResult> {
  const pending = new Map<PolledGateway, Pending>();
  const latencies: number[] = [];
  const queueAnswers: number[] = [];
  const sendLags: number[] = [];
  const queueFailures: Record<string, number> = {};
  let queued = 0;
  let skipped = 0;
  fleet.onReceipt = ({ gateway, atMs }) => {
    const waiting = pending.get(gateway);
    if (!waiting) return;
    pending.delete(gateway);
    latencies.push(atMs - waiting.sentAtMs);
  };

  const eligible = (now: number) =>
    spec.gateways.filter((gateway) => {
      if (gateway.pollSentAtMs === null || gateway.commandsInFlight > 0 || pending.has(gateway)) return false;
      const age = now - gateway.pollSentAtMs;
      return age >= spec.minPollAgeMs && age <= POLL_WAIT_SECONDS * 1000 - spec.pollEndMarginMs;
    });

  const queueOne = async (gateway: PolledGateway) => {
    const entry: Pending = { sentAtMs: performance.now(), commandId: null };
    pending.set(gateway, entry);
    try {
      const answer = await api.queueCommand(gateway.id, spec.command);
      queueAnswers.push(answer.atMs - entry.sentAtMs);
      if (answer.status === 201) {
        queued += 1;
        entry.commandId = answer.body.id;
        return;
      }
      count(queueFailures, `${answer.status} ${answer.body.code ?? ''}`.trim());
    } catch (error) {
      count(queueFailures, networkErrorCode(error));
    }
    if (pending.get(gateway) === entry) pending.delete(gateway);
  };

  const total = Math.round(spec.ratePerSecond * spec.seconds);
  const posts: Promise<void>[] = [];
  const cpuBefore = await snapshotCpu(servicePid);
  const startedAt = performance.now();
  for (let i = 0; i < total; i++) {
    const dueAt = startedAt + (i * 1000) / spec.ratePerSecond;
    const wait = dueAt - performance.now();
    if (wait > 0) await sleep(wait);
    const now = performance.now();
    sendLags.push(now - dueAt);
    const candidates = eligible(now);
    if (!candidates.length) {
      skipped += 1;
      continue;
    }
    posts.push(queueOne(candidates[Math.floor(Math.random() * candidates.length)]));
  }
  await Promise.all(posts);
  const cpuAfter = await snapshotCpu(servicePid);
  // Receipts still due; what is still pending after the drain was queued and never arrived.
  const drainDeadline = performance.now() + spec.drainMs;
  while ([...pending.values()].some((entry) => entry.commandId !== null) && performance.now() < drainDeadline) await sleep(50);
  const lost = [...pending.values()].filter((entry) => entry.commandId !== null).length;
  fleet.onReceipt = null;

  latencies.sort((a, b) => a - b);
  queueAnswers.sort((a, b) => a - b);
  sendLags.sort((a, b) => a - b);
  const ms = (value: number) => round(value, 1);
  return {
    gateways: spec.gateways.length,
    ratePerSecond: spec.ratePerSecond,
    seconds: spec.seconds,
    queued,
    received: latencies.length,
    lost,
    p50Ms: ms(quantile(latencies, 0.5)),
    p90Ms: ms(quantile(latencies, 0.9)),
    p99Ms: ms(quantile(latencies, 0.99)),
    maxMs: ms(latencies.at(-1) ?? Number.NaN),
    minMs: ms(latencies[0] ?? Number.NaN),
    queueAnswer: {
      p50Ms: ms(quantile(queueAnswers, 0.5)),
      p99Ms: ms(quantile(queueAnswers, 0.99)),
      maxMs: ms(queueAnswers.at(-1) ?? Number.NaN),
    },
    queueFailures,
    sendLagP99Ms: ms(quantile(sendLags, 0.99)),
    skipped,
    cpu: cpuPercentages(cpuBefore, cpuAfter),
  };
}

function count(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
