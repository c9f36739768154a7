import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { INestApplicationContext } from '@nestjs/common';
import type { DestinationStream, Logger } from 'pino';
import { AppModule } from '../../app.module.js';
import { registerRateLimits } from './rate-limits.js';
import { REDIS, RedisConnections, type RedisClient } from '../redis/redis.module.js';
import type { AppConfig } from '../../config/app-config.js';
import { ProblemDetailsFilter } from '../errors/problem-details.filter.js';
import { createRootLogger, JsonLogger } from '../logging/json-logger.js';
import { registerRequestLog } from '../logging/request-log.js';
import { registerHttpMetrics } from '../metrics/http-metrics.js';
import { registerTraceRoutes } from '../tracing/http-route.js';
import { registerGraphiQL } from '../graphql/graphiql.js';
import { HttpShutdown } from './http-shutdown.js';
import { registerRequestId, requestIdGenerator } from './request-id.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from '../errors/problem-details.js';
import { registerInputHygiene } from '../validation/input-hygiene.js';
import { registerSecurityHeaders } from './security-headers.js';
import { registerConsole } from './console.js';
import { registerAnswersLater } from './answers-later.js';

/**
 * Builds the HTTP application (REST, gateway protocol, GraphQL) exactly as `main.ts` serves it;
 * the e2e tests use the same function, so they test what runs.
 */
export interface HttpAppOptions {
  /** No logger at all (most tests). */
  quiet?: boolean;
  /** Log lines go here instead of stdout (tests that read the logs). */
  logStream?: DestinationStream;
  /** The process's root logger, when the caller made it already (main.ts). */
  logger?: Logger;
}

function rootLoggerFor(config: AppConfig, options: HttpAppOptions): Logger {
  return options.logger ?? createRootLogger(options.quiet ? 'silent' : config.logLevel, options.logStream);
}

export async function createHttpApp(config: AppConfig, options: HttpAppOptions = {}): Promise<NestFastifyApplication> {
  const logger = rootLoggerFor(config, options);
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    // Trusting X-Forwarded-For from anyone would let a client pick its own address (and dodge rate limits).
    trustProxy: (_address: string, hop: number) => hop < config.http.trustProxyHops,
    // Fastify's own logger stays off: request-log.ts logs every request once, with its id.
    logger: false,
    return503OnClosing: true,
    genReqId: requestIdGenerator(config),
    // Fastify's router answers a malformed URL (invalid percent-encoding) itself: as a problem too.
    frameworkErrors: (error: Error, _request: FastifyRequest, reply: FastifyReply) => {
      const { problem, headers } = toProblem(error);
      void reply
        .status(problem.status)
        .headers({ ...headers, 'content-type': 'application/problem+json' })
        .send(problem);
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, { logger }), adapter, {
    // Nest's own messages (start-up, errors) go through the same JSON logger from the first line.
    logger: options.quiet ? false : new JsonLogger(logger),
    // Throw start-up errors to the caller (main exits non-zero) instead of aborting the process.
    abortOnError: false,
  });
  app.useGlobalFilters(new ProblemDetailsFilter({ retryAfterSeconds: config.outageRetryAfterSeconds }));
  const fastify = app.getHttpAdapter().getInstance();
  // Before NestJS registers its routes (at init): the long poll's route is wrapped as it is added.
  registerAnswersLater(fastify);
  registerRequestId(fastify);
  registerInputHygiene(fastify);
  registerSecurityHeaders(app, config);
  registerHttpMetrics(fastify);
  registerTraceRoutes(fastify);
  registerRequestLog(fastify, logger, { quietLevel: config.logging.quietRequestsLevel, quietSample: config.logging.quietRequestsSample });
  const redis = app.get(RedisConnections);
  registerRateLimits(fastify, config, app.get<RedisClient>(REDIS), (client) => redis.key('rate-limit', client));
  app.get(HttpShutdown).attach(fastify);
  if (config.http.corsOrigins.length > 0) {
    // Browsers on these origins (a console, GraphiQL elsewhere) may call REST and GraphQL with a bearer token.
    app.enableCors({
      origin: config.http.corsOrigins,
      methods: ['GET', 'POST', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match', 'x-request-id'],
      exposedHeaders: [
        'location',
        'etag',
        'retry-after',
        'ratelimit',
        'ratelimit-policy',
        'idempotent-replayed',
        'www-authenticate',
        'x-request-id',
      ],
      maxAge: 600,
    });
  }
  if (config.graphql.graphiql) registerGraphiQL(fastify);
  // The fleet console at /console, when console/ is built (npm run build builds it).
  await registerConsole(fastify);
  // Signals are handled by drainOnSignals (main.ts): a drain period, then a graceful close and exit 0.
  return app;
}

/**
 * SIGTERM or SIGINT: drain for SHUTDOWN_DRAIN_SECONDS (the port stays open, /readyz answers 503 so
 * load balancers stop sending work), then close gracefully (long polls answer, in-flight requests
 * finish) and exit 0. A second signal skips the rest of the drain.
 */
export function drainOnSignals(app: NestFastifyApplication, config: AppConfig): void {
  let closing: Promise<void> | null = null;
  let skipDrain: () => void = () => undefined;
  const onSignal = () => {
    if (closing) return skipDrain();
    app.get(HttpShutdown).startDraining();
    const drained = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, config.shutdownDrainSeconds * 1000);
      skipDrain = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    closing = drained
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error('shutdown failed:', error);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** A worker-only process: queues and background work, no HTTP. */
export async function createWorkerContext(config: AppConfig, options: { logger?: Logger } = {}): Promise<INestApplicationContext> {
  const logger = options.logger ?? createRootLogger(config.logLevel);
  const context = await NestFactory.createApplicationContext(AppModule.forRoot(config, { logger }), {
    logger: new JsonLogger(logger),
    abortOnError: false,
  });
  context.enableShutdownHooks([], { useProcessExit: true });
  return context;
}
