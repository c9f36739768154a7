import type { FastifyInstance } from 'fastify';
import { Histogram } from 'prom-client';
import { Metrics } from './catalog.js';

const requestDuration = new Histogram({
  name: 'gcp_http_request_duration_seconds',
  help: 'HTTP requests by method, route pattern and status',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 30],
});

const HEARTBEAT_ROUTE = '/gateway/v1/heartbeat';

/** Times every request by its route pattern (never the raw URL, which would explode the label set). */
export function registerHttpMetrics(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requestDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    if (reply.statusCode === 429) Metrics.rateLimitRefusals.inc({ route });
    // Accepted heartbeats are counted by HeartbeatService (ok or stale); refused ones here.
    if (reply.statusCode >= 400 && route === HEARTBEAT_ROUTE)
      Metrics.heartbeats.inc({ outcome: reply.statusCode >= 500 ? 'error' : 'rejected' });
    done();
  });
}
