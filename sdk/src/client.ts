import { randomUUID } from 'node:crypto';
import createClient, { type Client } from 'openapi-fetch';
import { GcpError, retryAfterSeconds } from './errors.js';
import type { paths } from './generated/openapi.js';
import { IDEMPOTENT_POSTS } from './generated/operations.js';

/** An access token, when it expires and when to replace it (ms since the epoch). */
export interface CachedToken {
  accessToken: string;
  expiresAt: number;
  refreshAt: number;
}

/** Somewhere to keep the token between processes (the CLI keeps it in its credentials file). */
export interface TokenCache {
  load(): CachedToken | undefined | Promise<CachedToken | undefined>;
  save(token: CachedToken): void | Promise<void>;
}

export interface RetryPolicy {
  /** Attempts in all, the first included (default 4). */
  maxAttempts?: number;
  /** Never wait longer than this for one retry (default 30 000 ms): a longer Retry-After fails at once. */
  maxDelayMs?: number;
  /** The first wait when the answer has no Retry-After, doubled each time, with jitter (default 500 ms). */
  baseDelayMs?: number;
}

export interface RetryInfo {
  attempt: number;
  status: number;
  delayMs: number;
  method: string;
  url: string;
}

export interface GcpClientOptions {
  /** The service's base URL, e.g. https://gcp.example.com (no /api/v1). */
  baseUrl: string;
  /** An API client's id and secret: the SDK gets tokens itself (OAuth client credentials) and refreshes them. */
  credentials?: { clientId: string; clientSecret: string };
  /** Or a token got elsewhere (no refresh). */
  accessToken?: string;
  tokenCache?: TokenCache;
  /** Get a new token when the cached one has less than this left (default 60 s, at most a tenth of its lifetime). */
  refreshBeforeSeconds?: number;
  retry?: RetryPolicy;
  onRetry?: (info: RetryInfo) => void;
  /** Another fetch (a proxy agent, a test's recorder). */
  fetch?: (request: Request) => Promise<Response>;
  userAgent?: string;
}

/** The paths whose GET answers a page `{ items, nextCursor }`. */
export type ListPath = {
  [P in keyof paths]: paths[P] extends { get: { responses: { 200: { content: { 'application/json': { items: unknown[] } } } } } }
    ? P
    : never;
}[keyof paths];
type ListGet<P extends ListPath> = paths[P] extends { get: infer G } ? G : never;
/** One item of a list path's pages. */
export type ItemOf<P extends ListPath> =
  ListGet<P> extends {
    responses: { 200: { content: { 'application/json': { items: (infer I)[] } } } };
  }
    ? I
    : never;
type QueryOf<P extends ListPath> = ListGet<P> extends { parameters: { query?: infer Q } } ? Omit<NonNullable<Q>, 'cursor'> : never;
type PathParamsOf<P extends ListPath> = ListGet<P> extends { parameters: { path: infer A } } ? A : never;
export type PageParams<P extends ListPath> = (PathParamsOf<P> extends never ? { path?: undefined } : { path: PathParamsOf<P> }) & {
  query?: QueryOf<P>;
};

const TOKEN_PATH = '/api/v1/oauth/token';
const IDEMPOTENT = IDEMPOTENT_POSTS.map((template) => new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`));
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The management API v1, typed from openapi/openapi.yaml. `api` is an openapi-fetch client
 * whose every call gets a bearer token (cached, refreshed before it expires, and once more after a
 * 401), is retried on 429 and 503 as Retry-After says (bounded by `retry`), and, on the creates
 * that honour one, carries an Idempotency-Key that its retries repeat. `ok()` turns an answer into
 * its data or a GcpError; `pages()` iterates a list across its cursors.
 */
export class GcpClient {
  readonly api: Client<paths>;
  readonly baseUrl: string;
  private token: CachedToken | undefined;
  private pendingToken: Promise<CachedToken> | undefined;
  private readonly retry: Required<RetryPolicy>;
  private readonly fetchImpl: (request: Request) => Promise<Response>;

  constructor(private readonly options: GcpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.retry = { maxAttempts: 4, maxDelayMs: 30_000, baseDelayMs: 500, ...options.retry };
    this.fetchImpl = options.fetch ?? ((request) => fetch(request));
    if (options.accessToken) this.token = { accessToken: options.accessToken, expiresAt: Infinity, refreshAt: Infinity };
    this.api = createClient<paths>({
      baseUrl: this.baseUrl,
      fetch: (request: Request) => this.send(request),
      headers: options.userAgent ? { 'user-agent': options.userAgent } : undefined,
    });
  }

  /** A valid access token: the cached one, or a new one when it is near its end. */
  async accessToken(): Promise<string> {
    if (this.fresh(this.token)) return this.token!.accessToken;
    if (!this.options.credentials) {
      if (this.token) return this.token.accessToken;
      throw new GcpError(401, 'NOT_AUTHENTICATED', 'no credentials and no access token were given to the client');
    }
    this.pendingToken ??= this.newToken().finally(() => (this.pendingToken = undefined));
    return (await this.pendingToken).accessToken;
  }

  /** The data of a successful answer; a GcpError for any other. */
  async ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    const result = await call;
    if (!result.response.ok) throw await GcpError.fromResponse(result.response, result.error ?? null);
    return result.data as T;
  }

  /** Every item of a list, page after page (`limit` sets the page size). */
  async *pages<P extends ListPath>(path: P, params: PageParams<P>): AsyncGenerator<ItemOf<P>> {
    let cursor: string | undefined;
    do {
      const query = { ...(params.query ?? {}), ...(cursor ? { cursor } : {}) };
      const get = this.api.GET as unknown as (
        path: string,
        init: object,
      ) => Promise<{ data?: { items: ItemOf<P>[]; nextCursor?: string | null }; error?: unknown; response: Response }>;
      const page = await this.ok(get(path, { params: { path: params.path, query } }));
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  /** Every item of a list in one array (for small lists). */
  async all<P extends ListPath>(path: P, params: PageParams<P>): Promise<ItemOf<P>[]> {
    const items: ItemOf<P>[] = [];
    for await (const item of this.pages(path, params)) items.push(item);
    return items;
  }

  private fresh(token: CachedToken | undefined): boolean {
    return token !== undefined && Date.now() < token.refreshAt;
  }

  private async newToken(): Promise<CachedToken> {
    const cached = await this.options.tokenCache?.load();
    if (cached && this.fresh(cached)) return (this.token = cached);
    const { clientId, clientSecret } = this.options.credentials!;
    const request = new Request(`${this.baseUrl}${TOKEN_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
    });
    const startedAt = Date.now();
    const response = await this.send(request);
    if (!response.ok) throw await GcpError.fromResponse(response, undefined, request);
    const body = (await response.json()) as { access_token: string; expires_in: number };
    // Refresh at most a tenth of its lifetime early: a short-lived token stays usable.
    const lifetime = body.expires_in * 1000;
    const margin = Math.min((this.options.refreshBeforeSeconds ?? 60) * 1000, lifetime / 10);
    const token = { accessToken: body.access_token, expiresAt: startedAt + lifetime, refreshAt: startedAt + lifetime - margin };
    this.token = token;
    await this.options.tokenCache?.save(token);
    return token;
  }

  /** One call with its token, its Idempotency-Key and its retries. */
  private async send(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    const isToken = pathname === TOKEN_PATH;
    if (request.method === 'POST' && !request.headers.has('idempotency-key') && IDEMPOTENT.some((re) => re.test(pathname))) {
      request.headers.set('idempotency-key', randomUUID());
    }
    // A 503 may come after the work was done: repeat only what is safe to repeat.
    const repeatable = SAFE_METHODS.has(request.method) || isToken || request.headers.has('idempotency-key');
    const ownAuth = !isToken && !request.headers.has('authorization');
    let reauthenticated = false;
    for (let attempt = 1; ; attempt++) {
      const current = request.clone();
      if (ownAuth) current.headers.set('authorization', `Bearer ${await this.accessToken()}`);
      let response: Response;
      try {
        response = await this.fetchImpl(current);
      } catch (error) {
        throw new GcpError(0, 'UNREACHABLE', `${request.method} ${this.baseUrl}: ${describeFailure(error)}`, {
          cause: error,
          method: request.method,
          url: request.url,
        });
      }
      if (response.status === 401 && ownAuth && this.options.credentials && !reauthenticated) {
        // The token was revoked or the clocks disagree: one new token, one more try.
        reauthenticated = true;
        this.token = undefined;
        await response.body?.cancel();
        attempt--;
        continue;
      }
      const retriable = response.status === 429 || (response.status === 503 && repeatable);
      if (!retriable || attempt >= this.retry.maxAttempts) return response;
      const asked = retryAfterSeconds(response.headers.get('retry-after'));
      const backoff = this.retry.baseDelayMs * 2 ** (attempt - 1);
      const delayMs = asked !== undefined ? asked * 1000 + Math.random() * 250 : backoff / 2 + Math.random() * (backoff / 2);
      if (delayMs > this.retry.maxDelayMs) return response;
      this.options.onRetry?.({ attempt, status: response.status, delayMs, method: request.method, url: request.url });
      await response.body?.cancel();
      await sleep(delayMs);
    }
  }
}

/** fetch's TypeError hides the reason (ECONNREFUSED, ENOTFOUND) in its cause. */
function describeFailure(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : JSON.stringify(error);
}
