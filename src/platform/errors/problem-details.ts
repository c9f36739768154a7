import { HttpException } from '@nestjs/common';
import { CommonErrorCode, DomainError, type FieldError } from './domain-error.js';
import { isDeadlock } from '../database/postgres-errors.js';
import { isDependencyOutage } from './outage.js';

/** RFC 9457 problem details, with our stable `code` and optional field errors. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const CODE_BY_STATUS: Record<number, string> = {
  400: CommonErrorCode.INVALID_REQUEST,
  401: CommonErrorCode.UNAUTHENTICATED,
  403: CommonErrorCode.FORBIDDEN,
  404: CommonErrorCode.NOT_FOUND,
  405: CommonErrorCode.INVALID_REQUEST,
  409: CommonErrorCode.CONFLICT,
  413: CommonErrorCode.PAYLOAD_TOO_LARGE,
  415: CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: CommonErrorCode.TOO_MANY_REQUESTS,
  503: CommonErrorCode.SERVICE_UNAVAILABLE,
};

export const DEFAULT_OUTAGE_RETRY_AFTER_SECONDS = 5;
const DEADLOCK_RETRY_AFTER_SECONDS = 1;

/** SQLSTATEs of class 22 that only a request's own values cause: invalid text, too long, out of range, bad date, bad encoding. */
const DATA_EXCEPTIONS = new Set(['22P02', '22001', '22003', '22007', '22008', '22021', '22P05', '22023']);

export interface TranslatedError {
  problem: ProblemDetails;
  headers: Record<string, string>;
  /** True when the error is ours, not the client's: worth an error log line. */
  unexpected: boolean;
}

const problem = (status: number, code: string, detail: string, errors?: FieldError[]): ProblemDetails => ({
  type: `https://docs.gateway-control-plane.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
  title: TITLES[status] ?? 'Error',
  status,
  detail,
  code,
  ...(errors?.length ? { errors } : {}),
});

/** Lower-level errors that reach us from Fastify's parsers rather than from Nest. */
interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/**
 * Turns anything thrown while serving a request into problem details. Client mistakes keep
 * their 4xx status whatever layer found them (Fastify's body parser, Nest's router, a pipe,
 * a service); anything else is a 500 whose detail reveals nothing.
 */
export function toProblem(error: unknown, options: { retryAfterSeconds?: number } = {}): TranslatedError {
  if (isDependencyOutage(error)) {
    const retryAfter = String(options.retryAfterSeconds ?? DEFAULT_OUTAGE_RETRY_AFTER_SECONDS);
    return {
      problem: problem(503, CommonErrorCode.SERVICE_UNAVAILABLE, `a dependency of the service is unavailable; retry after ${retryAfter} s`),
      headers: { 'retry-after': retryAfter },
      unexpected: false,
    };
  }
  if (isDeadlock(error)) {
    // Still a deadlock's victim after its retries (platform/database/deadlock-retry.ts): nothing the
    // client did wrong, and the same request a moment later goes through. Logged: it means contention.
    return {
      problem: problem(
        503,
        CommonErrorCode.SERVICE_UNAVAILABLE,
        `the request met concurrent changes to the same data; retry after ${DEADLOCK_RETRY_AFTER_SECONDS} s`,
      ),
      headers: { 'retry-after': String(DEADLOCK_RETRY_AFTER_SECONDS) },
      unexpected: true,
    };
  }
  const sqlState = (error as { driverError?: { code?: unknown } } | undefined)?.driverError?.code;
  if (typeof sqlState === 'string' && DATA_EXCEPTIONS.has(sqlState)) {
    // A value that got past validation but does not fit its column (an id that is not a UUID, say):
    // the client's mistake, though it points at a missing check, so the filter still logs it.
    return {
      problem: problem(400, CommonErrorCode.INVALID_REQUEST, 'a value in the request does not fit its field'),
      headers: {},
      unexpected: true,
    };
  }
  if (error instanceof DomainError) {
    return {
      problem: problem(error.status, error.code, error.message, error.fieldErrors),
      headers: error.headers ?? {},
      unexpected: false,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const bodyMessage = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    const message = Array.isArray(bodyMessage) ? bodyMessage.join('; ') : typeof bodyMessage === 'string' ? bodyMessage : error.message;
    return {
      problem: problem(
        status,
        CODE_BY_STATUS[status] ?? (status >= 500 ? CommonErrorCode.INTERNAL : CommonErrorCode.INVALID_REQUEST),
        message,
      ),
      // A 503 from below (the readiness check's) says when to look again, like ours.
      headers: status === 503 ? { 'retry-after': String(options.retryAfterSeconds ?? DEFAULT_OUTAGE_RETRY_AFTER_SECONDS) } : {},
      unexpected: status >= 500,
    };
  }
  const fastifyError = error as FastifyLikeError | undefined;
  const status = fastifyError?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return {
      problem: problem(status, CODE_BY_STATUS[status] ?? CommonErrorCode.INVALID_REQUEST, fastifyError?.message ?? 'bad request'),
      headers: {},
      unexpected: false,
    };
  }
  return {
    problem: problem(500, CommonErrorCode.INTERNAL, 'an unexpected error occurred; it has been logged'),
    headers: {},
    unexpected: true,
  };
}
