import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);

/** A file of an installed package, whatever its `exports` allow. */
function packageFile(path: string): string {
  const [scopeOrName, ...rest] = path.split('/');
  const name = scopeOrName!.startsWith('@') ? `${scopeOrName}/${rest.shift()}` : scopeOrName!;
  let dir = dirname(require.resolve(name));
  while (
    !existsSync(join(dir, 'package.json')) ||
    (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name !== name
  ) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package ${name} not found`);
    dir = parent;
  }
  return join(dir, ...rest);
}

/** GraphiQL's browser build and the React it runs on, from their npm packages (no CDN). */
const ASSETS: Record<string, { file: string; type: string }> = {
  'graphiql.min.js': { file: 'graphiql/graphiql.min.js', type: 'text/javascript; charset=utf-8' },
  'graphiql.min.css': { file: 'graphiql/graphiql.min.css', type: 'text/css; charset=utf-8' },
  'react.production.min.js': { file: 'react/umd/react.production.min.js', type: 'text/javascript; charset=utf-8' },
  'react-dom.production.min.js': { file: 'react-dom/umd/react-dom.production.min.js', type: 'text/javascript; charset=utf-8' },
  'start.js': { file: '', type: 'text/javascript; charset=utf-8' },
};

const START = `
const fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', location.href).toString() });
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultEditorToolsVisibility: 'headers',
    defaultHeaders: JSON.stringify({ authorization: 'Bearer <access_token from POST /api/v1/oauth/token>' }, null, 2),
  }),
);
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>GraphiQL · Gateway Control Plane</title>
<link rel="stylesheet" href="/graphiql/graphiql.min.css">
</head>
<body style="margin:0">
<div id="graphiql" style="height:100vh"></div>
<script src="/graphiql/react.production.min.js"></script>
<script src="/graphiql/react-dom.production.min.js"></script>
<script src="/graphiql/graphiql.min.js"></script>
<script src="/graphiql/start.js"></script>
</body>
</html>
`;

/**
 * GraphiQL for people: `GET /graphql` from a browser (Accept: text/html) answers the IDE, whose
 * assets are served from /graphiql/. Everything else on /graphql (POST, GET with a query, the
 * WebSocket upgrade) stays Apollo's. Read from disk once, at start.
 */
export function registerGraphiQL(fastify: FastifyInstance): void {
  const assets = new Map(
    Object.entries(ASSETS).map(([name, asset]) => [
      name,
      { type: asset.type, body: asset.file ? readFileSync(packageFile(asset.file)) : START },
    ]),
  );
  // A callback hook, not an async one: every request passes here (heartbeats included), and most
  // leave at the first comparison without a promise.
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'GET' || request.url !== '/graphql') return done();
    if (!(request.headers.accept ?? '').includes('text/html') || request.headers.upgrade) return done();
    void reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(PAGE);
  });
  fastify.get('/graphiql/:asset', async (request, reply) => {
    const asset = assets.get((request.params as { asset: string }).asset);
    if (!asset) return reply.callNotFound();
    return reply.header('content-type', asset.type).header('cache-control', 'public, max-age=3600').send(asset.body);
  });
}
