import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/app-config.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { TEST_ENV } from './support/test-env.js';

describe('GraphQL for a browser: GraphiQL served by the service, CORS by allow-list', () => {
  let t: TestApp;
  let production: TestApp;
  const console = 'https://console.example.com';

  beforeAll(async () => {
    t = await startTestApp({ env: { CORS_ORIGINS: `${console},http://localhost:5173` } });
    production = await startTestApp({ env: { NODE_ENV: 'production' } });
  });
  afterAll(async () => {
    await t?.close();
    await production?.close();
  });

  it('GraphiQL is on by default outside production, off in production unless GRAPHIQL=true', () => {
    expect(loadConfig({ ...TEST_ENV }).graphql.graphiql).toBe(true);
    expect(loadConfig({ ...TEST_ENV, NODE_ENV: 'production' }).graphql.graphiql).toBe(false);
    expect(loadConfig({ ...TEST_ENV, NODE_ENV: 'production', GRAPHIQL: 'true' }).graphql.graphiql).toBe(true);
    expect(loadConfig({ ...TEST_ENV, GRAPHIQL: 'false' }).graphql.graphiql).toBe(false);
  });

  it('a browser opening /graphql gets GraphiQL, whose scripts and styles come from the service itself', async () => {
    const page = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<div id="graphiql"');
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(sources).toHaveLength(5);
    for (const source of sources) {
      expect(source.startsWith('/graphiql/'), `${source} is served by the service, not a CDN`).toBe(true);
      const asset = await fetch(`${t.url}${source}`);
      expect(asset.status, source).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(source.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      expect((await asset.text()).length).toBeGreaterThan(100);
    }
    expect((await fetch(`${t.url}/graphiql/nothing.js`)).status).toBe(404);
    // GraphQL itself is unchanged on the same path.
    const query = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(query.status).toBe(200);
  });

  it('in production GraphiQL is not served', async () => {
    const page = await fetch(`${production.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toMatch(/^text\/html/);
    expect((await fetch(`${production.url}/graphiql/graphiql.min.js`)).status).toBe(404);
  });

  it('a preflight from an allowed origin is answered with what it may send and read; another origin gets no CORS headers', async () => {
    const preflight = await fetch(`${t.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: console, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(console);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);

    const call = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { origin: console, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(call.headers.get('access-control-allow-origin')).toBe(console);

    const rest = await fetch(`${t.url}/api/v1/tenants`, { headers: { origin: console } });
    expect(rest.status).toBe(401);
    expect(rest.headers.get('access-control-allow-origin')).toBe(console);
    expect(rest.headers.get('access-control-expose-headers')).toMatch(/location/);

    const stranger = await fetch(`${t.url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example.net',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();

    const noCors = await fetch(`${production.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: console, 'access-control-request-method': 'POST' },
    });
    expect(noCors.headers.get('access-control-allow-origin')).toBeNull();
  });
});
