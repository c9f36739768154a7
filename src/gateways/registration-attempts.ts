import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { REDIS, type RedisClient, RedisConnections } from '../platform/redis/redis.module.js';
import { GatewayErrors } from './gateways.errors.js';

/**
 * Failed activation-token attempts per source address (REGISTER_FAILURE_LIMIT per
 * REGISTER_FAILURE_WINDOW_SECONDS), shared by every process through Redis. Each attempt is charged
 * before its token is checked and refunded unless its token failed, so only failures stay counted;
 * registrations still in flight count too, so at most the limit run in parallel from one address.
 */
@Injectable()
export class RegistrationAttempts {
  private readonly failures: RateLimiterRedis;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
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

  /**
   * Charges one attempt before the token is checked, atomically in Redis (one INCR), so parallel
   * attempts from one address never get more checks than the limit: 429 TOO_MANY_ATTEMPTS once the
   * address has used them up. `refund` gives the charge back when the attempt turned out not to be
   * a failed token (a success, or an error that was not the caller's).
   */
  async charge(address: string): Promise<void> {
    try {
      await this.failures.consume(address, 1);
    } catch (rejection) {
      if (rejection instanceof Error) throw rejection; // Redis itself failed
      const msBeforeNext = (rejection as { msBeforeNext?: number }).msBeforeNext ?? 1000;
      throw GatewayErrors.tooManyAttempts(Math.max(1, Math.ceil(msBeforeNext / 1000)));
    }
  }

  async refund(address: string): Promise<void> {
    await this.failures.reward(address, 1).catch(() => undefined);
  }
}
