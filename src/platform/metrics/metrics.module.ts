import { Controller, Get, Module, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController, PrometheusModule } from '@willsoto/nestjs-prometheus';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators.js';

/** Prometheus metrics at /metrics: process defaults plus our own counters and histograms. */
@ApiExcludeController()
@Controller()
class MetricsController extends PrometheusController {
  @Public()
  @Get()
  override async index(@Res({ passthrough: true }) response: FastifyReply) {
    return super.index(response);
  }
}

@Module({ imports: [PrometheusModule.register({ path: '/metrics', controller: MetricsController, defaultMetrics: { enabled: true } })] })
export class MetricsModule {}
