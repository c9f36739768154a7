import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig, runsApi, type AppConfig } from './config/app-config.js';
import { createHttpApp, createWorkerContext, drainOnSignals } from './platform/http/create-app.js';

function configOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * Connections waiting to be accepted (the kernel caps it at net.core.somaxconn). Gateways connect
 * in bursts: a thousand gateways handed a bulk command's work at once open connections for their
 * updates, and a fleet reconnects after a network blip. With Node's default of 511 the command
 * benchmark had polls reset, which is how a connection dropped from a full queue ends.
 */
const LISTEN_BACKLOG = 4096;

/** Boots the API (HTTP) and/or the workers, as ROLE says. SIGTERM and SIGINT shut down gracefully. */
async function main(): Promise<void> {
  const config = configOrExit();
  if (runsApi(config)) {
    const app = await createHttpApp(config);
    await app.listen({ port: config.http.port, host: config.http.host, backlog: LISTEN_BACKLOG });
    drainOnSignals(app, config);
    new Logger('Main').log(`ready: ${config.role} process listening on ${config.http.host}:${config.http.port}`);
  } else {
    await createWorkerContext(config);
    new Logger('Main').log('ready: worker process');
  }
}

main().catch((error: unknown) => {
  console.error('start-up failed:', error);
  process.exit(1);
});
