import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { INestApplicationContext } from '@nestjs/common';
import type { Writable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../../app.module.js';
import type { AppConfig } from '../../config/app-config.js';
import { ProblemDetailsFilter } from '../errors/problem-details.filter.js';
import { toProblem } from '../errors/problem-details.js';
import { registerHttpMetrics } from '../metrics/http-metrics.js';
import { HttpShutdown } from './http-shutdown.js';
import { registerRequestId, requestIdOf } from './request-id.js';
import { registerInputHygiene } from '../validation/input-hygiene.js';
import { registerSecurityHeaders } from './security-headers.js';

/**
 * Builds the HTTP application (REST, gateway protocol, GraphQL) exactly as `main.ts` serves it;
 * the e2e tests use the same function, so they test what runs.
 */
export interface HttpAppOptions {
  /** No logger at all (most tests). */
  quiet?: boolean;
  /** Log lines go here instead of stdout (tests that read the logs). */
  logStream?: Writable;
}

export async function createHttpApp(config: AppConfig, options: HttpAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    // Trusting X-Forwarded-For from anyone would let a client pick its own address (and dodge rate limits).
    trustProxy: (_address: string, hop: number) => hop < config.http.trustProxyHops,
    // Fastify's own logger stays off: nestjs-pino logs every request once, with its id.
    logger: false,
    return503OnClosing: true,
    genReqId: requestIdOf,
    // Fastify's router answers a malformed URL (invalid percent-encoding) itself: as a problem too.
    frameworkErrors: (error: Error, _request: FastifyRequest, reply: FastifyReply) => {
      const { problem, headers } = toProblem(error);
      void reply.status(problem.status).headers({ ...headers, 'content-type': 'application/problem+json' }).send(problem);
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, { logStream: options.logStream }), adapter, {
    bufferLogs: true,
    // Throw start-up errors to the caller (main exits non-zero) instead of aborting the process.
    abortOnError: false,
    ...(options.quiet ? { logger: false } : {}),
  });
  if (!options.quiet) app.useLogger(app.get(Logger));
  app.useGlobalFilters(new ProblemDetailsFilter({ retryAfterSeconds: config.outageRetryAfterSeconds }));
  registerRequestId(app.getHttpAdapter().getInstance());
  registerInputHygiene(app.getHttpAdapter().getInstance());
  await registerSecurityHeaders(app, config);
  registerHttpMetrics(app.getHttpAdapter().getInstance());
  app.get(HttpShutdown).attach(app.getHttpAdapter().getInstance());
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
export async function createWorkerContext(config: AppConfig): Promise<INestApplicationContext> {
  const context = await NestFactory.createApplicationContext(AppModule.forRoot(config), { bufferLogs: true, abortOnError: false });
  context.useLogger(context.get(Logger));
  context.enableShutdownHooks([], { useProcessExit: true });
  return context;
}
