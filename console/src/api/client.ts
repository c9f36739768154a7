import type { TadaDocumentNode } from 'gql.tada';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';

/** An error as the service states it: its stable code (docs/errors.md) and message. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const STORAGE_KEY = 'gcp-console-session';

export interface Session {
  accessToken: string;
  expiresAt: number;
  clientId: string;
}

/** The access token lives in sessionStorage (this tab only, gone when it closes), never in a URL. */
export function loadSession(): Session | null {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const session = JSON.parse(raw) as Session;
    return session.expiresAt > Date.now() ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(STORAGE_KEY);
  void wsClient?.dispose();
  wsClient = null;
}

/** OAuth 2.0 client credentials (RFC 6749, client_secret_post) against the service's token endpoint. */
export async function signIn(clientId: string, clientSecret: string): Promise<Session> {
  const response = await fetch('/api/v1/oauth/token', {
    method: 'POST',
    // The endpoint answers a wrong secret 401 with `WWW-Authenticate: Basic` (RFC 6749): without
    // credentials the browser hands that answer to us instead of opening its own login prompt.
    credentials: 'omit',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  });
  const body = (await response.json().catch(() => ({}))) as {
    access_token?: string;
    expires_in?: number;
    error?: string;
    error_description?: string;
    code?: string;
    detail?: string;
  };
  if (!response.ok || !body.access_token) {
    throw new ApiError(
      body.error ?? body.code ?? `HTTP_${response.status}`,
      body.error_description ?? body.detail ?? 'sign-in failed',
      response.status,
    );
  }
  return { accessToken: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000, clientId };
}

let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; status?: number };
}

/** One query or mutation over HTTP POST /graphql; the first error is thrown as an ApiError. */
export async function request<Result, Variables>(document: TadaDocumentNode<Result, Variables>, variables: Variables): Promise<Result> {
  const session = loadSession();
  if (!session) {
    onUnauthorized();
    throw new ApiError('UNAUTHENTICATED', 'signed out');
  }
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'omit',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.accessToken}` },
      body: JSON.stringify({ query: print(document), variables }),
    });
  } catch {
    throw new ApiError('NETWORK_ERROR', 'the service cannot be reached');
  }
  const body = (await response.json().catch(() => ({}))) as { data?: Result; errors?: GraphQLErrorShape[]; code?: string; detail?: string };
  const error = body.errors?.[0];
  if (error) {
    const code = error.extensions?.code ?? 'ERROR';
    if (code === 'UNAUTHENTICATED') onUnauthorized();
    throw new ApiError(code, error.message, error.extensions?.status);
  }
  if (!response.ok || !body.data)
    throw new ApiError(body.code ?? `HTTP_${response.status}`, body.detail ?? response.statusText, response.status);
  return body.data;
}

let wsClient: Client | null = null;

function subscriptions(): Client {
  if (!wsClient) {
    const url = new URL('/graphql', location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    wsClient = createClient({
      url: url.toString(),
      // The token goes in the connection's first message, not in the URL.
      connectionParams: () => ({ authorization: `Bearer ${loadSession()?.accessToken ?? ''}` }),
      retryAttempts: Infinity,
      shouldRetry: () => true,
      lazy: true,
    });
  }
  return wsClient;
}

/** A subscription over graphql-ws; returns the function that ends it. */
export function subscribe<Result, Variables>(
  document: TadaDocumentNode<Result, Variables>,
  variables: Variables,
  onData: (data: Result) => void,
): () => void {
  return subscriptions().subscribe<Result>(
    { query: print(document), variables: variables as Record<string, unknown> },
    {
      next: (value) => value.data && onData(value.data),
      error: () => undefined,
      complete: () => undefined,
    },
  );
}
