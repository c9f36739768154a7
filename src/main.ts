import 'reflect-metadata';
import { register } from 'node:module';
import type { Logger } from 'pino';
import { ConfigError, loadConfig, runsApi, type AppConfig } from './config/app-config.js';
import { createRootLogger } from './platform/logging/json-logger.js';
import { limitHeapGrowth } from './platform/runtime/v8-heap.js';

/**
 * Connections waiting to be accepted (the kernel caps it at net.core.somaxconn). Gateways connect
 * in bursts: a thousand gateways handed a bulk command's work at once open connections for their
 * updates, and a fleet reconnects after a network blip. With Node's default of 511 the command
 * benchmark had polls reset, which is how a connection dropped from a full queue ends.
 */
const LISTEN_BACKLOG = 4096;

function configOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      // Every bad variable at once, as one JSON line like every other line of the service.
      createRootLogger('info').fatal({ context: 'Config', problems: error.problems }, error.message);
      process.exit(1);
    }
    throw error;
  }
}

/** Boots the API (HTTP) and/or the workers, as ROLE says. SIGTERM and SIGINT shut down gracefully. */
async function main(logger: Logger, config: AppConfig): Promise<void> {
  const startedAt = performance.now();
  process.once('exit', (code) => logger.info({ context: 'Main', code }, 'stopped'));
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => logger.info({ context: 'Main', signal }, 'signal received'));
  if (config.tracing.otlpEndpoint) {
    // The instrumentations patch pg, ioredis, Fastify, http and graphql as they load: the ES module
    // hook must be in place, and the SDK started, before the application's modules are imported.
    register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
    const { startTracing, stopTracing } = await import('./platform/tracing/tracing-sdk.js');
    startTracing(config);
    process.once('beforeExit', () => void stopTracing());
    logger.info({ context: 'Main', endpoint: config.tracing.otlpEndpoint, sample: config.tracing.sampleRatio }, 'tracing on');
  }
  const { createHttpApp, createWorkerContext, drainOnSignals } = await import('./platform/http/create-app.js');
  if (runsApi(config)) {
    const app = await createHttpApp(config, { logger });
    await app.listen({ port: config.http.port, host: config.http.host, backlog: LISTEN_BACKLOG });
    drainOnSignals(app, config);
    logger.info(
      { context: 'Main', role: config.role, ms: Math.round(performance.now() - startedAt) },
      `ready: ${config.role} process listening on ${config.http.host}:${config.http.port}`,
    );
  } else {
    await createWorkerContext(config, { logger });
    logger.info({ context: 'Main', role: config.role, ms: Math.round(performance.now() - startedAt) }, 'ready: worker process');
  }
}

const config = configOrExit();
// Before the application's modules load and the first requests promote anything.
limitHeapGrowth(config.heapGrowingPercent);
const logger = createRootLogger(config.logLevel);
main(logger, config).catch((error: unknown) => {
  logger.fatal({ context: 'Main', err: error }, 'start-up failed');
  process.exit(1);
});
