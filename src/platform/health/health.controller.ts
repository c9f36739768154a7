import { Controller, Get, Inject, type BeforeApplicationShutdown } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators.js';
import { CommonErrors } from '../errors/domain-error.js';
import { HttpShutdown } from '../http/http-shutdown.js';
import { REDIS, type RedisClient } from '../redis/redis.module.js';

/**
 * Liveness and readiness for load balancers and orchestrators. Not part of the API contract
 * (openapi/openapi.yaml): the README describes them, as it does /metrics.
 */
@ApiExcludeController()
@Controller()
export class HealthController implements BeforeApplicationShutdown {
  private shuttingDown = false;

  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(TypeOrmHealthIndicator) private readonly database: TypeOrmHealthIndicator,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(HttpShutdown) private readonly shutdown: HttpShutdown,
  ) {}

  @Public()
  @Get('healthz')
  live() {
    return { status: 'ok' };
  }

  @Public()
  @Get('readyz')
  @HealthCheck()
  ready() {
    if (this.shuttingDown || this.shutdown.isStopping) throw CommonErrors.shuttingDown();
    return this.health.check([
      () => this.database.pingCheck('postgres', { timeout: 2_000 }),
      async () => {
        const indicator = this.indicators.check('redis');
        try {
          await this.redis.ping();
          return indicator.up();
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        }
      },
    ]);
  }

  /** Load balancers stop sending new work as soon as shutdown starts. */
  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }
}
