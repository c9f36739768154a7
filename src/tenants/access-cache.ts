import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';

/** How many rows are kept at most (API clients and tenants together); the oldest go first. */
const MAX_ENTRIES = 10_000;

/**
 * The API client row and the tenant row every management request reads (who calls, and the tenant
 * it names), kept for ACCESS_CACHE_MS (default 1,000 ms; 0 turns it off). Reading both on every
 * request was two statements of the three a small page costs, a third of its CPU
 * (docs/performance.md, "Read paths").
 *
 * How long a change may go unseen: a revoked API client, a suspended or resumed tenant, or a changed
 * feature flag takes effect at once in the process that made the change (it calls `clear()` after
 * its commit), and within ACCESS_CACHE_MS in every other process. A load is shared by the requests
 * that ask while it runs; a failed load is not kept.
 */
@Injectable()
export class AccessCache {
  private readonly entries = new Map<string, { value: Promise<unknown>; expiresAt: number }>();
  private readonly ttlMs: number;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'auth'>) {
    this.ttlMs = config.auth.accessCacheMs;
  }

  /** The cached value of `key`, or `load()`'s (kept for the TTL from when the load started). */
  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const now = Date.now();
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now) return entry.value as Promise<T>;
    if (entry) this.entries.delete(key);
    else if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    const value = load();
    const kept = { value, expiresAt: now + this.ttlMs };
    this.entries.set(key, kept);
    // Only this load's own entry is dropped: a clear() (and a newer load) may have replaced it since.
    value.catch(() => this.entries.get(key) === kept && this.entries.delete(key));
    return value;
  }

  /**
   * Forgets everything: called after a commit that revokes an API client or changes a tenant. A load
   * that started before is no longer in the map, so its (maybe older) answer is not kept either.
   */
  clear(): void {
    this.entries.clear();
  }
}
