import { Agent, request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuPercentages, snapshotCpu, type CpuPercentages } from './cpu-usage.js';
import { quantile, round } from './stats.js';

/**
 * An open-loop load generator (the same one for every target): request i is due at
 * start + i / rate whatever happened to earlier requests, and its latency is measured from that
 * intended moment. A slow server therefore shows its queueing in the latency instead of quietly
 * being sent less (coordinated omission), which a closed loop (autocannon's rate limiting
 * included) would hide.
 */

export interface LoadTarget {
  port: number;
  /** For the CPU figures of each step. */
  pid: number;
}

/** One heartbeat: the gateway's bearer token and the JSON body. */
export interface LoadRequest {
  authorization: string;
  body: string;
}

export interface StepResult {
  offeredRate: number;
  achievedRate: number;
  /** Requests sent in the measured window (after the warm-up). */
  requests: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** How late the generator itself sent requests (p99): large values mean the generator, not the target, fell behind. */
  sendLagP99Ms: number;
  cpu: CpuPercentages;
  /** Why the step does not count as sustained; null when it does. */
  failure: string | null;
}

export const P99_LIMIT_MS = 50;
const MAX_FAILED_RATIO = 0.001;
const MIN_ACHIEVED_RATIO = 0.95;

const STEPPING = {
  startRate: 50,
  /** Doubling finds the range in a few steps... */
  coarseFactor: 2,
  /** ...then from the best passing rate up in steps of 25%, below the rate that failed. */
  fineFactor: 1.25,
  /** The machine is shared (tests, builds): a failed step runs once more before it counts. */
  attempts: 2,
  /** A bound only: the search ends long before. */
  maxSteps: 30,
  warmupMs: 2_000,
  measureMs: 10_000,
  /** Lets the target drain and settle between steps. */
  pauseMs: 1_000,
};

/** Keep-alive connections to the target; past this many in flight, requests wait in the agent (and that wait counts). */
const CONNECTIONS = 100;
const REQUEST_TIMEOUT_MS = 10_000;
const PATH = '/gateway/v1/heartbeat';

/** How the figures were measured, for the report. */
export const LOAD_GENERATOR_DESCRIPTION =
  `open loop (scripts/bench/open-loop-load.ts, node:http, ${CONNECTIONS} keep-alive connections): requests leave on a fixed schedule whatever the answers, ` +
  'and latency runs from when each request was due, so queueing is not hidden (no coordinated omission). ' +
  `Steps of ${STEPPING.warmupMs / 1000} s warm-up and ${STEPPING.measureMs / 1000} s measured: the offered rate doubles from ${STEPPING.startRate}/s ` +
  `until a step fails (p99 > ${P99_LIMIT_MS} ms, > ${100 * MAX_FAILED_RATIO}% failed, or < ${100 * MIN_ACHIEVED_RATIO}% of the offered rate achieved), ` +
  `then grows by ${Math.round(100 * (STEPPING.fineFactor - 1))}% from the best passing rate up to the failed one; ` +
  'a failed step is run once more before it counts (the machine is shared).';

/**
 * The highest offered rate the target sustains: a step passes when its p99 ≤ 50 ms, at most 0.1%
 * of its requests fail, and it achieves at least 95% of the offered rate. Every step is listed,
 * failed attempts included; the best is the highest rate that passed.
 */
export async function findSustainedRate(
  target: LoadTarget,
  nextRequest: () => LoadRequest,
  onStep: (step: StepResult) => void,
): Promise<{ steps: StepResult[]; best: StepResult | null }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const steps: StepResult[] = [];
  const attempt = async (rate: number): Promise<StepResult> => {
    for (let attempts = 1; ; attempts += 1) {
      const step = await runStep(agent, target, rate, nextRequest);
      steps.push(step);
      onStep(step);
      await sleep(STEPPING.pauseMs);
      if (step.failure === null || attempts === STEPPING.attempts) return step;
    }
  };

  let best: StepResult | null = null;
  try {
    let rate = STEPPING.startRate;
    let factor = STEPPING.coarseFactor;
    let lowestFailedRate = Number.POSITIVE_INFINITY;
    while (steps.length < STEPPING.maxSteps && rate < lowestFailedRate) {
      const step = await attempt(rate);
      if (step.failure === null) {
        best = step;
        rate = Math.round(rate * factor);
        continue;
      }
      lowestFailedRate = rate;
      if (best === null || factor === STEPPING.fineFactor) break;
      factor = STEPPING.fineFactor;
      rate = Math.round(best.offeredRate * factor);
    }
  } finally {
    agent.destroy();
  }
  return { steps, best };
}

/** One step (warm-up, then measured) at a fixed offered rate: for comparing one rate under different conditions. */
export async function measureFixedRate(target: LoadTarget, rate: number, nextRequest: () => LoadRequest): Promise<StepResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  try {
    return await runStep(agent, target, rate, nextRequest);
  } finally {
    agent.destroy();
  }
}

async function runStep(agent: Agent, target: LoadTarget, rate: number, nextRequest: () => LoadRequest): Promise<StepResult> {
  const intervalMs = 1000 / rate;
  const warmupCount = Math.round((rate * STEPPING.warmupMs) / 1000);
  const measuredCount = Math.round((rate * STEPPING.measureMs) / 1000);
  const total = warmupCount + measuredCount;
  const latencies: number[] = [];
  const sendLags = new Float64Array(measuredCount);
  let failed = 0;
  let settledCount = 0;
  let lastMeasuredCompletion = 0;

  const startAt = performance.now();
  const measureStartAt = startAt + warmupCount * intervalMs;
  const cpuAtMeasureStart = sleep(STEPPING.warmupMs).then(() => snapshotCpu(target.pid));

  await new Promise<void>((resolve) => {
    const settle = (index: number, intendedAt: number, ok: boolean) => {
      if (index >= warmupCount) {
        const now = performance.now();
        if (ok) latencies.push(now - intendedAt);
        else failed += 1;
        lastMeasuredCompletion = Math.max(lastMeasuredCompletion, now);
      }
      settledCount += 1;
      if (settledCount === total) resolve();
    };

    const send = (index: number) => {
      const intendedAt = startAt + index * intervalMs;
      if (index >= warmupCount) sendLags[index - warmupCount] = performance.now() - intendedAt;
      const { authorization, body } = nextRequest();
      let settled = false;
      const once = (ok: boolean) => {
        if (settled) return;
        settled = true;
        settle(index, intendedAt, ok);
      };
      const request = httpRequest(
        {
          agent,
          host: '127.0.0.1',
          port: target.port,
          method: 'POST',
          path: PATH,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization },
        },
        (response) => {
          response.on('end', () => once(response.statusCode === 200));
          response.on('error', () => once(false));
          response.resume();
        },
      );
      request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(new Error('timed out')));
      request.on('error', () => once(false));
      request.end(body);
    };

    let issued = 0;
    // Sends everything due by now; when the event loop was busy, the backlog goes out at once
    // (still measured from when each request was due).
    const pump = () => {
      const due = Math.min(total, Math.floor((performance.now() - startAt) / intervalMs) + 1);
      while (issued < due) send(issued++);
      if (issued < total) setTimeout(pump, 1);
    };
    pump();
  });

  const cpu = cpuPercentages(await cpuAtMeasureStart, await snapshotCpu(target.pid));
  const sorted = Float64Array.from(latencies).sort();
  const achievedRate = latencies.length / ((lastMeasuredCompletion - measureStartAt) / 1000);
  const p99Ms = quantile(sorted, 0.99);
  const failure =
    failed > measuredCount * MAX_FAILED_RATIO
      ? `${round((100 * failed) / measuredCount, 2)}% failed`
      : p99Ms > P99_LIMIT_MS
        ? `p99 > ${P99_LIMIT_MS} ms`
        : achievedRate < rate * MIN_ACHIEVED_RATIO
          ? `achieved < ${100 * MIN_ACHIEVED_RATIO}% of offered`
          : null;
  return {
    offeredRate: rate,
    achievedRate: Math.round(achievedRate),
    requests: measuredCount,
    failed,
    p50Ms: round(quantile(sorted, 0.5)),
    p99Ms: round(p99Ms),
    maxMs: round(sorted.at(-1) ?? Number.NaN),
    sendLagP99Ms: round(quantile(sendLags.sort(), 0.99)),
    cpu,
    failure,
  };
}
