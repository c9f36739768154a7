/** One offending input field, as listed in a problem+json `errors` array. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * The only error a service throws on purpose. `code` is stable and machine-readable (clients
 * branch on it); `status` is the HTTP status the transports answer with. Services never know
 * which transport called them: the exception filter and the GraphQL formatter translate.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly fieldErrors?: FieldError[],
    /** Extra headers a transport should send (Retry-After on 429, say). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/**
 * A part's error codes, each with its one HTTP status. Every code is defined in exactly one such
 * table, in its part's `*.errors.ts` (or here, for the platform's): error-codes.spec.ts fails on a
 * code defined twice, and on a DomainError made anywhere else. A transport never changes a status.
 *
 * Decided in issue 11: `GATEWAY_DEREGISTERED` is 401 (the gateway protocol's contract: the gateway
 * must stop); the management API's refusal to act on a de-registered gateway is 409
 * `GATEWAY_NOT_ACTIVE`. `MIGRATION_IN_PROGRESS` (409) is the profiles part's, raised by profiles,
 * gateways and migrations alike.
 */
export type ErrorCodes = Readonly<Record<string, number>>;

/** The codes of a table as a name → name map (`GatewayErrorCode.GATEWAY_NOT_FOUND`). */
export const codesOf = <T extends ErrorCodes>(table: T): { readonly [K in keyof T]: K } =>
  Object.fromEntries(Object.keys(table).map((code) => [code, code])) as { readonly [K in keyof T]: K };

/** A DomainError of `code` with the status its table gives it. */
export function errorOf<T extends ErrorCodes>(
  table: T,
  code: keyof T & string,
  message: string,
  fieldErrors?: FieldError[],
  headers?: Record<string, string>,
): DomainError {
  return new DomainError(code, table[code]!, message, fieldErrors, headers);
}

/** The platform's codes: those shared by every part, and auth, idempotency and health. */
export const COMMON_ERRORS = {
  INVALID_REQUEST: 400,
  UNAUTHENTICATED: 401,
  ACCESS_TOKEN_EXPIRED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
  SHUTTING_DOWN: 503,
} as const satisfies ErrorCodes;

export const CommonErrorCode = codesOf(COMMON_ERRORS);

export const invalidRequest = (message: string, fieldErrors?: FieldError[]) =>
  errorOf(COMMON_ERRORS, 'INVALID_REQUEST', message, fieldErrors);

/** A missing object and another tenant's object answer alike, so ids leak nothing. */
export const notFound = (what: string) => errorOf(COMMON_ERRORS, 'NOT_FOUND', `${what} not found`);

export const forbidden = (message: string) => errorOf(COMMON_ERRORS, 'FORBIDDEN', message);

export const CommonErrors = {
  unauthenticated: (message = 'a valid bearer access token is required') => errorOf(COMMON_ERRORS, 'UNAUTHENTICATED', message),
  accessTokenExpired: () => errorOf(COMMON_ERRORS, 'ACCESS_TOKEN_EXPIRED', 'the access token has expired'),
  idempotencyKeyReused: () =>
    errorOf(COMMON_ERRORS, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used for a different request'),
  shuttingDown: () => errorOf(COMMON_ERRORS, 'SHUTTING_DOWN', 'the process is shutting down', undefined, { 'retry-after': '1' }),
};
