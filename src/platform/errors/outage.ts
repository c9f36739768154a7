/**
 * Whether an error means a dependency (Postgres or Redis) is unreachable, rather than a bug or a
 * client mistake: such requests answer 503 SERVICE_UNAVAILABLE with Retry-After, not 500.
 */

// Socket-level failures of a connection to Postgres or Redis.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
// SQLSTATE class 08 (connection exception), 57P01-57P03 (the server is shutting down or starting), 53300 (too many connections).
const SQLSTATE_OUTAGE = /^(08\d{3}|57P0[123]|53300)$/;
const OUTAGE_MESSAGES = [
  /Connection terminated/i, // pg: the server went away mid-query
  /timeout exceeded when trying to connect/i, // pg pool
  /Client has encountered a connection error/i, // pg
  /Connection is closed/i, // ioredis
  /Reached the max retries per request limit/i, // ioredis (maxRetriesPerRequest)
  /Stream isn't writeable/i, // ioredis, offline queue off
  /^Command timed out$/i, // ioredis commandTimeout
  /All sentinels are unreachable|Failed to refresh slots cache|ClusterAllFailedError/i, // ioredis
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

interface ErrorLike {
  code?: unknown;
  syscall?: unknown;
  message?: unknown;
  name?: unknown;
  driverError?: unknown;
  cause?: unknown;
  errors?: unknown;
}

export function isDependencyOutage(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const e = error as ErrorLike;
  if (typeof e.code === 'string' && (SOCKET_CODES.has(e.code) || SQLSTATE_OUTAGE.test(e.code))) return true;
  // A Unix socket that is gone while Postgres is down.
  if (e.code === 'ENOENT' && e.syscall === 'connect') return true;
  if (e.name === 'MaxRetriesPerRequestError') return true;
  if (typeof e.message === 'string' && OUTAGE_MESSAGES.some((pattern) => pattern.test(e.message as string))) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDependencyOutage(inner, depth + 1))) return true;
  return isDependencyOutage(e.driverError, depth + 1) || isDependencyOutage(e.cause, depth + 1);
}
