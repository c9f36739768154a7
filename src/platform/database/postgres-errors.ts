/** SQLSTATE codes we react to (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
export const PgErrorCode = {
  UNIQUE_VIOLATION: '23505',
  FOREIGN_KEY_VIOLATION: '23503',
  SERIALIZATION_FAILURE: '40001',
  DEADLOCK_DETECTED: '40P01',
  INVALID_TEXT_REPRESENTATION: '22P02',
  /** Ours: the gateways quota check at commit refused it (migration 1796190140000); DETAIL is the quota. */
  GATEWAY_QUOTA_EXCEEDED: 'GQ001',
} as const;

/** Postgres's own error: TypeORM wraps it as `driverError`, pg throws it as it is. */
function driverErrorOf(error: unknown): { code?: string; constraint?: string; detail?: string } | undefined {
  return (
    (error as { driverError?: { code?: string; constraint?: string; detail?: string } })?.driverError ??
    (error as { code?: string; constraint?: string; detail?: string })
  );
}

/** The quota a commit passed when the gateways quota check refused it, or null for any other error. */
export function gatewayQuotaExceeded(error: unknown): number | null {
  const driverError = driverErrorOf(error);
  return driverError?.code === PgErrorCode.GATEWAY_QUOTA_EXCEEDED ? Number(driverError.detail) : null;
}

/** The constraint a unique violation broke, or null when the error is something else. */
export function uniqueViolation(error: unknown): string | null {
  const driverError = driverErrorOf(error);
  return driverError?.code === PgErrorCode.UNIQUE_VIOLATION ? (driverError.constraint ?? '') : null;
}

/** Postgres chose this transaction as a deadlock's victim and rolled it back. */
export function isDeadlock(error: unknown): boolean {
  return driverErrorOf(error)?.code === PgErrorCode.DEADLOCK_DETECTED;
}
