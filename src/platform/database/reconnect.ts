/**
 * What happens to statements when Postgres restarts or fails over (docs/scaling.md, "Postgres
 * failover"). The pool (pg.Pool under TypeORM) drops a connection that reports an error, and
 * the next statement gets a new one; named prepared statements (sql.ts `prepared`) are prepared
 * per connection by pg, so a new connection prepares them again on first use. A statement that
 * was in flight when its connection died fails: only statements whose repeat changes nothing
 * (reads, and writes guarded so a second run is a no-op) go through `retryIdempotent`. Everything
 * else fails to its caller, which answers 503 (a client retries with its Idempotency-Key) or, in
 * a job, fails the attempt for BullMQ to retry the whole (idempotent) handler.
 */

// Socket failures, SQLSTATE class 08 (connection exception), 57P01-57P03 (terminated by an
// administrator, a crash, or the server is starting), and pg's own words for a dropped connection.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOENT']);
const SQLSTATES = /^(08\d{3}|57P0[123])$/;
const MESSAGES = [
  /Connection terminated/i,
  /Client has encountered a connection error/i,
  /timeout exceeded when trying to connect/i,
  /the database system is (starting up|shutting down)/i,
];

/** The statement failed because its connection failed (or none could be made), not because of what it said. */
export function isConnectionFailure(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; driverError?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string' && (SOCKET_CODES.has(e.code) || SQLSTATES.test(e.code))) return true;
    if (typeof e.message === 'string' && MESSAGES.some((pattern) => pattern.test(e!.message as string))) return true;
    e = e.driverError as typeof e;
  }
  return false;
}

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  /** The first wait; doubled each time, with jitter. */
  baseDelayMs?: number;
}

/**
 * Runs an idempotent statement, again on a new connection when its connection failed (about
 * 0.1 + 0.2 + 0.4 + 0.8 + 1.6 s in all by default, enough for a restart or a managed failover's
 * DNS switch to be noticed). Any other error is thrown at once.
 */
export async function retryIdempotent<T>(work: () => Promise<T>, { attempts = 6, baseDelayMs = 100 }: RetryOptions = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isConnectionFailure(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5)));
    }
  }
}
