import { describe, expect, it } from 'vitest';
import { nextAttemptAt, retryDelayMs } from './webhook-retries.js';

const policy = { baseMs: 1_000, maxDelayMs: 60_000, periodMs: 10 * 60_000 };

describe('webhook retries', () => {
  it('doubles the delay per failed attempt, with half of it random', () => {
    expect(retryDelayMs(policy, 1, 0)).toBe(500);
    expect(retryDelayMs(policy, 1, 0.999999)).toBe(1_000);
    expect(retryDelayMs(policy, 2, 0)).toBe(1_000);
    expect(retryDelayMs(policy, 4, 0)).toBe(4_000);
    for (let attempt = 1; attempt < 10; attempt++) {
      const delay = retryDelayMs(policy, attempt);
      expect(delay).toBeGreaterThanOrEqual(Math.min(60_000, 1_000 * 2 ** (attempt - 1)) / 2);
      expect(delay).toBeLessThanOrEqual(Math.min(60_000, 1_000 * 2 ** (attempt - 1)));
    }
  });

  it('never waits longer than the cap, however many attempts failed', () => {
    expect(retryDelayMs(policy, 40, 0.999999)).toBe(60_000);
    expect(retryDelayMs(policy, 1_000, 0)).toBe(30_000);
  });

  it('gives up once the next attempt would fall past the retry period', () => {
    const first = new Date('2026-01-01T00:00:00Z');
    expect(nextAttemptAt(policy, first, 3, new Date(first.getTime() + 60_000), 0)?.toISOString()).toBe('2026-01-01T00:01:02.000Z');
    expect(nextAttemptAt(policy, first, 9, new Date(first.getTime() + 9.9 * 60_000), 0)).toBeNull();
  });
});
