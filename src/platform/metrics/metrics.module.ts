import {
  Controller,
  Get,
  Headers,
  Inject,
  Injectable,
  Logger,
  Module,
  Res,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController, PrometheusModule } from '@willsoto/nestjs-prometheus';
import type { FastifyReply } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { register } from 'prom-client';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { Public } from '../auth/auth.decorators.js';
import { COMMON_ERRORS, errorOf } from '../errors/domain-error.js';
import { PlatformMetrics } from './platform-metrics.js';
import { PostgresPingStore } from './postgres-ping.store.js';

const sameSecret = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * /metrics on the public port answers only to `Authorization: Bearer <METRICS_TOKEN>`; without a
 * token configured it is not there (404), and METRICS_PORT serves the metrics instead.
 */
@ApiExcludeController()
@Controller()
class MetricsController extends PrometheusController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
  }

  @Public()
  @Get()
  override async index(@Res({ passthrough: true }) response: FastifyReply, @Headers('authorization') authorization?: string) {
    const token = this.config.metrics.token;
    if (!token) throw errorOf(COMMON_ERRORS, 'NOT_FOUND', 'metrics are served on METRICS_PORT, or here with METRICS_TOKEN');
    if (!authorization?.startsWith('Bearer ') || !sameSecret(authorization.slice(7), token)) {
      throw errorOf(COMMON_ERRORS, 'UNAUTHENTICATED', 'the metrics token is required', undefined, { 'www-authenticate': 'Bearer' });
    }
    return super.index(response);
  }
}

/** METRICS_PORT: a plain HTTP server of its own for Prometheus inside the network (GET /metrics). */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server: Server | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.metrics.port;
    if (port === null) {
      if (!this.config.metrics.token) this.logger.warn('metrics are not served: set METRICS_PORT or METRICS_TOKEN');
      return;
    }
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || (request.url ?? '').split('?')[0] !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      register.metrics().then(
        (text) => response.writeHead(200, { 'content-type': register.contentType }).end(text),
        (error: unknown) => {
          this.logger.warn({ err: error }, 'metrics could not be collected');
          response.writeHead(500).end();
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.config.http.host, () => resolve());
    });
    this.server = server;
    this.logger.log({ port: this.port }, `metrics on ${this.config.http.host}:${this.port}/metrics`);
  }

  /** The port it listens on (METRICS_PORT=0 picks a free one), or null. */
  get port(): number | null {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : null;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Prometheus metrics: process defaults plus ours (catalog.ts). */
@Module({
  imports: [PrometheusModule.register({ path: '/metrics', controller: MetricsController, defaultMetrics: { enabled: true } })],
  providers: [MetricsServer, PlatformMetrics, PostgresPingStore],
  exports: [MetricsServer],
})
export class MetricsModule {}
