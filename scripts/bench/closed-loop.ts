import { Agent, request as httpRequest } from 'node:http';
import { cpuPercentages, snapshotCpu, type CpuPercentages } from './cpu-usage.js';
import { quantile, round } from './stats.js';

/**
 * A closed-loop burst: `concurrency` connections, each sending its next request as soon as the
 * previous answer arrived, until `count` requests are done (or `durationMs` passed). Used where a
 * fixed set of clients all act at once (a reconnect storm: every gateway heartbeats once; 20
 * readers paging a console) rather than at an offered rate (open-loop-load.ts). The body of an
 * answer is read but not parsed, to keep the generator's own CPU low.
 */

export interface HttpCall {
  method: 'GET' | 'POST';
  path: string;
  authorization?: string;
  /** JSON text. */
  body?: string;
}

export interface BurstResult {
  requests: number;
  /** Answers other than 2xx, and network errors. */
  failed: number;
  /** Status codes (or error codes) of the failures, counted. */
  failures: Record<string, number>;
  seconds: number;
  ratePerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Mean size of an answer's body (bytes). */
  bytesPerResponse: number;
  cpu: CpuPercentages;
}

export interface BurstSpec {
  port: number;
  /** For the CPU figures. */
  pid: number;
  concurrency: number;
  /** The i-th request (called once per request, just before it is sent). */
  next: (index: number) => HttpCall;
  /** Stop after this many requests... */
  count?: number;
  /** ...or after this long (ms), whichever comes first. */
  durationMs?: number;
  timeoutMs?: number;
  /** Called with each failed answer's text (the first few), to say why. */
  onFailure?: (status: number | string, text: string) => void;
}

export async function burst(spec: BurstSpec): Promise<BurstResult> {
  if (spec.count === undefined && spec.durationMs === undefined) throw new Error('burst needs a count or a duration');
  const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency, maxFreeSockets: spec.concurrency });
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let failed = 0;
  let sent = 0;
  let bytes = 0;
  const count = spec.count ?? Number.POSITIVE_INFINITY;
  const startedAt = performance.now();
  const endAt = spec.durationMs === undefined ? Number.POSITIVE_INFINITY : startedAt + spec.durationMs;
  const before = await snapshotCpu(spec.pid);
  const timeoutMs = spec.timeoutMs ?? 30_000;

  const one = (call: HttpCall): Promise<{ status: number | string; text: string }> =>
    new Promise((resolve) => {
      const headers: Record<string, string | number> = {};
      if (call.authorization) headers.authorization = call.authorization;
      if (call.body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(call.body);
      }
      const req = httpRequest({ agent, host: '127.0.0.1', port: spec.port, method: call.method, path: call.path, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          bytes += body.length;
          resolve({ status: response.statusCode ?? 0, text: body.toString('utf8') });
        });
        response.on('error', (error) => resolve({ status: (error as { code?: string }).code ?? 'ERROR', text: error.message }));
      });
      req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('TIMEOUT'), { code: 'TIMEOUT' })));
      req.on('error', (error) => resolve({ status: (error as { code?: string }).code ?? 'ERROR', text: error.message }));
      req.end(call.body);
    });

  const worker = async () => {
    while (sent < count && performance.now() < endAt) {
      const index = sent++;
      const call = spec.next(index);
      const at = performance.now();
      const { status, text } = await one(call);
      latencies.push(performance.now() - at);
      if (typeof status !== 'number' || status < 200 || status >= 300) {
        failed += 1;
        failures[String(status)] = (failures[String(status)] ?? 0) + 1;
        if (failed <= 3) spec.onFailure?.(status, text.slice(0, 300));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(spec.concurrency, count) }, worker));
  const seconds = (performance.now() - startedAt) / 1000;
  const after = await snapshotCpu(spec.pid);
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    failed,
    failures,
    seconds: round(seconds, 2),
    ratePerSecond: round(latencies.length / seconds, 0),
    p50Ms: round(quantile(sorted, 0.5)),
    p99Ms: round(quantile(sorted, 0.99)),
    maxMs: round(sorted.at(-1) ?? Number.NaN),
    bytesPerResponse: latencies.length ? Math.round(bytes / latencies.length) : 0,
    cpu: cpuPercentages(before, after),
  };
}

export const describeBurst = (result: BurstResult): string =>
  `${result.requests} requests in ${result.seconds} s: ${result.ratePerSecond}/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ` +
  `max ${result.maxMs} ms, ${Math.round(result.bytesPerResponse / 100) / 10} kB each, ${result.failed} failed${result.failed ? ` ${JSON.stringify(result.failures)}` : ''}; CPU % service ` +
  `${Math.round(result.cpu.target)}, Postgres ${Math.round(result.cpu.postgres)}, Redis ${Math.round(result.cpu.redis)}, ` +
  `generator ${Math.round(result.cpu.generator)}`;
