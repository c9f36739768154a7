import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Level, Logger } from 'pino';
import type { GatewayPrincipal, UserPrincipal } from '../auth/principal.js';

export interface RequestLogOptions {
  /** Level of a successful heartbeat, long poll, probe or scrape (the bulk of the traffic). */
  quietLevel: Level | 'silent';
  /** Share (0…1) of those written when their level is enabled. */
  quietSample: number;
}

/** Route templates whose successful requests are logged at the quiet level, sampled. */
export const QUIET_ROUTES = new Set(['/gateway/v1/heartbeat', '/gateway/v1/commands', '/healthz', '/readyz', '/metrics']);

/**
 * One JSON line per answered request: method, route template, status, duration, request id,
 * tenant and principal. Written from Fastify's onResponse hook: cheaper than an HTTP logging
 * middleware (nothing is allocated for a line that is not written), and it sees the route
 * template and the principal the guard put on the request.
 */
export function registerRequestLog(fastify: FastifyInstance, logger: Logger, options: RequestLogOptions): void {
  const quietOn = options.quietLevel !== 'silent' && logger.isLevelEnabled(options.quietLevel);
  const infoOn = logger.isLevelEnabled('info');
  fastify.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const route = request.routeOptions.url;
    const quiet = route !== undefined && QUIET_ROUTES.has(route);
    let level: Level;
    if (status >= 500) level = quiet ? 'warn' : 'error';
    else if (quiet) {
      if (!quietOn || (options.quietSample < 1 && Math.random() >= options.quietSample)) return done();
      level = options.quietLevel as Level;
    } else {
      if (!infoOn) return done();
      level = 'info';
    }
    logger[level](lineOf(request, route, status, reply.elapsedTime), 'request');
    done();
  });
}

function lineOf(request: FastifyRequest, route: string | undefined, status: number, elapsedMs: number): Record<string, unknown> {
  const principal = (request as { user?: UserPrincipal | GatewayPrincipal }).user;
  return {
    reqId: request.id,
    method: request.method,
    // The template, never the raw URL (which carries ids); an unmatched request shows its path.
    route: route ?? 'unmatched',
    ...(route === undefined ? { path: request.url.split('?')[0].slice(0, 200) } : {}),
    status,
    ms: Math.round(elapsedMs * 100) / 100,
    tenantId: principal?.tenantId,
    principal: principal
      ? principal.kind === 'gateway'
        ? `gateway:${principal.gatewayId}`
        : `api-client:${principal.apiClientId}`
      : undefined,
  };
}
