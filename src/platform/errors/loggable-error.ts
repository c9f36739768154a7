/**
 * What an error log line may show of an error: its type, message, SQLSTATE or error code, the SQL
 * text (never its parameters) and the stack. TypeORM's QueryFailedError carries the statement's
 * parameters (names, secret hashes and prefixes) as enumerable properties, and pg errors carry the
 * offending row in `detail`; pino's default error serializer would print them all.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!error || typeof error !== 'object') return { message: String(error) };
  const e = error as Error & { code?: unknown; query?: unknown; driverError?: { code?: unknown } };
  const sqlState = typeof e.driverError?.code === 'string' ? e.driverError.code : undefined;
  return {
    type: e.name ?? e.constructor?.name,
    message: redactValues(String(e.message)),
    ...(typeof e.code === 'string' || typeof e.code === 'number' ? { code: e.code } : sqlState ? { code: sqlState } : {}),
    ...(typeof e.query === 'string' ? { query: e.query.replace(/\s+/g, ' ').trim().slice(0, 500) } : {}),
    ...(typeof e.stack === 'string' ? { stack: redactValues(e.stack) } : {}),
  };
}

// Postgres quotes the offending value in some messages: `invalid input syntax for type uuid: "abc"`.
const redactValues = (text: string) => text.replace(/(for type [\w ]+|for encoding "[\w-]+"): .*$/gm, '$1: [redacted]');
