/** How a failing delivery is retried (docs/webhooks.md). */
export interface RetryPolicy {
  /** The first retry's delay; each next one doubles. */
  baseMs: number;
  maxDelayMs: number;
  /** Counted from the delivery's first attempt: once past it, the delivery fails and its endpoint is disabled. */
  periodMs: number;
}

/**
 * The delay before attempt `attempt + 1`, after `attempt` failed attempts (1, 2, …): exponential
 * (base · 2^(attempt-1), capped) with "equal jitter" (half fixed, half random), so endpoints that
 * failed together do not all come back at the same instant. `random` is in [0, 1).
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: number = Math.random()): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.round(exponential / 2 + (exponential / 2) * random);
}

/** When the next attempt is due, or null: the period is over and the delivery has failed for good. */
export function nextAttemptAt(policy: RetryPolicy, firstAttemptAt: Date, attempt: number, now: Date, random?: number): Date | null {
  const next = new Date(now.getTime() + retryDelayMs(policy, attempt, random));
  return next.getTime() - firstAttemptAt.getTime() > policy.periodMs ? null : next;
}
