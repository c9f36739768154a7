import { Inject, Injectable } from '@nestjs/common';
import { REDIS, type RedisClient, RedisConnections } from '../platform/redis/redis.module.js';

/**
 * Each profile's configuration version, cached in Redis for the heartbeat answer (which says
 * whether a gateway's configuration is behind). Expires, so a missed update heals itself.
 */
@Injectable()
export class ProfileConfigurationCache {
  static readonly TTL_SECONDS = 600;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(RedisConnections) private readonly connections: RedisConnections,
  ) {}

  key(profileId: string): string {
    return this.connections.key('profile-cv', profileId);
  }

  /** The cached version, or null when the cache is cold. */
  async get(profileId: string): Promise<number | null> {
    const cached = await this.redis.get(this.key(profileId));
    return cached ? Number(cached) : null;
  }

  async set(profileId: string, version: number): Promise<void> {
    await this.redis.set(this.key(profileId), String(version), 'EX', ProfileConfigurationCache.TTL_SECONDS);
  }
}
