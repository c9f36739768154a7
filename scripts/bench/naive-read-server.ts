import { createServer, type ServerResponse } from 'node:http';
import pg from 'pg';
import { NAIVE_READS } from './naive-reads.store.js';

/**
 * The naive baseline of `npm run bench:reads`: a bare node:http server that answers each page the
 * benchmark reads by running the same page query as the service (keyset, on the same index) and
 * serializing the rows with JSON.stringify: no framework, no validation, no token check, no view
 * mapping. The tenant comes from the `tenant` query parameter. Run by bench-reads.ts as its own
 * process with DATABASE_URL and PORT.
 */

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });

function answer(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
}

/** `cursor`: base64url JSON {at, id}, as the service's cursors are. */
function position(cursor: string | null): { at: string; id: string } | null {
  return cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { at: string; id: string }) : null;
}

async function page(path: string, query: URLSearchParams): Promise<unknown> {
  const tenant = query.get('tenant');
  const limit = Number(query.get('limit') ?? 50);
  const after = position(query.get('cursor'));
  const keyset = [after?.at ?? null, after?.id ?? null];
  switch (path) {
    case '/gateways': {
      const { rows } = await pool.query(NAIVE_READS.gateways, [tenant, ...keyset, limit + 1]);
      const items = rows.slice(0, limit);
      const nodes = items.length ? (await pool.query(NAIVE_READS.nodes, [tenant, items.map((row) => row.id)])).rows : [];
      const byGateway = new Map<string, unknown[]>();
      for (const node of nodes) byGateway.set(node.gateway_id, [...(byGateway.get(node.gateway_id) ?? []), node]);
      return { items: items.map((row) => ({ ...row, nodes: byGateway.get(row.id) ?? [] })), more: rows.length > limit };
    }
    case '/profiles': {
      const { rows } = await pool.query(NAIVE_READS.profiles, [tenant, ...keyset, limit + 1]);
      return { items: rows.slice(0, limit), more: rows.length > limit };
    }
    case '/commands': {
      const { rows } = await pool.query(NAIVE_READS.commands, [tenant, query.get('gateway'), ...keyset, limit + 1]);
      return { items: rows.slice(0, limit), more: rows.length > limit };
    }
    case '/audit': {
      const { rows } = await pool.query(NAIVE_READS.audit, [tenant, ...keyset, limit + 1]);
      return { items: rows.slice(0, limit), more: rows.length > limit };
    }
    case '/status': {
      const { rows } = await pool.query(NAIVE_READS.status, [tenant]);
      return rows;
    }
    default:
      return null;
  }
}

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://naive');
  if (url.pathname === '/') return answer(response, 200, '{"status":"ok"}');
  page(url.pathname, url.searchParams).then(
    (body) => (body === null ? answer(response, 404, '{}') : answer(response, 200, JSON.stringify(body))),
    (error: unknown) => answer(response, 500, JSON.stringify({ error: String(error) })),
  );
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1');

process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.end();
});
