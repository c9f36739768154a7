import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { REDIS, type RedisClient, RedisConnections } from '../platform/redis/redis.module.js';
import { GatewayErrors } from './gateways.errors.js';

/**
 * Failed activation-token attempts per source address (REGISTER_FAILURE_LIMIT per
 * REGISTER_FAILURE_WINDOW_SECONDS), shared by every process through Redis. Only failures count:
 * a data centre full of gateways registering at once is never throttled.
 */
@Injectable()
export class RegistrationAttempts {
  private readonly failures: RateLimiterRedis;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) redis: RedisClient,
    @Inject(RedisConnections) connections: RedisConnections,
  ) {
    this.failures = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: connections.key('register-failures'),
      points: config.registration.failureLimit,
      duration: config.registration.failureWindowSeconds,
    });
  }

  /** 429 TOO_MANY_ATTEMPTS when the address used up its failures. */
  async assertAllowed(address: string): Promise<void> {
    const state = await this.failures.get(address);
    if (state && state.consumedPoints >= this.config.registration.failureLimit) {
      throw GatewayErrors.tooManyAttempts(Math.max(1, Math.ceil(state.msBeforeNext / 1000)));
    }
  }

  async recordFailure(address: string): Promise<void> {
    await this.failures.penalty(address, 1);
  }
}
