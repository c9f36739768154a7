import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GcpClient } from './client.js';
import { GcpError, retryAfterSeconds } from './errors.js';

/**
 * The SDK's own behaviour (token cache and refresh, retries, idempotency keys, errors) against a
 * small real HTTP server whose answers each test scripts; the e2e tests (test/sdk.e2e-spec.ts)
 * run it against the service.
 */
type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;
interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('GcpClient', () => {
  let server: Server;
  let baseUrl: string;
  let seen: Seen[] = [];
  let handler: Handler = (_request, _body, response) => response.end();
  let tokens = 0;
  let tokenLifetime = 3600;

  const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        seen.push({ method: request.method!, path: request.url!, headers: request.headers, body });
        if (request.url === '/api/v1/oauth/token') {
          const { client_secret } = JSON.parse(body) as { client_secret: string };
          if (client_secret !== 'secret') return json(response, 401, { error: 'invalid_client', error_description: 'unknown client' });
          tokens += 1;
          return json(response, 200, { access_token: `token-${tokens}`, token_type: 'Bearer', expires_in: tokenLifetime });
        }
        handler(request, body, response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => {
    seen = [];
    tokens = 0;
    tokenLifetime = 3600;
  });

  const client = (options: Partial<ConstructorParameters<typeof GcpClient>[0]> = {}) =>
    new GcpClient({ baseUrl, credentials: { clientId: 'c', clientSecret: 'secret' }, retry: { baseDelayMs: 10 }, ...options });
  const apiCalls = () => seen.filter((s) => s.path !== '/api/v1/oauth/token');

  it('gets one token for many calls, sends it as a bearer, and shares one token request between concurrent calls', async () => {
    handler = (_request, _body, response) => json(response, 200, { items: [], nextCursor: null });
    const gcp = client();
    await Promise.all([1, 2, 3].map(() => gcp.ok(gcp.api.GET('/api/v1/tenants'))));
    await gcp.ok(gcp.api.GET('/api/v1/tenants'));
    expect(tokens).toBe(1);
    expect(apiCalls().map((s) => s.headers.authorization)).toEqual(Array(4).fill('Bearer token-1'));
  });

  it('gets a new token before the old one expires (at most a tenth of its lifetime early), and once more after a 401', async () => {
    tokenLifetime = 1;
    handler = (_request, _body, response) => json(response, 200, { items: [], nextCursor: null });
    const gcp = client();
    await gcp.ok(gcp.api.GET('/api/v1/tenants'));
    await new Promise((resolve) => setTimeout(resolve, 950)); // past 0.9 s: within the last tenth
    await gcp.ok(gcp.api.GET('/api/v1/tenants'));
    expect(apiCalls().map((s) => s.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);

    tokenLifetime = 3600;
    let refused = 0;
    handler = (request, _body, response) =>
      request.headers.authorization === 'Bearer token-3' && ++refused
        ? json(response, 401, { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'revoked', code: 'ACCESS_TOKEN_REVOKED' })
        : json(response, 200, { items: [], nextCursor: null });
    const again = client();
    tokens = 2;
    await again.ok(again.api.GET('/api/v1/tenants'));
    expect(refused).toBe(1);
    expect(
      apiCalls()
        .slice(-2)
        .map((s) => s.headers.authorization),
    ).toEqual(['Bearer token-3', 'Bearer token-4']);
  });

  it('keeps its token in a cache and uses a cached one that is still fresh', async () => {
    handler = (_request, _body, response) => json(response, 200, { items: [], nextCursor: null });
    let stored: { accessToken: string; expiresAt: number; refreshAt: number } | undefined;
    const cache = { load: () => stored, save: (token: typeof stored) => void (stored = token) };
    await client({ tokenCache: cache }).accessToken();
    expect(stored).toMatchObject({ accessToken: 'token-1' });
    expect(stored!.expiresAt - Date.now()).toBeGreaterThan(3_500_000);
    expect(await client({ tokenCache: cache }).accessToken()).toBe('token-1');
    expect(tokens).toBe(1);
  });

  it('retries a 429 after its Retry-After, and gives up past maxAttempts with the error', async () => {
    let calls = 0;
    handler = (_request, _body, response) =>
      ++calls === 1
        ? json(
            response,
            429,
            { type: 'about:blank', title: 'Too Many Requests', status: 429, detail: 'slow down', code: 'TOO_MANY_REQUESTS' },
            { 'retry-after': '1' },
          )
        : json(response, 200, { items: [{ id: 'a' }], nextCursor: null });
    const gcp = client();
    const started = Date.now();
    expect((await gcp.ok(gcp.api.GET('/api/v1/tenants'))).items).toEqual([{ id: 'a' }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(calls).toBe(2);

    calls = 0;
    handler = (_request, _body, response) => {
      calls += 1;
      json(response, 429, { type: 'about:blank', title: 'Too Many Requests', status: 429, detail: 'slow down', code: 'TOO_MANY_REQUESTS' });
    };
    const bounded = client({ retry: { maxAttempts: 3, baseDelayMs: 10 } });
    const error = await bounded.ok(bounded.api.GET('/api/v1/tenants')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GcpError);
    expect(error).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS', detail: 'slow down' });
    expect(calls).toBe(3);
  });

  it('fails at once when Retry-After is longer than maxDelayMs, with the wait in the error', async () => {
    handler = (_request, _body, response) =>
      json(
        response,
        503,
        { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'down', code: 'SERVICE_UNAVAILABLE' },
        { 'retry-after': '120' },
      );
    const gcp = client();
    const error = (await gcp.ok(gcp.api.GET('/api/v1/tenants')).catch((e: unknown) => e)) as GcpError;
    expect(error).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(error.retryAfterSeconds).toBe(120);
    expect(apiCalls()).toHaveLength(1);
  });

  it('sends an Idempotency-Key on the creates that honour one, the same on each retry; a 503 to another create is not repeated', async () => {
    let calls = 0;
    handler = (_request, _body, response) =>
      ++calls < 3
        ? json(
            response,
            503,
            { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'down', code: 'SERVICE_UNAVAILABLE' },
            { 'retry-after': '0' },
          )
        : json(response, 201, { id: 'b' });
    const gcp = client();
    await gcp.ok(
      gcp.api.POST('/api/v1/tenants/{tenantId}/bulk-commands', {
        params: { path: { tenantId: 't' } },
        body: { type: 'PING', targets: { gatewayIds: ['g'] } },
      }),
    );
    const keys = apiCalls().map((s) => s.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(keys).size).toBe(1);
    expect(apiCalls().map((s) => JSON.parse(s.body))).toEqual(Array(3).fill({ type: 'PING', targets: { gatewayIds: ['g'] } }));

    seen = [];
    await gcp
      .ok(
        gcp.api.POST('/api/v1/tenants/{tenantId}/bulk-commands', {
          params: { path: { tenantId: 't' } },
          body: { type: 'PING', targets: {} },
        }),
      )
      .catch(() => undefined);
    expect(apiCalls()[0].headers['idempotency-key']).not.toBe(keys[0]); // a new call, a new key

    seen = [];
    calls = 0;
    const error = await gcp.ok(gcp.api.POST('/api/v1/tenants', { body: { name: 'x' } })).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503 });
    expect(apiCalls()).toHaveLength(1);
    expect(apiCalls()[0].headers['idempotency-key']).toBeUndefined();
  });

  it('pages through a list with its cursors', async () => {
    handler = (request, _body, response) => {
      const cursor = new URL(request.url!, baseUrl).searchParams.get('cursor');
      const pages: Record<string, { items: { id: string }[]; nextCursor: string | null }> = {
        first: { items: [{ id: '1' }, { id: '2' }], nextCursor: 'c2' },
        c2: { items: [{ id: '3' }], nextCursor: null },
      };
      json(response, 200, pages[cursor ?? 'first']);
    };
    const ids: string[] = [];
    for await (const tenant of client().pages('/api/v1/tenants', { query: { limit: 2 } })) ids.push(tenant.id);
    expect(ids).toEqual(['1', '2', '3']);
    expect(apiCalls().map((s) => s.path)).toEqual(['/api/v1/tenants?limit=2', '/api/v1/tenants?limit=2&cursor=c2']);
  });

  it('turns the token endpoint refusal and an unreachable service into typed errors', async () => {
    const refused = (await client({ credentials: { clientId: 'c', clientSecret: 'wrong' } })
      .accessToken()
      .catch((e: unknown) => e)) as GcpError;
    expect(refused).toMatchObject({ status: 401, code: 'INVALID_CLIENT', detail: 'unknown client' });
    const nowhere = new GcpClient({ baseUrl: 'http://127.0.0.1:9', accessToken: 'x' });
    const unreachable = (await nowhere.ok(nowhere.api.GET('/api/v1/tenants')).catch((e: unknown) => e)) as GcpError;
    expect(unreachable).toBeInstanceOf(GcpError);
    expect(unreachable).toMatchObject({ status: 0, code: 'UNREACHABLE' });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterSeconds('7')).toBe(7);
    expect(retryAfterSeconds(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThanOrEqual(4);
    expect(retryAfterSeconds('soon')).toBeUndefined();
    expect(retryAfterSeconds(null)).toBeUndefined();
  });
});
