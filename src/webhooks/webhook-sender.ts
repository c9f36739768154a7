import http from 'node:http';
import https from 'node:https';
import { guardedLookup, type PrivateTargets } from './ssrf-guard.js';

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

const MAX_ERROR_LENGTH = 300;

/**
 * One POST of a signed body: 2xx is success; anything else, a timeout (connect to last byte within
 * `timeoutMs`) or a refused target is a failure. Redirects are not followed (a 3xx fails), and the
 * host's addresses are checked when it is resolved, so no request reaches a refused address.
 */
export function sendWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowedPrivateTargets: PrivateTargets },
): Promise<AttemptResult> {
  const started = performance.now();
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<AttemptResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, error: result.error?.slice(0, MAX_ERROR_LENGTH) ?? null, durationMs: Math.round(performance.now() - started) });
    };
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'gateway-control-plane-webhooks/1',
        },
        lookup: guardedLookup(options.allowedPrivateTargets) as never,
        agent: false,
      },
      (response) => {
        // Read (and drop) the answer so the socket closes cleanly; its body is not kept.
        response.resume();
        response.on('end', () => {
          const statusCode = response.statusCode ?? 0;
          finish({ ok: statusCode >= 200 && statusCode < 300, statusCode, error: null });
        });
        response.on('error', (error) => finish({ ok: false, statusCode: response.statusCode ?? null, error: error.message }));
      },
    );
    const timer = setTimeout(() => {
      finish({ ok: false, statusCode: null, error: `no answer within ${options.timeoutMs} ms` });
      request.destroy();
    }, options.timeoutMs);
    request.on('error', (error) => finish({ ok: false, statusCode: null, error: error.message }));
    request.end(body);
  });
}
