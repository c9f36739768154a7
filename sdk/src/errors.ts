/** A field's error in a 400 INVALID_REQUEST. */
export interface FieldError {
  field?: string;
  message?: string;
  [key: string]: unknown;
}

/**
 * Any failed call: the service's problem+json (`code`, `status`, `detail`, field `errors`), an
 * OAuth error of the token endpoint (`code` is its `error` in upper case: INVALID_CLIENT), or a
 * service that could not be reached (status 0, code UNREACHABLE). Branch on `code`, never on text.
 */
export class GcpError extends Error {
  override readonly name = 'GcpError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extra: {
      title?: string;
      errors?: FieldError[];
      /** Seconds the service asked to wait (Retry-After of a 429 or 503). */
      retryAfterSeconds?: number;
      requestId?: string;
      method?: string;
      url?: string;
      body?: unknown;
      cause?: unknown;
    } = {},
  ) {
    super(`${code}: ${detail}`, extra.cause === undefined ? undefined : { cause: extra.cause });
  }

  get errors(): FieldError[] {
    return this.extra.errors ?? [];
  }

  get retryAfterSeconds(): number | undefined {
    return this.extra.retryAfterSeconds;
  }

  /** The error a response carries; `body` when it was already read (openapi-fetch reads it). */
  static async fromResponse(response: Response, body?: unknown, request?: { method: string; url: string }): Promise<GcpError> {
    if (body === undefined) {
      const text = await response.text().catch(() => '');
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
    }
    const retryAfter = retryAfterSeconds(response.headers.get('retry-after'));
    const common = {
      retryAfterSeconds: retryAfter,
      requestId: response.headers.get('x-request-id') ?? undefined,
      method: request?.method,
      url: request?.url ?? response.url,
      body,
    };
    if (body && typeof body === 'object') {
      const b = body as Record<string, unknown>;
      if (typeof b.code === 'string') {
        return new GcpError(response.status, b.code, text(b.detail) ?? text(b.title) ?? response.statusText, {
          ...common,
          title: typeof b.title === 'string' ? b.title : undefined,
          errors: Array.isArray(b.errors) ? (b.errors as FieldError[]) : undefined,
        });
      }
      if (typeof b.error === 'string') {
        return new GcpError(response.status, b.error.toUpperCase(), text(b.error_description) ?? b.error, common);
      }
    }
    const detail = typeof body === 'string' && body ? body.slice(0, 200) : response.statusText || `HTTP ${response.status}`;
    return new GcpError(response.status, `HTTP_${response.status}`, detail, common);
  }
}

/** Retry-After in seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterSeconds(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
