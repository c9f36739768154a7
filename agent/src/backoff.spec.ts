import { describe, expect, it } from 'vitest';
import { Backoff, backoffWindowMs, PROTOCOL_BACKOFF, retryDelayMs } from './backoff.js';

/** A seeded generator (mulberry32), so the test's draws are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AGENTS = 1_000;

describe('back-off with full jitter', () => {
  it('the window doubles from 1 s per failure and stops at 5 min', () => {
    expect([1, 2, 3, 4, 9, 10, 50].map((failures) => backoffWindowMs(failures))).toEqual([
      1_000, 2_000, 4_000, 8_000, 256_000, 300_000, 300_000,
    ]);
    expect(PROTOCOL_BACKOFF).toEqual({ baseMs: 1_000, capMs: 300_000 });
  });

  it("1,000 agents' retries after the same failure are spread evenly over the back-off window, not bunched", () => {
    const random = seeded(18);
    for (let failures = 1; failures <= 10; failures++) {
      const window = backoffWindowMs(failures);
      const delays = Array.from({ length: AGENTS }, () => {
        const backoff = new Backoff(PROTOCOL_BACKOFF, random);
        let delay = 0;
        for (let i = 0; i < failures; i++) delay = backoff.next();
        return delay;
      });
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...delays)).toBeLessThan(window);
      // Ten equal slices of the window each get close to a tenth of the fleet (100 ± 40).
      const slices = new Array<number>(10).fill(0);
      for (const delay of delays) slices[Math.floor((delay / window) * 10)] += 1;
      for (const count of slices) {
        expect(count).toBeGreaterThan(60);
        expect(count).toBeLessThan(140);
      }
      const mean = delays.reduce((sum, d) => sum + d, 0) / AGENTS;
      expect(mean / window).toBeGreaterThan(0.45);
      expect(mean / window).toBeLessThan(0.55);
    }
  });

  it('a fleet that lost the service for 2 minutes comes back over a minute and more, never more than 3% in one second', () => {
    const random = seeded(1_000);
    const outageEndsMs = 120_000;
    const returns = Array.from({ length: AGENTS }, () => {
      const backoff = new Backoff(PROTOCOL_BACKOFF, random);
      let at = 0; // every agent saw its first failure at the same moment
      while (at < outageEndsMs) at += backoff.next();
      return at;
    });
    const perSecond = new Map<number, number>();
    for (const at of returns) perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(AGENTS * 0.03);
    const sorted = [...returns].sort((a, b) => a - b);
    // The middle 80% of the fleet returns over more than 60 s.
    expect(sorted[Math.floor(AGENTS * 0.9)] - sorted[Math.floor(AGENTS * 0.1)]).toBeGreaterThan(60_000);
  });

  it('Retry-After is waited first, and the jitter spreads the fleet after it', () => {
    const random = seeded(7);
    const delays = Array.from({ length: AGENTS }, () => retryDelayMs(3, 30_000, PROTOCOL_BACKOFF, random));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(30_000);
    expect(Math.max(...delays)).toBeLessThan(30_000 + backoffWindowMs(3));
    expect(new Set(delays.map((d) => Math.floor(d / 400))).size).toBe(10);
  });

  it('a success starts the window again from 1 s', () => {
    const backoff = new Backoff(PROTOCOL_BACKOFF, () => 0.999);
    for (let i = 0; i < 6; i++) backoff.next();
    expect(backoff.next()).toBeGreaterThan(60_000);
    backoff.reset();
    expect(backoff.next()).toBeLessThan(1_000);
  });
});
