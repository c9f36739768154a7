import { trace } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { tracingOn } from './tracing.js';

/**
 * Names the HTTP server span by its route template (`POST /api/v1/tenants/:tenantId/…`) and sets
 * `http.route`: the HTTP instrumentation cannot know Fastify's routes. Only with tracing on.
 */
export function registerTraceRoutes(fastify: FastifyInstance): void {
  if (!tracingOn()) return;
  fastify.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    const span = trace.getActiveSpan();
    if (span && route) {
      span.setAttribute('http.route', route);
      span.updateName(`${request.method} ${route}`);
    }
    done();
  });
}
