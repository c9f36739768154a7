/** Protocol v1's retry policy: exponential back-off with full jitter, base 1 s, cap 5 min. */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const PROTOCOL_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 300_000 };

/** The window the `failures`-th consecutive retry is drawn from: min(cap, base × 2^(failures−1)). */
export function backoffWindowMs(failures: number, policy: BackoffPolicy = PROTOCOL_BACKOFF): number {
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
}

/**
 * How long to wait before the next attempt after `failures` consecutive failures: at least the
 * server's `Retry-After`, then a uniformly random share of the back-off window ("full jitter"), so
 * a fleet that lost the service at the same moment does not come back in the same second.
 */
export function retryDelayMs(
  failures: number,
  retryAfterMs = 0,
  policy: BackoffPolicy = PROTOCOL_BACKOFF,
  random: () => number = Math.random,
): number {
  return retryAfterMs + Math.floor(random() * backoffWindowMs(failures, policy));
}

/** The consecutive failures of one loop and the delay each one earns. */
export class Backoff {
  failures = 0;

  constructor(
    private readonly policy: BackoffPolicy = PROTOCOL_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  /** Counts a failure and answers how long to wait before the next attempt. */
  next(retryAfterMs = 0): number {
    this.failures += 1;
    return retryDelayMs(this.failures, retryAfterMs, this.policy, this.random);
  }

  reset(): void {
    this.failures = 0;
  }
}
