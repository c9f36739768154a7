import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';

/**
 * The naive ceiling of the heartbeat benchmark: a bare node:http server that does what the
 * simplest implementation would, one single-row Postgres UPDATE per heartbeat and nothing else (no
 * framework, no validation, no token check: the gateway id is read from the bearer token
 * unverified). Run by bench-heartbeat.ts as its own process with DATABASE_URL and PORT; the
 * `naive_gateways` table is created and filled by the benchmark.
 */

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const ANSWER = JSON.stringify({ nextHeartbeatSeconds: 30, commands: [], configuration: null });

/** The JWT's subject (the gateway id), decoded without checking the signature. */
function gatewayIdOf(authorization: string | undefined): string {
  const payload = authorization?.split('.')[1];
  if (payload === undefined) throw new Error('no bearer token');
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub: string }).sub;
}

async function heartbeat(request: IncomingMessage): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const { sequence } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { sequence: number };
  await pool.query('UPDATE naive_gateways SET last_seen = now(), seq = $2 WHERE id = $1', [
    gatewayIdOf(request.headers.authorization),
    sequence,
  ]);
}

function answer(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
}

const server = createServer((request, response) => {
  // Anything but a POST is the benchmark asking whether we are up.
  if (request.method !== 'POST') return answer(response, 200, '{"status":"ok"}');
  heartbeat(request).then(
    () => answer(response, 200, ANSWER),
    (error: unknown) => answer(response, 500, JSON.stringify({ error: String(error) })),
  );
});
// Outlives the pauses between load steps, so the generator's keep-alive connections stay usable.
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1');

process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.end();
});
