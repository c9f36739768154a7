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

/** Codes shared by every part of the domain; each part adds its own next to its service. */
export const CommonErrorCode = {
  INVALID_REQUEST: 'INVALID_REQUEST',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  INTERNAL: 'INTERNAL',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
} as const;

export const invalidRequest = (message: string, fieldErrors?: FieldError[]) =>
  new DomainError(CommonErrorCode.INVALID_REQUEST, 400, message, fieldErrors);

/** A missing object and another tenant's object answer alike, so ids leak nothing. */
export const notFound = (what: string, code: string = CommonErrorCode.NOT_FOUND) =>
  new DomainError(code, 404, `${what} not found`);

export const forbidden = (message: string, code: string = CommonErrorCode.FORBIDDEN) =>
  new DomainError(code, 403, message);

export const conflict = (code: string, message: string) => new DomainError(code, 409, message);
