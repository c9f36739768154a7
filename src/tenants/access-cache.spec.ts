import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AccessCache } from './access-cache.js';

const cacheFor = (accessCacheMs: number) => new AccessCache({ auth: { accessCacheMs } } as never);

describe('AccessCache (the API client and tenant rows of management requests)', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-11-30T20:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  it('reads a row once per TTL, and again once the TTL has passed', async () => {
    const cache = cacheFor(1000);
    let reads = 0;
    const load = () => Promise.resolve({ status: 'ACTIVE', read: ++reads });
    expect(await cache.get('tenant:a', load)).toEqual({ status: 'ACTIVE', read: 1 });
    vi.advanceTimersByTime(999);
    expect(await cache.get('tenant:a', load)).toEqual({ status: 'ACTIVE', read: 1 });
    vi.advanceTimersByTime(1);
    expect(await cache.get('tenant:a', load)).toEqual({ status: 'ACTIVE', read: 2 });
    expect(reads).toBe(2);
  });

  it('keeps keys apart', async () => {
    const cache = cacheFor(1000);
    expect(await cache.get('tenant:a', () => Promise.resolve('a'))).toBe('a');
    expect(await cache.get('tenant:b', () => Promise.resolve('b'))).toBe('b');
    expect(await cache.get('tenant:a', () => Promise.resolve('not read'))).toBe('a');
  });

  it('clear() makes the next request read again (a revocation or suspension in this process applies at once)', async () => {
    const cache = cacheFor(1000);
    expect(await cache.get('api-client:x', () => Promise.resolve(['ACTIVE']))).toEqual(['ACTIVE']);
    cache.clear();
    expect(await cache.get('api-client:x', () => Promise.resolve([]))).toEqual([]);
  });

  it('a load that was running when clear() was called is not kept', async () => {
    const cache = cacheFor(1000);
    let finish!: (value: string) => void;
    const before = cache.get('tenant:a', () => new Promise<string>((resolve) => (finish = resolve)));
    cache.clear();
    finish('ACTIVE (read before the change)');
    expect(await before).toBe('ACTIVE (read before the change)');
    expect(await cache.get('tenant:a', () => Promise.resolve('SUSPENDED'))).toBe('SUSPENDED');
  });

  it('requests arriving while a load runs share it (one statement for a burst of readers)', async () => {
    const cache = cacheFor(1000);
    let reads = 0;
    const load = () => new Promise<number>((resolve) => setTimeout(() => resolve(++reads), 5));
    const all = Promise.all(Array.from({ length: 20 }, () => cache.get('tenant:a', load)));
    vi.advanceTimersByTime(5);
    expect(await all).toEqual(Array(20).fill(1));
    expect(reads).toBe(1);
  });

  it('a failed load is not kept: the next request reads again', async () => {
    const cache = cacheFor(1000);
    await expect(cache.get('tenant:a', () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(await cache.get('tenant:a', () => Promise.resolve('ACTIVE'))).toBe('ACTIVE');
  });

  it('ACCESS_CACHE_MS=0 reads on every request', async () => {
    const cache = cacheFor(0);
    let reads = 0;
    const load = () => Promise.resolve(++reads);
    await cache.get('tenant:a', load);
    await cache.get('tenant:a', load);
    expect(reads).toBe(2);
  });
});
