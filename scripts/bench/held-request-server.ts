import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { limitHeapGrowth } from '../../src/platform/runtime/v8-heap.js';

/**
 * The floor of a held long poll (bench-poll-floor.ts): a server that does nothing but hold
 * `GET /gateway/v1/commands?waitSeconds=n` for n seconds and answer `{"commands":[]}`, so the
 * resident memory it needs per held request is what Node (SERVER_KIND=node: node:http, one timer
 * per request) or Node and Fastify (SERVER_KIND=fastify: an async route awaiting a timer) cost at
 * the least, with the service's V8 settings (SERVICE_NODE_ARGS on the command line, the heap growth
 * limit set here as main.ts sets it). `GET /stats` answers how many requests are held and
 * process.memoryUsage() after a full collection.
 */

limitHeapGrowth(Number(process.env.HEAP_GROWING_PERCENT ?? 30));

const ANSWER = '{"commands":[]}';
const port = Number(process.env.PORT);
let held = 0;

const waitOf = (url: string) => Number(new URL(url, 'http://localhost').searchParams.get('waitSeconds') ?? 0);
/** With --expose-gc (the benchmark passes it), the live heap after a full collection. */
const stats = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return JSON.stringify({ held, ...process.memoryUsage() });
};

if (process.env.SERVER_KIND === 'fastify') {
  const app = Fastify({ logger: false });
  app.get('/readyz', () => ({ status: 'ok' }));
  app.get('/stats', (_request, reply) => reply.type('application/json').send(stats()));
  app.get<{ Querystring: { waitSeconds?: string } }>('/gateway/v1/commands', async (request) => {
    held += 1;
    try {
      await sleep(Number(request.query.waitSeconds ?? 0) * 1000);
      return { commands: [] };
    } finally {
      held -= 1;
    }
  });
  await app.listen({ port, host: '127.0.0.1', backlog: 4096 });
  process.once('SIGTERM', () => void app.close());
} else {
  const server = createServer((request, response) => {
    const url = request.url ?? '/';
    if (!url.startsWith('/gateway/v1/commands')) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(url === '/stats' ? stats() : '{"status":"ok"}');
      return;
    }
    held += 1;
    const answer = () => {
      held -= 1;
      request.removeListener('close', hungUp);
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': ANSWER.length }).end(ANSWER);
    };
    const timer = setTimeout(answer, waitOf(url) * 1000);
    const hungUp = () => {
      clearTimeout(timer);
      held -= 1;
    };
    request.once('close', hungUp);
  });
  server.keepAliveTimeout = 60_000;
  server.listen({ port, host: '127.0.0.1', backlog: 4096 });
  process.once('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
  });
}
