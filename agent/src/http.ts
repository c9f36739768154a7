import type { Problem } from './protocol/types.js';

export interface ProtocolResponse<T = Record<string, unknown>> {
  status: number;
  /** The JSON answer; an error answer's problem fields (`code`, `errors`) are on it too. */
  body: T & Problem;
  headers: Headers;
}

/** How long one request may take before it counts as lost (a long poll adds its wait). */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * One protocol request. Network failures throw (the caller decides whether to retry); every HTTP
 * answer, error or not, is returned with its parsed body. A body that is not JSON (a proxy's error
 * page) reads as `{}`.
 */
export async function call<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<ProtocolResponse<T>> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? REQUEST_TIMEOUT_MS);
  const response = await fetch(`${baseUrl.replace(/\/+$/, '')}${path}`, {
    method,
    headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = {};
  }
  return { status: response.status, body: (parsed ?? {}) as ProtocolResponse<T>['body'], headers: response.headers };
}

/** `Retry-After` in milliseconds (seconds or an HTTP date), or 0 when absent or unreadable. */
export function retryAfterMs(headers: Headers, now = Date.now()): number {
  const value = headers.get('retry-after');
  if (!value) return 0;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : 0;
}
