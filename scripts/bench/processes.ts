import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { SERVICE_NODE_ARGS } from '../../src/platform/runtime/v8-heap.js';
import { claimPort } from '../lib/ports.js';

/** A server the benchmark started as a child process: the service or the naive server. */
export interface BenchProcess {
  readonly pid: number;
  readonly port: number;
  readonly baseUrl: string;
  /** SIGTERM, then SIGKILL if it has not exited within STOP_GRACE_MS. */
  stop(): Promise<void>;
}

export interface ProcessSpec {
  /** Prefixes its output lines. */
  name: string;
  /** The compiled script to run with node. */
  script: string;
  cwd: string;
  env: Record<string, string>;
  port: number;
  /** GET path that answers 200 once the process can take load. */
  readyPath: string;
  readyTimeoutMs: number;
  /** Node options before BENCH_NODE_ARGS (which can override them). */
  nodeArgs?: string[];
}

/** The service's own shutdown grace is 2 s (SHUTDOWN_GRACE_SECONDS); this is the backstop. */
const STOP_GRACE_MS = 15_000;

/** Children still running, with how to stop each gracefully. */
const running = new Map<ChildProcess, BenchProcess['stop']>();
// Last resort: however the benchmark ends (an uncaught error, process.exit), no child outlives it.
process.on('exit', () => {
  for (const child of running.keys()) child.kill('SIGKILL');
});

/** Stops every child still running (on errors and signals). */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...running.values()].map((stop) => stop()));
}

/** BENCH_NODE_ARGS (say `--cpu-prof --cpu-prof-dir=/tmp/prof`) goes to every process started here, for profiling. */
const EXTRA_NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

export async function startProcess(spec: ProcessSpec): Promise<BenchProcess> {
  const child = spawn(process.execPath, [...(spec.nodeArgs ?? []), ...EXTRA_NODE_ARGS, spec.script], {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${spec.name} did not start`);
  const pid = child.pid;
  const baseUrl = `http://127.0.0.1:${spec.port}`;
  /** undefined while it runs; then its exit code (null when a signal ended it). */
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      running.delete(child);
      resolve();
    }),
  );
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => process.stderr.write(`[${spec.name}] ${line}\n`));
  }

  const stop = async (): Promise<void> => {
    if (exitCode !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };
  running.set(child, stop);

  const deadline = Date.now() + spec.readyTimeoutMs;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`${spec.name} exited (code ${exitCode}) before it was ready`);
    if (await answersOk(`${baseUrl}${spec.readyPath}`)) return { pid, port: spec.port, baseUrl, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${spec.name} was not ready within ${spec.readyTimeoutMs} ms`);
    }
    await sleep(200);
  }
}

async function answersOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url);
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false; // not listening yet
  }
}

/** The process's resident set size (VmRSS), in MiB. */
export async function residentMemoryMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kibibytes = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kibibytes === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kibibytes) / 1024;
}

/** The built service, as the benchmarks start it (this file runs from dist/scripts/bench/). */
const SERVICE_SCRIPT = fileURLToPath(new URL('../../src/main.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface BenchServiceSpec {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  /** Made by the service's bootstrap at start, so the benchmark can sign in as this partner. */
  partner: { clientId: string; clientSecret: string };
  /** Settings of this benchmark, over the common ones. */
  env?: Record<string, string>;
  /** Listen here (a restarted service keeps its port, so the fleet's sessions keep working); default a free port. */
  port?: number;
}

/** One signing secret per benchmark run: access tokens stay valid when the benchmark restarts the service. */
const JWT_SECRET = randomBytes(32).toString('hex');

/** The bearer token of the benchmark service's /metrics (served on the public port only with one). */
export const BENCH_METRICS_TOKEN = randomBytes(16).toString('hex');

/** One service process (ROLE=all) on a free port, ready when /readyz answers. */
export async function startBenchService(spec: BenchServiceSpec): Promise<BenchProcess> {
  const port = spec.port ?? (await claimPort());
  return startProcess({
    name: 'service',
    script: SERVICE_SCRIPT,
    // As the Dockerfile runs it (its NODE_OPTIONS): Node 20's young generation size.
    nodeArgs: [...SERVICE_NODE_ARGS],
    cwd: ROOT,
    port,
    readyPath: '/readyz',
    readyTimeoutMs: 120_000,
    env: {
      ROLE: 'all',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: spec.databaseUrl,
      REDIS_URL: spec.redisUrl,
      REDIS_KEY_PREFIX: spec.redisPrefix,
      JWT_SECRET,
      BOOTSTRAP_CLIENT_ID: spec.partner.clientId,
      BOOTSTRAP_CLIENT_SECRET: spec.partner.clientSecret,
      LOG_LEVEL: 'warn',
      METRICS_TOKEN: BENCH_METRICS_TOKEN,
      REGISTER_FAILURE_LIMIT: '100000',
      // Benchmarks drive the API with one client far past a partner's per-client rate limit.
      RATE_LIMIT_BURST: '10000000',
      RATE_LIMIT_PER_SECOND: '1000000',
      ...spec.env,
    },
  });
}
