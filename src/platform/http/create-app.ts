import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { INestApplicationContext } from '@nestjs/common';
import type { DestinationStream, Logger } from 'pino';
import { AppModule } from '../../app.module.js';
import type { AppConfig } from '../../config/app-config.js';
import { ProblemDetailsFilter } from '../errors/problem-details.filter.js';
import { createRootLogger, JsonLogger } from '../logging/json-logger.js';
import { registerRequestLog } from '../logging/request-log.js';
import { registerHttpMetrics } from '../metrics/http-metrics.js';
import { registerTraceRoutes } from '../tracing/http-route.js';
import { HttpShutdown } from './http-shutdown.js';
import { registerRequestId, requestIdGenerator } from './request-id.js';

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
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, { logger }), adapter, {
    // Nest's own messages (start-up, errors) go through the same JSON logger from the first line.
    logger: options.quiet ? false : new JsonLogger(logger),
    // Throw start-up errors to the caller (main exits non-zero) instead of aborting the process.
    abortOnError: false,
  });
  app.useGlobalFilters(new ProblemDetailsFilter());
  const fastify = app.getHttpAdapter().getInstance();
  registerRequestId(fastify);
  registerHttpMetrics(fastify);
  registerTraceRoutes(fastify);
  registerRequestLog(fastify, logger, { quietLevel: config.logging.quietRequestsLevel, quietSample: config.logging.quietRequestsSample });
  app.get(HttpShutdown).attach(fastify);
  // Exit 0 after a graceful shutdown (and let pino flush) rather than re-raising the signal.
  app.enableShutdownHooks([], { useProcessExit: true });
  return app;
}

/** A worker-only process: queues and background work, no HTTP. */
export async function createWorkerContext(config: AppConfig, options: { logger?: Logger } = {}): Promise<INestApplicationContext> {
  const logger = options.logger ?? createRootLogger(config.logLevel);
  const context = await NestFactory.createApplicationContext(AppModule.forRoot(config, { logger }), { logger: new JsonLogger(logger), abortOnError: false });
  context.enableShutdownHooks([], { useProcessExit: true });
  return context;
}
