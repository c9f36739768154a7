import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { HttpClient } from './bench/http-client.js';
import { residentMemoryMiB, startProcess, stopAllProcesses } from './bench/processes.js';
import { claimPort } from './lib/ports.js';
import { round } from './bench/stats.js';
import { SERVICE_NODE_ARGS } from '../src/platform/runtime/v8-heap.js';

/**
 * `npm run bench:poll-floor`: what holding long polls costs at the least, the floor for the
 * service's "RSS with 10,000 long polls held" (bench:commands). For each server kind
 * (`BENCH_FLOOR_KINDS`, default `node,fastify`: scripts/bench/held-request-server.ts) it starts the
 * server with the service's Node options, measures its resident memory idle, then with
 * `BENCH_GATEWAYS` (default 10,000) requests held, each on its own keep-alive connection with a
 * gateway's headers (a bearer token of a gateway token's length), and prints the resident memory and
 * JS heap per held request. Needs no Postgres or Redis; about half a minute per kind.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SERVER_SCRIPT = fileURLToPath(new URL('./bench/held-request-server.js', import.meta.url));
const HELD = Number(process.env.BENCH_GATEWAYS ?? 10_000);
const KINDS = (process.env.BENCH_FLOOR_KINDS ?? 'node,fastify').split(',').filter(Boolean);
/** Longer than the measurement: nothing answers while it runs. */
const WAIT_SECONDS = 120;
const SETTLE_MS = 3_000;

/** A gateway access token is a JWT of about 330 characters; its header is kept by Node with the request. */
const bearer = () =>
  `Bearer ${randomBytes(8).toString('hex')}.${randomBytes(180).toString('base64url')}.${randomBytes(32).toString('base64url')}`;

interface Stats {
  held: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
}

function stats(port: number): Promise<Stats> {
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path: '/stats', agent: false }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      response.on('end', () => resolve(JSON.parse(text) as Stats));
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

const MiB = (bytes: number) => bytes / 1_048_576;

async function measure(kind: string): Promise<Record<string, number | string>> {
  const port = await claimPort();
  const server = await startProcess({
    name: kind,
    script: SERVER_SCRIPT,
    cwd: ROOT,
    env: { PORT: String(port), SERVER_KIND: kind },
    port,
    readyPath: '/readyz',
    readyTimeoutMs: 30_000,
    // --expose-gc: /stats reports the live heap (after a full collection), not garbage.
    nodeArgs: [...SERVICE_NODE_ARGS, '--expose-gc'],
  });
  const client = new HttpClient(port, HELD + 10);
  try {
    await sleep(SETTLE_MS);
    const idle = await stats(port);
    const idleRss = await residentMemoryMiB(server.pid);
    for (let i = 0; i < HELD; i++) {
      void client
        .send('GET', `/gateway/v1/commands?waitSeconds=${WAIT_SECONDS}`, { authorization: bearer(), timeoutMs: (WAIT_SECONDS + 30) * 1000 })
        .catch(() => undefined);
      // Connections are opened in steps, as a fleet's would be, not all in one burst.
      if (i % 500 === 499) await sleep(50);
    }
    const deadline = performance.now() + 60_000;
    while ((await stats(port)).held < HELD && performance.now() < deadline) await sleep(200);
    await sleep(SETTLE_MS);
    const loaded = await stats(port);
    const loadedRss = await residentMemoryMiB(server.pid);
    return {
      kind,
      held: loaded.held,
      'idle RSS MiB': round(idleRss),
      'RSS held MiB': round(loadedRss),
      'RSS per held request KiB': round(((loadedRss - idleRss) * 1024) / loaded.held),
      'idle heap used MiB': round(MiB(idle.heapUsed)),
      'heap used held MiB': round(MiB(loaded.heapUsed)),
      'live heap per held request KiB': round((loaded.heapUsed - idle.heapUsed) / 1024 / loaded.held),
      'heap total held MiB': round(MiB(loaded.heapTotal)),
    };
  } finally {
    client.close();
    await server.stop();
  }
}

async function main(): Promise<void> {
  const rows = [];
  for (const kind of KINDS) {
    console.error(`[poll-floor] ${kind}: ${HELD} held requests`);
    rows.push(await measure(kind));
  }
  const columns = Object.keys(rows[0] ?? {});
  console.log(`| ${columns.join(' | ')} |\n| ${columns.map(() => '---').join(' | ')} |`);
  for (const row of rows) console.log(`| ${columns.map((column) => row[column]).join(' | ')} |`);
}

main()
  .catch((error: unknown) => {
    console.error('the benchmark failed:', error);
    process.exitCode = 1;
  })
  .finally(stopAllProcesses);
